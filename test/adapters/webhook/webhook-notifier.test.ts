import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DestinationNotifier } from '../../../adapters/destinations/destination-notifier.js';
import { WEBHOOK_MAX_BYTES, webhookFormat } from '../../../adapters/webhook/webhook-format.js';
import { DESTINATION_WORKSPACE } from '../../../src/model/destination.js';
import { newsDigest } from '../../../src/model/news-digest.js';
import {
  correctionNote,
  type NewsMessage,
  type SourceNotice,
} from '../../../src/model/news-message.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import { DeliveryError } from '../../../src/ports/notifier.js';
import { USER_AGENT } from '../../../src/util/about.js';
import { MemoryDestinationStore } from '../../doubles/memory-destination-store.js';
import { FakeSignedWebhook } from '../../support/fake-signed-webhook.js';

const SOURCE = { name: 'esg', label: 'ESG 정책뉴스' };
const FILE = {
  name: '(보도자료) 탄소중립 이행 점검 결과.hwpx',
  url: 'https://www.korea.kr/common/download.do?fileId=198000001&tblKey=GMN',
};

const message = (extra: Partial<NewsMessage> = {}): NewsMessage => ({
  source: SOURCE,
  title: '탄소중립 이행 점검 결과 발표',
  url: 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700001',
  ministry: '기후에너지환경부',
  date: '2026-12-01',
  boardNo: 1700,
  originalUrl: 'https://me.go.kr/home/web/board/read.do?boardId=1700',
  summary: '정부는 탄소중립 이행 상황을 점검한 결과를 발표하였다.',
  embargoAt: Date.parse('2026-12-01T12:00:00+09:00'),
  attachments: [FILE],
  ...extra,
});

let receiver: FakeSignedWebhook;
let store: MemoryDestinationStore;
let clock: number;
let notifier: DestinationNotifier;
let count = 0;

beforeEach(async () => {
  receiver = await new FakeSignedWebhook().start();
  clock = Date.parse('2026-12-01T09:00:00Z');
  receiver.now = () => clock;
  store = new MemoryDestinationStore();
  notifier = notifierAt(() => clock);
});

afterEach(async () => {
  await receiver.close();
});

function notifierAt(now: () => number): DestinationNotifier {
  return new DestinationNotifier({
    platform: 'webhook',
    format: webhookFormat,
    store,
    timeoutMs: 5_000,
    allowPrivate: true,
    now: () => new Date(now()),
  });
}

/** A destination with the receiver's secret, or `secret` (the bot's copy) where given. */
async function destination(secret?: string | null): Promise<ChannelRef> {
  const name = `hook-${++count}`;
  const endpoint = receiver.endpoint(name, typeof secret === 'string' ? secret : undefined);
  const channel: ChannelRef = {
    platform: 'webhook',
    workspaceId: DESTINATION_WORKSPACE,
    channelId: name,
  };
  await store.put(
    channel,
    { url: endpoint.url, secret: secret === null ? null : endpoint.secret },
    new Date(clock),
  );
  return channel;
}

