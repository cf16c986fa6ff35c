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

/** The days of the window a read asks for: yesterday and today in Korea. */
export function readWindow(nowMs: number): { startDate: string; endDate: string } {
  return { startDate: koreaDay(nowMs - DAY_MS), endDate: koreaDay(nowMs) };
}

/** The next midnight in Korea after `nowMs` (epoch ms): when data.go.kr's daily quotas reset. */
export function nextKoreaMidnight(nowMs: number): number {
  const korea = nowMs + KST_OFFSET_MS;
  return korea - (korea % DAY_MS) + DAY_MS - KST_OFFSET_MS;
}
