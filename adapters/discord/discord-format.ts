import {
  digestFacts,
  digestHeading,
  digestMoreText,
  digestPlainText,
  type NewsDigest,
} from '../../src/model/news-digest.js';
import type { APIEmbed } from 'discord.js';
import type { ChatReply } from '../../src/commands/command-service.js';
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

/** No message of the bot may ping anyone, whatever a title or a command's text holds. */
export const NO_MENTIONS = { parse: [] as never[] };

const EPHEMERAL = 1 << 6;
const GREEN = 0x2e7d32;

/**
 * Discord's documented limits (Message resource, Embed limits). Lengths are measured in
 * UTF-16 units, never fewer than code points, so text within them passes however Discord
 * counts.
 */
const CONTENT_LIMIT = 2000;
const TITLE_LIMIT = 256;
const FIELD_VALUE_LIMIT = 1024;
const MAX_EMBEDS = 10;
const EMBEDS_TOTAL_LIMIT = 6000;
/** Display lengths in the minimal message, the compact embed and notices. */
const TITLE_LINE = 500;
const MINISTRY_LINE = 200;
const DATE_LINE = 100;
const COMPACT = { title: 200, ministry: 100, date: 40 };
/** Summaries are read at 200 characters; an archived or hostile one is cut here, escaped. */
const SUMMARY_LINE = 600;
const NOTICE_ERROR_MAX = 1000;
/** An attachment's name as shown (displayPost keeps 100 units), and the other carriers' line. */
const ATTACHMENT_NAME = 100;
const CARRIERS_LINE = 300;
const EMPTY_REPLY = '(내용 없음)';

/**
 * Markdown that would change what post text means: emphasis, code, spoilers, masked links
 * (`[label](url)`) and `<…>` (mentions, timestamps, links). Escaped with `\`, which Discord
 * hides; `@everyone` is left alone, since {@link NO_MENTIONS} keeps it from pinging.
 */
const MARKDOWN = /[\\*_~`|[\]<>]/g;
const escapeMarkdown = (text: string) => text.replace(MARKDOWN, '\\$&');
const MARKDOWN_CHARS = new Set('\\*_~`|[]<>');
const escapedWeight = (char: string) => (MARKDOWN_CHARS.has(char) ? 2 : char.length);

/** Cut, then escape markdown: at most `max` characters as sent. */
const fitMarkdown = (text: string, max: number) =>
  escapeMarkdown(cutText(text, max, escapedWeight));

/**
 * A URL as the target of `[label](url)`: parentheses would end or confuse the link (spaces
 * and `<>` are already percent-encoded by the URL parser, see `httpUrl`).
 */
const markdownTarget = (url: string) => url.replace(/\(/g, '%28').replace(/\)/g, '%29');

/**
 * A post as an embed: linked title, the summary and the original release as its
 * description, ministry, date, board number. `'compact'` keeps it within 400 characters,
 * without summary and original-release link, so that ten fit Discord's 6,000 per message.
 */
export function renderEmbed(message: NewsMessage, size: 'full' | 'compact' = 'full'): APIEmbed {
  const post = displayPost(message);
  const compact = size === 'compact';
  const embed: APIEmbed = {
    title: cutText(post.title, compact ? COMPACT.title : TITLE_LIMIT),
    color: GREEN,
    fields: [
      {
        name: LABELS.ministry,
        value: fitMarkdown(post.ministry, compact ? COMPACT.ministry : FIELD_VALUE_LIMIT),
        inline: true,
      },
      {
        name: LABELS.date,
        value: fitMarkdown(post.date, compact ? COMPACT.date : DATE_LINE),
        inline: true,
      },
      // 보도시점 next to 날짜: `2026-12-07 12:00`, written by the bot.
      ...(post.embargo ? [{ name: LABELS.embargo, value: post.embargo, inline: true }] : []),
      { name: LABELS.boardNo, value: post.boardNo, inline: true },
    ],
  };
  // Without a usable link the title is plain text: Discord refuses any other URL (50035).
  if (post.url) embed.url = post.url;
  if (post.source) embed.footer = { text: post.source };
  const files = post.attachments.length + post.moreAttachments;
  if (compact) {
    // The files counted, not listed: ten compact embeds must fit 6,000 characters.
    if (files > 0) embed.fields!.push({ name: LABELS.attachments, value: `📎 ${files}건` });
    return embed;
  }
  // At most 7 fields, 1,024 characters each: far inside Discord's 25.
  if (files > 0) embed.fields!.push({ name: LABELS.attachments, value: attachmentsValue(post) });
  if (post.alsoCarriedBy) {
    embed.fields!.push({
      name: LABELS.alsoCarriedBy,
      value: fitMarkdown(post.alsoCarriedBy, CARRIERS_LINE),
    });
  }
  const description: string[] = [];
  // Markdown in a release's sentence is shown as typed: it cannot format, link or mention.
  if (post.summary) description.push(fitMarkdown(post.summary, SUMMARY_LINE));
  const original = post.originalUrl && markdownTarget(post.originalUrl);
  // Encoding parentheses can triple a URL; one that grows past the URL limit is left out.
  if (original && original.length <= MAX_URL_LENGTH) {
    description.push(`[${LABELS.original}](${original})`);
  }
  // At most 600 + 2 + 2,020 characters: far inside the description's 4,096.
  if (description.length > 0) embed.description = description.join('\n\n');
  return embed;
}

/**
 * The attachments field: one file a line, as a masked link while the whole link fits the
 * field's 1,024 characters (room kept for the names after it), else its name alone; then
 * `외 첨부 n건`. Names are escaped: a name cannot become a link, a mention or markup.
 */
function attachmentsValue(post: DisplayPost): string {
  const more = post.moreAttachments > 0 ? moreAttachmentsText(post.moreAttachments) : null;
  let used = more ? more.length + 1 : 0;
  const lines: string[] = [];
  post.attachments.forEach((file, i) => {
    const name = fitMarkdown(file.name, ATTACHMENT_NAME);
    const target = file.url && markdownTarget(file.url);
    // Encoding parentheses can triple a URL; one grown past the URL limit is no link.
    const linked = target && target.length <= MAX_URL_LENGTH ? `[${name}](${target})` : name;
    // Names alone for the files after this one always fit.
    const rest = (post.attachments.length - i - 1) * (ATTACHMENT_NAME + 1);
    const shown = used + linked.length + 1 + rest <= FIELD_VALUE_LIMIT ? linked : name;
    lines.push(shown);
    used += shown.length + 1;
  });
  if (more) lines.push(more);
  return lines.join('\n');
}

/** Characters Discord counts toward the 6,000 of a message's embeds. */
function embedSize(embed: APIEmbed): number {
  let size = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  size += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) size += field.name.length + field.value.length;
  return size;
}

