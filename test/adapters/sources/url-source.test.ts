import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlSource, type SourceReadOptions } from '../../../adapters/sources/url-source.js';
import { ParseSandbox } from '../../../adapters/sources/parse-sandbox.js';
import { SourceError } from '../../../src/model/source-error.js';
import type { Post } from '../../../src/model/post.js';
import type { PageRead } from '../../../src/ports/news-source.js';
import { fixture } from '../../support/fixtures.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';

const HTML = 'text/html; charset=utf-8';

/** When each request to `/flaky/<name>` arrived (`Date.now()`), per name. */
const flakyArrivals = new Map<string, number[]>();

/**
 * `/flaky/<name>?status=503&after=120&times=1`: the first `times` requests answer `status`
 * with `Retry-After: after` (`date=S`: the HTTP date of S seconds since the epoch), then the
 * saved board.
 */
function flaky(url: URL, res: ServerResponse): boolean {
  const arrivals = flakyArrivals.get(url.pathname) ?? [];
  flakyArrivals.set(url.pathname, arrivals);
  arrivals.push(Date.now());
  if (arrivals.length > Number(url.searchParams.get('times') ?? 1)) return false;
  const after = url.searchParams.get('after');
  const date = url.searchParams.get('date');
  if (after !== null) res.setHeader('retry-after', after);
  if (date !== null) res.setHeader('retry-after', new Date(Number(date) * 1000).toUTCString());
  res.statusCode = Number(url.searchParams.get('status'));
  res.end('busy');
  return true;
}

/** Serves the saved board and feeds the way the real sites do, plus broken variants. */
function fixtureSite(requests: IncomingMessage[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (type: string | null, body: Buffer | string, status = 200) => {
      if (type) res.setHeader('content-type', type);
      res.statusCode = status;
      res.end(body);
    };
    const post = /^\/post\/(\d+)$/.exec(url.pathname);
    if (url.pathname.startsWith('/flaky/') && flaky(url, res)) return;
    switch (true) {
      case url.pathname.startsWith('/flaky/'):
        return send(HTML, fixture('kpc-esg-board/list-page-1.html'));
      case url.pathname === '/broken-row':
        // The saved page with its newest post's link emptied to `http://`.
        return send(
          HTML,
          fixture('kpc-esg-board/list-page-1.html')
            .toString('utf8')
            .replace('href="/post/4391?page=1"', 'href="http://"'),
        );
      case url.pathname === '/post':
        return send(
          HTML,
          fixture(`kpc-esg-board/list-page-${url.searchParams.get('page') ?? 1}.html`),
        );
      case post !== null:
        return send(HTML, fixture(`kpc-esg-board/post-${post[1]}.html`));
      case url.pathname === '/rss/pressrelease.xml':
        return send('application/rss+xml; charset=utf-8', fixture('korea-kr/pressrelease.xml'));
      case url.pathname === '/rss/euc-kr.xml':
        // Declared only in the XML prolog, as many Korean sites do.
        return send('text/xml', fixture('generic-feeds/pressrelease.euc-kr.xml'));
      case url.pathname === '/atom.xml':
        return send('application/atom+xml', fixture('generic-feeds/esg-news.atom.xml'));
      case url.pathname === '/rss1.xml':
        return send('application/rdf+xml', fixture('generic-feeds/esg-news.rss1.xml'));
      case url.pathname === '/cached': {
        const etag = '"board-v1"';
        res.setHeader('etag', etag);
        res.setHeader('last-modified', 'Mon, 27 Nov 2023 00:00:00 GMT');
        if (req.headers['if-none-match'] === etag) return send(null, '', 304);
        return send(HTML, fixture('kpc-esg-board/list-page-1.html'));
      }
      case url.pathname === '/slow':
        return; // never answers
      case url.pathname === '/broken':
        return send(HTML, 'internal error', 500);
      case url.pathname === '/login':
        return send(
          HTML,
          '<html><body><form action="/login"><input name="id"><input type="password"></form></body></html>',
        );
      case url.pathname === '/huge': {
        // No Content-Length: the limit must hold while streaming, too.
        res.setHeader('content-type', HTML);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const write = () => {
          while (sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', write);
          }
          res.end();
        };
        res.on('error', () => undefined);
        return write();
      }
      case url.pathname === '/invalid.xml':
        return send(
          'application/rss+xml',
          '<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</ti',
        );
      default:
        return send('text/plain', 'not found', 404);
    }
  };
}

