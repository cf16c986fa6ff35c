import { describe, expect, it } from 'vitest';
import {
  busyMinutesByDay,
  DEFAULT_BUSY_HOURS,
  formatWindow,
  parseBusyHours,
  type BusyWindow,
} from '../../src/model/poll-hours.js';
import {
  callBudgetIntervals,
  pacedIntervals,
  DAILY_POLL_BUDGET,
  defaultBusyInterval,
  intervalAt,
  pollDue,
  pollsPerDay,
  schedulerTick,
  type PollRhythm,
} from '../../src/model/poll-rhythm.js';
import { durationText, rhythmText } from '../../src/model/poll-rhythm-text.js';

const MINUTE = 60_000;
/** A Korea-time instant: `2026-12-04` is a Friday, `2026-12-07` a Monday. */
const kst = (local: string) => new Date(`${local}+09:00`);

function hours(text: string, separator?: string): BusyWindow[] {
  const windows = parseBusyHours(text, separator);
  if (typeof windows === 'string') throw new Error(windows);
  return windows;
}

const officeHours: PollRhythm = {
  quietMs: 5 * MINUTE,
  busyMs: MINUTE,
  windows: hours(DEFAULT_BUSY_HOURS),
};

describe('busy hours', () => {
  it('reads days, ranges, wrapping ranges, several windows, 24:00 and overnight windows', () => {
    expect(hours('mon-fri 08:00-20:00')).toEqual([
      { firstDay: 0, lastDay: 4, start: 480, end: 1200 },
    ]);
    expect(hours('mon-fri 08:00-20:00, sat 09:00-13:00').map(formatWindow)).toEqual([
      'mon-fri 08:00-20:00',
      'sat 09:00-13:00',
    ]);
    expect(hours('  FRI-MON   8:30-24:00 ')).toEqual([
      { firstDay: 4, lastDay: 0, start: 510, end: 1440 },
    ]);
    expect(hours('mon-sun 00:00-24:00').map(formatWindow)).toEqual(['mon-sun 00:00-24:00']);
    expect(hours('fri 22:00-02:00')).toEqual([{ firstDay: 4, lastDay: 4, start: 1320, end: 120 }]);
    expect(hours('mon 08:00-12:00;tue 13:00-14:00', ';')).toHaveLength(2);
    expect(hours('off')).toEqual([]);
  });

  it('refuses what it cannot read, saying what is wrong', () => {
    const refusals: Array<[string, string]> = [
      ['mon-fry 08:00-20:00', '"fry" is not a day'],
      ['monday 08:00-20:00', '"monday" is not a day'],
      ['mon-tue-wed 08:00-20:00', 'is not a day or a range of days'],
      ['08:00-20:00', 'must be days and times'],
      ['mon-fri', 'must be days and times'],
      ['mon-fri 08:00', 'must be a start and an end'],
      ['mon-fri 8-20', 'is not a start time'],
      ['mon-fri 24:00-02:00', '"24:00" is not a start time'],
      ['mon-fri 08:00-24:30', '"24:30" is not an end time'],
      ['mon-fri 08:60-20:00', '"08:60" is not a start time'],
      ['mon-fri 08:00-08:00', 'a whole day is 00:00-24:00'],
      ['mon-fri 08:00-20:00,', 'an empty window'],
      ['mon-fri 08:00-20:00 sat', 'must be days and times'],
    ];
    for (const [text, problem] of refusals) {
      const result = parseBusyHours(text);
      expect(typeof result, text).toBe('string');
      expect(result, text).toContain(problem);
    }
    expect(parseBusyHours('mon 08:00-09:00, '.repeat(40))).toContain('longer than 500');
    expect(parseBusyHours(Array(21).fill('mon 08:00-09:00').join(','))).toContain('more than 20');
  });

  it('reads long hostile input in linear time (no backtracking regex)', () => {
    const hostile = `mon ${'0'.repeat(400)}:00-20:00`;
    expect(parseBusyHours(hostile)).toContain('is not a start time');
    expect(parseBusyHours(`${'mon-'.repeat(100)}fri 08:00-20:00`)).toContain(
      'is not a day or a range',
    );
    expect(parseBusyHours(`${'mon-'.repeat(130)}fri 08:00-20:00`)).toContain('longer than 500');
  });

  it('counts busy minutes per Korea-time day, overlaps once and overnight windows on both days', () => {
    expect(busyMinutesByDay(hours(DEFAULT_BUSY_HOURS))).toEqual([720, 720, 720, 720, 720, 0, 0]);
    expect(busyMinutesByDay(hours('mon 08:00-12:00, mon 10:00-14:00'))[0]).toBe(360);
    expect(busyMinutesByDay(hours('fri 22:00-02:00'))).toEqual([0, 0, 0, 0, 120, 120, 0]);
    expect(busyMinutesByDay(hours('sun-mon 23:00-01:00'))).toEqual([120, 60, 0, 0, 0, 0, 60]);
  });
});

