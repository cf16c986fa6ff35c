/**
 * When a channel takes its alerts: a daily digest at set times (Korea time), and/or quiet hours
 * during which posts are held and sent together when they end. Times are `HH:MM`.
 */
export interface ChannelSchedule {
  digest: { times: string[]; weekdaysOnly: boolean } | null;
  quiet: { start: string; end: string } | null;
}

export const NO_SCHEDULE: ChannelSchedule = { digest: null, quiet: null };

/** The most digest times one channel may set. */
export const MAX_DIGEST_TIMES = 6;

/**
 * Korea time. Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is
 * Asia/Seoul exactly, whatever time zone the server runs in.
 */
const KST_OFFSET_MS = 9 * 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** `9:00`, `09:00`, `0900` → `09:00`; null for anything that is not a time of day. */
export function parseTimeOfDay(text: string): string | null {
  const match = /^([01]?\d|2[0-3]):?([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether a schedule changes anything: one without a digest or quiet hours is none. */
export function isEmptySchedule(schedule: ChannelSchedule | null): boolean {
  return !schedule || (!schedule.digest && !schedule.quiet);
}

/** Whether `minute` (minutes since midnight, KST) falls in the window; windows may cross midnight. */
function inQuiet(quiet: NonNullable<ChannelSchedule['quiet']>, minute: number): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Milliseconds since the KST midnight before `ms`, and that midnight. */
function kstDay(ms: number): { midnight: number; minute: number; weekday: number } {
  const local = ms + KST_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  return {
    midnight: day * DAY_MS - KST_OFFSET_MS,
    minute: Math.floor((local - day * DAY_MS) / MINUTE_MS),
    // 1970-01-01 was a Thursday (4); 0 is Sunday.
    weekday: (day + 4) % 7,
  };
}

/** The first digest time at or after `ms`. */
function nextDigest(digest: NonNullable<ChannelSchedule['digest']>, ms: number): number {
  const times = digest.times.map(minutesOf).sort((a, b) => a - b);
  // Eight days always reach a weekday digest time.
  for (let d = 0; d < 8; d++) {
    const { midnight, weekday } = kstDay(ms + d * DAY_MS);
    if (digest.weekdaysOnly && (weekday === 0 || weekday === 6)) continue;
    for (const minute of times) {
      const at = midnight + minute * MINUTE_MS;
      if (at >= ms) return at;
    }
  }
  throw new Error('a digest schedule without times');
}

/** When quiet hours that hold `ms` end, or `ms` itself outside them. */
function quietEnd(quiet: ChannelSchedule['quiet'], ms: number): number {
  if (!quiet) return ms;
  const { midnight, minute } = kstDay(ms);
  if (!inQuiet(quiet, minute)) return ms;
  const end = minutesOf(quiet.end);
  const endToday = midnight + end * MINUTE_MS;
  return endToday > ms ? endToday : endToday + DAY_MS;
}

/**
 * When posts owed to the channel since `since` may go out: the first digest time at or after
 * it (pushed to the end of quiet hours if it falls in them), else the end of the quiet hours
 * holding it, else at once (`since` itself). Pure: the clock is the caller's.
 */
export function releaseTime(schedule: ChannelSchedule | null, since: Date): Date {
  const ms = since.getTime();
  if (!schedule || isEmptySchedule(schedule)) return since;
  const at = schedule.digest ? nextDigest(schedule.digest, ms) : ms;
  return new Date(quietEnd(schedule.quiet, at));
}

/** Whether what is owed since `since` is still held at `now`. */
export function isHeld(schedule: ChannelSchedule | null, since: Date, now: Date): boolean {
  return releaseTime(schedule, since).getTime() > now.getTime();
}

/**
 * Whether posts released together go out as one digest: always for a digest schedule; after
 * quiet hours only when more than one was held (one held post is an ordinary alert).
 */
export function sendsAsDigest(
  schedule: ChannelSchedule | null,
  since: Date,
  postCount: number,
): boolean {
  if (!schedule || isEmptySchedule(schedule)) return false;
  if (schedule.digest) return true;
  return postCount > 1 && releaseTime(schedule, since).getTime() > since.getTime();
}

/** `09:00, 18:00` / `평일 09:00`; `22:00–07:00`, for chat. */
export function describeDigest(digest: NonNullable<ChannelSchedule['digest']>): string {
  return `${digest.weekdaysOnly ? '평일 ' : '매일 '}${[...digest.times].sort().join(', ')}`;
}

export function describeQuiet(quiet: NonNullable<ChannelSchedule['quiet']>): string {
  return `${quiet.start}–${quiet.end}`;
}
