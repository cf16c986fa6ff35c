import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisSlackInstallations } from '../../../adapters/slack/redis-slack-installations.js';
import { configSecrets } from '../../../src/config/config.js';
import { createLogger } from '../../../src/util/logger.js';
import { TokenCipher } from '../../../src/util/token-cipher.js';
import { FakeBoard } from '../../support/fake-board.js';
import {
  FakeSlack,
  sendEvent,
  signedCommandRequest,
  tokensRevokedEvent,
  appUninstalledEvent,
} from '../../support/fake-slack.js';
import { PipelineHarness } from '../../support/pipeline-harness.js';
import { RecordingProxy } from '../../support/recording-proxy.js';
import { waitFor } from '../../support/wait.js';

const SIGNING_SECRET = 'oauth-test-signing-secret';
const CLIENT = { clientId: '1111.2222', clientSecret: 'client-secret-0123456789' };
const KEY = randomBytes(32);

let board: FakeBoard;
let slack: FakeSlack;
/** The bot's Web API calls, with their times and Slack's answers. */
let wire: RecordingProxy;
let bot: PipelineHarness;
let logLines: string[];
let env: Record<string, string>;

function oauthEnv(key: Buffer = KEY): Record<string, string> {
  return {
    SLACK_CLIENT_ID: CLIENT.clientId,
    SLACK_CLIENT_SECRET: CLIENT.clientSecret,
    SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    TOKEN_ENCRYPTION_KEY: key.toString('hex'),
    SLACK_API_URL: wire.via(slack.apiUrl),
    PLATFORM_PROBE_INTERVAL: '1s',
  };
}

function startBot(options: { key?: Buffer; prefix?: string } = {}): Promise<PipelineHarness> {
  return makeBot(options).start();
}

function makeBot(options: { key?: Buffer; prefix?: string } = {}): PipelineHarness {
  env = oauthEnv(options.key);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    logger: createLogger('trace', sink, configSecrets(env)),
    env,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
}

beforeEach(async () => {
  logLines = [];
  board = await new FakeBoard().start();
  slack = await new FakeSlack().start();
  slack.oauthApp = CLIENT;
  wire = await new RecordingProxy(slack.url).start();
  bot = await startBot();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
});

afterEach(async () => {
  await bot.close();
  await wire.close();
  await slack.close();
  await board.close();
});

/** Opens `/slack/install` as a browser does: the "Add to Slack" link's state, and the cookie. */
async function openInstallPage(): Promise<{ state: string; cookie: string; url: URL }> {
  const response = await fetch(`${bot.httpUrl}/slack/install`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const href = /<a href="([^"]+)"/.exec(html)?.[1];
  expect(href).toBeDefined();
  const url = new URL(href!.replaceAll('&amp;', '&'));
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { state: url.searchParams.get('state')!, cookie, url };
}

/** Slack's redirect back to the bot after the user approved the install. */
async function redirect(code: string, state: string, cookie: string) {
  const query = new URLSearchParams({ code, state });
  const response = await fetch(`${bot.httpUrl}/slack/oauth_redirect?${query.toString()}`, {
    headers: cookie ? { cookie } : {},
  });
  return { status: response.status, html: await response.text() };
}

/** Installs the app into `team` through the whole OAuth flow; returns the team's bot token. */
async function install(team: string): Promise<string> {
  const { state, cookie } = await openInstallPage();
  const code = slack.issueCode(team, { teamName: `${team} 팀` });
  const result = await redirect(code, state, cookie);
  expect(result.status, result.html).toBe(200);
  expect(result.html).toContain('설치되었습니다');
  const token = await installations().botToken(team);
  expect(token).toMatch(/^xoxb-/);
  return token!;
}

function installations(key: Buffer = KEY): RedisSlackInstallations {
  return new RedisSlackInstallations(bot.redis, bot.keys, new TokenCipher(key));
}