async function failure(call: Promise<unknown>): Promise<DeliveryError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('the signed webhook event', () => {
  it('carries the post as documented, with the Standard Webhooks headers', async () => {
    const channel = await destination();
    await notifier.send(channel, message(), 'AbCdEfGhIjKlMnOpQrStUvWxY');
    const [received] = receiver.eventsOf(channel.channelId);
    expect(received!.event).toEqual({
      version: 1,
      id: 'AbCdEfGhIjKlMnOpQrStUvWxY',
      type: 'news.published',
      sentAt: '2026-12-01T09:00:00.000Z',
      source: SOURCE,
      post: {
        number: 1700,
        title: '탄소중립 이행 점검 결과 발표',
        ministry: '기후에너지환경부',
        date: '2026-12-01',
        url: 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700001',
        originalUrl: 'https://me.go.kr/home/web/board/read.do?boardId=1700',
        summary: '정부는 탄소중립 이행 상황을 점검한 결과를 발표하였다.',
        embargoAt: '2026-12-01T03:00:00.000Z',
        attachments: [FILE],
        moreAttachments: 0,
      },
      text: expect.stringContaining('탄소중립 이행 점검 결과 발표') as unknown,
    });
    // The text is what chat shows: 보도시점 in Korea time, and the file with its link.
    expect(received!.event['text']).toContain('보도시점: 2026-12-01 12:00');
    expect(received!.event['text']).toContain(`첨부: ${FILE.name} ${FILE.url}`);
    expect(received!.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'webhook-id': 'AbCdEfGhIjKlMnOpQrStUvWxY',
      'webhook-timestamp': String(clock / 1000),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) as unknown,
      'user-agent': USER_AGENT,
    });
  });

  it('gives a blank ministry and summary as null, and a link that is not http(s) as null', async () => {
    const channel = await destination();
    await notifier.send(
      channel,
      message({ ministry: ' ', summary: null, url: 'javascript:alert(1)', originalUrl: null }),
      'key-1',
    );
    const post = receiver.eventsOf(channel.channelId)[0]!.event['post'];
    expect(post).toMatchObject({ ministry: null, summary: null, url: null, originalUrl: null });
  });

  it('lists every file up to 20, names on one line and cut, links http(s) or null; no 보도시점 is null', async () => {
    const channel = await destination();
    const files = Array.from({ length: 25 }, (_, i) => ({
      name: i === 0 ? `첫 줄\n둘째 줄 ${'가'.repeat(300)}` : i === 1 ? ' \t' : `file-${i}.pdf`,
      url: i === 2 ? 'javascript:alert(1)' : `https://www.korea.kr/f/${i}`,
    }));
    await notifier.send(channel, message({ attachments: files, embargoAt: null }), 'key-1');
    const post = receiver.eventsOf(channel.channelId)[0]!.event['post'] as Record<string, unknown>;
    const listed = post['attachments'] as Array<{ name: string; url: string | null }>;
    expect(listed).toHaveLength(20);
    expect(post['moreAttachments']).toBe(5);
    expect(post['embargoAt']).toBeNull();
    expect(listed[0]!.name).toMatch(/^첫 줄 둘째 줄 가+…$/);
    expect(listed[0]!.name).toHaveLength(200);
    expect(listed[1]).toEqual({ name: '첨부파일', url: 'https://www.korea.kr/f/1' });
    expect(listed[2]).toEqual({ name: 'file-2.pdf', url: null });
    expect(listed[19]).toEqual({ name: 'file-19.pdf', url: 'https://www.korea.kr/f/19' });
  });

  it('gives an embargo no date can hold as null rather than failing the alert', async () => {
    const channel = await destination();
    for (const [i, embargoAt] of [NaN, Infinity, 8.64e15, -8.64e15].entries()) {
      await notifier.send(channel, message({ embargoAt }), `key-${i}`);
    }
    const events = receiver.eventsOf(channel.channelId);
    expect(events.map(({ event }) => (event['post'] as { embargoAt: unknown }).embargoAt)).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('carries the same id on every retry of one delivery, so a receiver can drop the replay', async () => {
    const channel = await destination();
    await notifier.send(channel, message(), 'same-delivery');
    // The bot crashed before recording the 2xx: the delivery runs again, a minute later.
    clock += 60_000;
    await notifier.send(channel, message(), 'same-delivery');
    const [first, again] = receiver.eventsOf(channel.channelId);
    expect(again!.event['id']).toBe(first!.event['id']);
    expect(again!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    // A new attempt is signed anew, at its own time: only the id stays.
    expect(again!.headers['webhook-timestamp']).not.toBe(first!.headers['webhook-timestamp']);
    expect([first!.duplicate, again!.duplicate]).toEqual([false, true]);
  });

  it('sends a correction as news.corrected naming the alert it corrects, its title unmarked', async () => {
    const channel = await destination();
    const id = await notifier.send(channel, message(), 'AbCdEfGhIjKlMnOpQrStUvWxY');
    const corrected = message({
      title: '[정정] 탄소중립 이행 점검 결과 발표(수정)',
      ministry: '산업통상부',
      corrected: true,
    });
    await notifier.edit(channel, id, corrected);
    // A retry of the same correction is the same event.
    await notifier.edit(channel, id, corrected);
    const [alert, correction, retry] = receiver.eventsOf(channel.channelId);
    expect(correction!.event).toMatchObject({
      type: 'news.corrected',
      corrects: alert!.event['id'],
      post: { number: 1700, title: '탄소중립 이행 점검 결과 발표(수정)', ministry: '산업통상부' },
    });
    expect(correction!.event['id']).not.toBe(alert!.event['id']);
    // Its id keeps to Standard Webhooks' alphabet: no `.` in what is signed as `id.timestamp.body`.
    expect(correction!.event['id']).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(String(correction!.event['text'])).toContain(correctionNote(corrected));
    expect(retry!.event['id']).toBe(correction!.event['id']);
  });

  it('sends a digest with every post listed and what is not', async () => {
    const channel = await destination();
    const posts = Array.from({ length: 22 }, (_, i) =>
      message({ boardNo: 1700 + i, title: `글 ${i}` }),
    );
    await notifier.sendDigest(channel, newsDigest('quiet', SOURCE, posts), 'digest-1');
    const { event } = receiver.eventsOf(channel.channelId)[0]!;
    expect(event).toMatchObject({
      type: 'news.digest',
      source: SOURCE,
      digest: { kind: 'quiet', total: 22, notListed: [1720, 1721] },
    });
    expect((event['posts'] as Array<{ number: number }>).map((p) => p.number)).toEqual(
      posts.slice(0, 20).map((p) => p.boardNo),
    );
  });

  it('says what a source notice is by its type', async () => {
    const channel = await destination();
    const notice: SourceNotice = {
      kind: 'down',
      sourceId: 'esg',
      sourceLabel: 'ESG 정책뉴스',
      sourceUrl: 'https://www.korea.kr/rss/pressrelease.xml',
      since: '2026-12-01T00:00:00.000Z',
      error: 'HTTP 503',
    };
    await notifier.sendNotice(channel, notice, 'n-1');
    await notifier.sendNotice(channel, { ...notice, kind: 'recovered', error: null }, 'n-2');
    await notifier.sendNotice(channel, { ...notice, kind: 'stale', error: null }, 'n-3');
    const events = receiver.eventsOf(channel.channelId).map((r) => r.event);
    expect(events.map((e) => e['type'])).toEqual([
      'source.down',
      'source.recovered',
      'source.stale',
    ]);
    expect(events[0]).toMatchObject({
      source: SOURCE,
      notice: { since: notice.since, error: 'HTTP 503' },
    });
    // The source's URL may carry an access key: it is never sent.
    expect(JSON.stringify(events)).not.toContain('pressrelease.xml');
  });

  it('sends the operator’s test as destination.test and returns the receiver’s answer', async () => {
    const channel = await destination();
    expect(await notifier.test(channel)).toEqual({ status: 204, body: '' });
    const { event } = receiver.eventsOf(channel.channelId)[0]!;
    expect(event['type']).toBe('destination.test');
    expect(event['id']).toMatch(/^test-/);
  });
});

describe('the signature', () => {
  it('verifies with a secret in the Standard Webhooks form and with any other text', async () => {
    const standard = await destination();
    const text = await destination('n8n-shared-secret-typed-by-hand');
    await notifier.send(standard, message(), 'key-1');
    await notifier.send(text, message(), 'key-1');
    expect(receiver.eventsOf(standard.channelId)).toHaveLength(1);
    expect(receiver.eventsOf(text.channelId)).toHaveLength(1);
  });

  it('is refused by the receiver when the secrets differ: the destination is broken, not the event', async () => {
    const channel = await destination();
    await store.put(
      channel,
      { url: `${receiver.url}/hooks/${channel.channelId}`, secret: 'not-the-receivers-secret' },
      new Date(clock),
    );
    const error = await failure(notifier.send(channel, message(), 'key-1'));
    expect(error).toMatchObject({ kind: 'permanent', details: { code: 'http-401' } });
    expect(receiver.requestsOf(channel.channelId)[0]!.refusal).toBe('no signature matches');
  });

  it('is refused when the bot’s clock is over five minutes off, and taken within them', async () => {
    const channel = await destination();
    const late = notifierAt(() => clock - 6 * 60_000);
    const error = await failure(late.send(channel, message(), 'key-1'));
    expect(error.details.code).toBe('http-401');
    expect(receiver.requestsOf(channel.channelId)[0]!.refusal).toMatch(/five minutes/);
    await notifierAt(() => clock - 4 * 60_000).send(channel, message(), 'key-1');
    expect(receiver.eventsOf(channel.channelId)).toHaveLength(1);
  });

  it('is not made without a secret: such a destination is broken until added again', async () => {
    const channel = await destination(null);
    const error = await failure(notifier.send(channel, message(), 'key-1'));
    expect(error).toMatchObject({ kind: 'permanent', details: { code: 'no-secret' } });
    expect(receiver.requestsOf(channel.channelId)).toEqual([]);
  });
});

describe('sizes', () => {
  it('keeps the largest real event, a 20-post digest with full leads, under half the limit', async () => {
    const channel = await destination();
    const long = (n: number) => '탄소중립 '.repeat(n).slice(0, n);
    // Three files each, as real releases have (a HWPX, its PDF, an appendix).
    const files = Array.from({ length: 3 }, (_, i) => ({
      name: `${long(40)}_${i}.hwpx`,
      url: `https://www.korea.kr/common/download.do?fileId=1980000${i}&tblKey=GMN`,
    }));
    const posts = Array.from({ length: 20 }, (_, i) =>
      message({ boardNo: 1700 + i, title: long(150), summary: long(200), attachments: files }),
    );
    await notifier.sendDigest(channel, newsDigest('digest', SOURCE, posts), 'big');
    const [received] = receiver.eventsOf(channel.channelId);
    expect(Buffer.byteLength(received!.rawBody)).toBeLessThan(WEBHOOK_MAX_BYTES / 2);
    const listed = received!.event['posts'] as Array<{ attachments: unknown[] }>;
    expect(listed.every((post) => post.attachments.length === 3)).toBe(true);
  });

  it('keeps a digest of posts with twenty 2,000-character file links within the limit, counting the files left out', async () => {
    const channel = await destination();
    const files = Array.from({ length: 20 }, (_, i) => ({
      name: `${'가'.repeat(190)}${i}.pdf`,
      url: `https://www.korea.kr/${String(i).padStart(2, '0')}/${'x'.repeat(1960)}`,
    }));
    const posts = Array.from({ length: 20 }, (_, i) =>
      message({ boardNo: 1700 + i, attachments: files }),
    );
    await notifier.sendDigest(channel, newsDigest('digest', SOURCE, posts), 'files');
    const [received] = receiver.eventsOf(channel.channelId);
    expect(Buffer.byteLength(received!.rawBody)).toBeLessThanOrEqual(WEBHOOK_MAX_BYTES);
    const listed = received!.event['posts'] as Array<{
      attachments: unknown[];
      moreAttachments: number;
    }>;
    // The first posts keep their files, in order; every file left out is counted.
    const counts = listed.map((post) => post.attachments.length);
    expect(counts[0]).toBeGreaterThan(10);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.at(-1)).toBe(0);
    for (const post of listed) expect(post.attachments.length + post.moreAttachments).toBe(20);
  });

  it('refuses an event over the limit before sending it', async () => {
    const channel = await destination();
    const huge = message({ title: '가'.repeat(WEBHOOK_MAX_BYTES / 3) });
    const error = await failure(notifier.send(channel, huge, 'key-1'));
    expect(error).toMatchObject({ kind: 'rejected', details: { code: 'too-large' } });
    expect(receiver.requestsOf(channel.channelId)).toEqual([]);
  });
});
