import { describe, expect, it } from 'vitest';
import { RELEASE_DAY, releaseDay } from '../../bench/release-day.js';

/** The working-day benchmark's day of releases: the times its figures rest on. */

const HOUR = 3_600_000;
/** Tuesday 2026-12-08, 00:00 in Korea. */
const DAY_START = Date.parse('2026-12-08T00:00:00+09:00');
const koreaHour = (at: number) => (at - DAY_START) / HOUR;

describe('a day of releases', () => {
  const releases = releaseDay(DAY_START, 42);

  it('is the same for the same seed, and another for another', () => {
    expect(releaseDay(DAY_START, 42)).toEqual(releases);
    expect(releaseDay(DAY_START, 43)).not.toEqual(releases);
  });

  it('approves every release in one of the windows, oldest first', () => {
    expect(releases).toHaveLength(RELEASE_DAY.releases);
    for (const release of releases) {
      const hour = koreaHour(release.approvedAt);
      expect(RELEASE_DAY.approvals.some((w) => hour >= w.from && hour < w.to)).toBe(true);
    }
    const approvals = releases.map((r) => r.approvedAt);
    expect(approvals).toEqual([...approvals].sort((a, b) => a - b));
  });

  it('holds 석간 to noon and 조간 to 06:00 the next day, publishing the rest at approval', () => {
    for (const release of releases) {
      const morning = koreaHour(release.approvedAt) < 12;
      if (release.embargoAt === null) expect(release.publishedAt).toBe(release.approvedAt);
      else expect(koreaHour(release.embargoAt)).toBe(morning ? 12 : 30);
      expect(release.publishedAt).toBe(Math.max(release.approvedAt, release.embargoAt ?? 0));
    }
    expect(releases.filter((r) => r.embargoAt !== null).length).toBeGreaterThan(0);
  });

  it('puts only the followed ministry on the feed, and reposts on the board in office hours, after publication', () => {
    const [open, close] = RELEASE_DAY.officeHours;
    const [minDelay] = RELEASE_DAY.repostDelayMinutes;
    for (const release of releases) {
      expect(release.onFeed).toBe(release.ministry === RELEASE_DAY.followedMinistry);
      if (release.boardAt === null) continue;
      expect(release.boardAt - release.publishedAt).toBeGreaterThanOrEqual(minDelay * 60_000);
      const hour = koreaHour(release.boardAt) % 24;
      expect(hour >= open && hour < close).toBe(true);
    }
    expect(releases.filter((r) => r.onFeed).length).toBeGreaterThan(0);
    expect(releases.filter((r) => r.boardAt !== null).length).toBeGreaterThan(0);
  });
});
