import type { APIEmbed } from 'discord.js';
import type { ChatReply } from '../../src/commands/command-service.js';
import { LABELS, type NewsMessage } from '../../src/news-message.js';

/** No message of the bot may ping anyone, whatever a title or a command's text holds. */
export const NO_MENTIONS = { parse: [] as never[] };

const EPHEMERAL = 1 << 6;
const GREEN = 0x2e7d32;

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** A post as an embed: linked title, ministry, date, board number, original release. */
export function renderEmbed(message: NewsMessage): APIEmbed {
  const embed: APIEmbed = {
    title: cut(message.title, 256),
    url: message.url,
    color: GREEN,
    fields: [
      { name: LABELS.ministry, value: message.ministry ?? LABELS.unknownMinistry, inline: true },
      { name: LABELS.date, value: message.date, inline: true },
      { name: LABELS.boardNo, value: String(message.boardNo), inline: true },
    ],
  };
  if (message.originalUrl) embed.description = `[${LABELS.original}](${message.originalUrl})`;
  return embed;
}

/** A new-post alert, as the body of `POST /channels/{id}/messages`. */
export function renderAlert(message: NewsMessage) {
  return {
    content: '새 ESG 정책뉴스',
    embeds: [renderEmbed(message)],
    allowed_mentions: NO_MENTIONS,
  };
}

/** A command's answer as interaction response data. */
export function renderReply(reply: ChatReply) {
  return {
    content: cut(reply.text, 2000),
    embeds: reply.posts.slice(0, 10).map(renderEmbed),
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
