import { redactUrl, SourceError } from '../../src/errors.js';
import type { Post } from '../../src/post.js';
import { sourceIdFor } from '../../src/post.js';
import type { FeedItem, NewsSource, PageRead, Validators } from '../../src/source.js';
import { parseBoardList, parseBoardPost } from './board-parser.js';
import { parseFeed, type FeedRead } from './feed-parser.js';
import { fetchDocument, type FetchedDocument, type FetchOptions } from './http-fetcher.js';

/**
 * A source given only by its URL: each response says whether it is a board list page (HTML
 * with a 번호/제목 table) or an RSS/Atom feed, so `FEED_URL` alone is enough to configure it.
 */
export class UrlSource implements NewsSource {
  readonly id: string;
  /** What the URL served last time: feed items are complete, board rows need their page. */
  private kind: 'board' | 'feed' | null = null;

  /** `id`: the source's name (Redis keys, chat); by default one derived from the URL. */
  constructor(
    readonly url: string,
    private readonly fetchOptions: FetchOptions,
    id?: string,
  ) {
    this.id = id ?? sourceIdFor(url);
  }

  async readPage(page: number, validators: Validators = {}): Promise<PageRead> {
    const pageUrl = page === 1 ? this.url : withPage(this.url, page);
    // Only the newest page is polled repeatedly, so only it is worth a conditional request.
    const result = await fetchDocument(pageUrl, this.fetchOptions, page === 1 ? validators : {});
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
    const list = parseBoardList(document.text, document.url, page);
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
    const result = await fetchDocument(post.url, this.fetchOptions);
    if (result.status === 'not-modified') return post;
    if (looksLikeFeed(result.document)) return post;
    const details = parseBoardPost(result.document.text, result.document.url);
    return { ...post, ...details };
  }

  private async parseFeedDocument(document: FetchedDocument): Promise<FeedRead> {
    try {
      return await parseFeed(document.text, this.id, document.url);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new SourceError(
        'UNPARSEABLE',
        `${redactUrl(document.url)} is not a readable feed: ${reason}`,
        {
          url: document.url,
          cause: error,
        },
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

/** XML whose root is a feed, or anything served as XML that is not an HTML page. */
function looksLikeFeed({ contentType, text }: FetchedDocument): boolean {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, '')
    .trimStart();
  if (/^<(rss|feed|rdf:RDF)\b/i.test(head)) return true;
  if (/^<html\b/i.test(head)) return false;
  return /[/+]xml\b/i.test(contentType ?? '') && !/xhtml/i.test(contentType ?? '');
}
