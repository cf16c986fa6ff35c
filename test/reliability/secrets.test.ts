import { generateKeyPairSync, sign } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSecrets } from '../../src/config/config.js';
import { createLogger } from '../../src/util/logger.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, signedCommandRequest } from '../support/fake-slack.js';
import { ManualClock } from '../support/manual-clock.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-SECRET1-slack-bot-token',
  SLACK_SIGNING_SECRET: 'SECRET2-slack-signing-secret',
  DISCORD_TOKEN: 'SECRET3-discord-bot-token-abcdefghij',
  /** A public-data API key in the source URL's query string. */
  SERVICE_KEY: 'SECRET4+service/key==',
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

let env: Record<string, string>;
let feedUrl: string;
/** The bot's clock: moved past SOURCE_ALERT_AFTER instead of sleeping through it. */
const clock = new ManualClock();

beforeAll(async () => {
  board = await new FakeBoard().start();
  slack = (await new FakeSlack().start()).addTeam('T1', SECRETS.SLACK_BOT_TOKEN);
  discord = await new FakeDiscord().start();
  feedUrl = `${board.url}?serviceKey=${encodeURIComponent(SECRETS.SERVICE_KEY)}&type=xml`;
  env = {
    SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
    DISCORD_TOKEN: SECRETS.DISCORD_TOKEN,
    FEED_URL: feedUrl,
    SOURCE_ALERT_AFTER: '1s',
  };
  bot = await new PipelineHarness({
    feedUrl,
    role: 'all',
    logger: createLogger('trace', sink, configSecrets(env)),
    now: clock.now,
    env: {
      ...env,
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
  slack.addChannel('T1', channel);
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
    await waitFor(
      'the subscriptions',
      async () => (await bot.subscriptions.count(bot.sourceId)) === 4,
    );

    // Deliveries, some failing in every way the adapters map.
    slack.channelErrors.set('C-GONE', 'channel_not_found');
    slack.rateLimits.set('C-OK', { remaining: 1, retryAfter: 1 });
    discord.faults.set('100000000000000002', { status: 403, code: 50001 });
    board.publish('비밀 유출 점검용 글');
    await bot.pollOnce();
    await bot.drain();
    // The source fails long enough for every channel to be told, with the error in the notice.
    board.fault = 'http500';
    await expect(bot.pollOnce()).rejects.toThrow(/HTTP 500/);
    clock.advance(1_000);
    await expect(bot.pollOnce()).rejects.toThrow(/HTTP 500/);
    await bot.drain();
    board.fault = null;
    await waitFor('the outage notice', () =>
      slack.posted.some((p) => p.channel === 'C-OK' && p.text.includes('HTTP 500')),
    );
    await slash('상태', 'C-OK');

    // Someone logs the whole configuration, and an error carrying the source URL.
    const logger = createLogger('trace', sink, configSecrets(env));
    logger.info({ config: bot.config }, 'configuration');
    logger.error({ err: new Error(`failed to read ${feedUrl}`), url: feedUrl }, 'source failed');

    expect(lines.length).toBeGreaterThan(20);
    const logs = lines.join('\n');
    expect(logs).toContain('[redacted]');
    expect(logs).toContain('serviceKey=***');
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const form of [secret, encodeURIComponent(secret)]) {
        expect(logs.includes(form), `${name} in the logs`).toBe(false);
      }
    }

    // What the channels see (the fake also records each request's Authorization header).
    const seen = slack.posted.map(({ authorization: _header, ...message }) => message);
    const chat = JSON.stringify([seen, slack.responses, [...discord.messages]]);
    expect(chat).toContain('serviceKey=***');
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const form of [secret, encodeURIComponent(secret)]) {
        expect(chat.includes(form), `${name} in a chat message`).toBe(false);
      }
    }

    const stored = await everyValueIn(bot);
    expect(stored.length).toBeGreaterThan(10);
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const form of [secret, encodeURIComponent(secret)]) {
        expect(stored.join('\n').includes(form), `${name} in Redis`).toBe(false);
      }
    }
  }, 30_000);
});

/** Every key and value under the bot's prefix, whatever the key's type. */
async function everyValueIn(harness: PipelineHarness): Promise<string[]> {
  const { redis } = harness;
  const stored: string[] = [];
  for (const key of await redis.keys(`${harness.prefix}:*`)) {
    stored.push(key);
    const type = await redis.type(key);
    if (type === 'string') stored.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
    else if (type === 'hash') stored.push(JSON.stringify(await redis.hgetall(key)));
    else if (type === 'list') stored.push(JSON.stringify(await redis.lrange(key, 0, -1)));
    else if (type === 'set') stored.push(JSON.stringify(await redis.smembers(key)));
    else if (type === 'zset') stored.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    else if (type === 'stream') stored.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    else throw new Error(`unexpected Redis type ${type} for ${key}`);
  }
  return stored;
}
