import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.js';

let slack: FakeSlack;
let now: number;

beforeEach(async () => {
  slack = (await new FakeSlack().start()).addTeam('T-A', 'xoxb-a').addTeam('T-B', 'xoxb-b');
  slack.addChannel('T-A', 'C-A');
  slack.addChannel('T-B', 'C-B');
  now = Date.now();
  slack.now = () => now;
});

afterEach(async () => {
  await slack.close();
});

/** The real Web API client, failing at once on a 429 so the fake's answer shows. */
const client = (token: string) =>
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

const post = (token: string, channel: string, text = 'hi') =>
  client(token).chat.postMessage({ channel, text });
const update = (token: string, channel: string, ts: string, text = 'edited') =>
  client(token).chat.update({ channel, ts, text });

describe('a workspace’s channels', () => {
  it('are another workspace’s channel_not_found, for posts and edits alike', async () => {
    const posted = await post('xoxb-a', 'C-A');
    expect(await outcome(post('xoxb-b', 'C-A'))).toBe('channel_not_found');
    expect(await outcome(update('xoxb-b', 'C-A', posted.ts!))).toBe('channel_not_found');
    expect(await outcome(post('xoxb-a', 'C-NEVER-MADE'))).toBe('channel_not_found');
    expect(await outcome(update('xoxb-a', 'C-A', posted.ts!))).toBe('ok');
  });

  it('hold messages only their own bot may edit', async () => {
    // The same channel id in two teams is not Slack's doing, but the guard is the message's.
    slack.addChannel('T-B', 'C-A');
    const posted = await post('xoxb-a', 'C-A');
    expect(await outcome(update('xoxb-b', 'C-A', posted.ts!))).toBe('cant_update_message');
  });
});

describe('edits', () => {
  it('meet the same planted errors, content faults and dropped connections as posts', async () => {
    const { ts } = await post('xoxb-a', 'C-A');
    slack.channelErrors.set('C-A', 'is_archived');
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('is_archived');
    slack.channelErrors.delete('C-A');
    slack.contentFaults.set('C-A', 'all');
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('msg_too_long');
    slack.contentFaults.delete('C-A');
    slack.transportFaults.set('C-A', 503);
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('slack_webapi_http_error');
    slack.transportFaults.set('C-A', 'reset');
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('slack_webapi_request_error');
    expect(slack.updates).toEqual([]);
  });

  it('meet a channel’s 429 window, which holds until its Retry-After has passed', async () => {
    const { ts } = await post('xoxb-a', 'C-A');
    slack.rateLimits.set('C-A', { remaining: 1, retryAfter: 10 });
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('slack_webapi_rate_limited_error');
    now += 9_000;
    expect(await outcome(post('xoxb-a', 'C-A'))).toBe('slack_webapi_rate_limited_error');
    now += 1_000;
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('ok');
    const limited = slack.requests.filter((call) => call.answer === 'ratelimited');
    // The second refusal asked for what was left of the window.
    expect(limited.map((call) => call.retryAfter)).toEqual([10, 1]);
  });

  it('are held to Tier 3 (50 a minute per workspace) when the limits are on', async () => {
    slack.limits = { perWorkspacePerSecond: 100 };
    const { ts } = await post('xoxb-a', 'C-A');
    for (let i = 0; i < 50; i++) expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('ok');
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('slack_webapi_rate_limited_error');
    now += 60_000;
    expect(await outcome(update('xoxb-a', 'C-A', ts!))).toBe('ok');
  });
});

describe('response URLs', () => {
  const respond = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('take five posts, then answer expired_url', async () => {
    const url = slack.responseUrl('five');
    for (let i = 0; i < 5; i++) expect((await respond(url, { text: `${i}` })).status).toBe(200);
    const sixth = await respond(url, { text: 'sixth' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'expired_url' });
    expect(slack.responses).toHaveLength(5);
    expect(slack.replies.refused.map((r) => r.problems)).toEqual([['response_url: used 5 times']]);
  });

  it('expire 30 minutes after the payload that carried them', async () => {
    const url = slack.responseUrl('late');
    now += 30 * 60_000;
    expect((await respond(url, { text: 'in time' })).status).toBe(200);
    now += 1;
    expect((await respond(url, { text: 'too late' })).status).toBe(404);
    expect((await respond(`${slack.url}/respond/never-issued`, { text: 'x' })).status).toBe(404);
  });

  it('refuse what Slack would not show: 51 blocks, text over 40,000 characters', async () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: '글' } };
    const url = slack.responseUrl('limits');
    const blocks = await respond(url, { text: 'x', blocks: Array(51).fill(section) });
    expect(blocks.status).toBe(400);
    expect(await blocks.json()).toEqual({ ok: false, error: 'invalid_blocks' });
    const long = await respond(url, { text: '가'.repeat(40_001) });
    expect(await long.json()).toEqual({ ok: false, error: 'msg_too_long' });
    expect((await respond(url, { text: 'x', blocks: Array(50).fill(section) })).status).toBe(200);
  });

  it('give each command its own URL, recorded under its label', async () => {
    const first = slack.commandResponseUrl('C-A');
    const second = slack.commandResponseUrl('C-A');
    expect(first).not.toBe(second);
    for (const url of [first, second]) {
      for (let i = 0; i < 5; i++) await respond(url, { text: `${i}` });
    }
    expect(slack.responses.filter((r) => r.id === 'C-A')).toHaveLength(10);
  });
});

describe('acknowledgements', () => {
  it('are checked against the same limits; an empty one is fine', () => {
    expect(() => slack.checkAcknowledgement({})).not.toThrow();
    expect(() =>
      slack.checkAcknowledgement({ text: '확인', response_type: 'ephemeral' }),
    ).not.toThrow();
    expect(() => slack.checkAcknowledgement({ text: '가'.repeat(40_001) })).toThrow(/msg_too_long/);
  });
});
