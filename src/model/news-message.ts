import { MAX_ATTACHMENTS_SHOWN, type Attachment } from './attachment.js';
import { koreaDateTime, type Post } from './post.js';

/**
 * The platform-neutral message for one post, used for alerts and lookups alike. Each chat
 * adapter renders it in its own format (Block Kit, embed, console text).
 */
export interface NewsMessage {
  /** The source's name in chat (`esg`), and how it is shown (its title, else its name). */
  source: { name: string; label: string } | null;
  title: string;
  url: string;
  ministry: string | null;
  date: string;
  boardNo: number;
  originalUrl: string | null;
  /** The release's lead (see `Post.summary`); `null` when the post has none. */
  summary: string | null;
  /** When the release may be published (보도시점, epoch ms), `null` when the sources do not say. */
  embargoAt?: number | null;
  /** The release's files, in the source's order (renderers list the first few). */
  attachments?: readonly Attachment[];
  /**
   * The other sources that carried the same release, as chat names them (`ESG 정책뉴스 1645번`):
   * lookups show them; alerts leave them out (empty).
   */
  alsoCarriedBy?: readonly string[];
  /**
   * The source changed the post's title or ministry after it was announced: the alert is
   * edited in place and marked {@link CORRECTION_MARK}.
   */
  corrected?: boolean;
}

export function newsMessage(
  post: Post,
  source: { name: string; label: string } | null = null,
): NewsMessage {
  return {
    source,
    title: post.title,
    url: post.url,
    ministry: post.ministry,
    date: post.date,
    boardNo: post.boardNo,
    originalUrl: post.originalUrl,
    summary: post.summary ?? null,
    // Only what the post has: most posts carry neither.
    ...(post.embargoAt !== undefined ? { embargoAt: post.embargoAt } : {}),
    ...(post.attachments?.length ? { attachments: post.attachments } : {}),
  };
}

/** What an alert edited after a correction at the source says, before its title and in its heading. */
export const CORRECTION_MARK = '정정';

/**
 * The message for an alert edited after the source corrected the post: the same fields, the
 * title marked `[정정]` so the mark shows wherever the title does, on every platform.
 */
export function correctedMessage(
  post: Post,
  source: { name: string; label: string } | null = null,
): NewsMessage {
  const message = newsMessage(post, source);
  return { ...message, title: `[${CORRECTION_MARK}] ${message.title}`, corrected: true };
}

/** Korean field labels, shared by every renderer so all platforms read the same. */
export const LABELS = {
  ministry: '담당부서',
  date: '날짜',
  boardNo: '번호',
  original: '원문 보도자료',
  source: '소스',
  unknownMinistry: '미상',
  /** Shown for a post whose title is blank: every platform refuses an empty title or field. */
  untitled: '(제목 없음)',
  unknownDate: '미상',
  embargo: '보도시점',
  attachments: '첨부',
  alsoCarriedBy: '함께 실린 곳',
} as const;

/** The first line of an alert: what is new, and from where. */
export function alertHeading(message: Pick<NewsMessage, 'source' | 'corrected'>): string {
  const { source } = message;
  const label = source ? oneLine(source.label) || oneLine(source.name) : '';
  const what = message.corrected ? `${CORRECTION_MARK}된 글` : '새 글';
  return label ? `${what} · ${cutText(label, 100)}` : what;
}

/**
 * Every field on plain lines (title, facts, summary, links): the console output and the
 * fallback text of rich messages.
 */
export function plainText(message: NewsMessage): string {
  const facts = [
    `${LABELS.ministry}: ${message.ministry ?? LABELS.unknownMinistry}`,
    `${LABELS.date}: ${message.date}`,
    `${LABELS.boardNo}: ${message.boardNo}`,
  ];
  if (message.source) facts.push(`${LABELS.source}: ${message.source.label}`);
  const display = displayPost(message);
  if (display.embargo) facts.push(`${LABELS.embargo}: ${display.embargo}`);
  const lines = [message.title, facts.join(' · ')];
  const summary = oneLine(message.summary ?? '');
  if (summary) lines.push(summary);
  lines.push(message.url);
  if (message.originalUrl) lines.push(`${LABELS.original}: ${message.originalUrl}`);
  for (const file of display.attachments) {
    lines.push(`${LABELS.attachments}: ${file.name}${file.url ? ` ${file.url}` : ''}`);
  }
  if (display.moreAttachments > 0) lines.push(moreAttachmentsText(display.moreAttachments));
  if (display.alsoCarriedBy) lines.push(`${LABELS.alsoCarriedBy}: ${display.alsoCarriedBy}`);
  return lines.join('\n');
}

/** Longer links are treated as unusable: no platform documents a limit, but a link this long is broken. */
export const MAX_URL_LENGTH = 2000;

