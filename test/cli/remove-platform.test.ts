import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCliServices } from '../../src/app/cli-services.js';
import { CliError } from '../../src/cli/cli-output.js';
import { removePlatform } from '../../src/cli/remove-platform-command.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { waitFor } from '../support/wait.js';
import { runCli } from './run-cli.js';

let board: FakeBoard;
let slack: RecordingNotifier;
let pipeline: PipelineHarness;
let cli: ReturnType<typeof buildCliServices>;
let dropped: ChannelRef[];

/** A deployment that dropped Discord: only Slack has a worker, two Discord channels wait. */
beforeEach(async () => {
  board = await new FakeBoard().start();
  slack = new RecordingNotifier('slack');
  pipeline = await new PipelineHarness({ feedUrl: board.url, notifiers: [slack] }).start();
  cli = buildCliServices(pipeline.redis, pipeline.config);
  await pipeline.subscribe('slack', 'C1');
  dropped = [await pipeline.subscribe('discord', 'D1'), await pipeline.subscribe('discord', 'D2')];
  await pipeline.pollOnce();
  board.publish('디스코드를 뺀 뒤의 글');
  await pipeline.pollOnce();
  await waitFor('the Slack alert', () => slack.sent.length === 1);
  await waitFor(
    'the Discord deliveries queued',
    async () => (await pipeline.queues.deliver.discord.getWaitingCount()) === 2,
  );
});

afterEach(async () => {
  await cli.close();
  await pipeline.close();
  await board.close();
});

describe('subscriptions remove-platform', () => {
  it('removes every channel of a platform no worker serves, with what it was owed', async () => {
    const counts = { platform: 'discord', channels: 2, subscriptions: 2, owedBacklogs: 2 };
    expect(await removePlatform(cli, 'discord', { dryRun: true })).toEqual({
      ...counts,
      dryRun: true,
    });
    expect(await pipeline.subscriptions.get(pipeline.sourceId, dropped[0]!)).not.toBeNull();

    expect(await removePlatform(cli, 'discord')).toEqual({ ...counts, dryRun: false });
    for (const channel of dropped) {
      expect(await pipeline.subscriptions.get(pipeline.sourceId, channel)).toBeNull();
      expect(await pipeline.deliveryLog.newestOwed(pipeline.sourceId, channel)).toBeNull();
    }
    // Slack is untouched; a second run finds nothing left.
    expect(await pipeline.subscriptions.count(pipeline.sourceId)).toBe(1);
    expect(await removePlatform(cli, 'discord')).toMatchObject({ channels: 0, owedBacklogs: 0 });
  });

  it('refuses a platform a running worker still delivers to, and a name that is no platform', async () => {
    const served = await removePlatform(cli, 'slack').catch((error: unknown) => error);
    expect(served).toBeInstanceOf(CliError);
    expect((served as Error).message).toMatch(/^a running worker still delivers to slack/);
    expect(await pipeline.subscriptions.count(pipeline.sourceId)).toBe(3);

    const unknown = await removePlatform(cli, 'kakaowork').catch((error: unknown) => error);
    expect((unknown as CliError).exitCode).toBe(2);
  });

  it('runs from the command line', async () => {
    const run = await runCli(['subscriptions', 'remove-platform', 'discord', '--dry-run'], {
      QUEUE_PREFIX: pipeline.prefix,
      FEED_URL: board.url,
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'Would remove 2 discord channel(s): 2 subscription(s), 2 backlog(s) of owed posts.\n',
    );
  });
});
