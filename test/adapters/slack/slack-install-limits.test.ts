import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisSlackInstallations } from '../../../adapters/slack/redis-slack-installations.js';
import { scanKeys } from '../../../adapters/redis/redis-scan.js';
import { TokenCipher } from '../../../src/util/token-cipher.js';
import { FakeBoard } from '../../support/fake-board.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { PipelineHarness, type HarnessOptions } from '../../support/pipeline-harness.js';

const CLIENT = { clientId: '1111.2222', clientSecret: 'client-secret-0123456789' };
const KEY = randomBytes(32);
const TEN_MINUTES = 10 * 60_000;

let board: FakeBoard;
let slack: FakeSlack;
let bot: PipelineHarness;
/** The bot's clock: moved by the tests, never waited for. */
let clock: number;

async function startBot(
  env: Record<string, string> = {},
  options: Partial<HarnessOptions> = {},
): Promise<void> {
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'web',
    now: () => new Date(clock),
    env: {
      SLACK_CLIENT_ID: CLIENT.clientId,
      SLACK_CLIENT_SECRET: CLIENT.clientSecret,
      SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
      SLACK_SIGNING_SECRET: 'install-limits-signing-secret',
      TOKEN_ENCRYPTION_KEY: KEY.toString('hex'),
      SLACK_API_URL: slack.apiUrl,
      ...env,
    },
    ...options,
  }).start();
}

beforeEach(async () => {
  clock = Date.parse('2026-11-30T09:00:00Z');
  board = await new FakeBoard().start();
  slack = await new FakeSlack().start();
  slack.oauthApp = CLIENT;
});

afterEach(async () => {
  await bot.close();
  await slack.close();
  await board.close();
});

/** `GET /slack/install` as a browser sends it, through a proxy that set `forwardedFor`. */
async function visit(forwardedFor?: string) {
  const response = await fetch(`${bot.httpUrl}/slack/install`, {
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });
  const html = await response.text();
  const href = /<a href="([^"]+)"/.exec(html)?.[1];
  const state = href ? new URL(href.replaceAll('&amp;', '&')).searchParams.get('state') : null;
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { status: response.status, html, headers: response.headers, state, cookie };
}

/** Slack's redirect back after the user approved: installs `team` with the visit's state. */
async function finish(team: string, state: string, cookie: string): Promise<number> {
  const query = new URLSearchParams({ code: slack.issueCode(team), state });
  const response = await fetch(`${bot.httpUrl}/slack/oauth_redirect?${query.toString()}`, {
    headers: { cookie },
  });
  await response.text();
  return response.status;
}

/** Every key of the bot's install state in Redis, and the states it holds. */
async function installFootprint() {
  const keys: string[] = [];
  for await (const key of scanKeys(bot.redis, `${bot.keyPrefix}:slack:*`)) keys.push(key);
  return {
    keys: keys.sort(),
    states: await bot.redis.hlen(bot.keys.slackOAuthStates()),
    indexed: await bot.redis.zcard(bot.keys.slackOAuthStateExpiries()),
  };
}

describe('GET /slack/install, limited per client', () => {
  it('refuses the 11th install started from one address within ten minutes, with 429 and Retry-After', async () => {
    await startBot();
    for (let i = 0; i < 10; i++) expect((await visit()).status).toBe(200);
    // Not behind a trusted proxy: the header is the client's own word, and changes nothing.
    const refused = await visit('198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('600');
    expect(refused.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(refused.html).toContain('설치 요청이 너무 많습니다');
    expect(refused.html).toContain('10분 뒤에 다시 시도해 주세요');
    expect(refused.cookie).toBe('');
    expect(refused.state).toBeNull();
    expect((await installFootprint()).states).toBe(10);

    // The window slides: a minute later the first start is still in it, ten minutes later not.
    clock += 60_000;
    expect((await visit()).headers.get('retry-after')).toBe('540');
    clock += 9 * 60_000;
    const again = await visit();
    expect(again.status).toBe(200);
    // The ten earlier states expired meanwhile and left Redis with that start.
    expect(await installFootprint()).toMatchObject({ states: 1, indexed: 1 });
    expect(await finish('T-AGAIN', again.state!, again.cookie)).toBe(200);
  });

  it('behind TRUST_PROXY counts the right-most X-Forwarded-For entry, which a client cannot choose', async () => {
    await startBot({ TRUST_PROXY: 'true' });
    for (let i = 0; i < 10; i++) {
      // What the client wrote itself (left of the proxy's entry) varies; the proxy's does not.
      expect((await visit(`10.0.0.${i}, 203.0.113.5`)).status).toBe(200);
    }
    expect((await visit('10.9.9.9, 203.0.113.5')).status).toBe(429);
    expect((await visit('203.0.113.6')).status).toBe(200);
    // One IPv6 /64 is one client: its 2^64 addresses do not each get ten.
    for (let i = 1; i <= 10; i++) expect((await visit(`2001:db8:1:2::${i}`)).status).toBe(200);
    expect((await visit('2001:db8:1:2:ffff::1')).status).toBe(429);
    expect((await visit('2001:db8:1:3::1')).status).toBe(200);
    // A header that is no address falls back to the socket (the proxy's address): still limited.
    expect((await visit('not-an-address')).status).toBe(200);
  });
});

describe('GET /slack/install, bounded in all', () => {
  it('keeps at most maxPending states in Redis, answers 503 beyond, and never evicts a pending one', async () => {
    const maxPending = 25;
    await startBot({ TRUST_PROXY: 'true' }, { slackInstallLimits: { maxPending } });
    const started: Array<{ state: string; cookie: string }> = [];
    for (let i = 0; i < maxPending; i++) {
      const ok = await visit(`192.0.2.${Math.floor(i / 10)}`);
      expect(ok.status).toBe(200);
      started.push({ state: ok.state!, cookie: ok.cookie });
    }
    const baseline = await installFootprint();
    expect(baseline).toMatchObject({ states: maxPending, indexed: maxPending });

    // A flood from many addresses: each is within its own limit, all are refused in all.
    for (let i = 0; i < 60; i++) {
      const busy = await visit(`198.51.100.${i}`);
      expect(busy.status).toBe(503);
      expect(busy.html).toContain('진행 중인 설치가 너무 많습니다');
      expect(busy.headers.get('retry-after')).toBe('600');
      expect(busy.cookie).toBe('');
    }
    const flooded = await installFootprint();
    expect(flooded.states).toBe(maxPending);
    expect(flooded.indexed).toBe(maxPending);
    // Only the three clients that started installs have a key of their own.
    expect(flooded.keys).toEqual(baseline.keys);
    expect(flooded.keys.filter((k) => k.includes(':install-starts:'))).toHaveLength(3);

    // Nothing was evicted: the first install still completes, and frees its place.
    expect(await finish('T-FIRST', started[0]!.state, started[0]!.cookie)).toBe(200);
    expect(
      await new RedisSlackInstallations(bot.redis, bot.keys, new TokenCipher(KEY)).teams(),
    ).toEqual(['T-FIRST']);
    expect((await visit('198.51.100.200')).status).toBe(200);
    expect((await visit('198.51.100.201')).status).toBe(503);

    // Ten minutes on, the unused states have expired and their places are free again.
    clock += TEN_MINUTES;
    expect((await visit('198.51.100.202')).status).toBe(200);
    expect(await installFootprint()).toMatchObject({ states: 1, indexed: 1 });
    expect(await finish('T-LATE', started[1]!.state, started[1]!.cookie)).toBe(400);
  });
});
