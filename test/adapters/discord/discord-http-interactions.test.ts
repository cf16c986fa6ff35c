import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

async function post(payload: unknown, signWith = keys.privateKey, tamper = false) {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), signWith).toString('hex');
  const response = await fetch(`${bot.httpUrl}/discord/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': signature,
      'x-signature-timestamp': timestamp,
    },
    body: tamper ? body.replace('1645', '1644') : body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function interaction(type: number, text: string, permissions = '0', token = 'itoken') {
  return {
    id: '770000000000000001',
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
    expect(await post({ type: 1 })).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a bad, foreign or missing signature with 401', async () => {
    expect((await post({ type: 1 }, otherKeys.privateKey)).status).toBe(401);
    expect((await post(interaction(2, '1645'), keys.privateKey, true)).status).toBe(401);
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
    const { body } = await post(interaction(2, '1620', '0', 'deferred-token'));
    expect(body).toEqual({ type: 5 });
    const edit = await waitFor('the edit', () =>
      discord.requests.find((r) => r.method === 'PATCH' && r.path.includes('/deferred-token/')),
    );
    expect(edit.path).toBe(`/webhooks/${APPLICATION_ID}/deferred-token/messages/@original`);
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
      await bot.subscriptions.get({
        platform: 'discord',
        workspaceId: GUILD_ID,
        channelId: '555555555555555555',
      }),
    ).not.toBeNull();
  });
});
