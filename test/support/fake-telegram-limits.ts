/**
 * Telegram's flood limits as the Bot FAQ states them ("My bot is hitting limits, how do I
 * avoid this?"): in one chat "avoid sending more than one message per second"; in a group
 * "no more than 20 messages per minute"; in all "not more than about 30 messages per
 * second". Edits count like messages (they are known to be limited per group alike). A call
 * over a limit is answered 429 `Too Many Requests: retry after N` with `parameters.retry_after`
 * (whole seconds) until the window has room again. Windows run on the fake's clock.
 */
export interface TelegramLimits {
  /** Messages in one group (negative id) per minute. */
  groupPerMinute: number;
  /** Least time between two messages in one private chat. */
  privateSpacingMs: number;
  /** Messages in all chats per second. */
  globalPerSecond: number;
}

export const TELEGRAM_LIMITS: TelegramLimits = {
  groupPerMinute: 20,
  privateSpacingMs: 1_000,
  globalPerSecond: 30,
};

/** Sliding windows of sent messages, per chat and in all. */
export class TelegramRateLimits {
  /** `null`: no limits (tests of other things). */
  limits: TelegramLimits | null = TELEGRAM_LIMITS;
  /** 429s answered, by scope. */
  readonly rejected429 = { chat: 0, global: 0 };
  private readonly sentByChat = new Map<string, number[]>();
  private sentInAll: number[] = [];

  constructor(private readonly now: () => number) {}

  /**
   * Takes a message's place in `chatId`: null when it may go (counted), else the seconds to
   * wait (nothing counted).
   */
  take(chatId: string): { retryAfter: number; scope: 'chat' | 'global' } | null {
    const limits = this.limits;
    if (!limits) return null;
    const now = this.now();
    this.sentInAll = this.sentInAll.filter((at) => at > now - 1_000);
    const sent = (this.sentByChat.get(chatId) ?? []).filter((at) => at > now - 60_000);
    this.sentByChat.set(chatId, sent);
    let waitMs = 0;
    if (chatId.startsWith('-')) {
      if (sent.length >= limits.groupPerMinute) {
        waitMs = sent[sent.length - limits.groupPerMinute]! + 60_000 - now;
      }
    } else if (sent.length > 0) {
      waitMs = sent.at(-1)! + limits.privateSpacingMs - now;
    }
    if (waitMs > 0) {
      this.rejected429.chat++;
      return { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)), scope: 'chat' };
    }
    if (this.sentInAll.length >= limits.globalPerSecond) {
      this.rejected429.global++;
      const free = this.sentInAll[this.sentInAll.length - limits.globalPerSecond]! + 1_000 - now;
      return { retryAfter: Math.max(1, Math.ceil(free / 1000)), scope: 'global' };
    }
    sent.push(now);
    this.sentInAll.push(now);
    return null;
  }
}
