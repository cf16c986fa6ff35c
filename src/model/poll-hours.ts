/**
 * Busy hours: the Korea-time (UTC+9, no daylight saving) days and hours in which ministries
 * publish, written `mon-fri 08:00-20:00, sat 09:00-13:00`. A source is polled more often
 * inside them (see `poll-rhythm.ts`).
 */

/** Days of the week, Monday first (0) to Sunday (6). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One window: from `start` to `end` (minutes of the day, `end` up to 1440 for `24:00`) on
 * each day from `firstDay` to `lastDay` (indexes of {@link WEEKDAYS}; `fri-mon` wraps over
 * the weekend). An `end` not after `start` runs overnight into the next day: `fri 22:00-02:00`
 * is Friday 22:00 to Saturday 02:00.
 */
export interface BusyWindow {
  firstDay: number;
  lastDay: number;
  start: number;
  end: number;
}

/** The default: office hours of the working week, when press releases come out. */
export const DEFAULT_BUSY_HOURS = 'mon-fri 08:00-20:00';

/** Longest text read and most windows: operator configuration, but still bounded. */
const MAX_TEXT = 500;
const MAX_WINDOWS = 20;

const MINUTES_A_DAY = 1_440;
const KST_OFFSET_MS = 9 * 3_600_000;

const EXAMPLE = 'e.g. mon-fri 08:00-20:00, sat 09:00-13:00';

/**
 * Reads busy hours: windows `days HH:MM-HH:MM` separated by `separator` (a comma in the
 * environment, `;` in a source's URL fragment), `days` one day or a range. `off` (or `none`)
 * is no window. Returns the windows, or a message saying what is wrong (for start-up).
 */
export function parseBusyHours(text: string, separator = ','): BusyWindow[] | string {
  if (text.length > MAX_TEXT) return `is longer than ${MAX_TEXT} characters`;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === 'none') return [];
  const parts = trimmed.split(separator).map((part) => part.trim());
  if (parts.length > MAX_WINDOWS) return `has more than ${MAX_WINDOWS} windows`;
  const windows: BusyWindow[] = [];
  for (const part of parts) {
    const window = parseWindow(part);
    if (typeof window === 'string') return `"${part.slice(0, 40)}": ${window} (${EXAMPLE})`;
    windows.push(window);
  }
  return windows;
}

function parseWindow(text: string): BusyWindow | string {
  if (text === '') return 'an empty window';
  // Split on whitespace by hand: the days and the times are two words.
  const words = text.split(' ').filter((word) => word !== '');
  if (words.length !== 2) return 'must be days and times, like mon-fri 08:00-20:00';
  const days = parseDays(words[0]!);
  if (typeof days === 'string') return days;
  const times = parseTimes(words[1]!);
  if (typeof times === 'string') return times;
  return { ...days, ...times };
}

function parseDays(text: string): { firstDay: number; lastDay: number } | string {
  const ends = text.split('-');
  if (ends.length > 2) return `"${text.slice(0, 20)}" is not a day or a range of days`;
  const [first, last = first] = ends.map((day) => WEEKDAYS.indexOf(day as Weekday));
  const unknown = ends.find((day) => !WEEKDAYS.includes(day as Weekday));
  if (unknown !== undefined)
    return `"${unknown.slice(0, 20)}" is not a day (${WEEKDAYS.join(', ')})`;
  return { firstDay: first!, lastDay: last! };
}

function parseTimes(text: string): { start: number; end: number } | string {
  const ends = text.split('-');
  if (ends.length !== 2) {
    return `"${text.slice(0, 20)}" must be a start and an end, like 08:00-20:00`;
  }
  const start = parseClock(ends[0]!);
  const end = parseClock(ends[1]!);
  if (start === null || start === MINUTES_A_DAY) {
    return `"${ends[0]!.slice(0, 20)}" is not a start time (00:00 to 23:59)`;
  }
  if (end === null) return `"${ends[1]!.slice(0, 20)}" is not an end time (00:00 to 24:00)`;
  // Ambiguous (nothing, or a whole day?): a whole day is written 00:00-24:00.
  if (start === end) return `starts and ends at ${ends[0]} (a whole day is 00:00-24:00)`;
  // An end before the start runs overnight (see `BusyWindow`).
  return { start, end };
}

/** `HH:MM` (or `H:MM`) from 00:00 to 24:00, as minutes of the day; `null` otherwise. */
function parseClock(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/** Whether the window's days (a range, maybe wrapping over the week's end) include `day`. */
function coversDay(window: BusyWindow, day: number): boolean {
  const { firstDay, lastDay } = window;
  return firstDay <= lastDay
    ? day >= firstDay && day <= lastDay
    : day >= firstDay || day <= lastDay;
}

/** Whether minute `minute` of weekday `day` (Korea time) is in a window. */
export function isBusyMinute(windows: readonly BusyWindow[], day: number, minute: number): boolean {
  return windows.some((window) => {
    if (window.start < window.end) {
      return coversDay(window, day) && minute >= window.start && minute < window.end;
    }
    // Overnight: from `start` on one of its days to `end` on the day after.
    return (
      (coversDay(window, day) && minute >= window.start) ||
      (coversDay(window, (day + 6) % 7) && minute < window.end)
    );
  });
}

/** The Korea-time weekday (Monday 0) and minute of the day of an instant. */
export function koreaWeekMinute(at: Date): { day: number; minute: number } {
  const shifted = new Date(at.getTime() + KST_OFFSET_MS);
  return {
    day: (shifted.getUTCDay() + 6) % 7,
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

/** Whether `at` falls in a window. */
export function isBusyAt(windows: readonly BusyWindow[], at: Date): boolean {
  const { day, minute } = koreaWeekMinute(at);
  return isBusyMinute(windows, day, minute);
}

/** Busy minutes of each Korea-time day, Monday first (overlapping windows count once). */
export function busyMinutesByDay(windows: readonly BusyWindow[]): number[] {
  return WEEKDAYS.map((_, day) => {
    let busy = 0;
    for (let minute = 0; minute < MINUTES_A_DAY; minute++) {
      if (isBusyMinute(windows, day, minute)) busy++;
    }
    return busy;
  });
}

/** Whether the windows cover the whole week (the busy interval is then the only one). */
export function coversWholeWeek(windows: readonly BusyWindow[]): boolean {
  return busyMinutesByDay(windows).every((minutes) => minutes === MINUTES_A_DAY);
}

/** A window as the configuration writes it, e.g. `mon-fri 08:00-20:00`. */
export function formatWindow(window: BusyWindow): string {
  const days =
    window.firstDay === window.lastDay
      ? WEEKDAYS[window.firstDay]
      : `${WEEKDAYS[window.firstDay]}-${WEEKDAYS[window.lastDay]}`;
  return `${days} ${clock(window.start)}-${clock(window.end)}`;
}

/** Minutes of the day as `HH:MM` (1440 as `24:00`). */
export function clock(minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm}`;
}
