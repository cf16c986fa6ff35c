import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSendLimiter } from '../../../adapters/redis/redis-send-limiter.js';
import {
  GROUP_SPACING_MS,
  PRIVATE_SPACING_MS,
  TelegramNotifier,
} from '../../../adapters/telegram/telegram-notifier.js';
import { newsDigest } from '../../../src/model/news-digest.js';
import type { NewsMessage } from '../../../src/model/news-message.js';
import { DeliveryError } from '../../../src/ports/notifier.js';
import { FakeTelegram, telegramSafetyProblems } from '../../support/fake-telegram.js';
import { upgradeToSupergroup } from '../../support/fake-telegram-people.js';
import { TEXT_LIMIT } from '../../support/fake-telegram-messages.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const TOKEN = '7000000003:AANotifierTokenNotifierTokenNotifier03';
const GROUP = -1001000000003;
const PRIVATE = 6003;
const chat = (id: number) => ({
  platform: 'telegram' as const,
  workspaceId: 'chat',
  channelId: String(id),
});

const post = (title: string, extra: Partial<NewsMessage> = {}): NewsMessage => ({
  source: { name: 'esg', label: 'ESG 정책뉴스' },
  title,
  url: 'https://www.korea.kr/news/policyNewsView.do?newsId=148900000&a=1',
  ministry: '환경부',
  date: '2026-12-01',
  boardNo: 1700,
  originalUrl: 'https://www.me.go.kr/home/web/board/read.do?boardId=1&menuId=2',
  summary: '환경부는 탄소중립 이행 점검 결과를 발표하였습니다.',
  ...extra,
});

let telegram: FakeTelegram;
let clock: number;

beforeEach(async () => {
  telegram = (await new FakeTelegram().start()).addBot(TOKEN, 'EsgNewsBot');
  clock = Date.now();
  telegram.now = () => clock;
  telegram.addChat(GROUP, 'supergroup');
  telegram.addChat(PRIVATE, 'private');
});

afterEach(async () => {
  await telegram.close();
});

const notifier = () => new TelegramNotifier({ token: TOKEN, apiUrl: telegram.apiUrl });

async function failure(call: Promise<unknown>): Promise<DeliveryError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('Telegram alerts', () => {
  it('shows hostile titles as typed: the strict fake accepts the HTML, and nothing becomes markup', async () => {
    const hostile = post('<script>alert(1)</script> R&D <b>굵게</b> &amp; @everyone_here', {
      ministry: '<i>환경부</i> & "산업부"',
      summary: '</b><a href="javascript:alert(1)">여기</a> &lt;',
      source: { name: 'evil', label: '<pre>소스</pre>' },
    });
    await notifier().send(chat(GROUP), hostile, 'k1');
    await notifier().send(chat(GROUP), hostile, 'k2', { plain: true });
    const [html, plainText] = telegram.chats.in(String(GROUP));
    expect(html!.parseMode).toBe('HTML');
    expect(plainText!.parseMode).toBeNull();
    for (const shown of [html!, plainText!]) {
      // Every character is shown as typed (a mention only defused with an invisible joiner).
      const text = shown.shown.text.replace(/\u2060/g, '');
      expect(text).toContain('<script>alert(1)</script> R&D <b>굵게</b> &amp; @everyone_here');
      expect(text).toContain('<i>환경부</i> & "산업부"');
      expect(text).toContain('</b><a href="javascript:alert(1)">여기</a> &lt;');
      expect(telegramSafetyProblems(shown.shown)).toEqual([]);
    }
    // The HTML form's only entities are the bot's own: bold heading and title, two links.
    expect(html!.shown.entities.map((e) => e.type).sort()).toEqual(
      ['bold', 'bold', 'text_link', 'text_link'].sort(),
    );
    expect(html!.shown.entities.filter((e) => e.url).map((e) => e.url)).toEqual([
      post('').url,
      post('').originalUrl,
    ]);
    expect(html!.linkPreviewDisabled).toBe(true);
  });

  it('keeps a digest of twenty huge posts within 4,096 characters, naming the posts left out', async () => {
    const huge = Array.from({ length: 25 }, (_, i) =>
      post(`${'탄소중립 '.repeat(200)}${i}`, {
        boardNo: 1700 + i,
        ministry: '<환경부> & '.repeat(100),
      }),
    );
    const digest = newsDigest('digest', { name: 'esg', label: 'ESG 정책뉴스' }, huge);
    await notifier().sendDigest(chat(GROUP), digest, 'k1');
    await notifier().sendDigest(chat(GROUP), digest, 'k2', { plain: true });
    for (const shown of telegram.chats.in(String(GROUP))) {
      expect(shown.shown.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    }
    const [html] = telegram.chats.in(String(GROUP));
    // The five not listed by the digest, and those that did not fit, are named with how to see them.
    expect(html!.shown.text).toMatch(
      /외 \d+건 \(번호 \d+–1724\): \/news esg <번호>로 볼 수 있습니다/,
    );
  });

  it('says rejected when Telegram cannot parse the HTML, so deliver retries it plain', async () => {
    telegram.contentFaults.set(String(GROUP), 'html');
    const error = await failure(notifier().send(chat(GROUP), post('제목'), 'k1'));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain("can't parse entities");
  });

  it('returns the message id, and an edit with the same text succeeds without a change', async () => {
    const sent = post('정정될 글');
    const id = await notifier().send(chat(GROUP), sent, 'k1');
    expect(id).toBe(String(telegram.chats.in(String(GROUP))[0]!.messageId));
    await notifier().edit(chat(GROUP), id!, sent);
    expect(telegram.chats.in(String(GROUP))[0]!.edits).toBe(0);
    expect(telegram.requests.at(-1)).toMatchObject({ method: 'editMessageText', status: 400 });
  });

  it('says permanent with the new id when the group became a supergroup', async () => {
    upgradeToSupergroup(telegram, { groupId: GROUP, supergroupId: -1009999999999, byUserId: 1 });
    const error = await failure(notifier().send(chat(GROUP), post('글'), 'k1'));
    expect(error.kind).toBe('permanent');
    expect(error.details.code).toBe('migrated');
    expect(error.message).toContain('-1009999999999');
  });

  it('says permanent for a chat the person blocked the bot in', async () => {
    telegram.chats.get(String(PRIVATE))!.botStatus = 'kicked';
    const error = await failure(notifier().send(chat(PRIVATE), post('글'), 'k1'));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('blocked');
  });

  it('never names the token in a failure, even a network one', async () => {
    telegram.transportFaults.set(String(GROUP), 'reset');
    const error = await failure(notifier().send(chat(GROUP), post('글'), 'k1'));
    expect(error.kind).toBe('transient');
    const secret = TOKEN.split(':')[1]!;
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      secret,
    );
    // grammY's network error wraps node-fetch's, which names the URL: it is never kept.
    expect(error.cause).toBeUndefined();
  });
});

