/**
 * The bot's update queue and `getUpdates` (Bot API, "Getting updates"):
 * - `offset`: "Identifier of the first update to be returned … An update is considered
 *   confirmed as soon as getUpdates is called with an offset higher than its update_id";
 *   confirmed updates are gone for good. A negative offset keeps only the last -offset.
 * - `limit` 1–100 (default 100); `timeout` seconds of long polling (default 0: answer at once).
 * - Two requests at once for one token: the earlier is answered 409 `Conflict: terminated by
 *   other getUpdates request; make sure that only one bot instance is running`.
 * - `deleteWebhook` with `drop_pending_updates` drops every update not yet fetched.
 * Long polls wait in real time: they are the client's timers, not a window of the fake's.
 */

/** An update as Telegram sends it: its id, and one of `message`, `my_chat_member`, … */
export type TelegramUpdate = { update_id: number } & Record<string, unknown>;

type Answer = (status: number, body: unknown) => void;

interface PendingPoll {
  offset: number;
  limit: number;
  answer: Answer;
  timer: NodeJS.Timeout;
}

export const CONFLICT =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

export class TelegramUpdates {
  /** Updates not yet confirmed, in order. */
  private queue: TelegramUpdate[] = [];
  private nextId = 500_000_001;
  private pending: PendingPoll | null = null;
  /** Every getUpdates, in order: the offset it sent, and what it got. */
  readonly polls: Array<{ offset: number; answered: number[] | 'conflict' }> = [];
  /** Polls answered 409 because another began. */
  conflicts = 0;

  /** Queues an update; a waiting long poll gets it at once. Returns its id. */
  push(update: Record<string, unknown>): number {
    const full = { update_id: this.nextId++, ...update };
    this.queue.push(full);
    const pending = this.pending;
    if (pending && full.update_id >= pending.offset) this.answer(pending);
    return full.update_id;
  }

  /** The ids of updates not yet confirmed. */
  unconfirmed(): number[] {
    return this.queue.map((u) => u.update_id);
  }

  /** Whether a long poll is waiting now. */
  get polling(): boolean {
    return this.pending !== null;
  }

  dropPending(): void {
    this.queue = [];
  }

  async getUpdates(
    params: { offset?: number; limit?: number; timeout?: number },
    answer: Answer,
    onClose: (listener: () => void) => void,
  ): Promise<void> {
    // A client that aborted its poll and asks again at once (grammY's `stop()` confirms the
    // offset so) is no second poller: let the aborted connection's close be seen first.
    if (this.pending) await new Promise((resolve) => setTimeout(resolve, 20));
    const limit = params.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      answer(400, telegramError(400, 'Bad Request: limit must be between 1 and 100'));
      return;
    }
    const offset = this.confirm(params.offset ?? 0);
    if (this.pending) {
      const earlier = this.pending;
      this.pending = null;
      clearTimeout(earlier.timer);
      this.conflicts++;
      this.polls.push({ offset: earlier.offset, answered: 'conflict' });
      earlier.answer(409, telegramError(409, CONFLICT));
    }
    const timeout = params.timeout ?? 0;
    const poll: PendingPoll = {
      offset,
      limit,
      answer,
      timer: setTimeout(() => this.answer(poll), Math.max(0, timeout) * 1000),
    };
    if (timeout <= 0 || this.ready(offset).length > 0) {
      clearTimeout(poll.timer);
      this.pending = poll;
      this.answer(poll);
      return;
    }
    this.pending = poll;
    // A client that gives up (aborts its request) is no poller any more.
    onClose(() => {
      if (this.pending === poll) {
        clearTimeout(poll.timer);
        this.pending = null;
      }
    });
  }

  /** Answers a waiting long poll with an error (its token was revoked meanwhile). */
  failPending(status: number, description: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.answer(status, telegramError(status, description));
  }

  close(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
  }

  /** Forgets updates below `offset` (or all but the last -offset); the first id to return. */
  private confirm(offset: number): number {
    if (offset < 0) {
      this.queue = this.queue.slice(offset);
      return this.queue[0]?.update_id ?? this.nextId;
    }
    this.queue = this.queue.filter((u) => u.update_id >= offset);
    return offset;
  }

  private ready(offset: number): TelegramUpdate[] {
    return this.queue.filter((u) => u.update_id >= offset);
  }

  private answer(poll: PendingPoll): void {
    if (this.pending !== poll) return;
    this.pending = null;
    clearTimeout(poll.timer);
    const updates = this.ready(poll.offset).slice(0, poll.limit);
    this.polls.push({ offset: poll.offset, answered: updates.map((u) => u.update_id) });
    poll.answer(200, { ok: true, result: updates });
  }
}

/** A Bot API error answer. */
export function telegramError(
  code: number,
  description: string,
  parameters?: Record<string, number>,
): { ok: false; error_code: number; description: string; parameters?: Record<string, number> } {
  return { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) };
}
