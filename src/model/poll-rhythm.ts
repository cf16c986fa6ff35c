import { busyMinutesByDay, isBusyAt, type BusyWindow } from './poll-hours.js';

/**
 * How often a source is polled: every `busyMs` inside its busy windows (Korea time), every
 * `quietMs` outside them. A data.go.kr API key allows 1,000 calls a day, so the default busy
 * interval is the shortest that keeps the busiest day within {@link DAILY_POLL_BUDGET}.
 */
export interface PollRhythm {
  quietMs: number;
  busyMs: number;
  /** No windows: always `quietMs`. */
  windows: readonly BusyWindow[];
  /**
   * The intervals are between requests, not reads: a read that took n requests (the API's
   * pages) waits n intervals, so a data.go.kr key's daily quota holds however many releases
   * a day brings. Set for the API's sources whose busy interval the operator did not set.
   */
  perRequest?: boolean;
}

/** Daily calls a data.go.kr API key allows. */
export const DAILY_QUOTA = 1_000;
/** Polls a day the default busy interval stays within: the quota less a margin for paging and retries. */
export const DAILY_POLL_BUDGET = 900;
/** The scheduler never ticks more often than this. */
export const MIN_TICK_MS = 15_000;

const MINUTE_MS = 60_000;
const MINUTES_A_DAY = 1_440;

/** The interval in force at `at`. */
export function intervalAt(rhythm: PollRhythm, at: Date): number {
  return isBusyAt(rhythm.windows, at) ? rhythm.busyMs : rhythm.quietMs;
}

/**
 * How often the scheduler runs a source's poll job: the greatest common divisor of the two
 * intervals, so every interval is a whole number of ticks; if that is under
 * {@link MIN_TICK_MS}, the shorter interval (the longer one is then rounded to whole ticks).
 * Without busy windows, the quiet interval.
 */
export function schedulerTick(rhythm: PollRhythm): number {
  if (rhythm.windows.length === 0 || rhythm.busyMs === rhythm.quietMs) return rhythm.quietMs;
  const divisor = gcd(rhythm.busyMs, rhythm.quietMs);
  return divisor >= MIN_TICK_MS ? divisor : Math.min(rhythm.busyMs, rhythm.quietMs);
}

/**
 * Whether a poll at `at` is due, the source having last been asked at `lastAskedAt` (`null`:
 * never). Only checked when the interval in force is longer than the tick: otherwise every
 * tick is a poll, as the scheduler alone decides. The interval is rounded to the nearest whole
 * tick (half a tick of tolerance): a read that took a few seconds, or a job that ran late,
 * must not push the next poll a whole tick later.
 */
export function pollDue(
  rhythm: PollRhythm,
  at: Date,
  lastAskedAt: Date | null,
  lastRequests = 1,
): { due: true } | { due: false; dueAt: Date } {
  const interval = intervalAt(rhythm, at) * (rhythm.perRequest ? Math.max(1, lastRequests) : 1);
  const tick = schedulerTick(rhythm);
  if (!lastAskedAt || interval <= tick) return { due: true };
  const dueAt = lastAskedAt.getTime() + interval - tick / 2;
  return at.getTime() > dueAt ? { due: true } : { due: false, dueAt: new Date(dueAt) };
}

/**
 * Polls on the busiest Korea-time day (the quota resets daily): busy minutes at the busy
 * interval plus the rest at the quiet one, rounded up.
 */
export function pollsPerDay(rhythm: PollRhythm): number {
  const busiest = Math.max(...busyMinutesByDay(rhythm.windows));
  return Math.ceil(dailyPolls(busiest, rhythm.busyMs, rhythm.quietMs) - 1e-9);
}

/**
 * The default busy interval: the shortest whole minute (at least one) for which the busiest
 * day's polls stay within {@link DAILY_POLL_BUDGET}; never longer than the quiet interval (busy
 * hours are never polled less often), which is also the answer when the quiet interval alone
 * spends the budget. With `mon-fri 08:00-20:00` and 5 minutes: 1 minute (720 + 144 = 864).
 */
export function defaultBusyInterval(quietMs: number, windows: readonly BusyWindow[]): number {
  const busiest = Math.max(...busyMinutesByDay(windows));
  if (busiest === 0) return quietMs;
  for (let minutes = 1; minutes * MINUTE_MS < quietMs; minutes++) {
    if (dailyPolls(busiest, minutes * MINUTE_MS, quietMs) <= DAILY_POLL_BUDGET) {
      return minutes * MINUTE_MS;
    }
  }
  return quietMs;
}

function dailyPolls(busyMinutes: number, busyMs: number, quietMs: number): number {
  const quietMinutes = MINUTES_A_DAY - busyMinutes;
  return (busyMinutes * MINUTE_MS) / busyMs + (quietMinutes * MINUTE_MS) / quietMs;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