/**
 * The link a chat message may carry for `url`: its absolute http(s) form as the URL parser
 * writes it (scheme checked case-insensitively, spaces and `<>` percent-encoded), or `null`
 * for anything else (`javascript:`, `data:`, relative, unparseable, over
 * {@link MAX_URL_LENGTH}). A `null` link is shown without a link, never as one.
 */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url || url.length > MAX_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  // Percent-encoding can lengthen what the parser writes; the limit applies to what is sent.
  return parsed.hostname && parsed.href.length <= MAX_URL_LENGTH ? parsed.href : null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Line breaks and other control characters: one field must stay on one line of a message.
// eslint-disable-next-line no-control-regex
const BREAKS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** `text` with every lone surrogate replaced by U+FFFD: platforms may refuse or garble them. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** `text` as one trimmed line: line breaks and control characters become spaces. */
export function oneLine(text: string): string {
  return wellFormed(text).replace(BREAKS, ' ').trim();
}

const unitLength = (char: string) => char.length;
const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * `text` cut to at most `max` units with an ellipsis (`…`) at the cut. `weigh` gives what
 * one code point costs once sent, e.g. 5 for `&` that Slack receives as `&amp;`, so the
 * limit holds after escaping. Cuts only between code points, never inside a surrogate pair.
 * The default weight is UTF-16 length, never below the code-point count: a text within it
 * fits platforms counting either way.
 */
export function cutText(
  text: string,
  max: number,
  weigh: (char: string) => number = unitLength,
): string {
  if (weigh === unitLength) {
    if (text.length <= max) return text;
    // Step back off the low half of a surrogate pair.
    const end =
      isLow(text.charCodeAt(max - 1)) && isHigh(text.charCodeAt(max - 2)) ? max - 2 : max - 1;
    return `${text.slice(0, end).trimEnd()}…`;
  }
  let used = 0;
  // Where the text is cut if it does not fit: the longest prefix leaving room for `…`.
  let keep = 0;
  for (let i = 0; i < text.length;) {
    const pair = isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1));
    const next = i + (pair ? 2 : 1);
    used += weigh(text.slice(i, next));
    // One pass, stopping at the limit: texts here can be far longer than any limit.
    if (used > max) return `${text.slice(0, keep).trimEnd()}…`;
    if (used <= max - 1) keep = next;
    i = next;
  }
  return text;
}

/** A post's fields as chat messages show them: one line each, never blank, links vetted. */
export interface DisplayPost {
  /** The source's label with its name (`ESG 정책뉴스 (esg)`), when the message has one. */
  source: string | null;
  title: string;
  ministry: string;
  date: string;
  boardNo: string;
  /** The post's link, `null` when not a usable http(s) URL (see {@link httpUrl}). */
  url: string | null;
  originalUrl: string | null;
  /** The lead on one line, `null` when there is none (or it is blank). */
  summary: string | null;
  /** 보도시점 in Korea time (`2026-12-07 12:00`), `null` when not known. */
  embargo: string | null;
  /**
   * The first {@link MAX_ATTACHMENTS_SHOWN} attachments: names on one line (never blank, at
   * most 100 units), links vetted (`null`: shown as a name only).
   */
  attachments: Array<{ name: string; url: string | null }>;
  /** How many attachments are left out of {@link DisplayPost.attachments}. */
  moreAttachments: number;
  /** The other sources that carried the release, on one line (`null`: none). */
  alsoCarriedBy: string | null;
}

/**
 * The post as every renderer should show it: blank title or ministry get their Korean
 * placeholders (platforms refuse empty fields), links are http(s) only. Lengths are left to
 * each renderer, which knows its platform's limits and escaping.
 */
export function displayPost(message: NewsMessage): DisplayPost {
  const label = message.source ? oneLine(message.source.label) : '';
  const name = message.source ? oneLine(message.source.name) : '';
  const source = label && name && label !== name ? `${label} (${name})` : label || name;
  const files = message.attachments ?? [];
  const carriers = message.alsoCarriedBy ?? [];
  return {
    // Platforms refuse empty fields: a blank source is no source.
    source: source ? cutText(source, 100) : null,
    title: oneLine(message.title) || LABELS.untitled,
    ministry: oneLine(message.ministry ?? '') || LABELS.unknownMinistry,
    date: oneLine(message.date) || LABELS.unknownDate,
    boardNo: String(message.boardNo),
    url: httpUrl(message.url),
    originalUrl: httpUrl(message.originalUrl),
    // Blank is none: platforms refuse empty text, and an empty line says nothing.
    summary: oneLine(message.summary ?? '') || null,
    embargo: embargoText(message.embargoAt),
    attachments: files.slice(0, MAX_ATTACHMENTS_SHOWN).map((file) => ({
      name: cutText(oneLine(file.name), 100) || '첨부파일',
      url: httpUrl(file.url),
    })),
    moreAttachments: Math.max(0, files.length - MAX_ATTACHMENTS_SHOWN),
    alsoCarriedBy: cutText(carriers.map(oneLine).filter(Boolean).join(', '), 300) || null,
  };
}

