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
  MAX_URL_LENGTH,
  moreAttachmentsText,
  noticeText,
  wellFormed,
  type DisplayPost,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';

/** A Block Kit block; typed loosely here, checked by Slack. */
export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Block Kit's limits (docs.slack.dev, Block Kit reference): a section's or a context
 * element's text at most 3,000 characters, 50 blocks a message. Top-level `text` may hold
 * 40,000, but Slack advises ~4,000; ours stays within {@link TEXT_LIMIT}.
 */
const SECTION_LIMIT = 3000;
const MAX_BLOCKS = 50;
const TEXT_LIMIT = 4000;
/** The minimal message, the last resort after a refusal, stays far inside every limit. */
const MINIMAL_LIMIT = 3000;
/** Lengths after escaping; ordinary values are far shorter. */
const TITLE_LINE = 1000;
const MINISTRY_MAX = 300;
/** Summaries are read at 200 characters; an archived or hostile one is cut here. */
const SUMMARY_MAX = 600;
const DATE_MAX = 100;
const NOTICE_ERROR_MAX = 1000;
/** An attachment's name as shown (displayPost keeps 100 units; escaping may grow it). */
const ATTACHMENT_NAME = 100;
/** The attachments' line in a context block: three links whole, or their names alone. */
const ATTACHMENTS_LINE = 2500;
/** The other carriers' line (displayPost keeps 300 units; escaped, cut again here). */
const CARRIERS_LINE = 400;
const EMPTY_REPLY = '(내용 없음)';

/**
 * Escapes text for Slack: `&`, `<` and `>` are control characters there. Without this a title
 * or keyword holding `<!channel>` would ping everyone.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What one code point costs once escaped: limits count what Slack receives. */
const escapedWeight = (char: string) =>
  char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;

/** Cut, then escape: the result is at most `max` characters as sent. */
const fit = (text: string, max: number) => escapeSlack(cutText(text, max, escapedWeight));

/**
 * An http(s) URL as it goes inside `<url|label>`: `|` would end it early. `null` when the
 * escaped form is too long (`&` grows fivefold), so a link never crowds out its label.
 */
function slackUrl(url: string | null): string | null {
  if (url === null) return null;
  const escaped = escapeSlack(url.replace(/\|/g, '%7C'));
  return escaped.length <= MAX_URL_LENGTH ? escaped : null;
}

/** `<url|label>` within `max` characters, or just the label when there is no usable URL. */
function link(url: string | null, label: string, max: number): string {
  if (url === null) return fit(label, max);
  // A `|` in the label would end it early; the full-width bar reads the same.
  return `<${url}|${fit(label.replace(/\|/g, '｜'), max - url.length - 3)}>`;
}

/**
 * A mrkdwn text object. Every one the bot sends holds text it did not write (titles,
 * ministries, summaries, source titles, words a user typed), so every one is `verbatim`:
 * without it Slack turns bare URLs and channel names into links and parses some mentions
 * (docs.slack.dev, Text object). Escaping (see {@link escapeSlack}) still matters: verbatim
 * text keeps its markdown and `<…>` forms.
 */
function mrkdwn(text: string): SlackBlock {
  return { type: 'mrkdwn', text, verbatim: true };
}

function postBlocks(message: NewsMessage): SlackBlock[] {
  const post = displayPost(message);
  const facts = [
    `${LABELS.ministry} *${fit(post.ministry, MINISTRY_MAX)}*`,
    `${LABELS.date} ${fit(post.date, DATE_MAX)}`,
    // 보도시점 next to 날짜: `2026-12-07 12:00`, written by the bot, nothing to escape.
    ...(post.embargo ? [`${LABELS.embargo} ${post.embargo}`] : []),
    `${LABELS.boardNo} ${post.boardNo}`,
  ];
  if (post.source) facts.push(`${LABELS.source} ${fit(post.source, 200)}`);
  const original = slackUrl(post.originalUrl);
  if (original) facts.push(link(original, LABELS.original, SECTION_LIMIT));
  // Two `*` around the link leave SECTION_LIMIT - 2 for it; the facts stay far below
  // SECTION_LIMIT (ministry 300 + date 100 + number + one link of at most 2,000 + labels).
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      text: mrkdwn(`*${link(slackUrl(post.url), post.title, SECTION_LIMIT - 2)}*`),
    },
  ];
  // The lead under the title, escaped like every field.
  if (post.summary) {
    blocks.push({ type: 'section', text: mrkdwn(fit(post.summary, SUMMARY_MAX)) });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(facts.join('  ·  '))] });
  // Files and other carriers under the facts, in one more context block: at most
  // ATTACHMENTS_LINE + 1 + CARRIERS_LINE, far inside SECTION_LIMIT.
  const extras = [attachmentsLine(post), carriersLine(post)].filter(
    (line): line is string => line !== null,
  );
  if (extras.length > 0) blocks.push({ type: 'context', elements: [mrkdwn(extras.join('\n'))] });
  return blocks;
}