/**
 * Embeds for up to ten posts within 6,000 characters in all: every post starts compact
 * (ten compact embeds take at most 4,000), then each, in order, is shown in full while the
 * total allows. Ordinary posts are always shown in full.
 */
function renderEmbeds(posts: NewsMessage[]): APIEmbed[] {
  const shown = posts.slice(0, MAX_EMBEDS);
  const embeds = shown.map((post) => renderEmbed(post, 'compact'));
  let total = embeds.reduce((sum, embed) => sum + embedSize(embed), 0);
  shown.forEach((post, i) => {
    const full = renderEmbed(post);
    const extra = embedSize(full) - embedSize(embeds[i]!);
    if (total + extra <= EMBEDS_TOTAL_LIMIT) {
      embeds[i] = full;
      total += extra;
    }
  });
  return embeds;
}

/** A new-post alert, as the body of `POST /channels/{id}/messages`. */
export function renderAlert(message: NewsMessage) {
  return {
    content: fitMarkdown(alertHeading(message), 200),
    embeds: [renderEmbed(message)],
    allowed_mentions: NO_MENTIONS,
  };
}

/**
 * An alert as the simplest message Discord accepts: `content` only, at most 2,000
 * characters, no embeds. The retry for an alert Discord refused (50035). Links are
 * http(s) only, in `<…>` so Discord adds no preview, and only whole: a link that no
 * longer fits is left out.
 */
export function renderMinimalAlert(message: NewsMessage): {
  content: string;
  allowed_mentions: typeof NO_MENTIONS;
} {
  const post = displayPost(message);
  const embargo = post.embargo ? ` · ${LABELS.embargo}: ${post.embargo}` : '';
  const lines = [
    fitMarkdown(alertHeading(message), 200),
    // Bold keeps a title starting with `#`, `-` or `>` from becoming a heading, list or quote.
    `**${fitMarkdown(post.title, TITLE_LINE)}**`,
    `${LABELS.ministry}: ${fitMarkdown(post.ministry, MINISTRY_LINE)} · ${LABELS.date}: ${fitMarkdown(post.date, DATE_LINE)}${embargo} · ${LABELS.boardNo}: ${post.boardNo}`,
  ];
  // Within 2,000 with the lines above (200 + 504 + ~380 + 600); the rest follows if it fits.
  if (post.summary) lines.push(fitMarkdown(post.summary, SUMMARY_LINE));
  let used = lines.join('\n').length;
  const add = (line: string | null) => {
    if (!line || used + 1 + line.length > CONTENT_LIMIT) return false;
    lines.push(line);
    used += 1 + line.length;
    return true;
  };
  add(post.url && `<${post.url}>`);
  add(post.originalUrl && `${LABELS.original}: <${post.originalUrl}>`);
  // Each file with its link while the whole line fits, else by its name alone.
  for (const file of post.attachments) {
    const name = `${LABELS.attachments}: ${fitMarkdown(file.name, ATTACHMENT_NAME)}`;
    if (!(file.url && add(`${name} <${file.url}>`))) add(name);
  }
  if (post.moreAttachments > 0) add(moreAttachmentsText(post.moreAttachments));
  if (post.alsoCarriedBy) {
    add(`${LABELS.alsoCarriedBy}: ${fitMarkdown(post.alsoCarriedBy, CARRIERS_LINE)}`);
  }
  return { content: lines.join('\n'), allowed_mentions: NO_MENTIONS };
}

