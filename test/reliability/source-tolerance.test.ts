import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { FakeBoard } from '../support/fake-board.js';
import { fixture, fixtureText } from '../support/fixtures.js';
import { ManualClock } from '../support/manual-clock.js';
import { startHttpServer, type LocalServer } from '../support/http-server.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';

/** A feed at one URL whose answer the test sets, recording each request. */
class FeedServer {
  serve: (res: ServerResponse) => void = () => undefined;
  readonly requests: IncomingMessage[] = [];
  server: LocalServer | null = null;

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => {
      this.requests.push(req);
      this.serve(res);
    });
    return this;
  }

  get url(): string {
    return `${this.server!.url}/rss`;
  }
}

const feed =
  (body: string | Buffer, type = 'application/rss+xml; charset=utf-8') =>
  (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': type }).end(body);

/** Log lines of a pipeline, parsed. */
function logSink() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: createLogger('warn', sink) };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function started<T extends { start(): Promise<T>; close(): Promise<void> }>(thing: T) {
  await thing.start();
  cleanup.push(() => thing.close());
  return thing;
}

async function startFeed(): Promise<FeedServer> {
  const server = await new FeedServer().start();
  cleanup.push(() => server.server!.close());
  return server;
}

const KOREA_KR_TITLE = '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다';
const SKIPPED_MESSAGE = 'rows skipped on the source page';

describe('one broken row does not cost the page', () => {
  it('announces a good new post below a row whose link is http://, and warns about that row', async () => {
    const board = await started(new FakeBoard());
    const slack = new RecordingNotifier('slack');
    const { lines, logger } = logSink();
    const pipeline = await started(
      new PipelineHarness({ feedUrl: board.url, notifiers: [slack], logger }),
    );
    await pipeline.subscribe('slack', 'C1');
    await pipeline.pollOnce();

    board.publish('깨진 행 아래의 새 글');
    board.publish('링크가 깨진 글').href = 'http://';
    expect(await pipeline.pollOnce()).toMatchObject({ status: 'read', announced: [1653] });
    await pipeline.drain();

    expect(slack.sent.map((a) => [a.boardNo, a.title])).toEqual([[1653, '깨진 행 아래의 새 글']]);
    const state = await pipeline.states.get(pipeline.sourceId);
    expect(state).toMatchObject({ lastError: null, failingSince: null, cursor: 1653 });
    expect(lines.find((l) => l.msg === SKIPPED_MESSAGE)).toMatchObject({
      level: 40,
      source: pipeline.sourceId,
      skipped: ['row 1654: link "http://" is not a valid URL'],
    });
  });
});

describe('feeds whose charset label cannot hold their bytes', () => {
  it.each([
    ['labelled us-ascii in the HTTP header', 'application/rss+xml; charset=us-ascii', null],
    ['declared iso-8859-1 in the XML prolog', 'text/xml', 'iso-8859-1'],
  ])('reads UTF-8 Korean %s without mojibake', async (_case, type, prolog) => {
    const source = await startFeed();
    const xml = fixtureText('korea-kr/pressrelease.xml');
    source.serve = feed(
      prolog ? xml.replace('encoding="UTF-8"', `encoding="${prolog}"`) : xml,
      type,
    );
    const pipeline = await started(
      new PipelineHarness({ feedUrl: source.url, notifiers: [new RecordingNotifier()] }),
    );
    expect(await pipeline.pollOnce()).toMatchObject({ status: 'initialized', archived: 10 });

    const posts = await pipeline.archive.newest(pipeline.sourceId, 10);
    expect(posts.map((p) => p.title)).toContain(KOREA_KR_TITLE);
    expect(posts.map((p) => p.ministry)).toContain('국토교통부');
    for (const post of posts) {
      expect(post.title, `post ${post.boardNo}`).toMatch(/[가-힣]/);
      expect(post.title, `post ${post.boardNo}`).not.toMatch(/[\uFFFD\u00C0-\u00FF]/);
    }
  });
});

