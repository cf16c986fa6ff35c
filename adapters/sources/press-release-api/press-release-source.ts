import { redactUrl, SourceError } from '../../../src/model/source-error.js';
import { koreaDate, type Post } from '../../../src/model/post.js';
import type {
  FeedItem,
  FeedPage,
  NewsSource,
  PageRead,
  ReadHints,
  Validators,
} from '../../../src/ports/news-source.js';
import { SERVICE_KEY_VARIABLE } from '../../../src/sources/press-release-api.js';
import { fetchDocument } from '../http-fetcher.js';
import { ParseRefusedError } from '../parse-jobs.js';
import { DEFAULT_MAX_ITEMS, type SourceReadOptions } from '../url-source.js';
import { answerError } from './press-release-errors.js';
import type { ApiListAnswer, ApiRelease } from './press-release-parser.js';
import { koreaDay, readWindows, type DayWindow } from './korea-time.js';

/** Rows asked for per page, unless the operator's URL says `numOfRows`. */
export const DEFAULT_ROWS_PER_PAGE = 100;

/** Most pages one read asks for: each is one of the key's 1,000 calls a day. */
export const MAX_PAGES_PER_READ = 10;

/** What the API is called in chat: it has no title of its own. */
const API_TITLE = '정책브리핑 보도자료';

export interface PressReleaseReadOptions extends SourceReadOptions {
  /**
   * The operator's service key (`DATA_GO_KR_SERVICE_KEY`), in data.go.kr's encoded form
   * (`…%2B…%3D%3D`) or decoded: sent encoded exactly once. `undefined` refuses every read.
   */
  serviceKey: string | undefined;
  /** The reader's clock: the window of days asked for, and which embargoes have lifted. */
  now?: () => number;
}

/**
 * The 정책브리핑 보도자료 API (data.go.kr) as a source: each read asks for yesterday and today
 * in Korea (the API refuses windows over three days) and pages through the answer, then
 * gives every release as a feed item known by its `newsId` (`newsId:<id>`, numbered by it:
 * `/news <newsId>` finds it). A release whose 보도시점 is still ahead is held back: not on the
 * page at all, so nothing of it is archived, seen or shown before it may be published.
 *
 * The key is added to the request only when it is sent: the source's `url`, its errors and
 * its logs carry the address without it.
 */
export class PressReleaseApiSource implements NewsSource {
  constructor(
    readonly id: string,
    /** The configured address, without a key (the configuration refuses one there). */
    readonly url: string,
    private readonly options: PressReleaseReadOptions,
  ) {}

  async readPage(_page?: number, _validators?: Validators, hints?: ReadHints): Promise<PageRead> {
    // The same windows whatever page is asked for: the API's answer is the whole listing.
    const key = this.options.serviceKey?.trim();
    if (!key) {
      throw new SourceError(
        'ACCESS_REFUSED',
        `${redactUrl(this.url)}: no service key (${SERVICE_KEY_VARIABLE} is not set)`,
        { url: this.url },
      );
    }
    const nowMs = this.now();
    const byId = new Map<string, ApiRelease>();
    const skipped: string[] = [];
    let requests = 0;
    for (const window of readWindows(nowMs, hints?.heldFrom)) {
      const part = await this.readAllPages(key, window, byId);
      skipped.push(...part.skipped);
      requests += part.requests;
    }
    return this.page({ releases: [...byId.values()], skipped, requests }, nowMs);
  }

