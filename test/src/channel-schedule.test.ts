import { describe, expect, it } from 'vitest';
import {
  isHeld,
  parseTimeOfDay,
  releaseTime,
  sendsAsDigest,
  type ChannelSchedule,
} from '../../src/model/channel-schedule.js';

/** An instant written in Korea time. */
const kst = (text: string) => new Date(`${text}+09:00`);

const daily = (...times: string[]): ChannelSchedule => ({
  digest: { times, weekdaysOnly: false },
  quiet: null,
});
const quiet = (start: string, end: string): ChannelSchedule => ({
  digest: null,
  quiet: { start, end },
});

describe('releaseTime: when held posts may go out (Korea time, whatever the server zone)', () => {
  it('holds a post for the next digest time, that day or the next', () => {
    expect(releaseTime(daily('09:00'), kst('2026-12-03T08:59:59'))).toEqual(
      kst('2026-12-03T09:00:00'),
    );
    expect(releaseTime(daily('09:00'), kst('2026-12-03T09:00:00'))).toEqual(
      kst('2026-12-03T09:00:00'),
    );
    expect(releaseTime(daily('09:00'), kst('2026-12-03T09:00:01'))).toEqual(
      kst('2026-12-04T09:00:00'),
    );
  });

  it('takes the first of several times, in any order given', () => {
    const schedule = daily('18:00', '09:00');
    expect(releaseTime(schedule, kst('2026-12-03T10:30:00'))).toEqual(kst('2026-12-03T18:00:00'));
    expect(releaseTime(schedule, kst('2026-12-03T18:30:00'))).toEqual(kst('2026-12-04T09:00:00'));
  });

  it('crosses midnight in Korea, which is mid-afternoon UTC', () => {
    // 23:50 KST on the 3rd is 14:50 UTC the same day; 00:30 KST on the 4th is 15:30 UTC on the 3rd.
    const release = releaseTime(daily('00:30'), new Date('2026-12-03T14:50:00Z'));
    expect(release.toISOString()).toBe('2026-12-03T15:30:00.000Z');
    // A post at 00:40 KST (15:40 UTC) waits for the next night.
    expect(releaseTime(daily('00:30'), new Date('2026-12-03T15:40:00Z')).toISOString()).toBe(
      '2026-12-04T15:30:00.000Z',
    );
  });

  it('skips Saturday and Sunday for a weekday digest', () => {
    const weekdays: ChannelSchedule = {
      digest: { times: ['09:00'], weekdaysOnly: true },
      quiet: null,
    };
    // 2026-12-04 is a Friday.
    expect(releaseTime(weekdays, kst('2026-12-04T10:00:00'))).toEqual(kst('2026-12-07T09:00:00'));
    expect(releaseTime(weekdays, kst('2026-12-06T23:00:00'))).toEqual(kst('2026-12-07T09:00:00'));
    expect(releaseTime(weekdays, kst('2026-12-07T08:00:00'))).toEqual(kst('2026-12-07T09:00:00'));
  });

  it('holds posts of quiet hours across midnight until they end, and nothing outside them', () => {
    const night = quiet('22:00', '07:00');
    expect(releaseTime(night, kst('2026-12-03T22:00:00'))).toEqual(kst('2026-12-04T07:00:00'));
    expect(releaseTime(night, kst('2026-12-04T03:15:00'))).toEqual(kst('2026-12-04T07:00:00'));
    expect(releaseTime(night, kst('2026-12-04T07:00:00'))).toEqual(kst('2026-12-04T07:00:00'));
    expect(releaseTime(night, kst('2026-12-04T21:59:00'))).toEqual(kst('2026-12-04T21:59:00'));
    const lunch = quiet('12:00', '13:00');
    expect(releaseTime(lunch, kst('2026-12-04T12:30:00'))).toEqual(kst('2026-12-04T13:00:00'));
    expect(releaseTime(lunch, kst('2026-12-04T11:30:00'))).toEqual(kst('2026-12-04T11:30:00'));
  });

  it('moves a digest time that falls in quiet hours to their end', () => {
    const both: ChannelSchedule = {
      digest: { times: ['06:00'], weekdaysOnly: false },
      quiet: { start: '22:00', end: '07:00' },
    };
    expect(releaseTime(both, kst('2026-12-03T12:00:00'))).toEqual(kst('2026-12-04T07:00:00'));
  });

  it('sends at once without a schedule', () => {
    const at = kst('2026-12-03T03:00:00');
    expect(releaseTime(null, at)).toEqual(at);
    expect(isHeld(null, at, at)).toBe(false);
    expect(isHeld({ digest: null, quiet: null }, at, at)).toBe(false);
  });
});

describe('isHeld and sendsAsDigest', () => {
  it('holds until the release and lets go from then on', () => {
    const since = kst('2026-12-03T20:00:00');
    expect(isHeld(daily('09:00'), since, kst('2026-12-04T08:59:59'))).toBe(true);
    expect(isHeld(daily('09:00'), since, kst('2026-12-04T09:00:00'))).toBe(false);
    expect(isHeld(daily('09:00'), since, kst('2026-12-05T10:00:00'))).toBe(false);
  });

  it('sends a digest schedule as a digest, quiet hours only when more than one was held', () => {
    const inQuiet = kst('2026-12-03T23:00:00');
    const outside = kst('2026-12-03T15:00:00');
    expect(sendsAsDigest(daily('09:00'), outside, 1)).toBe(true);
    expect(sendsAsDigest(quiet('22:00', '07:00'), inQuiet, 1)).toBe(false);
    expect(sendsAsDigest(quiet('22:00', '07:00'), inQuiet, 3)).toBe(true);
    // A backlog built up outside quiet hours goes out post by post, as without a schedule.
    expect(sendsAsDigest(quiet('22:00', '07:00'), outside, 3)).toBe(false);
    expect(sendsAsDigest(null, outside, 3)).toBe(false);
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['09:00', '09:00'],
    ['9:00', '09:00'],
    ['0930', '09:30'],
    ['23:59', '23:59'],
    ['00:00', '00:00'],
  ])('reads %s as %s', (text, time) => {
    expect(parseTimeOfDay(text)).toBe(time);
  });

  it.each(['24:00', '9', '09:60', '9시', 'noon', '', '-1:00'])('refuses %j', (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });
});