/** Characters of a digest embed's description Discord allows. */
const DESCRIPTION_LIMIT = 4096;

/**
 * A digest: one embed titled by the heading, each listed post as a linked bold title and its
 * facts in the description, while they fit its 4,096 characters; posts that do not fit are
 * named with the ones not listed, with how to see them.
 */
export function renderDigest(digest: NewsDigest) {
  const entries: string[] = [];
  const leftOut: number[] = [];
  // Room for the line about what is left out (at most ~120 characters).
  let used = 200;
  for (const message of digest.posts) {
    const post = displayPost(message);
    const title = fitMarkdown(post.title, COMPACT.title);
    const target = post.url && markdownTarget(post.url);
    const head = target && target.length <= MAX_URL_LENGTH ? `[${title}](${target})` : title;
    const entry = `**${head}**\n${fitMarkdown(digestFacts(post), 400)}`;
    if (used + entry.length + 2 > DESCRIPTION_LIMIT) {
      leftOut.push(message.boardNo);
      continue;
    }
    entries.push(entry);
    used += entry.length + 2;
  }
  const more = digestMoreText(digest, leftOut);
  if (more) entries.push(fitMarkdown(more, 200));
  const embed: APIEmbed = {
    title: cutText(digestHeading(digest), TITLE_LIMIT),
    color: GREEN,
    description: entries.join('\n\n'),
  };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}

/** A digest as `content` only, at most 2,000 characters: the retry after a refusal. */
export function renderMinimalDigest(digest: NewsDigest): {
  content: string;
  allowed_mentions: typeof NO_MENTIONS;
} {
  const lines = digestPlainText(digest)
    .split('\n')
    // Links in `<…>`: no previews for twenty posts.
    .map((line) => (/^ {2}https?:\/\//.test(line) ? `  <${line.trim()}>` : escapeMarkdown(line)));
  return { content: cutText(lines.join('\n'), CONTENT_LIMIT), allowed_mentions: NO_MENTIONS };
}

/** A source outage (or recovery) notice; a long error is cut. */
export function renderNotice(notice: SourceNotice): {
  content: string;
  allowed_mentions: typeof NO_MENTIONS;
} {
  const error =
    notice.error === null ? null : fitMarkdown(wellFormed(notice.error), NOTICE_ERROR_MAX);
  return {
    content: cutText(noticeText({ ...notice, error }), CONTENT_LIMIT),
    allowed_mentions: NO_MENTIONS,
  };
}

/**
 * A command's text keeps its markdown (bold, code) but no link or mention syntax: the text
 * may echo what a user typed. `<` (autolinks, mentions, timestamps) and the `](` of a
 * masked link are escaped, and `\` so that typed backslashes cannot undo that. Code spans
 * get no exception: Discord's rules for where they end are subtle, and a wrong guess would
 * leave a live link; the bot's own texts hold none of these characters in code.
 */
function defuseLinks(text: string): string {
  return text.replace(/[\\<]|\](?=\()/g, '\\$&');
}

/** A command's answer as interaction response data. */
export function renderReply(reply: ChatReply) {
  const embeds = renderEmbeds(reply.posts);
  const text = defuseLinks(wellFormed(reply.text));
  return {
    // Discord refuses a message with neither content nor embeds (50006).
    content: cutText(text.trim() || embeds.length > 0 ? text : EMPTY_REPLY, CONTENT_LIMIT),
    embeds,
    allowed_mentions: NO_MENTIONS,
    ...(reply.visibility === 'private' ? { flags: EPHEMERAL } : {}),
  };
}

/**
 * A command's answer as the edit of a deferred reply: visibility was fixed when the reply was
 * deferred, so an edit carries no flags.
 */
export function renderEdit(reply: ChatReply) {
  const { flags: _visibility, ...edit } = renderReply(reply);
  return edit;
}
