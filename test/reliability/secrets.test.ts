import { generateKeyPairSync, sign } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, signedCommandRequest } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-SECRET1-slack-bot-token',
  SLACK_SIGNING_SECRET: 'SECRET2-slack-signing-secret',
  DISCORD_TOKEN: 'SECRET3-discord-bot-token-abcdefghij',
};
const keys = generateKeyPairSync('ed25519');

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let board: FakeBoard;
let slack: FakeSlack;
let discord: FakeDiscord;
let bot: PipelineHarness;

beforeAll(async () => {
  board = await new FakeBoard().start();
  slack = await new FakeSlack().start();
  discord = await new FakeDiscord().start();
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    logger: createLogger('trace', sink),
    env: {
      ...SECRETS,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_PUBLIC_KEY: keys.publicKey
        .export({ format: 'der', type: 'spki' })
        .subarray(12)
        .toString('hex'),
      DISCORD_API_URL: discord.apiUrl,
    },
  }).start();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
});

afterAll(async () => {
  await bot.close();
  await discord.close();
  await slack.close();
  await board.close();
});

async function slash(text: string, channel: string, secret = SECRETS.SLACK_SIGNING_SECRET) {
  const request = signedCommandRequest(secret, {
    team_id: 'T1',
    channel_id: channel,
    user_id: 'U1',
    command: '/news',
    text,
    response_url: slack.responseUrl(channel),
  });
  return fetch(`${bot.httpUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
}

describe('secrets', () => {
  it('never appear in a log line or in Redis, through commands, deliveries and failures', async () => {
    // Commands: good, badly signed, over the gateway and over HTTP interactions.
    await slash('구독', 'C-OK');
    await slash('구독', 'C-GONE');
    await slash('1620', 'C-OK');
    await slash('help', 'C-OK', 'a-wrong-secret');
    await discord.sendCommand('구독', { channelId: '100000000000000001', permissions: 1n << 4n });
    await discord.sendCommand('구독', { channelId: '100000000000000002', permissions: 1n << 4n });
    const body = JSON.stringify({ type: 1 });
    const timestamp = String(Math.floor(Date.now() / 1000));
    await fetch(`${bot.httpUrl}/discord/interactions`, {
      method: 'POST',
      headers: {
        'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), keys.privateKey).toString(
          'hex',
        ),
        'x-signature-timestamp': timestamp,
      },
      body,
    });
    await waitFor('the subscriptions', async () => (await bot.subscriptions.count()) === 4);

    // Deliveries, some failing in every way the adapters map.
    slack.channelErrors.set('C-GONE', 'invalid_auth');
    slack.rateLimits.set('C-OK', { remaining: 1, retryAfter: 1 });
    discord.faults.set('100000000000000002', { status: 403, code: 50001 });
    board.publish('비밀 유출 점검용 글');
    await bot.pollOnce();
    await bot.drain();
    board.fault = 'http500';
    await bot.pollOnce().catch(() => undefined);
    board.fault = null;

    expect(lines.length).toBeGreaterThan(20);
    const logs = lines.join('\n');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(logs.includes(secret), `${name} in the logs`).toBe(false);
    }

    const stored: string[] = [];
    for (const key of await bot.redis.keys(`${bot.prefix}:*`)) {
      const type = await bot.redis.type(key);
      if (type === 'string') stored.push((await bot.redis.get(key)) ?? '');
      if (type === 'hash') stored.push(JSON.stringify(await bot.redis.hgetall(key)));
      if (type === 'list') stored.push(JSON.stringify(await bot.redis.lrange(key, 0, -1)));
    }
    expect(stored.length).toBeGreaterThan(10);
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(stored.join('\n').includes(secret), `${name} in Redis`).toBe(false);
    }
  }, 30_000);
});