/** One parse worker for the file's sources, as a deployment has one per origin. */
const parser = new ParseSandbox();
afterAll(() => parser.close());

const options: SourceReadOptions = {
  parser,
  timeoutMs: 500,
  maxBytes: 5 * 1024 * 1024,
  retries: 1,
  retryDelayMs: 10,
  userAgent: 'esg-news-bot/test (+https://example.invalid)',
};

let site: LocalServer;
const requests: IncomingMessage[] = [];

beforeAll(async () => {
  site = await startHttpServer(fixtureSite(requests));
});
afterAll(() => site.close());

function okPosts(read: PageRead): Post[] {
  if (read.status !== 'ok') throw new Error(`expected a page, got ${read.status}`);
  return read.posts;
}

describe('board source', () => {
  it('reads list pages 1 and 2 into 40 posts with numbers, titles, dates and absolute links', async () => {
    const source = new UrlSource(`${site.url}/post`, options);
    const page1 = await source.readPage(1);
    const page2 = await source.readPage(2);
    const posts = [...okPosts(page1), ...okPosts(page2)];

    expect(posts).toHaveLength(40);
    expect(posts.map((p) => p.boardNo)).toEqual(Array.from({ length: 40 }, (_, i) => 1652 - i));
    expect(posts[0]).toEqual({
      sourceId: source.id,
      boardNo: 1652,
      title: '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다',
      ministry: null,
      date: '2023-11-27',
      url: `${site.url}/post/4391`,
      originalUrl: null,
    });
    expect(posts.find((p) => p.boardNo === 1645)?.title).toBe(
      '3국 환경장관, 황사개선 협력 등 공동합의문 서명',
    );
    expect(posts.find((p) => p.boardNo === 1632)).toMatchObject({
      title: '탄소중립 실천 포인트제 참여 기업 100곳 돌파',
      date: '2023-11-24',
      url: `${site.url}/post/4371`,
    });
    expect(posts.every((p) => p.url.startsWith(`${site.url}/post/`))).toBe(true);
    expect(page1.status === 'ok' && page1.kind).toBe('board');
    expect(page1.status === 'ok' && page1.hasOlderPages).toBe(true);
  });

  it('asks for older pages with ?page=N and names itself in the User-Agent', async () => {
    const source = new UrlSource(`${site.url}/post`, options);
    await source.readPage(2);
    const last = requests.at(-1)!;
    expect(last.url).toBe('/post?page=2');
    expect(last.headers['user-agent']).toBe(options.userAgent);
  });

  it('completes post 3419 with 외교부, its lead and its korea.kr link', async () => {
    const source = new UrlSource(`${site.url}/post`, options);
    const post = await source.complete({
      sourceId: source.id,
      boardNo: 1,
      title: '한미일 외교차관 통화(7.24.) 결과',
      ministry: null,
      date: '2023-07-24',
      url: `${site.url}/post/3419`,
      originalUrl: null,
    });
    expect(post.ministry).toBe('외교부');
    expect(post.summary).toMatch(/^장호진 외교부 1차관은 7\.24\.\(월\) 오전 /);
    expect(post.originalUrl).toMatch(
      /^https:\/\/www\.korea\.kr\/briefing\/pressReleaseView\.do\?newsId=156581997&pageIndex=2/,
    );
  });

  it('finds the ministry of every post on the saved board', async () => {
    // 40 post pages parsed at once: on a busy machine the 500 ms limit is about CPU, not HTTP.
    const source = new UrlSource(`${site.url}/post`, { ...options, timeoutMs: 5_000 });
    const posts = [...okPosts(await source.readPage(1)), ...okPosts(await source.readPage(2))];
    const completed = await Promise.all(posts.map((p) => source.complete(p)));
    for (const post of completed) {
      expect(post.ministry, `post ${post.boardNo}`).toMatch(/^[가-힣]+(부|청|처|원|위원회)$/);
      expect(post.originalUrl, `post ${post.boardNo}`).toMatch(/^https:\/\/www\.korea\.kr\//);
    }
    expect(completed.find((p) => p.boardNo === 1632)?.ministry).toBe('환경부');
  });

  it('leaves out a row whose link is http:// and reports it with the rest of the page', async () => {
    const read = await new UrlSource(`${site.url}/broken-row`, options).readPage(1);
    expect(okPosts(read).map((p) => p.boardNo)).toEqual(
      Array.from({ length: 19 }, (_, i) => 1651 - i),
    );
    expect(read.status === 'ok' && read.skipped).toEqual([
      'row 1652: link "http://" is not a valid URL',
    ]);
  });

  it('does not parse again when a repeated read is answered 304', async () => {
    const source = new UrlSource(`${site.url}/cached`, options);
    const first = await source.readPage(1);
    expect(okPosts(first)).toHaveLength(20);
    const validators = first.status === 'ok' ? first.validators : {};
    expect(validators).toEqual({
      etag: '"board-v1"',
      lastModified: 'Mon, 27 Nov 2023 00:00:00 GMT',
    });

    const second = await source.readPage(1, validators);
    expect(second).toEqual({ status: 'not-modified' });
    // The last request to this path: a late retry from another test may have come after it.
    const conditional = requests.filter((r) => r.url === '/cached').at(-1)!;
    expect(conditional.headers['if-none-match']).toBe('"board-v1"');
    expect(conditional.headers['if-modified-since']).toBe('Mon, 27 Nov 2023 00:00:00 GMT');
  });
});

describe('feed source', () => {
  it('reads the korea.kr RSS: 10 items, ministry from the [부처명] prefix, numbers from newsId', async () => {
    const source = new UrlSource(`${site.url}/rss/pressrelease.xml`, options);
    const read = await source.readPage(1);
    if (read.status !== 'ok' || read.kind !== 'feed') throw new Error('expected a feed');
    expect(read.title).toBe('보도자료');
    expect(read.items).toHaveLength(10);
    const url =
      'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156605000&call_from=rsslink';
    expect(read.items[0]).toEqual({
      key: `link:${url}`,
      ownNumber: 156605000,
      publishedAt: Date.parse('2023-11-27T09:00:00Z'),
      post: {
        sourceId: source.id,
        title: '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다',
        ministry: '국토교통부',
        date: '2023-11-27',
        url,
        originalUrl: null,
        // The description's sentence; its view button and `[자료제공 :]` footer left out.
        summary:
          '국토교통부는 정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다 관련 내용을 발표하였습니다.',
      },
    });
    // Numbered by newsId for lookups (`/news 156605000`) before the poll numbers them.
    expect(read.posts[0]).toMatchObject({ boardNo: 156605000, itemKey: `link:${url}` });
    expect(read.posts).toHaveLength(10);
    expect(read.items.map((i) => i.post.ministry)).toContain('새만금개발청');
    expect(read.items.every((i) => !i.post.title.startsWith('['))).toBe(true);
  });

  it('names a board by its page title without the site name', async () => {
    const read = await new UrlSource(`${site.url}/post`, options).readPage(1);
    expect(read.status === 'ok' && read.title).toBe('ESG 정책뉴스');
  });

  it('reads the EUC-KR feed into the same titles as its UTF-8 twin', async () => {
    const utf8 = okPosts(
      await new UrlSource(`${site.url}/rss/pressrelease.xml`, options).readPage(1),
    );
    const eucKr = okPosts(await new UrlSource(`${site.url}/rss/euc-kr.xml`, options).readPage(1));
    expect(eucKr.map((p) => p.title)).toEqual(utf8.map((p) => p.title));
    expect(eucKr.map((p) => p.ministry)).toEqual(utf8.map((p) => p.ministry));
  });

  it('reads Atom with the ministry from its category', async () => {
    const posts = okPosts(await new UrlSource(`${site.url}/atom.xml`, options).readPage(1));
    expect(posts).toHaveLength(5);
    expect(posts[0]).toMatchObject({
      boardNo: 4391,
      ministry: '국토교통부',
      url: 'https://k-esg.org/post/4391',
      date: '2023-11-27',
    });
  });

  it('reads RSS 1.0 with the ministry from dc:creator and the number from wr_id', async () => {
    const posts = okPosts(await new UrlSource(`${site.url}/rss1.xml`, options).readPage(1));
    expect(posts.map((p) => [p.boardNo, p.ministry])).toEqual([
      [1652, '국토교통부'],
      [1651, '행정안전부'],
      [1650, '환경부'],
    ]);
  });
});

describe('failed reads', () => {
  async function failure(
    path: string,
    overrides: Partial<SourceReadOptions> = {},
  ): Promise<SourceError> {
    const source = new UrlSource(`${site.url}${path}`, { ...options, ...overrides });
    const error: unknown = await source.readPage(1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }

  it('ends a read that takes too long in a TIMEOUT', async () => {
    const error = await failure('/slow', { timeoutMs: 200, retries: 0 });
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('200 ms');
  });

  it('ends a 500 in HTTP_STATUS after retrying', async () => {
    const before = requests.filter((r) => r.url === '/broken').length;
    const error = await failure('/broken', { retries: 2 });
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 500 });
    expect(requests.filter((r) => r.url === '/broken').length - before).toBe(3);
  });

  it('refuses a login page served instead of the board as NOT_A_SOURCE', async () => {
    expect((await failure('/login')).code).toBe('NOT_A_SOURCE');
  });

  it('refuses a 10 MB body as TOO_LARGE', async () => {
    expect((await failure('/huge')).code).toBe('TOO_LARGE');
  });

  it('reports a missing page as HTTP_STATUS without retrying it', async () => {
    const before = requests.length;
    expect(await failure('/gone', { retries: 3 })).toMatchObject({
      code: 'HTTP_STATUS',
      status: 404,
    });
    expect(requests.length - before).toBe(1);
  });

  it('refuses invalid XML as UNPARSEABLE', async () => {
    expect((await failure('/invalid.xml')).code).toBe('UNPARSEABLE');
  });

  const hits = (path: string) => requests.filter((r) => r.url?.startsWith(path)).length;

  it('waits out a short Retry-After on a 503 before retrying, instead of its own back-off', async () => {
    const source = new UrlSource(`${site.url}/flaky/503-short?status=503&after=1`, options);
    expect(okPosts(await source.readPage(1))).toHaveLength(20);
    expect(hits('/flaky/503-short')).toBe(2);
    // The retry reached the site no earlier than the second it asked for, by the site's clock
    // (Node's timers count whole milliseconds, so one of them may be a rounding).
    const [refused, retried] = flakyArrivals.get('/flaky/503-short')!;
    expect(retried! - refused!).toBeGreaterThanOrEqual(1_000 - 1);
  });

  it('retries a 429 only when it says when (Retry-After: 0), and not when it does not', async () => {
    const waited = new UrlSource(`${site.url}/flaky/429-now?status=429&after=0`, options);
    expect(okPosts(await waited.readPage(1))).toHaveLength(20);
    expect(hits('/flaky/429-now')).toBe(2);

    const error = await failure('/flaky/429-bare?status=429', { retries: 3 });
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 429, retryAfterMs: undefined });
    expect(hits('/flaky/429-bare')).toBe(1);
  });

  it('fails at once with the wait when Retry-After is longer than a fetch should sleep', async () => {
    const error = await failure('/flaky/503-long?status=503&after=120&times=9', { retries: 2 });
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 503, retryAfterMs: 120_000 });
    expect(error.message).toContain('retry after 120 s');
    expect(hits('/flaky/503-long')).toBe(1);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    // A whole second a minute ahead: the date says it exactly (HTTP dates have no fractions).
    const at = (Math.floor(Date.now() / 1000) + 60) * 1000;
    const before = Date.now();
    const error = await failure(`/flaky/429-date?status=429&date=${at / 1000}`, { retries: 0 });
    const after = Date.now();
    // Measured from the moment the answer was read, somewhere between the two.
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(at - after);
    expect(error.retryAfterMs).toBeLessThanOrEqual(at - before);
  });

  it('reports an unreachable host as NETWORK', async () => {
    const closed = new UrlSource('http://127.0.0.1:1/post', { ...options, retries: 0 });
    await expect(closed.readPage(1)).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
