import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  FakeDiscord,
  GUILD_ID,
  type RecordedRequest,
} from '../../support/fake-discord.js';
import { FakeBoard } from '../../support/fake-board.js';
import { PipelineHarness } from '../../support/pipeline-harness.js';
import { RecordingProxy } from '../../support/recording-proxy.js';
import { waitFor } from '../../support/wait.js';

const MANAGE_CHANNELS = 1n << 4n;
const MANAGE_GUILD = 1n << 5n;
const CHANNEL = '555555555555555555';

let board: FakeBoard;
let discord: FakeDiscord;
/** The bot's REST calls, with their times and Discord's answers. */
let wire: RecordingProxy;
let bot: PipelineHarness;

interface CallbackBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: Array<{
      title?: string;
      url?: string;
      fields?: Array<{ name: string; value: string }>;
      description?: string;
    }>;
    allowed_mentions?: { parse: string[] };
    choices?: Array<{ name: string; value: string }>;
  };
}

beforeEach(async () => {
  board = await new FakeBoard().start();
  discord = await new FakeDiscord().start();
  wire = await new RecordingProxy(discord.apiUrl).start();
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    env: {
      DISCORD_TOKEN: 'discord-test-bot-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: wire.via(discord.apiUrl),
      SWEEP_INTERVAL: '1s',
      PLATFORM_PROBE_INTERVAL: '1s',
    },
  }).start();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
});

afterEach(async () => {
  await bot.close();
  await wire.close();
  await discord.close();
  await board.close();
});

async function command(
  text: string | null,
  options: Parameters<FakeDiscord['sendCommand']>[1] = {},
) {
  const id = await discord.sendCommand(text, options);
  const callback = await waitFor(`the answer to ${text}`, () => discord.callbackFor(id));
  return { id, body: callback.body as unknown as CallbackBody, callback };
}

const channelRef = (channelId = CHANNEL) => ({
  platform: 'discord' as const,
  workspaceId: GUILD_ID,
  channelId,
});

