import { redactUrl, SourceError } from '../../src/model/source-error.js';
import type { Post } from '../../src/model/post.js';
import { sourceIdFor } from '../../src/model/post.js';
import type { FeedItem, NewsSource, PageRead, Validators } from '../../src/ports/news-source.js';
import type { SourceKind } from '../../src/sources/source-kinds.js';
import type { FeedRead } from './feed-parser.js';
import { detectCharset } from './charset.js';
import { fetchDocument, type FetchedDocument, type FetchOptions } from './http-fetcher.js';
import {
  DocumentParseError,
  ParseRefusedError,
  type DocumentBody,
  type DocumentParser,
} from './parse-jobs.js';

/** Default of {@link SourceReadOptions.maxItems}: `SOURCE_MAX_ITEMS`' default. */
export const DEFAULT_MAX_ITEMS = 500;

/** How a source is read: fetched (see `FetchOptions`), then parsed where it cannot hurt. */
export interface SourceReadOptions extends FetchOptions {
  /**
   * Where documents are parsed: a `ParseSandbox`, off the main thread and within a deadline.
   * Sources of one origin share one, so a hostile chat-added feed never delays the parse of a
   * configured source.
   */
  parser: DocumentParser;
  /**
   * Feed items (newest first) or board rows (from the top) considered per read; the rest are
   * dropped before anything is made of them. Default {@link DEFAULT_MAX_ITEMS}.
   */
  maxItems?: number;
}

/**
 * A source given only by its URL: each response says whether it is a board list page (HTML
 * with a 번호/제목 table) or an RSS/Atom feed, so `FEED_URL` alone is enough to configure it.
 */
export class UrlSource implements NewsSource {
  readonly id: string;
  /** What the URL served last time: feed items are complete, board rows need their page. */
  private kind: SourceKind | null = null;

  /** `id`: the source's name (Redis keys, chat); by default one derived from the URL. */
  constructor(
    readonly url: string,
    private readonly options: SourceReadOptions,
    id?: string,
  ) {
    this.id = id ?? sourceIdFor(url);
  }

  async readPage(page: number, validators: Validators = {}): Promise<PageRead> {
    const pageUrl = page === 1 ? this.url : withPage(this.url, page);
    // Only the newest page is polled repeatedly, so only it is worth a conditional request.
    const result = await fetchDocument(pageUrl, this.options, page === 1 ? validators : {});
    if (result.status === 'not-modified') return result;
    const { document } = result;

    this.kind = looksLikeFeed(document) ? 'feed' : 'board';
    if (this.kind === 'feed') {
      const { title, items, skipped } = await this.parseFeedDocument(document);
      return {
        status: 'ok',
        kind: 'feed',
        items,
        posts: numberedByThemselves(items),
        skipped,
        hasOlderPages: false,
        validators: document.validators,
        title,
      };
    }
    const list = await this.parsed(document.url, () =>
      this.options.parser.parseBoardList({
        ...bodyOf(document),
        page,
        maxRows: this.maxItems,
        now: Date.now(),
      }),
    );
    if (!list) {
      throw new SourceError(
        'NOT_A_SOURCE',
        `${redactUrl(document.url)} is neither a board list (no table with 번호 and 제목 headers) nor an RSS/Atom feed`,
        { url: document.url },
      );
    }
    if (list.truncated) {
      throw new SourceError(
        'UNPARSEABLE',
        `${redactUrl(document.url)} was cut off before the board table ended`,
        {
          url: document.url,
        },
      );
    }
    const posts = list.rows.map((row) => ({
      sourceId: this.id,
      ...row,
      ministry: null,
      originalUrl: null,
    }));
    return {
      status: 'ok',
      kind: 'board',
      posts,
      skipped: list.skipped,
      hasOlderPages: list.hasNextPage,
      validators: document.validators,
      title: list.title,
    };
  }

  async complete(post: Post): Promise<Post> {
    // Feed items arrive complete, with or without a ministry (their links lead to other
    // sites, never to be fetched); only board rows need their own page.
    if (this.kind === 'feed' || post.ministry !== null || post.originalUrl !== null) return post;
    const result = await fetchDocument(post.url, this.options);
    if (result.status === 'not-modified') return post;
    const { document } = result;
    if (looksLikeFeed(document)) return post;
    const details = await this.parsed(document.url, () =>
      this.options.parser.parseBoardPost(bodyOf(document)),
    );
    return { ...post, ...details };
  }