describe('intervalAt', () => {
  it('switches at the window edges, Korea time', () => {
    expect(intervalAt(officeHours, kst('2026-12-04T19:59:59'))).toBe(MINUTE);
    expect(intervalAt(officeHours, kst('2026-12-04T20:00:00'))).toBe(5 * MINUTE);
    expect(intervalAt(officeHours, kst('2026-12-07T07:59:59'))).toBe(5 * MINUTE);
    expect(intervalAt(officeHours, kst('2026-12-07T08:00:00'))).toBe(MINUTE);
    // Saturday at noon is not a weekday; UTC's Friday 23:00 is Korea's Saturday 08:00.
    expect(intervalAt(officeHours, kst('2026-12-05T12:00:00'))).toBe(5 * MINUTE);
    expect(intervalAt(officeHours, new Date('2026-12-04T23:00:00Z'))).toBe(5 * MINUTE);
  });

  it('runs to midnight with a 24:00 end, and over midnight with an overnight window', () => {
    const late: PollRhythm = { ...officeHours, windows: hours('mon-fri 20:00-24:00') };
    expect(intervalAt(late, kst('2026-12-04T23:59:59'))).toBe(MINUTE);
    expect(intervalAt(late, kst('2026-12-05T00:00:00'))).toBe(5 * MINUTE);
    const overnight: PollRhythm = { ...officeHours, windows: hours('fri 22:00-02:00') };
    expect(intervalAt(overnight, kst('2026-12-04T21:59:00'))).toBe(5 * MINUTE);
    expect(intervalAt(overnight, kst('2026-12-04T23:59:00'))).toBe(MINUTE);
    expect(intervalAt(overnight, kst('2026-12-05T00:00:00'))).toBe(MINUTE);
    expect(intervalAt(overnight, kst('2026-12-05T01:59:59'))).toBe(MINUTE);
    expect(intervalAt(overnight, kst('2026-12-05T02:00:00'))).toBe(5 * MINUTE);
    // Thursday night is not Friday night.
    expect(intervalAt(overnight, kst('2026-12-04T01:00:00'))).toBe(5 * MINUTE);
  });

  it('covers every day of a range wrapping over the weekend, and no other', () => {
    const weekend: PollRhythm = { ...officeHours, windows: hours('fri-mon 09:00-10:00') };
    const at = (day: string) => intervalAt(weekend, kst(`2026-12-${day}T09:30:00`));
    // Thursday 3rd to Tuesday 8th.
    expect(['03', '04', '05', '06', '07', '08'].map(at)).toEqual([
      5 * MINUTE,
      MINUTE,
      MINUTE,
      MINUTE,
      MINUTE,
      5 * MINUTE,
    ]);
  });
});