describe('Discord gateway bot', () => {
  it('logs in through the gateway and registers exactly one /news command with an autocompleted query', () => {
    expect(discord.identified).toBe(true);
    expect(discord.registeredCommands).toEqual([
      expect.objectContaining({
        name: 'news',
        options: [expect.objectContaining({ name: 'query', type: 3, autocomplete: true })],
      }),
    ]);
    const put = discord.requests.find((r) => r.method === 'PUT');
    expect(put?.authorization).toBe('Bot discord-test-bot-token-0123456789');
  });

  it('answers a lookup with an embed: linked title, lead, ministry, date, number, original release', async () => {
    const { body, callback } = await command('1645');
    expect(callback.path).toMatch(/\/callback$/);
    expect(body.type).toBe(4);
    const embed = body.data!.embeds![0]!;
    expect(embed.title).toBe('3국 환경장관, 황사개선 협력 등 공동합의문 서명');
    expect(embed.url).toBe(`${board.url}/4384`);
    expect(embed.fields).toEqual([
      { name: '담당부서', value: '환경부', inline: true },
      { name: '날짜', value: '2023-11-27', inline: true },
      { name: '번호', value: '1645', inline: true },
    ]);
    // The lead of the post's page, then the original release.
    expect(embed.description).toMatch(
      /^환경부는 3국 환경장관, 황사개선 협력 등 공동합의문 서명 관련 내용을 발표하였습니다\.\n\n\[원문 보도자료\]\(https:\/\/www\.korea\.kr\//,
    );
    expect(body.data!.allowed_mentions).toEqual({ parse: [] });
    expect(body.data!.flags).toBeUndefined();
  });

  it('defers a lookup that must read the board, then edits the answer in', async () => {
    const { id, body } = await command('1620');
    expect(body.type).toBe(5);
    const edit = await waitFor('the edited reply', () => discord.editFor(id));
    expect(edit.path).toBe(`/webhooks/${APPLICATION_ID}/token-${id}/messages/@original`);
    expect(JSON.stringify(edit.body)).toContain('저소득층 에너지바우처 지원 단가 인상');
    expect(JSON.stringify(edit.body)).toContain('산업통상자원부');
  });

  it.each([
    ['latest', '최신 ESG 정책뉴스 5건', 5],
    ['최신 2', '최신 ESG 정책뉴스 2건', 2],
    ['search 탄소', '‘탄소’ 검색 결과 1건', 1],
    ['검색 환경부', '‘환경부’ 검색 결과', 3],
  ])('answers `%s` with embeds', async (text, content, embeds) => {
    const { body } = await command(text);
    expect(body.data!.content).toContain(content);
    expect(body.data!.embeds!.length).toBeGreaterThanOrEqual(embeds);
  });

  it.each([
    ['help', '/news 1645'],
    ['도움말', '/news 1645'],
    [null, '/news 1645'],
    ['status', '구독: 안 함'],
    ['상태', '최신 번호: 1652'],
    ['-1', '1 이상의 숫자'],
    ['latest 999', '1에서 10 사이'],
    ['무엇', '알 수 없는 명령'],
  ])('answers `%s` privately', async (text, content) => {
    const { body } = await command(text);
    expect(body.type).toBe(4);
    expect(body.data!.content).toContain(content);
    expect(body.data!.flags).toBe(64);
  });

  it('politely refuses subscribing to members without Manage Channels, and changes nothing', async () => {
    for (const text of ['구독', 'subscribe 탄소', 'unsubscribe', '구독해지']) {
      const { body } = await command(text, { permissions: 0n });
      expect(body.data!.content).toContain('권한');
      expect(body.data!.flags).toBe(64);
    }
    expect(await bot.subscriptions.get(bot.sourceId, channelRef())).toBeNull();

    expect((await command('구독', { permissions: MANAGE_CHANNELS })).body.data!.content).toContain(
      '구독했습니다',
    );
    expect(await bot.subscriptions.get(bot.sourceId, channelRef())).not.toBeNull();
    expect(
      (await command('unsubscribe', { permissions: MANAGE_GUILD })).body.data!.content,
    ).toContain('해지');
    expect(await bot.subscriptions.get(bot.sourceId, channelRef())).toBeNull();
  });

  it('suggests recent posts by number and title while typing', async () => {
    const byNumber = await command('164', { autocomplete: true });
    expect(byNumber.body.type).toBe(8);
    expect(byNumber.body.data!.choices!.map((c) => c.value)).toEqual([
      '1649',
      '1648',
      '1647',
      '1646',
      '1645',
      '1644',
      '1643',
      '1642',
      '1641',
      '1640',
    ]);
    expect(byNumber.body.data!.choices![4]!.name).toBe(
      '1645 · 3국 환경장관, 황사개선 협력 등 공동합의문 서명',
    );
    const byTitle = await command('탄소', { autocomplete: true });
    expect(byTitle.body.data!.choices).toEqual([
      { name: '1652 · 정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다', value: '1652' },
    ]);
    expect((await command('', { autocomplete: true })).body.data!.choices).toHaveLength(20);
  });

  it('suggests sources by name as well as posts', async () => {
    const byName = await command('es', { autocomplete: true });
    expect(byName.body.data!.choices![0]).toEqual({
      name: '소스 esg · ESG 정책뉴스',
      value: '최신 esg',
    });
  });

  it('never lets command text ping anyone', async () => {
    const { body } = await command('구독 @everyone @here', { permissions: MANAGE_CHANNELS });
    expect(body.data!.content).toContain('@everyone');
    expect(body.data!.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('Discord delivery', () => {
  async function subscribe(channelId: string) {
    await command('구독', { channelId, permissions: MANAGE_CHANNELS });
  }

  it('posts each alert once with a nonce, and a repeated delivery posts nothing new', async () => {
    await subscribe(CHANNEL);
    board.publish('디스코드 알림 확인', '환경부');
    await bot.pollOnce();
    await bot.drain();

    const [request] = discord.messageRequests();
    expect(request!.body).toMatchObject({
      content: '새 글 · ESG 정책뉴스',
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
      embeds: [expect.objectContaining({ title: '디스코드 알림 확인' })],
    });
    expect(String(request!.body!.nonce)).toHaveLength(25);

    // A crash after Discord accepted the message but before it was recorded: the retry
    // carries the same nonce, and Discord hands back the first message.
    const target = { sourceId: bot.sourceId, boardNo: 1653, channel: channelRef() };
    await bot.redis.del(bot.keys.settled(bot.sourceId, 1653));
    await bot.deliveryLog.markPending([target], new Date());
    await bot.queues.enqueueDeliveries([target]);
    await bot.drain();
    expect(discord.messageRequests()).toHaveLength(2);
    expect(discord.messageRequests()[1]!.body!.nonce).toBe(request!.body!.nonce);
    expect(discord.messages.get(CHANNEL)).toHaveLength(1);
  });

  it('waits out a 429 and retries a 5xx, then delivers', async () => {
    await subscribe('100000000000000001');
    await subscribe('100000000000000002');
    discord.faults.set('100000000000000001', { status: 429, retryAfter: 0.3, remaining: 1 });
    discord.faults.set('100000000000000002', { status: 500, remaining: 2 });
    board.publish('재시도 확인');
    await bot.pollOnce();
    await bot.drain();
    expect(discord.messages.get('100000000000000001')).toHaveLength(1);
    expect(discord.messages.get('100000000000000002')).toHaveLength(1);
    // The retry reached Discord no earlier than the 0.3 s its 429 asked for.
    const [limited, retried] = wire
      .messagePosts()
      .filter((post) => post.channel === '100000000000000001');
    expect([limited?.status, limited?.retryAfterMs, retried?.status]).toEqual([429, 300, 200]);
    expect(retried!.arrivedAt - limited!.answeredAt).toBeGreaterThanOrEqual(300);
    expect(
      await bot.subscriptions.get(bot.sourceId, channelRef('100000000000000001')),
    ).not.toBeNull();
  });

  it.each([
    [404, 10003],
    [403, 50001],
    [403, 50013],
  ] as const)(
    'unsubscribes a channel answering %i (%i) after one try, serving the others',
    async (status, code) => {
      await subscribe('100000000000000003');
      await subscribe('100000000000000004');
      discord.faults.set('100000000000000003', { status, code } as never);
      board.publish('권한 오류 확인');
      await bot.pollOnce();
      await bot.drain();
      expect(
        await bot.subscriptions.get(bot.sourceId, channelRef('100000000000000003')),
      ).toBeNull();
      expect(discord.messages.get('100000000000000004')).toHaveLength(1);
      const tries = discord
        .messageRequests()
        .filter((r: RecordedRequest) => r.path.includes('100000000000000003'));
      expect(tries).toHaveLength(1);
    },
  );

  it('pauses Discord on a refused token, unsubscribing nobody, and delivers to every channel once the token works', async () => {
    const channels = ['100000000000000005', '100000000000000006', '100000000000000007'];
    for (const channel of channels) {
      await subscribe(channel);
      discord.faults.set(channel, { status: 401 });
    }
    board.publish('토큰 오류 확인');
    await bot.pollOnce();
    await waitFor('Discord paused', async () =>
      (await bot.queues.deliver.discord.isPaused()) ? true : null,
    );
    // No channel is at fault: every subscription stays, nothing owed is dropped or failed.
    for (const channel of channels) {
      expect(await bot.subscriptions.get(bot.sourceId, channelRef(channel))).not.toBeNull();
      expect(await bot.deliveryLog.newestOwed(bot.sourceId, channelRef(channel))).toBe(1653);
    }
    expect(await bot.queues.deliver.discord.getFailedCount()).toBe(0);

    for (const channel of channels) discord.faults.delete(channel);
    await waitFor('every channel served after the probe', () =>
      channels.every((c) => discord.messages.get(c)?.length === 1),
    );
    expect(await bot.queues.deliver.discord.isPaused()).toBe(false);
  });
});
