import {
  busyMinutesByDay,
  isBusyAt,
  isBusyMinute,
  koreaWeekMinute,
  type BusyWindow,
} from './poll-hours.js';

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
   * The intervals spend a budget of calls, not of reads: when reads take several requests
   * (the API's pages), the intervals stretch just enough for the busiest day to stay within
   * {@link DAILY_POLL_BUDGET} calls, the busy one first (see {@link callBudgetIntervals}), so a
   * data.go.kr key's daily quota holds however many releases a day brings. Set for the API's
   * sources whose busy interval the operator did not set.
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

/** What a source whose rhythm budgets calls (`perRequest`) has spent. */
export interface CallUsage {
  /** Calls the last read took (its pages). */
  lastRequests?: number | undefined;
  /** Calls spent so far on the Korean day of the poll. */
  callsToday?: number | undefined;
}

/**
 * Whether a poll at `at` is due, the source having last been asked at `lastAskedAt` (`null`:
 * never). Only checked when the interval in force is longer than the tick: otherwise every
 * tick is a poll, as the scheduler alone decides. The interval is rounded to the nearest whole
 * tick (half a tick of tolerance): a read that took a few seconds, or a job that ran late,
 * must not push the next poll a whole tick later. A rhythm that budgets calls paces the rest
 * of the day (see {@link pacedIntervals}).
 */
export function pollDue(
  rhythm: PollRhythm,
  at: Date,
  lastAskedAt: Date | null,
  usage: CallUsage = {},
): { due: true } | { due: false; dueAt: Date } {
  let intervals: { busyMs: number; quietMs: number } = rhythm;
  if (rhythm.perRequest) {
    const paced = pacedIntervals(rhythm, at, usage);
    // The day's calls are spent: nothing more before midnight, when the quota resets.
    if ('untilMs' in paced) return { due: false, dueAt: new Date(paced.untilMs) };
    intervals = paced;
  }
  const interval = intervalAt({ ...rhythm, ...intervals }, at);
  const tick = schedulerTick(rhythm);
  if (!lastAskedAt || interval <= tick) return { due: true };
  const dueAt = lastAskedAt.getTime() + interval - tick / 2;
  return at.getTime() > dueAt ? { due: true } : { due: false, dueAt: new Date(dueAt) };
}

/**
 * The intervals for the rest of the Korean day of `at`, for a rhythm that budgets calls: the
 * calls left of {@link DAILY_POLL_BUDGET} shared among the reads still to come at the cost of
 * the last one; unchanged while they suffice, else the busy interval stretches first (readers
 * in office hours still hear of a release well before the quiet interval), down to the quiet
 * one, and past that both alike. `untilMs`: the budget is spent, wait for the next day.
 */
export function pacedIntervals(
  rhythm: PollRhythm,
  at: Date,
  usage: CallUsage,
): { busyMs: number; quietMs: number } | { untilMs: number } {
  const perRead = Math.max(1, usage.lastRequests ?? 1);
  const left = DAILY_POLL_BUDGET - (usage.callsToday ?? 0);
  const { busyMinutes, quietMinutes, untilMs } = minutesLeftToday(rhythm.windows, at);
  if (left < perRead) return { untilMs };
  return stretched(rhythm, busyMinutes, quietMinutes, left / perRead);
}

/**
 * The intervals of a whole busiest day whose reads each take `requestsPerRead` calls (see
 * {@link pacedIntervals}, which paces what is left of the current day).
 */
export function callBudgetIntervals(
  rhythm: PollRhythm,
  requestsPerRead: number,
): { busyMs: number; quietMs: number } {
  const busyMinutes = busiestDayMinutes(rhythm.windows);
  const reads = DAILY_POLL_BUDGET / Math.max(1, requestsPerRead);
  return stretched(rhythm, busyMinutes, MINUTES_A_DAY - busyMinutes, reads);
}

/** The shortest intervals, never shorter than the rhythm's, that make at most `reads` reads. */
function stretched(
  { busyMs, quietMs }: Pick<PollRhythm, 'busyMs' | 'quietMs'>,
  busyMinutes: number,
  quietMinutes: number,
  reads: number,
): { busyMs: number; quietMs: number } {
  const readsAt = (busy: number, quiet: number) =>
    (busyMinutes * MINUTE_MS) / busy + (quietMinutes * MINUTE_MS) / quiet;
  if (readsAt(busyMs, quietMs) <= reads) return { busyMs, quietMs };
  const quietReads = (quietMinutes * MINUTE_MS) / quietMs;
  if (busyMinutes > 0 && readsAt(quietMs, quietMs) <= reads) {
    const busy = (busyMinutes * MINUTE_MS) / (reads - quietReads);
    return { busyMs: Math.max(busyMs, Math.ceil(busy)), quietMs };
  }
  const every = Math.ceil(((busyMinutes + quietMinutes) * MINUTE_MS) / reads);
  return { busyMs: Math.max(busyMs, every), quietMs: Math.max(quietMs, every) };
}

/** Busy and quiet minutes from `at` to the next midnight in Korea, and that midnight (ms). */
function minutesLeftToday(
  windows: readonly BusyWindow[],
  at: Date,
): { busyMinutes: number; quietMinutes: number; untilMs: number } {
  const { day, minute } = koreaWeekMinute(at);
  let busyMinutes = 0;
  for (let m = minute; m < MINUTES_A_DAY; m++) if (isBusyMinute(windows, day, m)) busyMinutes++;
  const untilMs = at.getTime() - (at.getTime() % MINUTE_MS) + (MINUTES_A_DAY - minute) * MINUTE_MS;
  return { busyMinutes, quietMinutes: MINUTES_A_DAY - minute - busyMinutes, untilMs };
}

/** Busy minutes of the busiest Korea-time day, computed once per set of windows. */
const busiestByWindows = new WeakMap<readonly BusyWindow[], number>();
function busiestDayMinutes(windows: readonly BusyWindow[]): number {
  let minutes = busiestByWindows.get(windows);
  if (minutes === undefined) {
    minutes = Math.max(...busyMinutesByDay(windows));
    busiestByWindows.set(windows, minutes);
  }
  return minutes;
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
