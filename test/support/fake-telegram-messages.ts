import { HtmlParseError, parseTelegramHtml, type ParsedText } from './fake-telegram-html.js';
import { telegramError } from './fake-telegram-updates.js';

/** A message's text as Telegram would show it, once its checks passed. */
export interface MessageCheck {
  sentText: string;
  parseMode: string | null;
  shown: ParsedText;
  linkPreviewDisabled: boolean;
}

/** sendMessage: "Text of the message to be sent, 1-4096 characters after entities parsing". */
export const TEXT_LIMIT = 4096;

/**
 * The checks of `sendMessage` and `editMessageText` on the text itself (Bot API, sendMessage
 * and "Formatting options"): present, parseable in its parse mode, not empty and at most
 * 4,096 characters once parsed. `fault`: a planted refusal (`html`: every HTML message is
 * refused as unparseable; `all`: every message as too long).
 */
export function checkMessage(
  params: Record<string, unknown>,
  fault: 'html' | 'all' | undefined,
): MessageCheck | { status: number; body: unknown } {
  const refuse = (description: string) => ({
    status: 400,
    body: telegramError(400, `Bad Request: ${description}`),
  });
  const sentText = params.text;
  if (typeof sentText !== 'string' || sentText === '') return refuse('message text is empty');
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : null;
  let shown: ParsedText = { text: sentText, entities: [] };
  if (parseMode !== null) {
    // The bot writes HTML only; Markdown and MarkdownV2 are not modelled here.
    if (parseMode !== 'HTML') return refuse(`unsupported parse_mode "${parseMode}"`);
    if (fault === 'html') {
      return refuse(`can't parse entities: Unsupported start tag "x" at byte offset 0`);
    }
    try {
      shown = parseTelegramHtml(sentText);
    } catch (error) {
      if (error instanceof HtmlParseError) return refuse(`can't parse entities: ${error.message}`);
      throw error;
    }
  }
  if (fault === 'all') return refuse('message is too long');
  if (shown.text.trim() === '') return refuse('message text is empty');
  // Counted in UTF-16 units, as Telegram counts entity offsets and lengths.
  if (shown.text.length > TEXT_LIMIT) return refuse('message is too long');
  const preview = params.link_preview_options as { is_disabled?: boolean } | undefined;
  return { sentText, parseMode, shown, linkPreviewDisabled: preview?.is_disabled === true };
}
