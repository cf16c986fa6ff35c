import { RateLimitError, REST } from '@discordjs/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, FakeDiscord } from './fake-discord.js';

const TOKEN = 'discord-fake-test-token-0123456789';
const NO_PINGS = { allowed_mentions: { parse: [] } };

let discord: FakeDiscord;

beforeEach(async () => {
  discord = await new FakeDiscord().start();
});

afterEach(async () => {
  await discord.close();
});

/** One raw request to the fake, as Discord's HTTP API would answer it. */
async function call(method: string, path: string, body?: unknown, auth = true) {
  const response = await fetch(`${discord.apiUrl}/v10${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(auth ? { authorization: `Bot ${TOKEN}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null,
  };
}

const create = (channel: string, content = '새 글') =>
  call('POST', `/channels/${channel}/messages`, { content, ...NO_PINGS });

describe('rate-limit headers', () => {
  it('announce each channel’s message bucket, and its 429 when it runs out', async () => {
    let now = 1_000_000;
    discord.now = () => now;
    const first = await create('100');
    expect(first.status).toBe(200);
    expect(Object.fromEntries(first.headers)).toMatchObject({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '4',
      'x-ratelimit-reset-after': '5.000',
      'x-ratelimit-reset': '1005.000',
      'x-ratelimit-bucket': 'fake-message-create',
    });
    for (let i = 0; i < 4; i++) await create('100');
    now += 2_000;
    const sixth = await create('100');
    expect(sixth.status).toBe(429);
    expect(sixth.body).toEqual({
      message: 'You are being rate limited.',
      retry_after: 3,
      global: false,
    });
    expect(Object.fromEntries(sixth.headers)).toMatchObject({
      'retry-after': '3',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-scope': 'user',
    });
    // Another channel has its own bucket; this one's resets on time.
    expect((await create('200')).status).toBe(200);
    now += 3_000;
    expect((await create('100')).status).toBe(200);
  });

  it('are obeyed by @discordjs/rest: the sixth message is refused before it is sent', async () => {
    const rest = new REST({ api: discord.apiUrl, retries: 0, rejectOnRateLimit: () => true });
    rest.setToken(TOKEN);
    for (let i = 0; i < 5; i++) {
      await rest.post('/channels/300/messages', { body: { content: `${i}`, ...NO_PINGS } });
    }
    const sixth = await rest
      .post('/channels/300/messages', { body: { content: '6', ...NO_PINGS } })
      .catch((e: unknown) => e);
    expect(sixth).toBeInstanceOf(RateLimitError);
    expect((sixth as RateLimitError).global).toBe(false);
    // The client read Remaining: 0 and did not ask.
    expect(discord.messageRequests()).toHaveLength(5);
    expect(discord.rejected429).toBe(0);
  });
});

describe('429 windows', () => {
  it('refuse a request inside a planted window again, and take it after', async () => {
    let now = 1_000_000;
    discord.now = () => now;
    discord.faults.set('400', { status: 429, retryAfter: 2.5, remaining: 1 });
    const limited = await create('400');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body).toMatchObject({ retry_after: 2.5 });
    now += 2_000;
    const again = await create('400');
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ retry_after: 0.5 });
    now += 500;
    expect((await create('400')).status).toBe(200);
    expect(discord.requests.map((r) => r.retryAfterMs)).toEqual([2_500, 500, undefined]);
  });

  it('hold every channel on a global 429, with X-RateLimit-Global', async () => {
    discord.faults.set('500', { status: 429, retryAfter: 60, global: true, remaining: 1 });
    await create('500');
    const elsewhere = await create('600');
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.headers.get('x-ratelimit-global')).toBe('true');
    expect(elsewhere.headers.get('x-ratelimit-scope')).toBe('global');
    expect(elsewhere.body).toMatchObject({ global: true });
  });
});

