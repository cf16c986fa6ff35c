import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParseSandbox } from '../../../adapters/sources/parse-sandbox.js';
import {
  MAX_PAGES_PER_READ,
  PressReleaseApiSource,
  type PressReleaseReadOptions,
} from '../../../adapters/sources/press-release-api/press-release-source.js';
import { MAX_ATTACHMENT_NAME, MAX_ATTACHMENTS_KEPT } from '../../../src/model/attachment.js';
import { SourceError } from '../../../src/model/source-error.js';
import type { FeedPage } from '../../../src/ports/news-source.js';
import { FakePressReleaseApi, koreaDay } from '../../support/fake-press-release-api.js';
import { ManualClock } from '../../support/manual-clock.js';

/** The 정책브리핑 API's reader against a fake as strict as data.go.kr, over real HTTP. */

const parser = new ParseSandbox();
afterAll(() => parser.close());

/** A key as data.go.kr shows it "decoded", and the same key "encoded". */
const KEY = 'Ab+cd/EF0123456789xyz==';
const ENCODED_KEY = 'Ab%2Bcd%2FEF0123456789xyz%3D%3D';
/** 2026-12-08 10:30 in Korea. */
const NOW = Date.parse('2026-12-08T01:30:00Z');
const HOUR = 3_600_000;

let api: FakePressReleaseApi;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(NOW);
  api = await new FakePressReleaseApi(() => clock.ms).start();
  api.issueKey(KEY);
});
afterEach(() => api.close());

function reader(options: Partial<PressReleaseReadOptions> = {}, url = api.url) {
  return new PressReleaseApiSource('briefing', url, {
    parser,
    timeoutMs: 5_000,
    maxBytes: 5 * 1024 * 1024,
    retries: 0,
    retryDelayMs: 0,
    userAgent: 'esg-news-bot/test',
    serviceKey: KEY,
    now: () => clock.ms,
    ...options,
  });
}

async function read(source = reader()): Promise<FeedPage> {
  const page = await source.readPage();
  if (page.status !== 'ok' || page.kind !== 'api') throw new Error('expected an API page');
  return page;
}