/**
 * `첨부 <url|이름.hwpx>  ·  <url|이름.pdf>  ·  외 첨부 2건` within {@link ATTACHMENTS_LINE}: each
 * file a link while its whole link fits, else its name alone; `null` without files.
 */
function attachmentsLine(post: DisplayPost): string | null {
  if (post.attachments.length === 0) return null;
  const more = post.moreAttachments > 0 ? moreAttachmentsText(post.moreAttachments) : null;
  // Names alone always fit: three of 100, the label and the count.
  let used = LABELS.attachments.length + 1 + (more ? more.length + 5 : 0);
  const parts: string[] = [];
  for (const file of post.attachments) {
    const name = fit(file.name, ATTACHMENT_NAME);
    const url = slackUrl(file.url);
    const linked = url ? link(url, file.name, ATTACHMENT_NAME + url.length + 3) : name;
    const rest = (post.attachments.length - parts.length - 1) * (ATTACHMENT_NAME + 5);
    const shown = used + linked.length + 5 + rest <= ATTACHMENTS_LINE ? linked : name;
    parts.push(shown);
    used += shown.length + 5;
  }
  if (more) parts.push(more);
  return `${LABELS.attachments} ${parts.join('  ·  ')}`;
}

/** `함께 실린 곳 정책브리핑 API 156712345번`, escaped and cut; `null` when there are none. */
function carriersLine(post: DisplayPost): string | null {
  return post.alsoCarriedBy
    ? `${LABELS.alsoCarriedBy} ${fit(post.alsoCarriedBy, CARRIERS_LINE)}`
    : null;
}

/**
 * A post as escaped plain lines within `max` characters: title, facts, summary, then each
 * link that still fits whole (a cut URL would lead somewhere else).
 */
function postLines(post: DisplayPost, max: number): string[] {
  const facts = [
    `${LABELS.ministry}: ${fit(post.ministry, MINISTRY_MAX)}`,
    `${LABELS.date}: ${fit(post.date, DATE_MAX)}`,
  ];
  if (post.embargo) facts.push(`${LABELS.embargo}: ${post.embargo}`);
  facts.push(`${LABELS.boardNo}: ${post.boardNo}`);
  if (post.source) facts.push(`${LABELS.source}: ${fit(post.source, 200)}`);
  const lines = [fit(post.title, TITLE_LINE), facts.join(' · ')];
  if (post.summary) lines.push(fit(post.summary, SUMMARY_MAX));
  let used = lines.join('\n').length;
  const add = (line: string | null) => {
    if (line === null || used + 1 + line.length > max) return false;
    lines.push(line);
    used += 1 + line.length;
    return true;
  };
  add(post.url === null ? null : escapeSlack(post.url));
  add(post.originalUrl === null ? null : `${LABELS.original}: ${escapeSlack(post.originalUrl)}`);
  // Each file with its link while that fits whole, else by its name alone.
  for (const file of post.attachments) {
    const name = `${LABELS.attachments}: ${fit(file.name, ATTACHMENT_NAME)}`;
    if (!(file.url !== null && add(`${name} ${escapeSlack(file.url)}`))) add(name);
  }
  if (post.moreAttachments > 0) add(moreAttachmentsText(post.moreAttachments));
  if (post.alsoCarriedBy) add(`${LABELS.alsoCarriedBy}: ${fit(post.alsoCarriedBy, CARRIERS_LINE)}`);
  return lines;
}