  private get maxItems(): number {
    return this.options.maxItems ?? DEFAULT_MAX_ITEMS;
  }

  /** The parser's answer, or the read refused as `TOO_COSTLY` when the document cost too much. */
  private async parsed<T>(url: string, parse: () => Promise<T>): Promise<T> {
    try {
      return await parse();
    } catch (error) {
      if (!(error instanceof ParseRefusedError)) throw error;
      throw new SourceError(
        'TOO_COSTLY',
        `${redactUrl(url)} ${error.detail} (hostile or broken markup); not read`,
        { url, cause: error },
      );
    }
  }

  private async parseFeedDocument(document: FetchedDocument): Promise<FeedRead> {
    try {
      return await this.parsed(document.url, () =>
        this.options.parser.parseFeed({
          ...bodyOf(document),
          sourceId: this.id,
          maxItems: this.maxItems,
          now: Date.now(),
        }),
      );
    } catch (error) {
      if (!(error instanceof DocumentParseError)) throw error;
      const reason = error.message.split('\n')[0];
      throw new SourceError(
        'UNPARSEABLE',
        `${redactUrl(document.url)} is not a readable feed: ${reason}`,
        { url: document.url, cause: error },
      );
    }
  }
}

/** The items that carry their own number, as posts numbered by it (see `FeedPage.posts`). */
function numberedByThemselves(items: readonly FeedItem[]): Post[] {
  return items.flatMap(({ key, ownNumber, post }) =>
    ownNumber === null ? [] : [{ ...post, boardNo: ownNumber, itemKey: key }],
  );
}

/** `https://k-esg.org/post` → `https://k-esg.org/post?page=2`, keeping other parameters. */
export function withPage(url: string, page: number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('page', String(page));
  return parsed.toString();
}

/** What the parse worker needs of a document: its bytes, decoded there. */
function bodyOf({ bytes, contentType, url }: FetchedDocument): DocumentBody {
  return { bytes, contentType, url };
}

/**
 * XML whose root is a feed, or anything served as XML that is not an HTML page. Reads the
 * first 4 KiB only, on the main thread: decoded by the charset the document gives (lenient:
 * the markup looked for is ASCII in every charset a feed is written in), its prolog skipped
 * with plain searches forward, never a pattern that could backtrack.
 */
function looksLikeFeed({ contentType, bytes }: FetchedDocument): boolean {
  const head = headText(contentType, bytes.subarray(0, 4096));
  const root = head.slice(afterProlog(head));
  if (/^<(rss|feed|rdf:RDF)\b/i.test(root)) return true;
  if (/^<html\b/i.test(root)) return false;
  return /[/+]xml\b/i.test(contentType ?? '') && !/xhtml/i.test(contentType ?? '');
}

function headText(contentType: string | null, head: Uint8Array): string {
  try {
    return new TextDecoder(detectCharset(contentType, head)).decode(head);
  } catch {
    return new TextDecoder().decode(head); // a charset no decoder knows
  }
}

/**
 * Where the first element starts: after a byte order mark, white space, the XML declaration,
 * processing instructions, comments and a doctype (with its internal subset). An unclosed
 * one ends the search where it starts.
 */
function afterProlog(head: string): number {
  let at = head.startsWith('\uFEFF') ? 1 : 0;
  for (;;) {
    while (at < head.length && /\s/.test(head[at]!)) at++;
    let end = -1;
    if (head.startsWith('<?', at)) end = endOf(head, '?>', at + 2);
    else if (head.startsWith('<!--', at)) end = endOf(head, '-->', at + 4);
    else if (head.slice(at, at + 9).toUpperCase() === '<!DOCTYPE') end = doctypeEnd(head, at + 9);
    if (end < 0) return at;
    at = end;
  }
}

/** Just past the first `close` at or after `from`; -1 when there is none. */
function endOf(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  return at < 0 ? -1 : at + close.length;
}

/** Just past a doctype whose name starts at `from`: its `>`, after its `[…]` subset if it has one. */
function doctypeEnd(text: string, from: number): number {
  const close = text.indexOf('>', from);
  const subset = text.indexOf('[', from);
  if (subset < 0 || (close >= 0 && close < subset)) return close < 0 ? -1 : close + 1;
  const subsetEnd = text.indexOf(']', subset);
  return subsetEnd < 0 ? -1 : endOf(text, '>', subsetEnd);
}
