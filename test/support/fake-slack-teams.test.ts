import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeSlack,
  appUninstalledEvent,
  eventEnvelope,
  sendEvent,
  signedEventRequest,
  slashCommandFrom,
  tokensRevokedEvent,
} from './fake-slack.js';
import { waitFor } from './wait.js';

let slack: FakeSlack;

beforeEach(async () => {
  slack = await new FakeSlack().start();
  slack.oauthApp = { clientId: '1111.2222', clientSecret: 'secret:with-colon' };
});

afterEach(async () => {
  await slack.close();
});

/** The real Web API client, failing at once on a 429 so the fake's answer shows. */
const client = (token?: string) =>
  new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });

/** Slack's error code of a failed call, or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string } };
    return e.data?.error ?? e.code ?? String(error);
  }
}

const post = (token: string, channel: string) =>
  outcome(client(token).chat.postMessage({ channel, text: 'hi' }));

describe('teams', () => {
  it('answers auth.test with the token’s own team, and refuses a token no team has', async () => {
    slack.addTeam('T-A', 'xoxb-a', 'Alpha').addTeam('T1', 'xoxb-t1');
    slack.addChannel('T-A', 'C1');
    slack.addChannel('T1', 'C1');
    expect(await client('xoxb-a').auth.test()).toMatchObject({
      team_id: 'T-A',
      team: 'Alpha',
      user_id: 'UBOT',
      bot_id: 'BBOT',
    });
    expect(await client('xoxb-t1').auth.test()).toMatchObject({ team_id: 'T1' });
    // Any xoxb- token no longer belongs to T1: Slack refuses a token it never issued.
    expect(await outcome(client('xoxb-anything').auth.test())).toBe('invalid_auth');
    expect(await outcome(client('xoxb-refused').auth.test())).toBe('invalid_auth');
    expect(await post('xoxb-anything', 'C1')).toBe('invalid_auth');

    await client('xoxb-a').chat.postMessage({ channel: 'C1', text: 'a' });
    await client('xoxb-t1').chat.postMessage({ channel: 'C1', text: 'b' });
    expect(slack.posted.map((m) => m.team)).toEqual(['T-A', 'T1']);
    expect(slack.postedIn('T-A').map((m) => m.text)).toEqual(['a']);
    expect(slack.postCallsByTeam.get('T-A')).toBe(1);
  });

  it('gives a bot token to one team only', () => {
    slack.addTeam('T-A', 'xoxb-a');
    expect(() => slack.addTeam('T-B', 'xoxb-a')).toThrow(/one team/);
  });

  it('revokes only the uninstalled team’s tokens', async () => {
    slack.addTeam('T-A', 'xoxb-a');
    slack.addTeam('T-B', 'xoxb-b');
    slack.addTeam('T1', 'xoxb-t1');
    slack.uninstall('T-A');
    slack.uninstall('T1');
    expect(await outcome(client('xoxb-a').auth.test())).toBe('token_revoked');
    expect(await outcome(client('xoxb-t1').auth.test())).toBe('token_revoked');
    expect(await outcome(client('xoxb-b').auth.test())).toBe('ok');
  });
});

describe('oauth.v2.access', () => {
  it('exchanges a code once, for a bot token of the team', async () => {
    const code = slack.issueCode('T-NEW', { teamName: 'New' });
    const access = await client().oauth.v2.access({
      client_id: '1111.2222',
      client_secret: 'secret:with-colon',
      code,
    });
    expect(access).toMatchObject({
      ok: true,
      app_id: 'A1',
      token_type: 'bot',
      bot_user_id: 'UBOT',
      team: { id: 'T-NEW', name: 'New' },
      is_enterprise_install: false,
    });
    expect(access.access_token).toMatch(/^xoxb-T-NEW-/);
    expect(await client(access.access_token).auth.test()).toMatchObject({ team_id: 'T-NEW' });
    expect(slack.oauthExchanges).toBe(1);

    const again = client().oauth.v2.access({
      client_id: '1111.2222',
      client_secret: 'secret:with-colon',
      code,
    });
    expect(await outcome(again)).toBe('invalid_code');
    expect(slack.oauthExchanges).toBe(1);
  });

  it('takes the client by Basic auth, and refuses a wrong client', async () => {
    const basic = Buffer.from('1111.2222:secret:with-colon').toString('base64');
    const response = await fetch(`${slack.apiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ code: slack.issueCode('T-B') }).toString(),
    });
    expect(await response.json()).toMatchObject({ ok: true, team: { id: 'T-B' } });

    const code = slack.issueCode('T-C');
    const wrong = (client_id: string, client_secret: string) =>
      outcome(client().oauth.v2.access({ client_id, client_secret, code }));
    expect(await wrong('9999.0000', 'secret:with-colon')).toBe('invalid_client_id');
    expect(await wrong('1111.2222', 'nope')).toBe('bad_client_secret');
    const unknown = client().oauth.v2.access({
      client_id: '1111.2222',
      client_secret: 'secret:with-colon',
      code: 'code-unknown',
    });
    expect(await outcome(unknown)).toBe('invalid_code');
    // The code refused a wrong client is still good for the right one.
    expect(await wrong('1111.2222', 'secret:with-colon')).toBe('ok');
  });
});

describe('limits', () => {
  it('keeps the workspace window per team, and one message per channel per second', async () => {
    slack.limits = { perWorkspacePerSecond: 2 };
    slack.addTeam('T-A', 'xoxb-a');
    slack.addTeam('T-B', 'xoxb-b');
    slack.addChannel('T-A', 'C1', 'C2', 'C3');
    slack.addChannel('T-B', 'C1', 'C3');
    expect(await post('xoxb-a', 'C1')).toBe('ok');
    expect(await post('xoxb-a', 'C1')).toBe('slack_webapi_rate_limited_error');
    expect(await post('xoxb-a', 'C2')).toBe('ok');
    expect(await post('xoxb-a', 'C3')).toBe('slack_webapi_rate_limited_error');
    // Team A's full window limits neither team B nor B's channel of the same id.
    expect(await post('xoxb-b', 'C1')).toBe('ok');
    expect(await post('xoxb-b', 'C3')).toBe('ok');
    expect(slack.rejected429).toBe(2);
    expect(slack.rejected429ByTeam.get('T-A')).toBe(2);
    expect(slack.rejected429ByTeam.get('T-B')).toBeUndefined();
  });

  it('allows perChannelPerSecond, and forces 429 windows on one team', async () => {
    slack.limits = { perWorkspacePerSecond: 10, perChannelPerSecond: 2 };
    slack.addTeam('T-A', 'xoxb-a').addTeam('T-OTHER', 'xoxb-other');
    slack.addChannel('T-A', 'C1', 'C9');
    slack.addChannel('T-OTHER', 'C9');
    expect(await post('xoxb-a', 'C1')).toBe('ok');
    expect(await post('xoxb-a', 'C1')).toBe('ok');
    expect(await post('xoxb-a', 'C1')).toBe('slack_webapi_rate_limited_error');

    let now = Date.now();
    slack.now = () => now;
    slack.teamRateLimits.set('T-A', { remaining: 1, retryAfter: 3 });
    expect(await post('xoxb-a', 'C9')).toBe('slack_webapi_rate_limited_error');
    // Inside the window Slack refuses again, whatever the plant says; after it, the call goes.
    now += 2_000;
    expect(await post('xoxb-a', 'C9')).toBe('slack_webapi_rate_limited_error');
    now += 1_000;
    expect(await post('xoxb-a', 'C9')).toBe('ok');
    expect(await post('xoxb-other', 'C9')).toBe('ok');
    expect(slack.rejected429ByTeam.get('T-A')).toBe(3);
  });

  it('holds every method for latencyMs before answering', async () => {
    slack.limits = { perWorkspacePerSecond: 100, latencyMs: 150 };
    slack.addTeam('T1', 'xoxb-t1');
    // The wait is the fake's own: held here, so the test sees the call wait and then answer.
    const held: Array<{ ms: number; release: () => void }> = [];
    slack.wait = (ms) => new Promise((release) => held.push({ ms, release: () => release(ms) }));
    let answered = false;
    const call = client('xoxb-t1')
      .auth.test()
      .then(() => (answered = true));
    await waitFor('the call held for its latency', () => held.length === 1);
    expect(held[0]!.ms).toBe(150);
    expect(slack.calls).toEqual(['auth.test']);
    expect(answered).toBe(false);
    held[0]!.release();
    await call;
    expect(answered).toBe(true);
  });
});

describe('lifecycle events', () => {
  /** A bot's `/slack/events` that records what it received, and checks the signature. */
  async function receiver(secret: string) {
    const received: Array<{ body: Record<string, unknown>; signed: boolean }> = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const base = `v0:${String(req.headers['x-slack-request-timestamp'])}:${body}`;
        const expected = `v0=${createHmac('sha256', secret).update(base).digest('hex')}`;
        received.push({
          body: JSON.parse(body) as Record<string, unknown>,
          signed: req.url === '/slack/events' && req.headers['x-slack-signature'] === expected,
        });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('posts signed event_callback envelopes per team', async () => {
    const bot = await receiver('s3cret');
    try {
      expect((await sendEvent(bot.url, 's3cret', 'T-A', appUninstalledEvent())).status).toBe(200);
      await sendEvent(bot.url, 's3cret', 'T-B', tokensRevokedEvent(['UBOT']));
      expect(bot.received.map((r) => r.signed)).toEqual([true, true]);
      expect(bot.received[0]!.body).toMatchObject({
        type: 'event_callback',
        team_id: 'T-A',
        api_app_id: 'A1',
        event: { type: 'app_uninstalled' },
        authorizations: [{ team_id: 'T-A', user_id: 'UBOT', is_bot: true }],
      });
      expect(bot.received[1]!.body).toMatchObject({
        event: { type: 'tokens_revoked', tokens: { bot: ['UBOT'] } },
      });
      expect(bot.received[0]!.body.event_id).not.toBe(bot.received[1]!.body.event_id);
    } finally {
      await bot.close();
    }
  });

  it('signs a JSON body as Slack does, and sends slash commands from any team', async () => {
    const request = signedEventRequest('k', eventEnvelope('T-A', appUninstalledEvent()), 1000);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-slack-signature']).toBe(
      `v0=${createHmac('sha256', 'k').update(`v0:1000:${request.body}`).digest('hex')}`,
    );

    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ text: form.get('team_id'), response_type: form.get('response_url') }),
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ack = await slashCommandFrom(url, slack, 'T-B', 'C1', '상태');
      // Each command its own response URL, recorded under the team and channel.
      expect(ack.text).toBe('T-B');
      expect(ack.response_type).toMatch(new RegExp(`^${slack.url}/respond/T-B-C1/\\d+$`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends events over Socket Mode and resolves on the ack', async () => {
    const { url } = (await client('xapp-socket').apps.connections.open()) as { url: string };
    const ws = new WebSocket(url);
    try {
      const got: Array<{ envelope_id: string; type: string; payload: Record<string, unknown> }> =
        [];
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as (typeof got)[number];
        if (message.type !== 'events_api') return;
        got.push(message);
        ws.send(JSON.stringify({ envelope_id: message.envelope_id }));
      });
      await new Promise((resolve) => ws.once('open', resolve));
      expect(await slack.sendSocketEvent('T-S', appUninstalledEvent())).toBeNull();
      expect(got[0]!.payload).toMatchObject({ team_id: 'T-S', event: { type: 'app_uninstalled' } });
    } finally {
      ws.terminate();
    }
  });
});
