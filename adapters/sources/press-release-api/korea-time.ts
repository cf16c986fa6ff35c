/**
 * Korea time (UTC+9, no daylight saving) as the 정책브리핑 API writes and reads it: dates as
 * `MM/DD/YYYY HH24:MI:SS`, request windows as `YYYYMMDD`, its daily quota reset at midnight.
 */

const KST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The instant (epoch ms) a date of the API names, read as Korea time: `MM/DD/YYYY HH24:MI:SS`
 * (seconds optional), and for safety `YYYY-MM-DD HH:MI:SS` and `YYYYMMDDHHMISS`. `null` for an
 * empty or unreadable date.
 */
export function koreaTimeOf(text: string): number | null {
  const parts =
    /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text) ?? null;
  let fields: number[] | null = null;
  if (parts) {
    const [, month, day, year, hour, minute, second] = parts;
    fields = [year, month, day, hour, minute, second].map((part) => Number(part ?? 0));
  } else {
    const iso =
      /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T]?(\d{2}):?(\d{2})(?::?(\d{2}))?)?$/.exec(text) ?? null;
    if (iso) fields = iso.slice(1).map((part) => Number(part ?? 0));
  }
  if (!fields) return null;
  const [year, month, day, hour, minute, second] = fields as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // 02/31 rolls over into March: no such date.
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - KST_OFFSET_MS;
}

/** The Korean calendar day of an instant as the API's windows name it, `YYYYMMDD`. */
export function koreaDay(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A window of days the API is asked for, `YYYYMMDD` both ends included (three at most). */
export interface DayWindow {
  startDate: string;
  endDate: string;
}

/** The days of the window a read asks for: yesterday and today in Korea. */
export function readWindow(nowMs: number): DayWindow {
  return { startDate: koreaDay(nowMs - DAY_MS), endDate: koreaDay(nowMs) };
}

/** Longest a read reaches back for releases held for their embargo: a week. */
export const MAX_HOLD_LOOKBACK_DAYS = 7;

/**
 * The windows a read asks for: yesterday and today, and, while releases approved before
 * yesterday are held for their embargo (`heldFrom`, `YYYYMMDD`), the days from then to the
 * day before yesterday, in windows of three days (the most the API takes), newest first, at
 * most {@link MAX_HOLD_LOOKBACK_DAYS} back. A release approved on a Friday for Monday's
 * papers is on none of Monday's usual days.
 */
export function readWindows(nowMs: number, heldFrom?: string): DayWindow[] {
  const windows = [readWindow(nowMs)];
  if (!heldFrom || !/^\d{8}$/.test(heldFrom)) return windows;
  const oldest = Math.max(dayNumber(heldFrom), dayNumber(koreaDay(nowMs)) - MAX_HOLD_LOOKBACK_DAYS);
  for (let end = dayNumber(koreaDay(nowMs)) - 2; end >= oldest; end -= 3) {
    const start = Math.max(oldest, end - 2);
    windows.push({ startDate: dayText(start), endDate: dayText(end) });
  }
  return windows;
}

/** Days since 1970-01-01 of a `YYYYMMDD` day. */
function dayNumber(day: string): number {
  return Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8)) / DAY_MS;
}

function dayText(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The next midnight in Korea after `nowMs` (epoch ms): when data.go.kr's daily quotas reset. */
export function nextKoreaMidnight(nowMs: number): number {
  const korea = nowMs + KST_OFFSET_MS;
  return korea - (korea % DAY_MS) + DAY_MS - KST_OFFSET_MS;
}
