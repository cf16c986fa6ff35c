import type { Post } from '../model/post.js';

/**
 * How much of one source the archive keeps: what a source can cost Redis is bounded whatever
 * it publishes. Configured sources keep more than chat-added ones.
 */
export interface ArchiveRetention {
  /** Posts kept per source; beyond it the lowest numbers go first. */
  maxPosts: number;
  /** A post first archived longer ago than this goes. */
  maxAgeMs: number;
}

/** Port: every post the bot has read, by (source, board number). */
export interface PostArchive {
  /**
   * Stores or replaces posts (an edited title replaces the old one). `at` is when they were
   * archived; a post saved again keeps its first time, from which its age is counted.
   */
  save(posts: readonly Post[], at?: Date): Promise<void>;
  get(sourceId: string, boardNo: number): Promise<Post | null>;
  /** The `count` highest board numbers, newest first. */
  newest(sourceId: string, count: number): Promise<Post[]>;
  /** How many posts of the source the archive holds (the control panel shows it). */
  count(sourceId: string): Promise<number>;
  /**
   * Posts whose title or ministry contains every one of `words` (case-insensitive substring,
   * so 탄소 finds 탄소중립을), newest first, looking through at most the `scan` highest
   * numbers (all when omitted): the cost of a search is bounded however large the archive.
   */
  search(sourceId: string, words: readonly string[], limit: number, scan?: number): Promise<Post[]>;
  /**
   * Forgets what `retention` does not keep: posts beyond `maxPosts` (lowest numbers first)
   * and posts first archived more than `maxAgeMs` before `now`. Returns how many went.
   */
  trim(sourceId: string, retention: ArchiveRetention, now: Date): Promise<number>;
  /**
   * Every archived post, of any source, that carries the press release `releaseId` (see
   * `releaseIdOf`): the board's repost, the korea.kr feed's item, the API's item. In no set
   * order; posts trimmed from their source's archive are not returned. The index behind it
   * forgets a release {@link RELEASE_INDEX_RETENTION_MS} after its last carrier was saved.
   * `exceptSourceId`'s carrier is left out, unread (a post asking for the others).
   */
  carriers(releaseId: string, exceptSourceId?: string): Promise<Post[]>;
}

/**
 * How long the archive remembers which sources carried a release: the board reposts a
 * ministry's release within days, so a carrier later than this is another announcement.
 */
export const RELEASE_INDEX_RETENTION_MS = 30 * 86_400_000;
