import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

let slack: FakeSlack;
let discord: FakeDiscord;

async function botWith(env: Record<string, string>) {
  const board = await new FakeBoard().start();
  slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-good');
  slack.addChannel('T1', 'C1', 'C2');
  discord = await new FakeDiscord().start();
  const bot = new PipelineHarness({
    feedUrl: board.url,
    role: 'worker',
    env: {
      SLACK_API_URL: slack.apiUrl,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      ...env,
    },
  });
  cleanup.push(
    () => board.close(),
    () => slack.close(),
    () => discord.close(),
    () => bot.close(),
  );
  return bot;
}

describe('a refused chat token', () => {
  it('stops the start with a clear message, sending nothing and keeping every subscription (Slack)', async () => {
    const bot = await botWith({
      SLACK_BOT_TOKEN: 'xoxb-refused',
      SLACK_SIGNING_SECRET: 'secret-secret',
    });
    const channels = [await bot.subscribe('slack', 'C1'), await bot.subscribe('slack', 'C2')];
    await expect(bot.start()).rejects.toThrow(
      /slack: Slack refused the bot token \(invalid_auth\); check the token/,
    );
    expect(slack.calls).toEqual(['auth.test']);
    for (const channel of channels)
      expect(await bot.subscriptions.get(bot.sourceId, channel)).not.toBeNull();
  });

  it('stops the start with a clear message, sending nothing and keeping every subscription (Discord)', async () => {
    const bot = await botWith({ DISCORD_TOKEN: 'discord-refused-token-0123456789' });
    const channel = await bot.subscribe('discord', '100000000000000001');
    await expect(bot.start()).rejects.toThrow(/discord: Discord: the bot token was refused/);
    expect(discord.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /users/@me']);
    expect(await bot.subscriptions.get(bot.sourceId, channel)).not.toBeNull();
  });

  it('starts when the tokens are accepted', async () => {
    const bot = await botWith({
      SLACK_BOT_TOKEN: 'xoxb-good',
      SLACK_SIGNING_SECRET: 'secret-secret',
      DISCORD_TOKEN: 'discord-good-token-0123456789',
    });
    await expect(bot.start()).resolves.toBe(bot);
  });
});
