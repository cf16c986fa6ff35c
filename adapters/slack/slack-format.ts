import type { ChatReply } from '../../src/commands/command-service.js';
import { LABELS, plainText, type NewsMessage } from '../../src/news-message.js';

/** A Block Kit block; typed loosely here, checked by Slack. */
export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const SECTION_LIMIT = 3000;

/**
 * Escapes text for Slack: `&`, `<` and `>` are control characters there. Without this a title
 * or keyword holding `<!channel>` would ping everyone.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A URL safe inside `<url|label>`. */
function slackUrl(url: string): string {
  return escapeSlack(url.replace(/\|/g, '%7C'));
}

function link(url: string, label: string): string {
  // A `|` in the label would end it early; the full-width bar reads the same.
  return `<${slackUrl(url)}|${escapeSlack(label.replace(/\|/g, '｜'))}>`;
}

function postBlocks(message: NewsMessage): SlackBlock[] {
  const facts = [
    `${LABELS.ministry} *${escapeSlack(message.ministry ?? LABELS.unknownMinistry)}*`,
    `${LABELS.date} ${message.date}`,
    `${LABELS.boardNo} ${message.boardNo}`,
  ];
  if (message.originalUrl) facts.push(link(message.originalUrl, LABELS.original));
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `*${link(message.url, message.title)}*` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: facts.join('  ·  ') }] },
  ];
}

/** A new-post alert: Block Kit, plus a `text` fallback holding every field (notifications, screen readers). */
export function renderAlert(message: NewsMessage): SlackMessage {
  return {
    text: escapeSlack(`새 ESG 정책뉴스\n${plainText(message)}`),
    blocks: postBlocks(message),
  };
}

/** A command's answer, shown to the channel or only to the one who asked. */
export function renderReply(
  reply: ChatReply,
): SlackMessage & { response_type: 'in_channel' | 'ephemeral' } {
  const blocks: SlackBlock[] = [];
  if (reply.text) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: escapeSlack(reply.text).slice(0, SECTION_LIMIT) },
    });
  }
  for (const post of reply.posts) blocks.push(...postBlocks(post));
  const fallback = [reply.text, ...reply.posts.map(plainText)].filter(Boolean).join('\n\n');
  return {
    response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
    text: escapeSlack(fallback),
    blocks,
  };
}