  /** Items arrive complete. */
  complete(post: Post): Promise<Post> {
    return Promise.resolve(post);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private get maxItems(): number {
    return this.options.maxItems ?? DEFAULT_MAX_ITEMS;
  }

  /**
   * Every release of the window, into `byId` (a release listed twice, new and updated, is its
   * latest modification): pages until `totalCount` is reached (or, without it, a page is
   * short), a page brings nothing new (an API that ignores `pageNo` answers page 1 again),
   * `maxItems` are read or {@link MAX_PAGES_PER_READ} pages were asked for.
   */
  private async readAllPages(
    key: string,
    window: DayWindow,
    byId: Map<string, ApiRelease>,
  ): Promise<{ skipped: string[]; requests: number }> {
    const skipped: string[] = [];
    const rows = this.rowsPerPage();
    let listed = 0;
    let requests = 0;
    for (let pageNo = 1; pageNo <= MAX_PAGES_PER_READ; pageNo++) {
      const answer = await this.readOnePage(key, window, pageNo, rows);
      requests++;
      let added = 0;
      for (const release of answer.releases) {
        const before = byId.get(release.newsId);
        if (!before) added++;
        if (!before || (release.modifiedAt ?? 0) > (before.modifiedAt ?? 0)) {
          byId.set(release.newsId, release);
        }
      }
      if (added > 0 || pageNo === 1) skipped.push(...answer.skipped);
      listed += answer.itemCount;
      // `totalCount`, when given, says whether more pages exist; else a short page does (short
      // of the `numOfRows` the API says it used, which may be less than asked for).
      const complete =
        answer.totalCount !== null
          ? listed >= answer.totalCount
          : answer.itemCount < (answer.numOfRows ?? rows);
      const full = byId.size + skipped.length >= this.maxItems;
      if (complete || added === 0 || full) break;
    }
    return { skipped, requests };
  }

  private async readOnePage(
    key: string,
    window: DayWindow,
    pageNo: number,
    rows: number,
  ): Promise<ApiListAnswer> {
    const request = this.requestUrl(key, window, pageNo, rows);
    const result = await fetchDocument(request, this.options);
    // The API sends no validators: a 304 never comes, but an empty page is no harm.
    if (result.status === 'not-modified') return emptyAnswer();
    const { bytes, contentType } = result.document;
    let answer;
    try {
      answer = await this.options.parser.parsePressReleases({
        bytes,
        contentType,
        url: redactUrl(request),
        maxItems: this.maxItems,
      });
    } catch (error) {
      if (!(error instanceof ParseRefusedError)) throw error;
      throw new SourceError(
        'TOO_COSTLY',
        `${redactUrl(request)} ${error.detail} (hostile or broken XML); not read`,
        { url: request, cause: error },
      );
    }
    const failure = answerError(answer, request, this.now());
    if (failure) throw failure;
    return answer as ApiListAnswer;
  }

  /**
   * The request: the configured address and the operator's own parameters, the window, the
   * page, and the key, which the URL encodes once (a key given encoded is decoded first).
   */
  private requestUrl(key: string, window: DayWindow, pageNo: number, rows: number): string {
    const url = new URL(this.url);
    for (const name of [...url.searchParams.keys()]) {
      if (/^(servicekey|startdate|enddate|pageno)$/i.test(name)) url.searchParams.delete(name);
    }
    const { startDate, endDate } = window;
    url.searchParams.set('serviceKey', decodedKey(key));
    url.searchParams.set('startDate', startDate);
    url.searchParams.set('endDate', endDate);
    url.searchParams.set('pageNo', String(pageNo));
    url.searchParams.set('numOfRows', String(rows));
    return url.toString();
  }

  /** `numOfRows` of the operator's URL (1–1000), else {@link DEFAULT_ROWS_PER_PAGE}. */
  private rowsPerPage(): number {
    const given = new URL(this.url).searchParams.get('numOfRows');
    const rows = given && /^\d{1,4}$/.test(given) ? Number(given) : NaN;
    return rows >= 1 && rows <= 1000 ? rows : DEFAULT_ROWS_PER_PAGE;
  }

  /** The releases as a feed page, newest first, those under embargo held back. */
  private page(
    read: { releases: ApiRelease[]; skipped: string[]; requests: number },
    nowMs: number,
  ): FeedPage {
    const shown = read.releases.filter((r) => r.embargoAt === null || r.embargoAt <= nowMs);
    const newestFirst = [...shown].sort(
      (a, b) => (b.approvedAt ?? nowMs) - (a.approvedAt ?? nowMs),
    );
    const items = newestFirst.map((release) => this.itemOf(release, nowMs));
    const page: FeedPage = {
      status: 'ok',
      kind: 'api',
      items,
      posts: items.map(({ key, ownNumber, post }) => ({
        ...post,
        boardNo: ownNumber!,
        itemKey: key,
      })),
      skipped: read.skipped,
      hasOlderPages: false,
      validators: {},
      title: API_TITLE,
    };
    const held = read.releases.filter((r) => !shown.includes(r));
    if (held.length > 0) page.held = held.length;
    // The oldest held release's day: the next reads reach back to it until it is out.
    const heldDays = held.flatMap((r) => (r.approvedAt === null ? [] : [koreaDay(r.approvedAt)]));
    if (heldDays.length > 0) page.heldFrom = heldDays.sort()[0]!;
    if (read.requests > 1) page.requests = read.requests;
    return page;
  }

  private itemOf(release: ApiRelease, nowMs: number): FeedItem {
    const url =
      release.originalUrl ??
      `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${release.newsId}`;
    const post: FeedItem['post'] = {
      sourceId: this.id,
      title: release.title,
      ministry: release.ministry,
      date: koreaDate(new Date(release.approvedAt ?? nowMs)),
      url,
      originalUrl: null,
      releaseId: release.newsId,
    };
    if (release.summary) post.summary = release.summary;
    if (release.attachments.length > 0) post.attachments = release.attachments;
    if (release.embargoAt !== null) post.embargoAt = release.embargoAt;
    return {
      key: `newsId:${release.newsId}`,
      ownNumber: Number(release.newsId),
      publishedAt: release.approvedAt,
      post,
    };
  }
}

/**
 * The key as data.go.kr means it: its "encoded" form (`%2B`, `%2F`, `%3D`) is decoded, so
 * that the URL encodes it exactly once; a decoded key is taken as it is.
 */
export function decodedKey(key: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(key)) return key;
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function emptyAnswer(): ApiListAnswer {
  return {
    kind: 'list',
    resultCode: '00',
    resultMsg: '',
    totalCount: 0,
    pageNo: null,
    numOfRows: null,
    releases: [],
    itemCount: 0,
    skipped: [],
    truncated: false,
  };
}