/** Latest instant a `Date` holds (ECMAScript: ±8.64e15 ms); beyond it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * 보도시점 as an instant, or `null`: an archived or hostile value that is no usable instant
 * (NaN, Infinity, past what a `Date` holds, a year past 9999) is left out rather than failing
 * the whole alert.
 */
export function embargoDate(embargoAt: number | null | undefined): Date | null {
  if (typeof embargoAt !== 'number' || !Number.isFinite(embargoAt)) return null;
  // A day's margin for the shift to Korea time.
  if (Math.abs(embargoAt) > MAX_DATE_MS - 86_400_000) return null;
  const year = new Date(embargoAt).getUTCFullYear();
  return year >= 1 && year <= 9998 ? new Date(embargoAt) : null;
}

/** 보도시점 as chat shows it (`2026-12-07 12:00`, Korea time), or `null`. */
function embargoText(embargoAt: number | null | undefined): string | null {
  const date = embargoDate(embargoAt);
  return date ? koreaDateTime(date) : null;
}

/** What a list of attachments says of those it leaves out: `외 첨부 2건`. */
export function moreAttachmentsText(count: number): string {
  return `외 ${LABELS.attachments} ${count}건`;
}

/**
 * A notice to a source's followers: it stopped answering (`down`), answers again
 * (`recovered`), or answers but has had nothing new for weeks (`stale`).
 */
export interface SourceNotice {
  kind: 'down' | 'recovered' | 'stale';
  sourceId: string;
  /** How chat names the source: its title when known, else its name. */
  sourceLabel?: string | undefined;
  /** Redacted: never the raw URL, which may carry an access key. */
  sourceUrl: string;
  /** When the failed reads began (ISO 8601). */
  since: string;
  /** The last error, for `down`. */
  error: string | null;
}

/** The notice in Korean, the same words on every platform. */
export function noticeText(notice: SourceNotice, now = new Date()): string {
  const since = `${koreaDateTime(new Date(notice.since))} (한국 시간)`;
  const source = `‘${notice.sourceLabel ?? 'ESG 정책뉴스'}’ (${notice.sourceId})`;
  if (notice.kind === 'down') {
    return [
      `⚠️ ${source} 소스를 ${since}부터 읽지 못하고 있습니다.`,
      `원인: ${notice.error ?? '알 수 없음'}`,
      '계속 다시 시도하고 있으며, 복구되면 알려 드리고 그동안 올라온 글도 빠짐없이 보내 드립니다.',
    ].join('\n');
  }
  if (notice.kind === 'stale') {
    const days = Math.max(1, Math.floor((now.getTime() - Date.parse(notice.since)) / 86_400_000));
    return [
      `ℹ️ ${source} 소스에 새 글이 ${days}일째 없습니다 (마지막 새 글: ${since}).`,
      '소스는 정상적으로 읽히고 있어 계속 확인합니다. 주소가 바뀌었다면 관리자에게 알려 주세요.',
    ].join('\n');
  }
  return `✅ ${source} 소스를 다시 읽고 있습니다 (${since}부터 끊겼던 확인이 복구됨). 그동안 올라온 글을 이어서 보내 드립니다.`;
}

/**
 * The line a correction follow-up starts with where a platform cannot edit the alert it sent
 * (webhooks): which alert it corrects, by its source, number and date.
 */
export function correctionNote(message: Pick<NewsMessage, 'source' | 'boardNo' | 'date'>): string {
  const label = message.source ? oneLine(message.source.label) || oneLine(message.source.name) : '';
  // The date cut too: an archived or hostile one may be any length (it once took a whole message).
  const date = cutText(oneLine(message.date), 100);
  const which = `${label ? `‘${cutText(label, 100)}’ ` : ''}${message.boardNo}번 글(${date})`;
  return `앞서 보낸 ${which} 알림의 제목이나 담당부서가 바뀌어 바로잡습니다.`;
}

/** The alert a destination test sends: plainly a test, with every field an alert has. */
export function sampleMessage(now: Date): NewsMessage {
  return {
    source: { name: 'test', label: '연결 시험' },
    title: '[시험] esg-news-bot 알림 연결 확인',
    url: 'https://www.korea.kr/briefing/pressReleaseList.do',
    ministry: '기후에너지환경부',
    date: koreaDateTime(now).slice(0, 10),
    boardNo: 0,
    originalUrl: null,
    embargoAt: null,
    attachments: [],
    alsoCarriedBy: [],
    summary:
      '이 메시지가 보이면 이 채널로 ESG 정책뉴스 알림이 도착합니다. 실제 보도자료가 아닌 시험 알림입니다.',
  };
}