describe('edits', () => {
  it('meet the channel’s faults, content faults and their own bucket', async () => {
    const id = (await create('700')).body!.id as string;
    const edit = (content = '고친 글') =>
      call('PATCH', `/channels/700/messages/${id}`, { content, ...NO_PINGS });
    discord.faults.set('700', { status: 403, code: 50001 });
    expect((await edit()).body).toMatchObject({ code: 50001 });
    discord.faults.set('700', { status: 'reset', remaining: 1 });
    await expect(edit()).rejects.toThrow();
    discord.faults.delete('700');
    discord.contentFaults.set('700', 'all');
    expect((await edit()).body).toMatchObject({ code: 50035 });
    discord.contentFaults.delete('700');
    expect((await edit('가'.repeat(2_001))).body).toMatchObject({ code: 50035 });
    const ok = await edit();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-bucket')).toBe('fake-message-edit');
    // Five edits of the bucket were spent (the dropped one too); the sixth waits.
    expect((await edit()).status).toBe(429);
  });
});

describe('interaction answers', () => {
  const callback = (id: string, token: string, body: unknown) =>
    call('POST', `/interactions/${id}/${token}/callback`, body, false);
  const editOriginal = (token: string, body: unknown) =>
    call('PATCH', `/webhooks/${APPLICATION_ID}/${token}/messages/@original`, body, false);
  const reply = (data: Record<string, unknown>) => ({ type: 4, data: { ...NO_PINGS, ...data } });

  it('take one initial response, within the message limits', async () => {
    discord.interactions.sent('1', 'token-1');
    expect(
      (await callback('1', 'token-1', reply({ content: '가'.repeat(2_001) }))).body,
    ).toMatchObject({ code: 50035 });
    const embeds = Array.from({ length: 11 }, (_, i) => ({ title: `${i}` }));
    expect((await callback('1', 'token-1', reply({ embeds }))).body).toMatchObject({ code: 50035 });
    const big = Array.from({ length: 2 }, () => ({ description: '가'.repeat(3_001) }));
    expect((await callback('1', 'token-1', reply({ embeds: big }))).body).toMatchObject({
      code: 50035,
    });
    expect((await callback('1', 'token-1', reply({ content: '답' }))).status).toBe(204);
    expect((await callback('1', 'token-1', reply({ content: '또' }))).body).toMatchObject({
      code: 40060,
    });
    expect((await callback('9', 'token-9', reply({ content: '?' }))).body).toMatchObject({
      code: 10062,
    });
    expect(discord.interactions.refused).toHaveLength(3);
  });

  it('offer at most 25 autocomplete choices', async () => {
    discord.interactions.sent('2', 'token-2');
    const choices = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `${i}`, value: `${i}` }));
    expect(
      (await callback('2', 'token-2', { type: 8, data: { choices: choices(26) } })).status,
    ).toBe(400);
    expect(
      (await callback('2', 'token-2', { type: 8, data: { choices: choices(25) } })).status,
    ).toBe(204);
  });

  it('edit @original only of an interaction Discord sent and the bot answered', async () => {
    expect((await editOriginal('made-up', { content: 'x' })).body).toMatchObject({ code: 10015 });
    discord.interactions.sent('3', 'token-3');
    expect((await editOriginal('token-3', { content: 'x' })).body).toMatchObject({ code: 10008 });
    await callback('3', 'token-3', { type: 5 });
    expect(
      (await editOriginal('token-3', { content: '가'.repeat(2_001), ...NO_PINGS })).status,
    ).toBe(400);
    expect((await editOriginal('token-3', { content: '답', ...NO_PINGS })).status).toBe(200);
  });

  it('keep the 3-second and 15-minute deadlines on an injected clock only', async () => {
    let now = 0;
    discord.interactions.sent('4', 'token-4'); // sent with no clock: no deadline
    discord.interactions.clock = () => now;
    discord.interactions.sent('5', 'token-5');
    discord.interactions.sent('6', 'token-6');
    now = 3_001;
    expect((await callback('5', 'token-5', { type: 5 })).body).toMatchObject({ code: 10062 });
    discord.interactions.clock = null;
    expect((await callback('4', 'token-4', { type: 5 })).status).toBe(204);
    discord.interactions.clock = () => now;
    now = 3_000;
    expect((await callback('6', 'token-6', { type: 5 })).status).toBe(204);
    now = 15 * 60_000 + 1;
    expect((await editOriginal('token-6', { content: '늦은 답', ...NO_PINGS })).body).toMatchObject(
      {
        code: 50027,
      },
    );
  });
});
