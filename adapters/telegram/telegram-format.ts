import type { ChatReply } from '../../src/commands/command-service.js';
import {
  digestFacts,
  digestHeading,
  digestMoreText,
  digestPlainText,
  type NewsDigest,
} from '../../src/model/news-digest.js';
import {
  alertHeading,
  cutText,
  displayPost,
  LABELS,
  moreAttachmentsText,
  noticeText,
  wellFormed,
  type DisplayPost,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import {
  bold,
  fitLines,
  fromMarkdownLine,
  join,
  link,
  MESSAGE_LIMIT,
  plain,
  text,
  type Html,
} from './telegram-html.js';

/**
 * A message for `sendMessage` / `editMessageText`: HTML (`parse_mode: 'HTML'`) or, for the
 * retry after Telegram refused the HTML (`rejected`), plain text with no parse mode at all.
 */
export interface TelegramMessage {
  text: string;
  html: boolean;
}

/** Display lengths, as shown; an ordinary post is far inside each. */
const HEADING_LINE = 200;
const TITLE_LINE = 1000;
const FIELD_LINE = 300;
const DATE_LINE = 100;
/** Summaries are read at 200 characters; an archived or hostile one is cut here. */
const SUMMARY_LINE = 600;
const NOTICE_ERROR_MAX = 1000;
/** A listed post of a digest or a command's answer: compact, so that twenty fit. */
const COMPACT = { title: 300, facts: 400, summary: 300 };
/** An attachment's name (displayPost keeps 100), and the other carriers' line (it keeps 300). */
const ATTACHMENT_NAME = 100;
const CARRIERS_LINE = 300;
const EMPTY_REPLY = '(내용 없음)';

/** `담당부서: 환경부 · 날짜: 2026-12-01 · 번호: 1700 · 소스: ESG 정책뉴스 (esg)` */
function factsLine(post: DisplayPost): string {
  const facts = [
    `${LABELS.ministry}: ${cutText(post.ministry, FIELD_LINE)}`,
    `${LABELS.date}: ${cutText(post.date, DATE_LINE)}`,
  ];
  if (post.embargo) facts.push(`${LABELS.embargo}: ${post.embargo}`);
  facts.push(`${LABELS.boardNo}: ${post.boardNo}`);
  if (post.source) facts.push(`${LABELS.source}: ${post.source}`);
  return facts.join(' · ');
}

/**
 * `첨부: 이름.hwpx · 이름.pdf · 외 첨부 2건`, each name linked to its file when it has a usable
 * link (a link's URL does not count toward the 4,096): at most ~340 characters as shown.
 */
function attachmentsLine(post: DisplayPost): Html | null {
  if (post.attachments.length === 0) return null;
  const parts = post.attachments.map((file) => {
    const name = text(file.name, ATTACHMENT_NAME);
    return file.url ? link(file.url, name) : name;
  });
  if (post.moreAttachments > 0) parts.push(text(moreAttachmentsText(post.moreAttachments)));
  return join([text(`${LABELS.attachments}: `), join(parts, ' · ')], '');
}

/** `함께 실린 곳: …`, or `null` when no other source carried the release. */
function carriersLine(post: DisplayPost): Html | null {
  return post.alsoCarriedBy
    ? text(`${LABELS.alsoCarriedBy}: ${cutText(post.alsoCarriedBy, CARRIERS_LINE)}`)
    : null;
}

/**
 * A link written out in a plain message, or `null`: Telegram reads `@name` in any text, so an
 * `@` in a path, query or fragment (`…/#@name`) is written `%40`, which leads to the same place;
 * a link with a user name before its host (`https://a@host`) is not written at all.
 */
function writtenLink(url: string): string | null {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return null;
  const authority = `${parsed.protocol}//${parsed.host}`;
  return authority + url.slice(authority.length).replace(/@/g, '%40');
}

/**
 * The files and other carriers of a post as plain lines (no parse mode): each line in the
 * forms it may take, longest first (a file with its link, then by its name alone).
 */
function plainExtras(post: DisplayPost): string[][] {
  const lines = post.attachments.map((file) => {
    const name = `${LABELS.attachments}: ${plain(file.name, ATTACHMENT_NAME)}`;
    const url = file.url && writtenLink(file.url);
    return url ? [`${name} ${url}`, name] : [name];
  });
  if (post.moreAttachments > 0) lines.push([moreAttachmentsText(post.moreAttachments)]);
  if (post.alsoCarriedBy) {
    lines.push([`${LABELS.alsoCarriedBy}: ${plain(post.alsoCarriedBy, CARRIERS_LINE)}`]);
  }
  return lines;
}

const present = (line: Html | null): line is Html => line !== null;

/** A title, bold, linked to the post when it has a usable link. */
function titleLine(post: DisplayPost, max: number): Html {
  const title = bold(text(post.title, max));
  return post.url ? link(post.url, title) : title;
}

/**
 * A new-post alert: the heading, the linked title, the lead, the facts and the original
 * release. At most 200 + 1,000 + 600 + ~750 + 10 characters as shown: far inside 4,096.
 */
export function renderAlert(message: NewsMessage): TelegramMessage {
  const post = displayPost(message);
  const lines = [bold(text(alertHeading(message), HEADING_LINE)), titleLine(post, TITLE_LINE)];
  if (post.summary) lines.push(text(post.summary, SUMMARY_LINE));
  lines.push(text(factsLine(post)));
  if (post.originalUrl) lines.push(link(post.originalUrl, text(LABELS.original)));
  // ~340 + ~310 more: still far inside 4,096.
  lines.push(...[attachmentsLine(post), carriersLine(post)].filter(present));
  return { text: join(lines).html, html: true };
}

/**
 * An alert as plain text (no parse mode): the retry for an alert whose HTML Telegram refused.
 * Links are written out, each only whole and only while the message stays within 4,096.
 */
export function renderPlainAlert(message: NewsMessage): TelegramMessage {
  const post = displayPost(message);
  const lines = [
    plain(alertHeading(message), HEADING_LINE),
    plain(post.title, TITLE_LINE),
    plain(factsLine(post)),
  ];
  if (post.summary) lines.push(plain(post.summary, SUMMARY_LINE));
  let used = lines.join('\n').length;
  const links = [
    post.url && writtenLink(post.url) ? [writtenLink(post.url)!] : [],
    post.originalUrl && writtenLink(post.originalUrl)
      ? [`${LABELS.original}: ${writtenLink(post.originalUrl)!}`]
      : [],
    ...plainExtras(post),
  ];
  // Each line whole in the first form that still fits, or not at all.
  for (const forms of links) {
    const line = forms.find((form) => used + 1 + form.length <= MESSAGE_LIMIT);
    if (line !== undefined) {
      lines.push(line);
      used += 1 + line.length;
    }
  }
  return { text: lines.join('\n'), html: false };
}

/** A listed post: linked bold title, then its facts. */
function digestEntry(message: NewsMessage): Html {
  const post = displayPost(message);
  return join([titleLine(post, COMPACT.title), text(digestFacts(post), COMPACT.facts)]);
}

/**
 * A digest: the heading, then each listed post while the message stays within 4,096
 * characters as shown; posts that do not fit are named with the ones not listed, with how
 * to see them. Entries are whole or absent: a cut never falls inside a link.
 */
export function renderDigest(digest: NewsDigest): TelegramMessage {
  const heading = bold(text(digestHeading(digest), HEADING_LINE));
  // Room for the line about what is left out (at most ~150 characters).
  let used = heading.length + 200;
  const entries: Html[] = [];
  const leftOut: number[] = [];
  for (const message of digest.posts) {
    const entry = digestEntry(message);
    if (used + entry.length + 2 > MESSAGE_LIMIT) {
      leftOut.push(message.boardNo);
      continue;
    }
    entries.push(entry);
    used += entry.length + 2;
  }
  const more = digestMoreText(digest, leftOut);
  const parts = [heading, ...entries];
  if (more) parts.push(fromMarkdownLine(more));
  return { text: join(parts, '\n\n').html, html: true };
}

/**
 * A digest as plain text within 4,096: the retry after a refusal. Whole lines only, each cut
 * to 1,000 characters first, so no link is ever shown cut (it would lead somewhere else).
 */
export function renderPlainDigest(digest: NewsDigest): TelegramMessage {
  const kept: string[] = [];
  let used = 0;
  for (const line of digestPlainText(digest).split('\n')) {
    const link = /^ {2}https?:\/\//.test(line) ? writtenLink(line.trim()) : null;
    const shown = link ? `  ${link}` : plain(line, TITLE_LINE);
    const extra = shown.length + (kept.length > 0 ? 1 : 0);
    if (used + extra > MESSAGE_LIMIT) break;
    kept.push(shown);
    used += extra;
  }
  return { text: kept.join('\n'), html: false };
}

/** A source outage (or recovery) notice, as plain text; a long error is cut. */
export function renderNotice(notice: SourceNotice): TelegramMessage {
  const error = notice.error === null ? null : cutText(wellFormed(notice.error), NOTICE_ERROR_MAX);
  return { text: plain(noticeText({ ...notice, error }), MESSAGE_LIMIT), html: false };
}

/** A post in a command's answer: like a digest entry, with its lead. */
function replyPost(message: NewsMessage): Html {
  const post = displayPost(message);
  const lines = [titleLine(post, COMPACT.title)];
  if (post.summary) lines.push(text(post.summary, COMPACT.summary));
  lines.push(text(factsLine(post), COMPACT.facts));
  if (post.originalUrl) lines.push(link(post.originalUrl, text(LABELS.original)));
  // A lookup is where other carriers are known: shown with the files, ~650 characters at most.
  lines.push(...[attachmentsLine(post), carriersLine(post)].filter(present));
  return join(lines);
}

/**
 * A command's answer: its text (the shared markdown as Telegram HTML), then its posts, each
 * whole, while the message stays within 4,096 characters as shown. Telegram has no message
 * only one person sees: a private answer is sent as a reply to the command (see
 * `TelegramCommands`).
 */
export function renderReply(reply: ChatReply): TelegramMessage {
  const raw = wellFormed(reply.text).split('\n');
  const body = reply.text.trim()
    ? fitLines(raw.map(fromMarkdownLine), raw, MESSAGE_LIMIT)
    : { html: '', length: 0 };
  const parts = body.length > 0 ? [body] : [];
  let used = body.length;
  for (const message of reply.posts) {
    const post = replyPost(message);
    const extra = post.length + (parts.length > 0 ? 2 : 0);
    if (used + extra > MESSAGE_LIMIT) break;
    parts.push(post);
    used += extra;
  }
  // Telegram refuses an empty message ("message text is empty").
  if (parts.length === 0) return { text: EMPTY_REPLY, html: false };
  return { text: join(parts, '\n\n').html, html: true };
}

/**
 * A command's answer as plain text (no parse mode): the retry after Telegram refused its
 * HTML. The text, then each post's title and link, whole lines while within 4,096.
 */
export function renderPlainReply(reply: ChatReply): TelegramMessage {
  const lines = plain(reply.text).split('\n');
  for (const message of reply.posts) {
    const post = displayPost(message);
    lines.push('', plain(post.title, COMPACT.title), plain(factsLine(post), COMPACT.facts));
    const url = post.url && writtenLink(post.url);
    if (url) lines.push(url);
    lines.push(...plainExtras(post).map(([longest]) => longest!));
  }
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const shown = cutText(line, MESSAGE_LIMIT);
    const extra = shown.length + (kept.length > 0 ? 1 : 0);
    if (used + extra > MESSAGE_LIMIT) break;
    kept.push(shown);
    used += extra;
  }
  const text = kept.join('\n').trim();
  return { text: text || EMPTY_REPLY, html: false };
}
