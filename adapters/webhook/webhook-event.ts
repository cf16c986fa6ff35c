import { MAX_ATTACHMENT_NAME, MAX_ATTACHMENTS_KEPT } from '../../src/model/attachment.js';
import {
  CORRECTION_MARK,
  cutText,
  embargoDate,
  httpUrl,
  LABELS,
  oneLine,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';

/**
 * The JSON a signed webhook receives: one event per request, documented field by field in the
 * README ("Signed webhooks"). Fields are only ever added within a version; a change that
 * removes or renames one is version 2.
 */
export const WEBHOOK_EVENT_VERSION = 1;

/** What happened; receivers route on it (an n8n Switch node, a Zapier filter). */
export type WebhookEventType =
  | 'news.published'
  | 'news.corrected'
  | 'news.digest'
  | 'source.down'
  | 'source.recovered'
  | 'source.stale'
  | 'destination.test';

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'news.published',
  'news.corrected',
  'news.digest',
  'source.down',
  'source.recovered',
  'source.stale',
  'destination.test',
];

/** One press release, its fields flat so that no-code tools map them without parsing. */
export interface WebhookPost {
  /** Its number in its source (the board's number; the bot's own for a feed). */
  number: number;
  title: string;
  /** The ministry or office that issued it; null when the source does not say. */
  ministry: string | null;
  /** The date the source gives it, usually `YYYY-MM-DD` (Korea time). */
  date: string;
  /** The post's page; null when the source gave no http(s) link. */
  url: string | null;
  /** The ministry's own release (정책브리핑 links it), when there is one. */
  originalUrl: string | null;
  /** The release's lead, on one line; null when it has none. */
  summary: string | null;
  /**
   * 보도시점: when the release may be published (ISO 8601, UTC); null when the source does not
   * say. Added within version 1.
   */
  embargoAt: string | null;
  /**
   * The release's files in the source's order, at most {@link MAX_ATTACHMENTS_KEPT}; empty when
   * none are known. Added within version 1.
   */
  attachments: WebhookAttachment[];
  /**
   * Files left out of `attachments`: 0, except in a digest whose files would not all fit the
   * event's size (see `webhook-format.ts`). Added within version 1.
   */
  moreAttachments: number;
}

/** One file of a release: its name on one line, and its link (null when not http(s)). */
export interface WebhookAttachment {
  name: string;
  url: string | null;
}

export interface WebhookEvent {
  version: typeof WEBHOOK_EVENT_VERSION;
  /**
   * The delivery's id, the same on every retry of one delivery, and the `webhook-id` header:
   * the receiver's de-duplication key.
   */
  id: string;
  type: WebhookEventType;
  /** When the bot sent this attempt (ISO 8601, UTC); a retry carries a later one. */
  sentAt: string;
  /** The source the event is about (`esg`, and how it is shown). */
  source: { name: string; label: string } | null;
  /** `news.published`, `news.corrected`, `destination.test`. */
  post?: WebhookPost;
  /** `news.corrected`: the `id` of the event that announced the post first. */
  corrects?: string;
  /** `news.digest`: a scheduled digest or what quiet hours held, and what is not listed. */
  digest?: { kind: 'digest' | 'quiet'; total: number; notListed: number[] };
  /** `news.digest`: the posts, oldest first (at most 20). */
  posts?: WebhookPost[];
  /** `source.*`: since when (ISO 8601) and, for `source.down`, the last error. */
  notice?: { since: string; error: string | null };
  /** The event as the chat platforms word it (Korean, plain lines), ready to forward. */
  text: string;
}

/**
 * The `id` of a delivery: its key as it is, but with anything outside `[A-Za-z0-9_-]` (a
 * correction's `.`) made `_`, because Standard Webhooks signs `id.timestamp.body` and an id
 * with a `.` in it could be read two ways.
 */
export function webhookEventId(deliveryId: string): string {
  return deliveryId.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A post's fields for the event: one line each, links http(s) only, blanks as null. */
export function webhookPost(message: NewsMessage): WebhookPost {
  // A correction's title arrives marked for chat; here `type` says it, and the title stays the title.
  const mark = `[${CORRECTION_MARK}] `;
  const title =
    message.corrected && message.title.startsWith(mark)
      ? message.title.slice(mark.length)
      : message.title;
  return {
    number: message.boardNo,
    title: oneLine(title) || LABELS.untitled,
    ministry: oneLine(message.ministry ?? '') || null,
    date: oneLine(message.date),
    url: httpUrl(message.url),
    originalUrl: httpUrl(message.originalUrl),
    summary: oneLine(message.summary ?? '') || null,
    embargoAt: embargoDate(message.embargoAt)?.toISOString() ?? null,
    attachments: (message.attachments ?? []).slice(0, MAX_ATTACHMENTS_KEPT).map((file) => ({
      // Readers keep names this long; an archived or hostile one is cut again here.
      name: cutText(oneLine(file.name), MAX_ATTACHMENT_NAME) || '첨부파일',
      url: httpUrl(file.url),
    })),
    moreAttachments: Math.max(0, (message.attachments ?? []).length - MAX_ATTACHMENTS_KEPT),
  };
}

export function webhookSource(
  source: { name: string; label: string } | null,
): WebhookEvent['source'] {
  if (!source) return null;
  const name = oneLine(source.name);
  return { name, label: oneLine(source.label) || name };
}

export function noticeType(kind: SourceNotice['kind']): WebhookEventType {
  return `source.${kind}`;
}
