import { GrammyError, HttpError } from 'grammy';
import { DeliveryError } from '../../src/ports/notifier.js';

/**
 * What Telegram's answers mean for a delivery. The Bot API gives an HTTP-like `error_code`
 * and an English `description` ("Bad Request: chat not found"); the description is what tells
 * one 400 or 403 from another, so it is matched here, case-insensitively.
 */

/** 400s about the chat: it does not exist for the bot, or the bot may not write in it. */
const CHAT_GONE = [
  'chat not found',
  'group chat was deactivated',
  'not enough rights',
  'have no rights to send',
  'need administrator rights',
  'chat_write_forbidden',
  'peer_id_invalid',
  'topic_closed',
  'topic_deleted',
];

/** 400s about the message an edit was for: deleted, or no longer editable by the bot. */
const MESSAGE_GONE = ['message to edit not found', "message can't be edited", 'message_id_invalid'];

/** 400s about the message itself: the plain form may pass, the same HTML never will. */
const MESSAGE_REFUSED = [
  "can't parse entities",
  'message is too long',
  'message text is empty',
  'text must be non-empty',
  'entities_too_long',
];

/** The answer of `editMessageText` when the text is unchanged: the edit is already there. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && /message is not modified/i.test(error.description);
}

const has = (description: string, phrases: readonly string[]) => {
  const lower = description.toLowerCase();
  return phrases.some((phrase) => lower.includes(phrase));
};

/**
 * Maps a failed Bot API call to the port's kinds. Never keeps grammY's `HttpError` as the
 * cause: what it wraps (node-fetch's error) names the request URL, which holds the token.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof GrammyError) return fromTelegram(error);
  if (error instanceof HttpError) {
    const wrapped = error.error as { code?: unknown; name?: unknown } | undefined;
    const reason =
      typeof wrapped?.code === 'string'
        ? wrapped.code
        : typeof wrapped?.name === 'string'
          ? wrapped.name
          : 'no answer';
    return new DeliveryError('transient', `Telegram: network error (${reason})`, {
      code: 'network',
    });
  }
  return new DeliveryError('transient', `Telegram: ${(error as Error).message}`, { cause: error });
}

function fromTelegram(error: GrammyError): DeliveryError {
  const code = String(error.error_code);
  const said = `Telegram: ${error.description}`;
  const details = { code, cause: error };
  if (error.error_code === 429) {
    // Telegram's 429s are per chat (about 20 messages a minute in a group, 1 a second in a
    // private chat) or for the whole bot (about 30 a second), and the answer does not say
    // which. Taken as the chat's: the bot's overall rate is kept under Telegram's by the
    // delivery queue's limiter (TELEGRAM_RATE_LIMIT), so a 429 is almost always one chat's,
    // and holding every chat for one busy group would delay them all. A rare overall 429
    // still slows nothing down much: each job meets it once and waits its retry_after.
    const seconds = error.parameters.retry_after ?? 1;
    return new DeliveryError('rate-limited', said, {
      ...details,
      retryAfterMs: Math.max(seconds, 1) * 1000,
      scope: 'channel',
    });
  }
  if (error.error_code === 401 || error.error_code === 404) {
    // 401: the token was revoked or is wrong. 404: no bot answers at this token's path
    // (a malformed token, or TELEGRAM_API_URL not being the Bot API). No chat is at fault.
    return new DeliveryError('unauthorized', 'Telegram refused the bot token', details);
  }
  const movedTo = error.parameters.migrate_to_chat_id;
  if (movedTo !== undefined) {
    // The group was upgraded to a supergroup: the old id is gone for good, the chat lives on
    // under the new one. The command front-end moves the subscriptions when the upgrade's
    // service message arrives (see `TelegramCommands`); a delivery that meets the old id
    // before that names the new one, for the operator to subscribe it if nothing moved.
    return new DeliveryError(
      'permanent',
      `Telegram: the group became the supergroup ${movedTo} (migrate_to_chat_id); its subscriptions move there when the bot hears of the upgrade`,
      { ...details, code: 'migrated' },
    );
  }
  if (error.error_code === 403) {
    // "bot was blocked by the user", "bot was kicked from the group chat", "bot is not a
    // member of the supergroup chat", "user is deactivated", "bot can't initiate conversation".
    return new DeliveryError('permanent', said, details);
  }
  if (error.error_code === 400) {
    if (has(error.description, CHAT_GONE) || has(error.description, MESSAGE_GONE)) {
      return new DeliveryError('permanent', said, details);
    }
    if (has(error.description, MESSAGE_REFUSED)) {
      return new DeliveryError('rejected', said, details);
    }
  }
  return new DeliveryError('transient', said, details);
}