describe('the default busy interval', () => {
  const busyFor = (text: string, quiet = 5 * MINUTE) =>
    defaultBusyInterval(quiet, hours(text)) / MINUTE;

  it('is the shortest whole minute keeping the busiest day within 900 polls', () => {
    // 720 + 144 = 864.
    expect(busyFor(DEFAULT_BUSY_HOURS)).toBe(1);
    // Always busy: 1440 / 2 = 720 (1440 at one minute is too many).
    expect(busyFor('mon-sun 00:00-24:00')).toBe(2);
    // 20 busy hours: 1200 / 2 + 48 = 648 (1200 + 48 at one minute).
    expect(busyFor('mon-fri 02:00-22:00')).toBe(2);
    // 15 busy hours and a 2-minute quiet interval: 900 / 2 + 270 = 720, but 900 + 270 is not.
    expect(busyFor('mon-fri 07:00-22:00', 2 * MINUTE)).toBe(2);
    // The busiest day counts: Saturday's 13 hours (780 + 132 = 912 at one minute), not a weekday's 12.
    expect(busyFor('mon-fri 08:00-20:00, sat 08:00-21:00')).toBe(2);
    expect(busyFor('mon-fri 08:00-20:00, sat 08:00-20:00')).toBe(1);
    expect(busyFor('off')).toBe(5);
  });

  it('is never longer than the quiet interval, even when the quiet one alone spends the budget', () => {
    expect(busyFor(DEFAULT_BUSY_HOURS, MINUTE)).toBe(1);
    expect(defaultBusyInterval(30_000, hours(DEFAULT_BUSY_HOURS))).toBe(30_000);
  });

  it('estimates the polls of the busiest day', () => {
    expect(pollsPerDay(officeHours)).toBe(864);
    expect(pollsPerDay({ ...officeHours, windows: [] })).toBe(288);
    expect(pollsPerDay({ ...officeHours, busyMs: 30_000 })).toBe(1_584);
  });
});

describe('the scheduler tick and the due check', () => {
  it('ticks at the greatest common divisor, not below 15 s, else at the shorter interval', () => {
    expect(schedulerTick(officeHours)).toBe(MINUTE);
    expect(schedulerTick({ ...officeHours, busyMs: 2 * MINUTE })).toBe(MINUTE);
    expect(schedulerTick({ ...officeHours, busyMs: 90_000 })).toBe(30_000);
    expect(schedulerTick({ ...officeHours, busyMs: 45_000, quietMs: 100_000 })).toBe(45_000);
    expect(schedulerTick({ ...officeHours, windows: [] })).toBe(5 * MINUTE);
    expect(schedulerTick({ ...officeHours, busyMs: 5 * MINUTE })).toBe(5 * MINUTE);
  });

  it('skips a tick sooner than the interval in force, rounded to the nearest tick', () => {
    const asked = kst('2026-12-07T07:50:00');
    const check = (local: string) => pollDue(officeHours, kst(local), asked);
    expect(check('2026-12-07T07:54:00')).toEqual({
      due: false,
      dueAt: kst('2026-12-07T07:54:30'),
    });
    // A read that took 10 s still leaves the next quiet poll at its tick.
    expect(pollDue(officeHours, kst('2026-12-07T07:55:00'), kst('2026-12-07T07:50:10'))).toEqual({
      due: true,
    });
    // Crossing into the busy hours: due at once.
    expect(check('2026-12-07T08:00:00')).toEqual({ due: true });
    expect(pollDue(officeHours, kst('2026-12-07T08:00:00'), null)).toEqual({ due: true });
  });
});