describe('links are http(s) only', () => {
  it('never turns a javascript: feed link into a post link: it uses an http(s) guid or skips the item', async () => {
    const source = await startFeed();
    source.serve = feed(fixture('korea-kr/pressrelease.xml'));
    const slack = new RecordingNotifier('slack');
    const { lines, logger } = logSink();
    const pipeline = await started(
      new PipelineHarness({ feedUrl: source.url, notifiers: [slack], logger }),
    );
    await pipeline.subscribe('slack', 'C1');
    await pipeline.pollOnce();

    const view = (id: number) => `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${id}`;
    const items = [
      `<link>javascript:view?newsId=156700001</link><guid isPermaLink="false">156700001</guid>`,
      `<link>JavaScript:openView('156700002')</link><guid>${view(156700002)}</guid>`,
      `<link>${view(156700003)}</link>`,
    ]
      .map(
        (fields, i) =>
          // Dated now: older items would be archived without an alert (SOURCE_MAX_AGE).
          `<item><title>[환경부]새 보도자료 ${i + 1}</title>${fields}<pubDate>${new Date().toUTCString()}</pubDate></item>`,
      )
      .join('');
    source.serve = feed(
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>보도자료</title>${items}</channel></rss>`,
    );
    expect(await pipeline.pollOnce()).toMatchObject({
      status: 'read',
      announced: [156700002, 156700003],
    });
    await pipeline.drain();

    expect(slack.sent.map((a) => a.boardNo)).toEqual([156700002, 156700003]);
    expect(await pipeline.archive.get(pipeline.sourceId, 156700001)).toBeNull();
    for (const post of await pipeline.archive.newest(pipeline.sourceId, 20)) {
      expect(post.url, `post ${post.boardNo}`).toMatch(/^https?:\/\/[^/]+\//);
    }
    expect((await pipeline.archive.get(pipeline.sourceId, 156700002))?.url).toBe(view(156700002));
    expect(lines.find((l) => l.msg === SKIPPED_MESSAGE)).toMatchObject({
      skipped: ['item 156700001: link "javascript:view?newsId=156700001" is not an http(s) URL'],
    });
  });
});

describe('a source that asks us to wait (Retry-After)', () => {
  /** The bot's clock stands still unless the test moves it: each wait ends at an exact instant. */
  async function boardPipeline() {
    const board = await started(new FakeBoard());
    const slack = new RecordingNotifier('slack');
    const clock = new ManualClock();
    const pipeline = await started(
      new PipelineHarness({ feedUrl: board.url, notifiers: [slack], now: clock.now }),
    );
    await pipeline.subscribe('slack', 'C1');
    await pipeline.pollOnce();
    return { board, slack, pipeline, clock };
  }

  it.each([
    ['503', 'http503'],
    ['429', 'http429'],
  ] as const)(
    'after a %s with Retry-After: 2, sends it nothing until then, then reads again',
    async (_status, fault) => {
      const { board, slack, pipeline, clock } = await boardPipeline();
      board.publish('기다린 뒤에 읽힐 글');
      board.fault = fault;
      board.retryAfter = '2';
      const asked = clock.ms;
      await expect(pipeline.pollOnce()).rejects.toThrow(
        fault === 'http503' ? /HTTP 503/ : /HTTP 429/,
      );
      const failed = await pipeline.states.get(pipeline.sourceId);
      expect(failed.lastError).toMatch(/^HTTP_STATUS: .*retry after 2 s/);
      expect(failed.notBefore).toEqual(new Date(asked + 2_000));

      // Healthy again, but it asked for two seconds: up to their last millisecond, no poll knocks.
      board.fault = null;
      const requests = board.requests.length;
      clock.set(asked + 1_999);
      expect(await pipeline.pollOnce()).toEqual({
        status: 'deferred',
        until: failed.notBefore!.toISOString(),
      });
      expect(board.requests.length).toBe(requests);

      clock.set(failed.notBefore!);
      expect(await pipeline.pollOnce()).toMatchObject({ status: 'read', announced: [1653] });
      await pipeline.drain();
      expect(slack.sent.map((a) => a.boardNo)).toEqual([1653]);
      expect((await pipeline.states.get(pipeline.sourceId)).notBefore).toBeUndefined();
    },
  );

  it('after a 503 with Retry-After: 120, defers every poll for two minutes without recording anything', async () => {
    const { board, pipeline, clock } = await boardPipeline();
    board.fault = 'http503';
    board.retryAfter = '120';
    const asked = clock.ms;
    await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 503, asking to retry after 120 s/);
    const failed = await pipeline.states.get(pipeline.sourceId);
    expect(failed.notBefore).toEqual(new Date(asked + 120_000));
    expect(failed.failingSince).not.toBeNull();

    const requests = board.requests.length;
    for (const after of [0, 60_000, 119_999]) {
      clock.set(asked + after);
      expect(await pipeline.pollOnce()).toMatchObject({ status: 'deferred' });
    }
    expect(board.requests.length).toBe(requests);
    // Neither a success nor another failure: the state is as the failed read left it.
    expect(await pipeline.states.get(pipeline.sourceId)).toEqual(failed);
  });

  it('caps a Retry-After far in the future (an HTTP date in 2099) at six hours', async () => {
    const { board, pipeline, clock } = await boardPipeline();
    board.fault = 'http429';
    board.retryAfter = 'Thu, 01 Jan 2099 00:00:00 GMT';
    const asked = clock.ms;
    await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 429/);
    const { notBefore } = await pipeline.states.get(pipeline.sourceId);
    expect(notBefore).toEqual(new Date(asked + 6 * 3_600_000));
  });
});

describe('USER_AGENT', () => {
  it('reaches the source as configured', async () => {
    const source = await startFeed();
    source.serve = feed(fixture('korea-kr/pressrelease.xml'));
    const userAgent = 'esg-news-bot-test/9.9 (+https://example.invalid/contact)';
    const pipeline = await started(
      new PipelineHarness({
        feedUrl: source.url,
        notifiers: [new RecordingNotifier()],
        env: { USER_AGENT: userAgent },
      }),
    );
    await pipeline.pollOnce();
    expect(source.requests.map((r) => r.headers['user-agent'])).toEqual([userAgent]);
  });
});
