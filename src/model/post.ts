import type { Attachment } from './attachment.js';

/**
 * One news item, whatever source it came from. Sources fill what they know; a board list row
 * has no ministry until its own page has been read ({@link Post.ministry} is then `null`).
 */
export interface Post {
  /** Stable id of the source this post was read from (see `sourceIdFor`). */
  sourceId: string;
  /**
   * The number users quote (`/news 1645`): the board's sequential number (번호), or a feed
   * item's number in its source (its own `newsId` and the like, else one the bot gave it).
   */
  boardNo: number;
  /**
   * A feed item's identity in its source (guid, link or a hash of title and date, see
   * `itemIdentity`); absent on board posts, whose identity is their number.
   */
  itemKey?: string;
  title: string;
  /** Responsible ministry (담당부서), e.g. 환경부. */
  ministry: string | null;
  /** Publication date in Korea time, `YYYY-MM-DD`. */
  date: string;
  /** Absolute link to the post. */
  url: string;
  /** Link to the original press release (korea.kr), when known. */
  originalUrl: string | null;
  /**
   * The release's lead: its first sentence or two, boilerplate left out, at most
   * {@link SUMMARY_MAX_LENGTH} characters (see `leadSummary`). Absent when the source gave
   * no body, and on posts archived before summaries were read.
   */
  summary?: string;
  /**
   * The korea.kr `newsId` of the press release this post carries, when its reader knows it
   * directly (the 정책브리핑 API's `NewsItemId`). Others derive it from their links: see
   * `releaseIdOf`, which every caller uses.
   */
  releaseId?: string;
  /** The release's files (HWP, HWPX, PDF…), in the source's order; absent when none are known. */
  attachments?: Attachment[];
  /**
   * When the release may be published (보도시점, epoch ms), as the 정책브리핑 API gives it.
   * An item whose embargo has not lifted is never archived or announced: its reader holds it.
   */
  embargoAt?: number;
  /**
   * When the source last corrected the post's title or ministry after it was archived (epoch
   * ms): edits of its alerts are marked 정정 from then on. Absent for posts never corrected.
   */
  correctedAt?: number;
  /**
   * When the bot first handed the post on for delivery (epoch ms): the start of the time a
   * channel may keep failing before the bot gives up on it. Absent until then.
   */
  announcedAt?: number;
}

/** Longest {@link Post.summary}: a lead, not the release. */
export const SUMMARY_MAX_LENGTH = 200;

const KST_OFFSET_MS = 9 * 3_600_000;

/** The calendar date in Korea (UTC+9, no daylight saving) of an instant, as `YYYY-MM-DD`. */
export function koreaDate(instant: Date): string {
  return new Date(instant.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * A readable, stable id for a source URL, usable in Redis keys and BullMQ job ids
 * (no `:`, never all digits): `https://k-esg.org/post` → `k-esg.org-post`.
 */
export function sourceIdFor(url: string): string {
  const { hostname, pathname } = new URL(url);
  const slug = `${hostname}${pathname}`
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-+$/g, '')
    .toLowerCase();
  return /^\d+$/.test(slug) ? `src-${slug}` : slug;
}

/** Date and minute in Korea, `YYYY-MM-DD HH:mm`, for chat replies. */
export function koreaDateTime(instant: Date): string {
  return new Date(instant.getTime() + KST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
