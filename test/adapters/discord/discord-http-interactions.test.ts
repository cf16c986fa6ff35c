import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordInteractionsRoute } from '../../../adapters/discord/discord-interactions.js';
import { HttpServer } from '../../../adapters/http/http-server.js';
import type { CommandService } from '../../../src/commands/command-service.js';
import { APPLICATION_ID, FakeDiscord, GUILD_ID } from '../../support/fake-discord.js';
import { FakeBoard } from '../../support/fake-board.js';
import { PipelineHarness } from '../../support/pipeline-harness.js';
import { waitFor } from '../../support/wait.js';

const keys = generateKeyPairSync('ed25519');
const otherKeys = generateKeyPairSync('ed25519');
/** The raw 32-byte key, as the Developer Portal shows it: the last 32 bytes of the SPKI. */
const PUBLIC_KEY_HEX = keys.publicKey
  .export({ format: 'der', type: 'spki' })
  .subarray(12)
  .toString('hex');

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
      DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX,
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

interface PostOptions {
  signWith?: KeyObject;
  /** Changes the body after signing it. */
  tamper?: boolean;
  /** Seconds added to now for `X-Signature-Timestamp` (negative: in the past). */
  skewSeconds?: number;
  /** `X-Signature-Timestamp` as given (signed as given too). */
  timestamp?: string;
  baseUrl?: string;
}

