import { describe, expect, it } from 'vitest';
import { readWindows } from '../../../adapters/sources/press-release-api/korea-time.js';

/** Monday 2026-12-14 00:30 in Korea (still Sunday in UTC). */
const MONDAY = Date.parse('2026-12-14T00:30:00+09:00');
const text = (windows: ReturnType<typeof readWindows>) =>
  windows.map((w) => `${w.startDate}-${w.endDate}`);

describe('the days a read of the 정책브리핑 API asks for', () => {
  it('are yesterday and today in Korea while nothing older is held', () => {
    expect(text(readWindows(MONDAY))).toEqual(['20261213-20261214']);
    expect(text(readWindows(MONDAY, '20261213'))).toEqual(['20261213-20261214']);
    expect(text(readWindows(MONDAY, '20261214'))).toEqual(['20261213-20261214']);
  });

  it('reach back to the day of the oldest held release in windows of three days at most', () => {
    expect(text(readWindows(MONDAY, '20261212'))).toEqual([
      '20261213-20261214',
      '20261212-20261212',
    ]);
    expect(text(readWindows(MONDAY, '20261209'))).toEqual([
      '20261213-20261214',
      '20261210-20261212',
      '20261209-20261209',
    ]);
  });

  it('never reach back more than a week, nor read a malformed day', () => {
    expect(text(readWindows(MONDAY, '20261101'))).toEqual([
      '20261213-20261214',
      '20261210-20261212',
      '20261207-20261209',
    ]);
    expect(text(readWindows(MONDAY, '2026-12-01'))).toEqual(['20261213-20261214']);
  });
});
