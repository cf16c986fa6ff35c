import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCliServices } from '../../src/app/cli-services.js';
import { CliError } from '../../src/cli/cli-output.js';
import { formatResend, resendPost } from '../../src/cli/resend-command.js';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { runCli } from './run-cli.js';

let board: FakeBoard;
let slack: RecordingNotifier;
let discord: RecordingNotifier;
let pipeline: PipelineHarness;
let cli: ReturnType<typeof buildCliServices>;

/** Configured like a deployment with both platforms; the notifiers are the recording ones. */
const CHAT_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'signing-secret',
  DISCORD_TOKEN: 'discord-token-for-the-tests',
  DISCORD_APPLICATION_ID: '123456789',
};

beforeEach(async () => {
  board = await new FakeBoard().start();
  slack = new RecordingNotifier('slack');
  discord = new RecordingNotifier('discord');
  pipeline = await new PipelineHarness({
    feedUrl: board.url,
    notifiers: [slack, discord],
    env: CHAT_ENV,
  }).start();
  cli = buildCliServices(pipeline.redis, pipeline.config);
});

afterEach(async () => {
  await cli.close();
  await pipeline.close();
  await board.close();
});

/** C1 and C2 on Slack and D1 on Discord follow the board; post 1653 reached each once. */
async function deliverOnePost(): Promise<void> {
  await pipeline.subscribe('slack', 'C1');
  await pipeline.subscribe('slack', 'C2');
  await pipeline.subscribe('discord', 'D1');
  await pipeline.pollOnce();
  board.publish('2024년 탄소중립 이행계획 발표');
  await pipeline.pollOnce();
  await pipeline.drain();
  expect(slack.byChannel()).toEqual({ C1: [1653], C2: [1653] });
  expect(discord.byChannel()).toEqual({ D1: [1653] });
}

const C1 = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };

describe('resend', () => {
  it('delivers a delivered post once more to that channel and to no other', async () => {
    await deliverOnePost();

    const result = await resendPost(cli, { source: 'esg', boardNo: 1653, channel: 'slack:C1' });
    expect(result).toMatchObject({ boardNo: 1653, channel: C1, owedBefore: 'settled' });
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ C1: [1653, 1653], C2: [1653] });
    expect(discord.byChannel()).toEqual({ D1: [1653] });
    // Settled again: a re-run of the post's own deliveries (a retried fan-out) sends nothing.
    await pipeline.queues.enqueueDeliveries([
      { sourceId: 'esg', boardNo: 1653, channel: C1 },
      { sourceId: 'esg', boardNo: 1653, channel: { ...C1, channelId: 'C2' } },
    ]);
    await pipeline.drain();
    expect(slack.sent).toHaveLength(3);
    expect(await pipeline.deliveryLog.newestOwed('esg', C1)).toBeNull();
  });

  it('sends an archived post the channel never got, once', async () => {
    await deliverOnePost();

    const result = await resendPost(cli, { source: 'esg', boardNo: 1645, channel: 'slack:T1/C2' });
    expect(result.owedBefore).toBe('new');
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ C1: [1653], C2: [1653, 1645] });
    expect(discord.sent).toHaveLength(1);
  });

  it('sends a post still owed once, however many jobs run for it', async () => {
    await deliverOnePost();
    const target = { sourceId: 'esg', boardNo: 1645, channel: C1 };
    // Owed, as after a fan-out whose delivery job has not run yet.
    await pipeline.deliveryLog.markPending([target], new Date());

    const result = await resendPost(cli, { source: 'esg', boardNo: 1645, channel: 'slack:C1' });
    expect(result.owedBefore).toBe('owed');
    await pipeline.queues.enqueueDeliveries([target]);
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ C1: [1653, 1645], C2: [1653] });
  });

  it('refuses a channel that does not follow the source, a missing post and an unknown source', async () => {
    await deliverOnePost();
    const refusal = (request: Parameters<typeof resendPost>[1]) =>
      resendPost(cli, request).then(
        () => null,
        (error: unknown) => error,
      );

    const notFollowing = await refusal({ source: 'esg', boardNo: 1653, channel: 'slack:C9' });
    expect(notFollowing).toBeInstanceOf(CliError);
    expect((notFollowing as Error).message).toMatch(/slack:C9 does not follow esg/);
    expect(
      ((await refusal({ source: 'esg', boardNo: 99, channel: 'slack:C1' })) as Error).message,
    ).toBe('esg has no post #99 in the archive');
    expect(
      ((await refusal({ source: 'kr', boardNo: 1653, channel: 'slack:C1' })) as Error).message,
    ).toMatch(/^unknown source "kr"/);
    const badChannel = await refusal({ source: 'esg', boardNo: 1653, channel: 'C1' });
    expect((badChannel as CliError).exitCode).toBe(2);

    const counts = await pipeline.queues.deliver.slack.getJobCounts('waiting', 'delayed');
    expect(counts).toEqual({ waiting: 0, delayed: 0 });
    await pipeline.drain();
    expect(slack.sent).toHaveLength(2);
  });

  it('queues a resend to a platform no worker delivers to now, and says it waits for one', async () => {
    // The CLI's own configuration has no Discord token: the running workers' tokens count.
    const withoutDiscord = buildCliServices(pipeline.redis, { ...pipeline.config, discord: null });
    await pipeline.subscribe('discord', 'D1');
    await pipeline.subscribe('console', 'ops');
    await pipeline.pollOnce();
    const toDiscord = await resendPost(withoutDiscord, {
      source: 'esg',
      boardNo: 1652,
      channel: 'discord:D1',
    });
    await withoutDiscord.close();
    expect(toDiscord.waitsForWorker).toBe(false);
    await pipeline.drain();
    expect(discord.byChannel()).toEqual({ D1: [1652] });

    // No process here runs a console worker: the job waits in its queue, and the CLI says so.
    const toConsole = await resendPost(cli, {
      source: 'esg',
      boardNo: 1652,
      channel: 'console:ops',
    });
    expect(toConsole.waitsForWorker).toBe(true);
    expect(formatResend(toConsole).split('\n')[1]).toBe(
      `No running worker delivers to console now: job ${toConsole.jobId} waits in its queue and is sent once a worker for console starts.`,
    );
    expect(await pipeline.queues.deliver.console.getWaitingCount()).toBe(1);
  });

  it('resends from the command line: the running workers deliver what the CLI queued', async () => {
    await deliverOnePost();

    const run = await runCli(['resend', 'esg', '1653', 'slack:C2', '--json'], {
      QUEUE_PREFIX: pipeline.prefix,
      FEED_URL: board.url,
      ...CHAT_ENV,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      source: 'esg',
      boardNo: 1653,
      channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C2' },
      owedBefore: 'settled',
    });
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ C1: [1653], C2: [1653, 1653] });
    expect(discord.sent).toHaveLength(1);
  });
});