async function failure(source = reader()): Promise<SourceError> {
  const error = await source.readPage().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

/** The key, in any form it could take, is nowhere in what an error says or carries. */
function expectNoKey(error: SourceError): void {
  const cause = error.cause instanceof Error ? `${error.cause.message}\n${error.cause.stack}` : '';
  const said = [error.message, error.url, error.stack ?? '', cause].join('\n');
  for (const form of [KEY, ENCODED_KEY, encodeURIComponent(ENCODED_KEY), 'Ab+cd', 'Ab%2Bcd']) {
    expect(said).not.toContain(form);
  }
  expect(error.url).toContain('serviceKey=***');
}

describe('the 정책브리핑 API reader', () => {
  it('asks for yesterday and today in Korea and reads each release as an item known by its newsId', async () => {
    api.publish('탄소중립 이행 점검', {
      approvedAt: NOW - 2 * HOUR,
      ministry: '기후에너지환경부',
      body: '<p>정부는 8일 탄소중립 이행 상황을 점검했다.</p><p>담당: 기후정책과</p>',
      files: [
        { name: '보도자료.hwpx', url: 'https://www.korea.kr/common/download.do?fileId=1' },
        { name: '붙임.pdf', url: 'javascript:alert(1)' },
        { name: '', url: 'https://www.korea.kr/files/%EC%B0%B8%EA%B3%A0.pdf' },
      ],
    });
    const older = api.publish('산업 배출권 할당', {
      approvedAt: NOW - 30 * HOUR,
      ministry: '산업통상부',
      subTitle: '배출권 할당 계획 확정',
      originalUrl: 'https://evil.example/briefing?newsId=1',
    });
    api.publish('사흘 전 보도자료', { approvedAt: NOW - 60 * HOUR });

    const page = await read();
    expect(api.requests[0]!.params).toMatchObject({
      startDate: '20261207',
      endDate: '20261208',
      pageNo: '1',
      numOfRows: '100',
    });
    expect(page.items.map((i) => i.post.title)).toEqual(['탄소중립 이행 점검', '산업 배출권 할당']);
    const [first, second] = page.items;
    expect(first).toMatchObject({
      key: `newsId:${Number(api.releases[0]!.newsId)}`,
      ownNumber: Number(api.releases[0]!.newsId),
      publishedAt: NOW - 2 * HOUR,
      post: {
        sourceId: 'briefing',
        ministry: '기후에너지환경부',
        date: '2026-12-08',
        url: `http://www.korea.kr/briefing/pressReleaseView.do?newsId=${api.releases[0]!.newsId}`,
        releaseId: api.releases[0]!.newsId,
        summary: '정부는 8일 탄소중립 이행 상황을 점검했다.',
        attachments: [
          { name: '보도자료.hwpx', url: 'https://www.korea.kr/common/download.do?fileId=1' },
          { name: '참고.pdf', url: 'https://www.korea.kr/files/%EC%B0%B8%EA%B3%A0.pdf' },
        ],
      },
    });
    expect(first!.post.embargoAt).toBeUndefined();
    // A link off korea.kr is not the release's: its korea.kr view is.
    expect(second!.post).toMatchObject({
      url: `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${older.newsId}`,
      summary: '배출권 할당 계획 확정',
      date: '2026-12-07',
    });
    expect(page.posts.map((p) => p.boardNo)).toEqual(page.items.map((i) => i.ownNumber));
    expect(page.validators).toEqual({});
    expect(page.title).toBe('정책브리핑 보도자료');
  });

  it('sends a decoded key encoded once, and an encoded key as it is', async () => {
    api.publish('키 확인');
    expect((await read(reader({ serviceKey: KEY }))).items).toHaveLength(1);
    expect((await read(reader({ serviceKey: ENCODED_KEY }))).items).toHaveLength(1);
    expect(api.requests.map((r) => r.serviceKey)).toEqual([KEY, KEY]);
  });

  it('refuses a read without a key, before any request', async () => {
    const error = await failure(reader({ serviceKey: undefined }));
    expect(error.code).toBe('ACCESS_REFUSED');
    expect(error.message).toMatch(/DATA_GO_KR_SERVICE_KEY/);
    expect(api.requests).toHaveLength(0);
  });

  it('keeps the operator’s own parameters but never a key, window or page of theirs', async () => {
    api.publish('파라미터');
    await read(reader({}, `${api.url}?numOfRows=50&startDate=20200101&extra=1`));
    expect(api.requests[0]!.params).toMatchObject({
      numOfRows: '50',
      startDate: '20261207',
      extra: '1',
    });
  });

  describe('pages through the window', () => {
    const publishMany = (n: number) => {
      for (let i = 0; i < n; i++) api.publish(`보도자료 ${i}`, { approvedAt: NOW - i * 60_000 });
    };

    it('until a short page', async () => {
      publishMany(250);
      expect((await read()).items).toHaveLength(250);
      expect(api.requests.map((r) => r.params.pageNo)).toEqual(['1', '2', '3']);
    });

    it('until totalCount is reached, with no short page', async () => {
      publishMany(200);
      expect((await read()).items).toHaveLength(200);
      expect(api.requests).toHaveLength(2);
    });

    it('without paging fields, until a short page', async () => {
      api.omitPaging = true;
      publishMany(150);
      expect((await read()).items).toHaveLength(150);
      expect(api.requests).toHaveLength(2);
    });

    it('when pageNo is ignored: stops at the first page that brings nothing new', async () => {
      api.ignorePageNo = true;
      publishMany(150);
      expect((await read()).items).toHaveLength(100);
      expect(api.requests).toHaveLength(2);
    });

    it('at most MAX_PAGES_PER_READ pages, and no more items than maxItems', async () => {
      api.maxRows = 10;
      publishMany(150);
      const source = reader({}, `${api.url}?numOfRows=10`);
      expect((await read(source)).items).toHaveLength(10 * MAX_PAGES_PER_READ);
      expect(api.requests).toHaveLength(MAX_PAGES_PER_READ);
      api.requests.length = 0;
      api.maxRows = 100;
      expect((await read(reader({ maxItems: 30 }))).items).toHaveLength(30);
      expect(api.requests).toHaveLength(1);
    });
  });

  describe('holds a release back until its 보도시점', () => {
    it('leaves it off the page, counted, and gives it with embargoAt once the embargo lifts', async () => {
      const embargoAt = NOW + 2 * HOUR;
      const held = api.publish('엠바고 보도자료', { approvedAt: NOW - HOUR, embargoAt });
      api.publish('바로 공개', { approvedAt: NOW - HOUR });
      const before = await read();
      expect(before.items.map((i) => i.post.title)).toEqual(['바로 공개']);
      expect(before.posts.map((p) => p.title)).toEqual(['바로 공개']);
      expect(before.held).toBe(1);
      clock.set(embargoAt);
      const after = await read();
      expect(after.held).toBeUndefined();
      expect(after.items.find((i) => i.post.releaseId === held.newsId)?.post.embargoAt).toBe(
        embargoAt,
      );
    });
  });

  describe('says clearly why a read failed, never with the key', () => {
    it.each([
      ['pending', /about an hour/],
      ['denied', /SERVICE_ACCESS_DENIED_ERROR.*|apply for/],
      ['expired', /period of use has ended/],
      ['unregistered-ip', /IP address/],
    ] as const)('a %s key is ACCESS_REFUSED', async (state, said) => {
      api.issueKey(KEY, state);
      const error = await failure();
      expect(error.code).toBe('ACCESS_REFUSED');
      expect(error.message).toMatch(said);
      expect(error.retryAfterMs).toBeUndefined();
      expectNoKey(error);
    });

    it('an unknown key as not registered, and reads once the gateway knows it', async () => {
      api.keys.clear();
      api.issueKey(KEY, 'pending');
      expect((await failure()).message).toMatch(/SERVICE_KEY_IS_NOT_REGISTERED_ERROR, code 30/);
      api.issueKey(KEY, 'active');
      api.publish('등록 후');
      expect((await read()).items).toHaveLength(1);
    });

    it('a spent quota as QUOTA_EXCEEDED, waiting until midnight in Korea', async () => {
      api.dailyQuota = 2;
      await read();
      await read();
      const error = await failure();
      expect(error.code).toBe('QUOTA_EXCEEDED');
      // 10:30 in Korea: 13.5 hours to midnight.
      expect(error.retryAfterMs).toBe(13.5 * HOUR);
      expect(error.message).toMatch(/2026-12-08T15:00:00\.000Z/);
      expectNoKey(error);
      expect(api.callsOn(koreaDay(NOW))).toBe(3);
      clock.set(Date.parse('2026-12-08T15:00:00Z'));
      await read();
    });

    it('THREE_DAYS_OVER_ERROR as a bug of the bot', async () => {
      api.rawBody =
        '<response><header><resultCode>99</resultCode><resultMsg>THREE_DAYS_OVER_ERROR</resultMsg></header></response>';
      const error = await failure();
      expect(error.code).toBe('API_ERROR');
      expect(error.message).toMatch(/a bug in the bot/);
      expectNoKey(error);
    });

    it('an answer that is no XML of the API, or cut off, as UNPARSEABLE', async () => {
      api.publish('잘리는 응답');
      api.rawBody = '<html><body>Unexpected errors</body></html>';
      expect((await failure()).code).toBe('UNPARSEABLE');
      api.rawBody = null;
      api.truncated = true;
      const error = await failure();
      expect(error.code).toBe('UNPARSEABLE');
      expect(error.message).toMatch(/cut off/);
      expectNoKey(error);
    });

    it('an HTTP error as HTTP_STATUS', async () => {
      api.httpStatus = 502;
      const error = await failure();
      expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 502 });
      expectNoKey(error);
    });
  });

  describe('reads a hostile answer within bounds', () => {
    it('refuses one larger than maxBytes before parsing it', async () => {
      api.rawBody = Buffer.alloc(50 * 1024 * 1024, 'a');
      const error = await failure();
      expect(error.code).toBe('TOO_LARGE');
      expectNoKey(error);
    });

    it('reads megabytes of fields, thousands of files and deep nesting, bounded', async () => {
      const huge = 'x'.repeat(1024 * 1024);
      const files = Array.from(
        { length: 1_000 },
        (_, i) =>
          `<FileName>${'긴이름'.repeat(100)}${i}.hwp</FileName><FileUrl>https://www.korea.kr/f/${i}.hwp</FileUrl>`,
      ).join('');
      const deep = `${'<b>'.repeat(50_000)}깊은 제목${'</b>'.repeat(50_000)}`;
      api.rawBody =
        '<response><header><resultCode>00</resultCode><resultMsg>OK</resultMsg></header><body>' +
        `<NewsItem><NewsItemId>1</NewsItemId><Title>${huge}</Title><MinisterCode>${huge}</MinisterCode>` +
        `<ApproveDate>12/08/2026 09:00:00</ApproveDate><DataContents>${huge}</DataContents>${files}</NewsItem>` +
        `<NewsItem><NewsItemId>2</NewsItemId><Title>${deep}</Title><ApproveDate>12/08/2026 09:00:00</ApproveDate></NewsItem>` +
        '</body></response>';
      const page = await read();
      const [first] = page.items;
      expect(first!.post.title.length).toBeLessThanOrEqual(300);
      expect(first!.post.ministry!.length).toBeLessThanOrEqual(100);
      expect(first!.post.attachments).toHaveLength(MAX_ATTACHMENTS_KEPT);
      for (const file of first!.post.attachments!) {
        expect(file.name.length).toBeLessThanOrEqual(MAX_ATTACHMENT_NAME);
      }
      // The deeply nested title is read only as far as the bound: no text, so no item.
      expect(page.items.length + page.skipped.length).toBe(2);
    });

    it('skips an item without a newsId or a title, saying which', async () => {
      api.publish('아이디 없는 보도자료', { withoutId: true });
      api.publish('정상 보도자료');
      const page = await read();
      expect(page.items.map((i) => i.post.title)).toEqual(['정상 보도자료']);
      expect(page.skipped).toEqual([expect.stringMatching(/아이디 없는 보도자료.*NewsItemId/)]);
    });
  });
});