describe('Telegram’s per-group limit', () => {
  it('gets a 429 with retry_after past 20 messages a minute, and the retry after it passes', async () => {
    const telegramNotifier = notifier();
    for (let i = 0; i < 20; i++) {
      await telegramNotifier.send(chat(GROUP), post(`글 ${i}`), `k${i}`);
      clock += 100;
    }
    const error = await failure(telegramNotifier.send(chat(GROUP), post('21번째 글'), 'k20'));
    expect(error.kind).toBe('rate-limited');
    expect(error.details.scope).toBe('channel');
    const limited = telegram.requests.at(-1)!;
    expect(limited.status).toBe(429);
    expect(error.details.retryAfterMs).toBe(limited.retryAfter! * 1000);
    clock += error.details.retryAfterMs!;
    await telegramNotifier.send(chat(GROUP), post('21번째 글'), 'k20');
    expect(telegram.chats.in(String(GROUP))).toHaveLength(21);
  });
});

describe('the bot’s own per-chat limits', () => {
  let redis: TestRedis;
  beforeEach(async () => {
    redis = await connectTestRedis();
  });
  afterEach(async () => {
    await redis.cleanup();
  });

  const limited = () => {
    const keys = new RedisKeys(redis.prefix);
    const limiter = (channelSpacingMs: number) =>
      new RedisSendLimiter(redis.redis, keys, { perWorkspacePerSecond: 30, channelSpacingMs });
    return new TelegramNotifier({
      token: TOKEN,
      apiUrl: telegram.apiUrl,
      limiters: { group: limiter(GROUP_SPACING_MS), private: limiter(PRIVATE_SPACING_MS) },
    });
  };

  it('holds a group’s second message for its 3 s, asking Telegram nothing', async () => {
    const telegramNotifier = limited();
    await telegramNotifier.send(chat(GROUP), post('첫 글'), 'k1');
    const error = await failure(telegramNotifier.send(chat(GROUP), post('둘째 글'), 'k2'));
    expect(error.kind).toBe('rate-limited');
    expect(error.details.ownLimit).toBe(true);
    expect(error.details.retryAfterMs).toBeGreaterThan(GROUP_SPACING_MS / 2);
    expect(telegram.requests.filter((r) => r.method === 'sendMessage')).toHaveLength(1);
    // Another chat is not held by it.
    await telegramNotifier.send(chat(PRIVATE), post('다른 채팅'), 'k3');
  });

  it('waits a private chat’s second in place and sends it', async () => {
    telegram.now = () => Date.now();
    const telegramNotifier = limited();
    await telegramNotifier.send(chat(PRIVATE), post('첫 글'), 'k1');
    await telegramNotifier.send(chat(PRIVATE), post('둘째 글'), 'k2');
    const [first, second] = telegram.requests.filter((r) => r.method === 'sendMessage');
    expect([first!.status, second!.status]).toEqual([200, 200]);
    // Telegram's clock saw them a chat's spacing apart.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(PRIVATE_SPACING_MS);
  });
});