describe('a rhythm that budgets calls (the 정책브리핑 API)', () => {
  const api: PollRhythm = { ...officeHours, perRequest: true };
  /** Calls on the busiest day at these intervals, with reads of `pages` calls. */
  const callsADay = (i: { busyMs: number; quietMs: number }, pages: number) =>
    pages * (720 / (i.busyMs / MINUTE) + 720 / (i.quietMs / MINUTE));

  it('keeps its intervals while reads take one call', () => {
    expect(callBudgetIntervals(api, 1)).toEqual({ busyMs: MINUTE, quietMs: 5 * MINUTE });
  });

  it('stretches the busy interval first, just enough for the day to stay within budget', () => {
    for (const pages of [2, 3]) {
      const intervals = callBudgetIntervals(api, pages);
      expect(intervals.quietMs).toBe(5 * MINUTE);
      expect(intervals.busyMs).toBeGreaterThan(MINUTE);
      expect(intervals.busyMs).toBeLessThanOrEqual(5 * MINUTE);
      expect(callsADay(intervals, pages)).toBeLessThanOrEqual(DAILY_POLL_BUDGET);
      // Not a minute more than needed.
      expect(callsADay({ ...intervals, busyMs: intervals.busyMs - MINUTE }, pages)).toBeGreaterThan(
        DAILY_POLL_BUDGET,
      );
    }
    expect(callBudgetIntervals(api, 2).busyMs).toBe(Math.ceil((720 * MINUTE) / (450 - 144)));
  });

  it('stretches both alike once the quiet interval alone would spend the budget', () => {
    const intervals = callBudgetIntervals(api, 8);
    expect(intervals.busyMs).toBe(intervals.quietMs);
    expect(intervals.quietMs).toBe(Math.ceil((1440 * MINUTE) / (DAILY_POLL_BUDGET / 8)));
  });

  it('paces the rest of the day by the calls left, and waits for midnight once they are spent', () => {
    const at = kst('2026-12-07T10:00:00'); // 600 busy minutes and 240 quiet ones left
    const minuteAgo = new Date(at.getTime() - MINUTE);
    // 900 calls left at 3 a read: 300 reads; the quiet 240 minutes take 48, the busy 600 the rest.
    expect(pacedIntervals(api, at, { lastRequests: 3, callsToday: 0 })).toEqual({
      busyMs: Math.ceil((600 * MINUTE) / (300 - 48)),
      quietMs: 5 * MINUTE,
    });
    expect(pollDue(api, at, minuteAgo, { lastRequests: 3 })).toMatchObject({ due: false });
    expect(pollDue(officeHours, at, minuteAgo, { lastRequests: 3 })).toEqual({ due: true });
    expect(pollDue(api, at, minuteAgo, { lastRequests: 1 })).toEqual({ due: true });
    // 100 calls left, 3 a read: 33 reads over 840 minutes, busy or not.
    const late = pacedIntervals(api, at, { lastRequests: 3, callsToday: 800 });
    expect(late).toEqual({
      busyMs: Math.ceil((840 * MINUTE) / (100 / 3)),
      quietMs: Math.ceil((840 * MINUTE) / (100 / 3)),
    });
    // Spent: not before midnight in Korea.
    expect(pollDue(api, at, minuteAgo, { lastRequests: 3, callsToday: 899 })).toEqual({
      due: false,
      dueAt: kst('2026-12-08T00:00:00'),
    });
  });
});

describe('the rhythm in Korean', () => {
  it('says the busy hours and both intervals', () => {
    expect(rhythmText(officeHours)).toBe('평일 08:00–20:00 1분마다, 그 밖에는 5분마다');
    expect(
      rhythmText({ ...officeHours, windows: hours('mon-fri 08:00-20:00, sat 09:00-13:00') }),
    ).toBe('평일 08:00–20:00, 토요일 09:00–13:00 1분마다, 그 밖에는 5분마다');
    expect(rhythmText({ ...officeHours, windows: hours('fri-mon 22:00-02:00') })).toBe(
      '금–월요일 22:00–02:00 1분마다, 그 밖에는 5분마다',
    );
    expect(rhythmText({ ...officeHours, windows: [] })).toBe('5분마다');
    expect(rhythmText({ ...officeHours, windows: hours('mon-sun 00:00-24:00') })).toBe('1분마다');
    expect(['1분', '30초', '1시간 30분', '1.5초'].join()).toBe(
      [MINUTE, 30_000, 90 * MINUTE, 1_500].map(durationText).join(),
    );
  });
});
