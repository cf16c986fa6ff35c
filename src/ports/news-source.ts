import type { Post } from '../model/post.js';
import type { IdentityKind, NumberedKind } from '../sources/source-kinds.js';

/** HTTP cache validators of the last successful read, sent back as a conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** What every page that was read says, board or feed. */
interface PageBase {
  status: 'ok';
  /**
   * Rows or items on the page left out because they cannot be posts (a link that is not
   * http(s), an unreadable date), one short description each: worth a warning, never a
   * failed read, so one broken row does not cost the rest of the page.
   */
  skipped: string[];
  /** Whether an older page may exist (`?page=N+1`); feeds have a single page. */
  hasOlderPages: boolean;
  validators: Validators;
  /**
   * The source's own name for itself, cleaned for chat: the board page's `<title>` without
   * the site's name (`ESG 정책뉴스 | K-ESG` → `ESG 정책뉴스`), or the feed's title. `null`
   * when it has none.
   */
  title: string | null;
  /**
   * HTTP requests the read made when more than one (the 정책브리핑 API pages through its
   * window); absent: one. A source whose rhythm counts requests waits that many intervals.
   */
  requests?: number;
}

/** A board list page: every row is a post, known by its board number. */
export interface BoardPage extends PageBase {
  kind: NumberedKind;
  /** Posts on the page, in page order (newest first). */
  posts: Post[];
}

/** A feed item as read, before the bot gives it its number in the source. */
export interface FeedItem {
  /** Its identity in the source: guid or Atom id, else link, else a hash of title and date. */
  key: string;
  /** The number its link or guid carries (`newsId=156605000`, `/post/4392`), else `null`. */
  ownNumber: number | null;
  /** When it was published (epoch ms), `null` when the feed gives no readable date. */
  publishedAt: number | null;
  /** The post, but for its number (see `ItemNumbers`). */
  post: Omit<Post, 'boardNo' | 'itemKey'>;
}

/**
 * An RSS or Atom feed, or the 정책브리핑 API's answer: items known by identity, numbered by
 * the bot.
 */
export interface FeedPage extends PageBase {
  kind: IdentityKind;
  /** Every item of the feed, in feed order. */
  items: FeedItem[];
  /**
   * The items that carry their own number, as posts numbered by it, in feed order: enough to
   * look up a korea.kr `newsId` before the item was archived. The number the bot gives an item
   * (see `ItemNumbers`) is that number unless another item of the source already holds it.
   */
  posts: Post[];
  /**
   * Items left out because they may not be published yet (their 보도시점 is still ahead):
   * neither archived nor marked seen, so the read after the embargo finds them new.
   */
  held?: number;
  /**
   * The Korean day (`YYYYMMDD`) the oldest held item was approved on: the next reads must
   * still reach back to it (see {@link ReadHints}), however long its embargo lasts.
   */
  heldFrom?: string;
}

/** What the poll remembers for a source's next read. */
export interface ReadHints {
  /** Items approved on this Korean day (`YYYYMMDD`) or later are still held for their embargo. */
  heldFrom?: string;
}

export type PageRead = { status: 'not-modified' } | BoardPage | FeedPage;

/** Port: a place news is read from. The board, RSS/Atom feeds and the 정책브리핑 API implement it. */
export interface NewsSource {
  readonly id: string;
  readonly url: string;
  /** Reads listing page `page` (1 = newest). `validators` make it conditional (304 → not-modified). */
  readPage(page: number, validators?: Validators, hints?: ReadHints): Promise<PageRead>;
  /**
   * Adds what only the post's own page has (ministry, original link) to a board row. Feed
   * items arrive complete: they are returned as they are, and the poll does not ask.
   */
  complete(post: Post): Promise<Post>;
}