/**
 * An alert as the simplest message Slack accepts: `text` only, no blocks, escaped, at most
 * 3,000 characters. The retry for an alert Slack refused (`invalid_blocks`, `msg_too_long`).
 */
export function renderMinimalAlert(message: NewsMessage): { text: string } {
  const heading = fit(alertHeading(message), 200);
  const lines = postLines(displayPost(message), MINIMAL_LIMIT - heading.length - 1);
  return { text: [heading, ...lines].join('\n') };
}

/** A new-post alert: Block Kit, plus a `text` fallback holding every field (notifications, screen readers). */
export function renderAlert(message: NewsMessage): SlackMessage {
  return { text: renderMinimalAlert(message).text, blocks: postBlocks(message) };
}

/** A listed post of a digest: linked title, then its facts; at most ~3,000 characters. */
function digestEntry(message: NewsMessage): string {
  const post = displayPost(message);
  const facts = fit(digestFacts(post), 500);
  return `*${link(slackUrl(post.url), post.title, SECTION_LIMIT - facts.length - 4)}*\n${facts}`;
}

/**
 * A digest: a heading, one section per listed post (at most 20, so 22 blocks), and how to
 * see the posts not listed. The fallback `text` is the plain form.
 */
export function renderDigest(digest: NewsDigest): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: 'section', text: mrkdwn(`*${fit(digestHeading(digest), 300)}*`) },
    ...digest.posts.map((post) => ({ type: 'section', text: mrkdwn(digestEntry(post)) })),
  ];
  const more = digestMoreText(digest, []);
  if (more) blocks.push({ type: 'context', elements: [mrkdwn(fit(more, 500))] });
  return { text: renderMinimalDigest(digest).text, blocks };
}

/** A digest as text only, at most 3,000 characters: the retry after a refusal. */
export function renderMinimalDigest(digest: NewsDigest): { text: string } {
  return { text: cutEscaped(escapeSlack(wellFormed(digestPlainText(digest))), MINIMAL_LIMIT) };
}

/** A source outage (or recovery) notice as plain text; a long error is cut. */
export function renderNotice(notice: SourceNotice): { text: string } {
  // Cut before composing, weighed as escaped, so the whole stays far below MINIMAL_LIMIT.
  const error =
    notice.error === null
      ? null
      : cutText(wellFormed(notice.error), NOTICE_ERROR_MAX, escapedWeight);
  return { text: fit(noticeText({ ...notice, error }), MINIMAL_LIMIT) };
}

/** A command's answer, shown to the channel or only to the one who asked. */
export function renderReply(
  reply: ChatReply,
): SlackMessage & { response_type: 'in_channel' | 'ephemeral' } {
  const text = wellFormed(reply.text);
  const blocks: SlackBlock[] = [];
  // Slack refuses a blank section.
  if (text.trim()) {
    blocks.push({ type: 'section', text: mrkdwn(fit(text, SECTION_LIMIT)) });
  }
  // Two or three blocks a post; commands ask for at most 10 posts, and posts that would
  // pass Slack's 50 blocks are left out whole.
  const posts: NewsMessage[] = [];
  for (const post of reply.posts) {
    const rendered = postBlocks(post);
    if (blocks.length + rendered.length > MAX_BLOCKS) break;
    blocks.push(...rendered);
    posts.push(post);
  }
  // Escaped parts joined, then cut as a whole: the fallback only needs to be readable.
  const parts = [
    ...(text.trim() ? [fit(text, TEXT_LIMIT)] : []),
    ...posts.map((post) => postLines(displayPost(post), TEXT_LIMIT).join('\n')),
  ];
  return {
    response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
    // Slack refuses a message without text or blocks; no command answers with nothing, but
    // an empty answer must still not be refused.
    text: cutEscaped(parts.join('\n\n'), TEXT_LIMIT) || EMPTY_REPLY,
    blocks,
  };
}

/** Cuts already escaped text without splitting an entity such as `&amp;`. */
function cutEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = cutText(text, max);
  return cut.replace(/&[a-z]*…$/, '…');
}
