import { describe, expect, it } from 'vitest';
import { failingLongEnough } from '../../../../src/pipeline/deliver/delivery-failure.js';
import { MemoryPlatformGate } from '../../../doubles/memory-platform-gate.js';
import { MemoryPlatformStatusStore } from '../../../doubles/memory-platform-status-store.js';

const AT = new Date('2026-11-20T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);
const DAY = 86_400_000;

describe('giving a post up', () => {
  /** A gate over Discord: never paused, or paused at AT and resumed at `resumedAt`. */
  async function gate(resumedAt: Date | null) {
    const store = new MemoryPlatformStatusStore();
    if (resumedAt) {
      await store.markUnauthorized('discord', AT, 'Discord: 401');
      await store.markHealthy('discord', resumedAt);
    }
    return new MemoryPlatformGate(store);
  }
  const deps = async (now: Date, resumedAt: Date | null) => ({
    giveUpAfterMs: DAY,
    now: () => now,
    platforms: await gate(resumedAt),
  });
  const post = { announcedAt: AT.getTime(), date: '2026-11-20' };

  it('counts from the announcement, or from the end of the last pause when that is later', async () => {
    expect(await failingLongEnough(await deps(later(DAY - 1), null), post, 'discord')).toBe(false);
    expect(await failingLongEnough(await deps(later(DAY), null), post, 'discord')).toBe(true);
    // Paused two days, resumed an hour ago: the first failure after the pause gives nothing up.
    const resumed = later(2 * DAY);
    expect(
      await failingLongEnough(await deps(later(2 * DAY + 3_600_000), resumed), post, 'discord'),
    ).toBe(false);
    expect(await failingLongEnough(await deps(later(3 * DAY), resumed), post, 'discord')).toBe(
      true,
    );
    // A digest counts from its release.
    expect(
      await failingLongEnough(
        await deps(later(DAY + 1), null),
        post,
        'discord',
        later(DAY).getTime(),
      ),
    ).toBe(false);
  });

  it('counts a post announced before the stamp existed from midnight of its date, Korea time', async () => {
    const unstamped = { date: '2026-11-20' };
    // 2026-11-20 00:00 KST is 2026-11-19 15:00 UTC.
    const midnight = new Date('2026-11-19T15:00:00Z').getTime();
    expect(
      await failingLongEnough(await deps(new Date(midnight + DAY - 1), null), unstamped, 'discord'),
    ).toBe(false);
    expect(
      await failingLongEnough(await deps(new Date(midnight + DAY), null), unstamped, 'discord'),
    ).toBe(true);
  });
});
