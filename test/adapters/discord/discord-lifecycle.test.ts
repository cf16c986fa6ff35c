import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, FakeDiscord, GUILD_ID } from '../../support/fake-discord.js';
import { FakeBoard } from '../../support/fake-board.js';
import { PipelineHarness } from '../../support/pipeline-harness.js';
import { waitFor } from '../../support/wait.js';

const OTHER_GUILD = '900000000000000009';

let board: FakeBoard;
let discord: FakeDiscord;
let bot: PipelineHarness;

beforeEach(async () => {
  board = await new FakeBoard().start();
  discord = await new FakeDiscord().start();
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    env: {
      DISCORD_TOKEN: 'discord-test-bot-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
    },
  }).start();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
});

afterEach(async () => {
  await bot.close();
  await discord.close();
  await board.close();
});

const channel = (workspaceId: string, channelId: string) => ({
  platform: 'discord' as const,
  workspaceId,
  channelId,
});

async function follow(workspaceId: string, channelId: string) {
  await bot.subscriptions.subscribe(bot.sourceId, {
    ...channel(workspaceId, channelId),
    keywords: [],
    createdAt: new Date().toISOString(),
  });
}

const following = async (workspaceId: string, channelId: string) =>
  (await bot.subscriptions.get(bot.sourceId, channel(workspaceId, channelId))) !== null;

describe('Discord lifecycle events', () => {
  it('keeps a server through an outage, and forgets it once the bot is removed', async () => {
    await follow(GUILD_ID, '100000000000000001');
    await follow(GUILD_ID, '100000000000000002');
    await follow(OTHER_GUILD, '100000000000000003');
    // Owed posts of the leaving server go too.
    const owed = {
      sourceId: bot.sourceId,
      boardNo: 1,
      channel: channel(GUILD_ID, '100000000000000001'),
    };
    await bot.deliveryLog.markPending([owed], new Date());

    discord.sendGatewayEvent('GUILD_DELETE', { id: GUILD_ID, unavailable: true });
    // An outage changes nothing: give the event time to arrive, then look.
    discord.sendGatewayEvent('CHANNEL_DELETE', {
      id: '100000000000000003',
      guild_id: OTHER_GUILD,
      type: 0,
    });
    await waitFor(
      'the deleted channel unsubscribed',
      async () => !(await following(OTHER_GUILD, '100000000000000003')),
    );
    expect(await following(GUILD_ID, '100000000000000001')).toBe(true);

    await follow(OTHER_GUILD, '100000000000000004');
    discord.sendGatewayEvent('GUILD_DELETE', { id: GUILD_ID });
    await waitFor(
      'the server forgotten',
      async () => !(await following(GUILD_ID, '100000000000000001')),
    );
    expect(await following(GUILD_ID, '100000000000000002')).toBe(false);
    expect(await bot.deliveryLog.newestOwed(bot.sourceId, owed.channel)).toBeNull();
    expect(await following(OTHER_GUILD, '100000000000000004')).toBe(true);
  });
});