/** `/news <text>` from a channel of `team`, signed as Slack signs it. */
async function slash(team: string, channel: string, text: string) {
  // Slack sends commands from channels that exist in the workspace.
  slack.addChannel(team, channel);
  const request = signedCommandRequest(SIGNING_SECRET, {
    team_id: team,
    channel_id: channel,
    user_id: 'U1',
    command: '/news',
    text,
    response_url: slack.responseUrl(`${team}-${channel}`),
  });
  const response = await fetch(`${bot.httpUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  expect(response.status).toBe(200);
  const ack = (await response.json()) as { text?: string };
  slack.checkAcknowledgement(ack);
  return ack;
}

const slackChannel = (team: string, channelId: string) => ({
  platform: 'slack' as const,
  workspaceId: team,
  channelId,
});

describe('installing through OAuth', () => {
  it('shows "Add to Slack" with the manifest scopes, and installs on the redirect', async () => {
    const { url } = await openInstallPage();
    expect(url.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(url.searchParams.get('scope')).toBe('commands,chat:write,chat:write.public');
    const token = await install('T-ALPHA');
    expect(slack.oauthExchanges).toBe(1);
    // The token answers as its own workspace.
    expect(token).not.toBe(await install('T-BETA'));
  });

  it('refuses a forged state, a reused state, and a state from another browser', async () => {
    const { state, cookie } = await openInstallPage();
    const forged = `${state.split('.')[0]}.${'A'.repeat(43)}`;
    const refusedForged = await redirect(
      slack.issueCode('T-X'),
      forged,
      `slack-app-oauth-state=${forged}`,
    );
    expect(refusedForged.status).toBe(400);
    expect(refusedForged.html).toContain('설치하지 못했습니다');

    const other = await openInstallPage();
    // Another browser's state (no cookie for it here) is refused before the code is used.
    expect((await redirect(slack.issueCode('T-X'), other.state, cookie)).status).toBe(400);

    expect((await redirect(slack.issueCode('T-X'), state, cookie)).status).toBe(200);
    // The same redirect again (a replay), even with a fresh code, finds the state used.
    expect((await redirect(slack.issueCode('T-X'), state, cookie)).status).toBe(400);
    expect(slack.oauthExchanges).toBe(1);
    expect(await installations().teams()).toEqual(['T-X']);
  });
});

describe('many workspaces', () => {
  it('delivers to each workspace with its own token, and tokens_revoked removes only that one', async () => {
    const alphaToken = await install('T-ALPHA');
    const betaToken = await install('T-BETA');
    expect((await slash('T-ALPHA', 'C-A1', '구독')).text).toContain('구독');
    await slash('T-ALPHA', 'C-A2', '구독');
    await slash('T-BETA', 'C-B1', '구독');
    // A workspace that never installed the app is told how to, and nothing is subscribed.
    expect((await slash('T-NONE', 'C-N', '구독')).text).toContain('설치되어 있지 않습니다');
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-NONE', 'C-N'))).toBeNull();

    board.publish('두 워크스페이스 알림', '환경부');
    await bot.pollOnce();
    await bot.drain();
    const byChannel = new Map(slack.posted.map((m) => [m.channel, m.authorization]));
    expect(byChannel.get('C-A1')).toBe(`Bearer ${alphaToken}`);
    expect(byChannel.get('C-A2')).toBe(`Bearer ${alphaToken}`);
    expect(byChannel.get('C-B1')).toBe(`Bearer ${betaToken}`);
    expect(slack.posted).toHaveLength(3);

    const response = await sendEvent(
      bot.httpUrl,
      SIGNING_SECRET,
      'T-ALPHA',
      tokensRevokedEvent(['UBOT']),
    );
    expect(response.status).toBe(200);
    // Subscriptions go first and the installation last: wait for the last.
    await waitFor(
      'T-ALPHA forgotten',
      async () => !(await installations().teams()).includes('T-ALPHA'),
    );
    expect(await installations().teams()).toEqual(['T-BETA']);
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-ALPHA', 'C-A2'))).toBeNull();
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-ALPHA', 'C-A1'))).toBeNull();
    expect(
      await bot.subscriptions.get(bot.sourceId, slackChannel('T-BETA', 'C-B1')),
    ).not.toBeNull();
    expect(
      logLines.some((line) => line.includes('"subscriptions":2') && line.includes('T-ALPHA')),
    ).toBe(true);

    board.publish('하나만 남은 워크스페이스', '환경부');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted.slice(3).map((m) => m.channel)).toEqual(['C-B1']);

    // A reinstall starts clean: the workspace follows nothing until it subscribes again.
    await install('T-ALPHA');
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-ALPHA', 'C-A1'))).toBeNull();
  });

  it('forgets a workspace that uninstalled the app, and ignores a revoked user token', async () => {
    await install('T-GONE');
    await slash('T-GONE', 'C-G', '구독');
    await install('T-LATER');
    await slash('T-LATER', 'C-L', '구독');
    await sendEvent(bot.httpUrl, SIGNING_SECRET, 'T-GONE', {
      type: 'tokens_revoked',
      tokens: { oauth: ['U7'] },
    });
    // Bolt answers an event before handling it. A removal the user token had wrongly set off
    // would have run by the time one sent after it, doing the same work, has finished.
    await sendEvent(bot.httpUrl, SIGNING_SECRET, 'T-LATER', appUninstalledEvent());
    await waitFor(
      'T-LATER forgotten',
      async () => !(await installations().teams()).includes('T-LATER'),
    );
    expect(await installations().teams()).toEqual(['T-GONE']);
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-GONE', 'C-G'))).not.toBeNull();
    expect(logLines.filter((line) => line.includes('tokens_revoked'))).toEqual([]);

    await sendEvent(bot.httpUrl, SIGNING_SECRET, 'T-GONE', appUninstalledEvent());
    await waitFor('T-GONE forgotten', async () => (await installations().teams()).length === 0);
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-GONE', 'C-G'))).toBeNull();
  });

  it('pauses only the workspace whose token Slack refuses; the others are served', async () => {
    const alphaToken = await install('T-ALPHA');
    await install('T-BETA');
    await slash('T-ALPHA', 'C-A1', '구독');
    await slash('T-BETA', 'C-B1', '구독');
    slack.revoke(alphaToken);

    board.publish('한쪽 토큰이 거부된 알림', '환경부');
    await bot.pollOnce();
    await waitFor('T-BETA served', () => slack.posted.some((m) => m.channel === 'C-B1'));
    await waitFor(
      'T-ALPHA paused',
      async () => (await bot.redis.hexists(bot.keys.slackPausedWorkspaces(), 'T-ALPHA')) === 1,
    );
    // Nobody is unsubscribed, and the post stays owed to the paused workspace.
    expect(
      await bot.subscriptions.get(bot.sourceId, slackChannel('T-ALPHA', 'C-A1')),
    ).not.toBeNull();
    expect(
      await bot.deliveryLog.newestOwed(bot.sourceId, slackChannel('T-ALPHA', 'C-A1')),
    ).not.toBeNull();
    const health = (await (await fetch(`${bot.httpUrl}/healthz`)).json()) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(health)).not.toContain('unauthorized');
    expect(health).toMatchObject({
      status: 'ok',
      slackWorkspaces: { installed: 2, paused: 1 },
    });
    expect(logLines.filter((line) => line.includes('only its deliveries are paused'))).toHaveLength(
      1,
    );

    // Slack takes the token again: the next probe (PLATFORM_PROBE_INTERVAL, 1 s here) resumes
    // the workspace and what it was owed goes out, once.
    slack.revokedTokens.delete(alphaToken);
    await waitFor('T-ALPHA served', () => slack.posted.some((m) => m.channel === 'C-A1'), 15_000);
    await bot.drain();
    expect(slack.posted.filter((m) => m.channel === 'C-A1')).toHaveLength(1);
    expect(await bot.redis.hexists(bot.keys.slackPausedWorkspaces(), 'T-ALPHA')).toBe(0);
    expect(logLines.some((line) => line.includes('accepts its bot token again'))).toBe(true);
  });
});

describe('a workspace without an installation', () => {
  it('keeps its channels and what they are owed until the app is added (moving from SLACK_BOT_TOKEN)', async () => {
    // Subscribed under single-workspace mode; the deployment now runs in OAuth mode.
    const channel = slackChannel('T-OLD', 'C-O1');
    slack.addChannel('T-OLD', 'C-O1');
    await bot.subscriptions.subscribe(bot.sourceId, {
      ...channel,
      keywords: [],
      createdAt: new Date().toISOString(),
    });
    board.publish('설치 전에 나온 글', '환경부');
    await bot.pollOnce();
    await waitFor(
      'T-OLD paused',
      async () => (await bot.redis.hexists(bot.keys.slackPausedWorkspaces(), 'T-OLD')) === 1,
    );
    expect(await bot.subscriptions.get(bot.sourceId, channel)).not.toBeNull();
    expect(await bot.deliveryLog.newestOwed(bot.sourceId, channel)).not.toBeNull();

    // Someone adds the app: the pause ends and the post goes out, once.
    await install('T-OLD');
    await waitFor('T-OLD served', () => slack.postedIn('T-OLD').length === 1, 15_000);
    await bot.drain();
    expect(slack.postedIn('T-OLD')).toHaveLength(1);
  });
});

describe('OAuth with Socket Mode', () => {
  it('installs on the bot’s own server, answers each workspace over the socket, and hears app_uninstalled there', async () => {
    await bot.close();
    bot = await new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: { ...oauthEnv(), SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-socket-token' },
    }).start();
    await waitFor('the Socket Mode connection', () => slack.socketConnected);
    await install('T-SOCK');
    const ack = (await slack.sendSlashCommand({
      team_id: 'T-SOCK',
      channel_id: 'C-S1',
      user_id: 'U1',
      command: '/news',
      text: '구독',
      response_url: slack.responseUrl('sock'),
    })) as { text: string };
    expect(ack.text).toContain('이 채널을 구독했습니다');
    expect(
      await bot.subscriptions.get(bot.sourceId, slackChannel('T-SOCK', 'C-S1')),
    ).not.toBeNull();

    await slack.sendSocketEvent('T-SOCK', appUninstalledEvent());
    // Subscriptions go first and the installation last: wait for the last.
    await waitFor('T-SOCK forgotten', async () => (await installations().teams()).length === 0);
    expect(await bot.subscriptions.get(bot.sourceId, slackChannel('T-SOCK', 'C-S1'))).toBeNull();
  });
});

describe('per-workspace rate limits', () => {
  it('holds only the workspace Slack answered 429 for; the others go at once', async () => {
    await install('T-ALPHA');
    await install('T-BETA');
    await slash('T-ALPHA', 'C-A1', '구독');
    await slash('T-BETA', 'C-B1', '구독');
    await slash('T-BETA', 'C-B2', '구독');
    slack.teamRateLimits.set('T-ALPHA', { remaining: 1, retryAfter: 2 });

    board.publish('한 워크스페이스만 제한된 알림', '환경부');
    await bot.pollOnce();
    await waitFor(
      'T-ALPHA served after its wait',
      () => slack.postedIn('T-ALPHA').length === 1,
      15_000,
    );
    // T-BETA's alerts were out before T-ALPHA's wait ended, and nothing was asked twice of it.
    const order = slack.posted.map((m) => m.team);
    expect(order).toEqual(['T-BETA', 'T-BETA', 'T-ALPHA']);
    expect(slack.rejected429ByTeam.get('T-BETA')).toBeUndefined();
    expect(slack.rejected429ByTeam.get('T-ALPHA')).toBe(1);
    // T-ALPHA's retry reached Slack no earlier than the two seconds its 429 asked for.
    const [limited, retried] = wire.messagePosts().filter((p) => p.channel === 'C-A1');
    expect([limited?.status, limited?.retryAfterMs, retried?.status]).toEqual([429, 2_000, 200]);
    expect(retried!.arrivedAt - limited!.answeredAt).toBeGreaterThanOrEqual(2_000);
  });
});

describe('tokens at rest and in logs', () => {
  it('never writes a bot token to Redis or to the log in plaintext', async () => {
    const tokens = [await install('T-ALPHA'), await install('T-BETA')];
    await slash('T-ALPHA', 'C-A1', '구독');
    board.publish('토큰 점검 알림', '환경부');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted).toHaveLength(1);

    const stored: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await bot.redis.scan(cursor, 'MATCH', `${bot.keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) stored.push(key, JSON.stringify(await dump(key)));
    } while (cursor !== '0');
    const everything = stored.join('\n');
    expect(everything).toContain(bot.keys.slackInstallations());
    for (const token of tokens) {
      expect(everything).not.toContain(token);
      expect(logLines.join('\n')).not.toContain(token);
    }
    expect(logLines.join('\n')).not.toContain(CLIENT.clientSecret);
  });

  it('stops the start with a clear message when TOKEN_ENCRYPTION_KEY is not the stored one', async () => {
    await install('T-ALPHA');
    await bot.stop();
    const wrong = makeBot({ key: randomBytes(32), prefix: bot.prefix });
    await expect(wrong.start()).rejects.toThrow(
      /TOKEN_ENCRYPTION_KEY is not the key the stored Slack installations were encrypted with/,
    );
    // The right key still opens them.
    const again = await startBot({ prefix: bot.prefix });
    expect(await installations().teams()).toEqual(['T-ALPHA']);
    await again.stop();
    await wrong.close();
    await again.close();
  });
});

async function dump(key: string): Promise<unknown> {
  switch (await bot.redis.type(key)) {
    case 'string':
      return bot.redis.get(key);
    case 'hash':
      return bot.redis.hgetall(key);
    case 'list':
      return bot.redis.lrange(key, 0, -1);
    case 'set':
      return bot.redis.smembers(key);
    case 'zset':
      return bot.redis.zrange(key, 0, -1);
    case 'stream':
      return bot.redis.xrange(key, '-', '+');
    default:
      return null;
  }
}
