/**
 * Telegram's flood limits as the Bot FAQ states them ("My bot is hitting limits, how do I
 * avoid this?"): in one chat "avoid sending more than one message per second. We may allow
 * short bursts that go over this limit" (modelled: at most 3 in any 3 seconds); in a group
 * "no more than 20 messages per minute"; in all "not more than about 30 messages per
 * second". Edits count like messages (they are known to be limited per group alike). A call
 * over a limit is answered 429 `Too Many Requests: retry after N` with `parameters.retry_after`
 * (whole seconds) until the window has room again. Windows run on the fake's clock.
 */
export interface TelegramLimits {
  /** Messages in one group (negative id) per minute. */
  groupPerMinute: number;
  /** Messages in one private chat per `privateWindowMs`: one a second, in short bursts. */
  privatePerWindow: number;
  privateWindowMs: number;
  /** Messages in all chats per second. */
  globalPerSecond: number;
}

export const TELEGRAM_LIMITS: TelegramLimits = {
  groupPerMinute: 20,
  privatePerWindow: 3,
  privateWindowMs: 3_000,
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
    } else {
      const recent = sent.filter((at) => at > now - limits.privateWindowMs);
      if (recent.length >= limits.privatePerWindow) {
        waitMs = recent[recent.length - limits.privatePerWindow]! + limits.privateWindowMs - now;
      }
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