async function post(payload: unknown, options: PostOptions = {}) {
  const body = JSON.stringify(payload);
  const timestamp =
    options.timestamp ?? String(Math.floor(Date.now() / 1000) + (options.skewSeconds ?? 0));
  const signature = sign(
    null,
    Buffer.from(timestamp + body),
    options.signWith ?? keys.privateKey,
  ).toString('hex');
  const response = await fetch(`${options.baseUrl ?? bot.httpUrl}/discord/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': signature,
      'x-signature-timestamp': timestamp,
    },
    body: options.tamper ? body.replace('1645', '1644') : body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Discord gives every interaction its own id; the endpoint refuses a repeated one. */
let lastId = 770_000_000_000_000_000n;
const nextId = () => String(++lastId);

/** A PING as Discord sends it when the endpoint URL is saved. */
function ping(id = nextId()) {
  return { id, application_id: APPLICATION_ID, type: 1, token: 'ping-token', version: 1 };
}

function interaction(type: number, text: string, permissions = '0', token = 'itoken') {
  return {
    id: nextId(),
    application_id: APPLICATION_ID,
    type,
    token,
    version: 1,
    guild_id: GUILD_ID,
    channel_id: '555555555555555555',
    member: { user: { id: '666666666666666666' }, permissions },
    data: {
      id: '900',
      name: 'news',
      type: 1,
      options: [{ name: 'query', type: 3, value: text, focused: type === 4 }],
    },
  };
}

describe('POST /discord/interactions', () => {
  it('answers PING with PONG when the Ed25519 signature is good', async () => {
    expect(await post(ping())).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a bad, foreign or missing signature with 401', async () => {
    expect((await post(ping(), { signWith: otherKeys.privateKey })).status).toBe(401);
    expect((await post(interaction(2, '1645'), { tamper: true })).status).toBe(401);
    const unsigned = await fetch(`${bot.httpUrl}/discord/interactions`, {
      method: 'POST',
      body: '{"type":1}',
    });
    expect(unsigned.status).toBe(401);
  });

  it('answers /news through the same handlers as the gateway bot', async () => {
    const { body } = await post(interaction(2, '1645'));
    expect(body.type).toBe(4);
    expect(JSON.stringify(body)).toContain('3국 환경장관, 황사개선 협력 등 공동합의문 서명');
    expect((body.data as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('defers a board lookup and edits the original response with the interaction token', async () => {
    // A token Discord issued: the fake refuses edits for interactions it never sent.
    const { token } = discord.httpInteraction();
    const { body } = await post(interaction(2, '1620', '0', token));
    expect(body).toEqual({ type: 5 });
    const edit = await waitFor('the edit', () =>
      discord.requests.find((r) => r.method === 'PATCH' && r.path.includes(`/${token}/`)),
    );
    expect(edit.path).toBe(`/webhooks/${APPLICATION_ID}/${token}/messages/@original`);
    expect(edit.status).toBe(200);
    expect(edit.authorization).toBeUndefined();
    expect(JSON.stringify(edit.body)).toContain('저소득층 에너지바우처 지원 단가 인상');
  });

  it('suggests posts for autocomplete', async () => {
    const { body } = await post(interaction(4, '1652'));
    expect(body).toEqual({
      type: 8,
      data: {
        choices: [
          { name: '1652 · 정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다', value: '1652' },
        ],
      },
    });
  });

  it('checks Manage Channels from the member permissions', async () => {
    const refused = await post(interaction(2, '구독', '0'));
    expect(JSON.stringify(refused.body)).toContain('권한');
    const allowed = await post(interaction(2, '구독', String(1n << 4n)));
    expect(JSON.stringify(allowed.body)).toContain('구독했습니다');
    expect(
      await bot.subscriptions.get(bot.sourceId, {
        platform: 'discord',
        workspaceId: GUILD_ID,
        channelId: '555555555555555555',
      }),
    ).not.toBeNull();
  });

  it('refuses the same signed interaction replayed within the five minutes with 409, and runs it once', async () => {
    const subscribe = interaction(2, '구독', String(1n << 4n));
    const timestamp = String(Math.floor(Date.now() / 1000));
    expect((await post(subscribe, { timestamp })).status).toBe(200);
    expect((await post(subscribe, { timestamp })).status).toBe(409);
    await bot.subscriptions.unsubscribe(bot.sourceId, {
      platform: 'discord',
      workspaceId: GUILD_ID,
      channelId: '555555555555555555',
    });
    expect((await post(subscribe, { timestamp })).status).toBe(409);
    expect(await bot.subscriptions.count(bot.sourceId)).toBe(0);
  });

  it('refuses a correctly signed request whose timestamp is over five minutes away with 401', async () => {
    // A request captured and replayed six minutes later, and one dated six minutes ahead.
    expect(await post(interaction(2, '1645'), { skewSeconds: -6 * 60 })).toEqual({
      status: 401,
      body: { error: 'invalid request signature' },
    });
    expect((await post(interaction(2, '1645'), { skewSeconds: 6 * 60 })).status).toBe(401);
    expect((await post(ping(), { timestamp: 'yesterday' })).status).toBe(401);
    expect((await post(ping(), { timestamp: '' })).status).toBe(401);
    // A slow clock within the window is fine.
    expect((await post(ping(), { skewSeconds: -4 * 60 })).status).toBe(200);
    expect((await post(ping(), { skewSeconds: 4 * 60 })).status).toBe(200);
  });

  const command = interaction(2, '1645');
  it.each<[string, unknown, string]>([
    ['non-numeric permissions', interaction(2, '구독', 'abc'), 'member.permissions'],
    ['a string type', { ...command, type: 'x' }, 'type'],
    ['no type', { ...command, type: undefined }, 'type'],
    ['a fractional type', { ...command, type: 2.5 }, 'type'],
    ['data that is a number', { ...command, data: 5 }, 'data'],
    [
      'options that are an object',
      { ...command, data: { ...command.data, options: {} } },
      'data.options',
    ],
    [
      'an option without a name',
      { ...command, data: { name: 'news', options: [{ value: 1 }] } },
      'data.options.0.name',
    ],
    ['a numeric token', { ...command, token: 5 }, 'token'],
    ['a token with a path in it', { ...command, token: '../../channels/1/messages' }, 'token'],
    ['an object application id', { ...command, application_id: {} }, 'application_id'],
    ['a huge id', { ...command, id: '1'.repeat(500) }, 'id'],
    ['an id that is no snowflake', { ...command, id: 'abc' }, 'id'],
    ['a member without a user', { ...command, member: { permissions: '0' } }, 'member.user'],
    ['null', null, ''],
    ['an array', [command], ''],
    ['a string', 'hello', ''],
  ])(
    'answers a signed payload with %s with 400 naming the field, never 500',
    async (_case, payload, field) => {
      expect(await post(payload)).toEqual({
        status: 400,
        body: { error: 'invalid interaction', field },
      });
    },
  );

  it('answers an interaction type it does not handle with 400', async () => {
    const button = { ...command, type: 3, data: { custom_id: 'x', component_type: 2 } };
    expect(await post(button)).toEqual({
      status: 400,
      body: { error: 'unsupported interaction' },
    });
  });

  it('refuses with 409 an interaction id that claimInteraction says was seen', async () => {
    const claimed: string[] = [];
    const server = new HttpServer(
      [
        discordInteractionsRoute({
          publicKey: PUBLIC_KEY_HEX,
          apiUrl: discord.apiUrl,
          // PING never reaches the commands.
          commands: {} as CommandService,
          logger: pino({ level: 'silent' }),
          claimInteraction: (id) => {
            if (claimed.includes(id)) return Promise.resolve(false);
            claimed.push(id);
            return Promise.resolve(true);
          },
        }),
      ],
      (error) => {
        throw error;
      },
    );
    const { port } = await server.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      expect((await post(ping('1001'), { baseUrl })).status).toBe(200);
      expect(await post(ping('1001'), { baseUrl })).toEqual({
        status: 409,
        body: { error: 'interaction already handled' },
      });
      expect((await post(ping('1002'), { baseUrl })).status).toBe(200);
      // Unverified requests never claim an id, so they cannot burn a real one.
      expect((await post(ping('1003'), { baseUrl, signWith: otherKeys.privateKey })).status).toBe(
        401,
      );
      expect((await post({ ...ping('1004'), type: 'x' }, { baseUrl })).status).toBe(400);
      expect(claimed).toEqual(['1001', '1002']);
    } finally {
      await server.close();
    }
  });
});
