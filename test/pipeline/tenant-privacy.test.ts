import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, slashCommandFrom } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { LocalFeeds } from '../support/sources-bot.js';
import { waitFor } from '../support/wait.js';

const MANAGE_CHANNELS = 1n << 4n;
const GUILD_A = '300000000000000001';
const GUILD_B = '300000000000000002';

let board: FakeBoard;
let feeds: LocalFeeds;
let slack: FakeSlack;
let discord: FakeDiscord;
let bot: PipelineHarness;

beforeEach(async () => {
  board = await new FakeBoard().start();
  feeds = await new LocalFeeds().start();
  slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-sources');
  discord = await new FakeDiscord().start();
  feeds.add('/secret', 156_700_001, '비공개 피드의 기밀 보도자료');
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    env: {
      SLACK_BOT_TOKEN: 'xoxb-sources',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'discord-test-bot-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      ALLOW_PRIVATE_SOURCES: 'true',
    },
  }).start();
});

afterEach(async () => {
  await bot.close();
  await discord.close();
  await slack.close();
  await feeds.server!.close();
  await board.close();
});

/** `/news <text>` from a Slack channel; the answer, whether it came at once or later. */
async function slackSays(team: string, channel: string, text: string): Promise<string> {
  const before = slack.responses.length;
  const ack = await slashCommandFrom(bot.httpUrl, slack, team, channel, text);
  if (!ack.text.includes('있습니다…')) return ack.text;
  const answer = await waitFor(`the answer to ${text}`, () =>
    slack.responses
      .slice(before)
      .find((r) => r.id === (team === 'T1' ? channel : `${team}-${channel}`)),
  );
  return String(answer.body.text) + JSON.stringify(answer.body.blocks ?? []);
}

/** `/news query:<text>` from a Discord server; everything the bot answered, as text. */
async function discordSays(guildId: string, text: string, autocomplete = false): Promise<string> {
  const id = await discord.sendCommand(text, {
    guildId,
    channelId: `${guildId.slice(-1)}55555555555555555`,
    permissions: MANAGE_CHANNELS,
    autocomplete,
  });
  const callback = await waitFor(`the answer to ${text}`, () => discord.callbackFor(id));
  if ((callback.body as { type: number }).type !== 5) return JSON.stringify(callback.body);
  const edit = await waitFor(`the edited answer to ${text}`, () => discord.editFor(id));
  return JSON.stringify(edit.body);
}

/** What every command of a tenant that does not own `name` must not reveal. */
async function revealedTo(
  ask: (text: string, autocomplete?: boolean) => Promise<string>,
  name: string,
): Promise<string[]> {
  const leaks: string[] = [];
  await ask('구독'); // the channel follows the default source: later 구독s change its keywords
  const answers = {
    sources: await ask('소스'),
    latest: await ask(`최신 ${name}`),
    lookup: await ask(`${name} 156700001`),
    search: await ask('검색 기밀'),
    subscribe: await ask(`구독 ${name}`),
    completeName: await ask(name.slice(0, 5), true),
    completeTitle: await ask('기밀', true),
  };
  for (const [what, text] of Object.entries(answers)) {
    if (
      text.includes('기밀 보도자료') ||
      text.includes('비공개 피드') ||
      text.includes('/secret')
    ) {
      leaks.push(what);
    }
  }
  // Naming it does what naming a source that does not exist does (a keyword of the default
  // source): the answers differ in the word only.
  const nowhere = 'no-such-feed';
  const unknown = await ask(`구독 ${nowhere}`);
  if (answers.subscribe.replaceAll(name, '*') !== unknown.replaceAll(nowhere, '*')) {
    leaks.push('subscribe');
  }
  return leaks;
}

describe('chat-added sources are private to the tenant that added them', () => {
  it('a Slack workspace’s feed is invisible to another workspace and to Discord servers', async () => {
    const added = await slackSays('T1', 'C1', `구독 ${feeds.url('/secret')}`);
    expect(added).toContain('`127-0-0-1`');
    await bot.pollOnce('127-0-0-1'); // archived: its posts are in the archive now
    expect(await slackSays('T1', 'C1', '검색 기밀')).toContain('기밀 보도자료');
    expect(await slackSays('T1', 'C2', '소스')).toContain('127-0-0-1');

    expect(await revealedTo((text) => slackSays('T2', 'C9', text), '127-0-0-1')).toEqual([]);
    expect(await revealedTo((text, auto) => discordSays(GUILD_A, text, auto), '127-0-0-1')).toEqual(
      [],
    );
    // Configured sources stay everyone's.
    expect(await slackSays('T2', 'C9', '소스')).toContain('`esg`');
  });

  it('a Discord server’s feed is invisible to another server and to Slack', async () => {
    expect(await discordSays(GUILD_A, `구독 ${feeds.url('/secret')}`)).toContain('127-0-0-1');
    await bot.pollOnce('127-0-0-1');
    expect(await discordSays(GUILD_A, '기밀', true)).toContain('기밀 보도자료');

    expect(await revealedTo((text, auto) => discordSays(GUILD_B, text, auto), '127-0-0-1')).toEqual(
      [],
    );
    expect(await revealedTo((text) => slackSays('T1', 'C1', text), '127-0-0-1')).toEqual([]);
  });

  it('two tenants adding the same URL share one fetch, each told it was added, and keep it when the other leaves', async () => {
    const first = await slackSays('T1', 'C1', `구독 ${feeds.url('/secret')}`);
    const second = await slackSays('T2', 'C1', `구독 ${feeds.url('/secret')}`);
    // The second tenant is told exactly what the first was: nothing says someone else reads it.
    expect(second).toBe(first);
    expect((await bot.registry.list()).filter((s) => s.origin === 'chat')).toHaveLength(1);

    await slackSays('T1', 'C1', '구독해지 127-0-0-1');
    expect(await slackSays('T1', 'C1', '소스')).not.toContain('127-0-0-1');
    expect(await slackSays('T2', 'C1', '소스')).toContain('127-0-0-1');
    expect(await bot.scheduledSources()).toContain('127-0-0-1');
  });
});
