import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PlatformHeartbeat } from '../../src/platforms/platform-heartbeat.js';
import {
  deploymentPlatforms,
  describeUnserved,
  servedPlatforms,
  SERVED_WITHIN_MS,
} from '../../src/platforms/platform-workers.js';
import { type PlatformWorkerStore } from '../../src/ports/platform-worker-store.js';
import { PLATFORM_IDS, type Platform } from '../../src/platforms/platform-registry.js';
import { UnservedWatch } from '../../src/platforms/unserved-watch.js';

const T0 = new Date('2026-03-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const PLATFORMS: readonly Platform[] = PLATFORM_IDS;

/** Announcements kept in memory, as the Redis hash keeps them. */
class MemoryWorkers implements PlatformWorkerStore {
  readonly seen = new Map<Platform, Date>();
  failing = false;
  announce(platforms: readonly Platform[], when: Date): Promise<void> {
    if (this.failing) return Promise.reject(new Error('redis down'));
    for (const platform of platforms) this.seen.set(platform, when);
    return Promise.resolve();
  }
  lastSeen(): Promise<ReadonlyMap<Platform, Date>> {
    return Promise.resolve(new Map(this.seen));
  }
}

/** Subscriptions per source, as the store counts them per platform. */
function memorySubscriptions(bySource: Record<string, Platform[]>) {
  return {
    subscriptions: {
      countByPlatform(): Promise<Partial<Record<Platform, number>>> {
        const counts: Partial<Record<Platform, number>> = {};
        for (const platform of Object.values(bySource).flat()) {
          counts[platform] = (counts[platform] ?? 0) + 1;
        }
        return Promise.resolve(counts);
      },
    },
  };
}

function logLines() {
  const lines: Array<{ level: number; msg: string; platform?: string; lastSeen?: string | null }> =
    [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
        done();
      },
    }),
  );
  return { lines, logger };
}

describe('served platforms', () => {
  it('counts a platform served while it was announced within the window', () => {
    const seen = new Map<Platform, Date>([
      ['slack', at(0)],
      ['discord', at(-SERVED_WITHIN_MS - 1)],
    ]);
    expect(servedPlatforms(seen, at(SERVED_WITHIN_MS))).toEqual(new Set(['slack']));
    expect(servedPlatforms(seen, at(SERVED_WITHIN_MS + 1))).toEqual(new Set());
  });

  it('reports nothing while every platform is served', async () => {
    const workers = new MemoryWorkers();
    await workers.announce(PLATFORMS, at(0));
    const subs = memorySubscriptions({ esg: ['discord'] });
    const result = await deploymentPlatforms({
      workers,
      ...subs,
      platforms: PLATFORMS,
      now: () => at(1_000),
    });
    expect(result).toEqual({ served: new Set(PLATFORMS), unserved: [] });
  });

  it('names the followed platforms nobody serves, with when a worker was last heard of', async () => {
    const workers = new MemoryWorkers();
    await workers.announce(['slack', 'console'], at(0));
    await workers.announce(['discord'], at(-5 * 60_000));
    const subs = memorySubscriptions({ esg: ['slack', 'discord'], other: ['console'] });
    const result = await deploymentPlatforms({
      workers,
      ...subs,
      platforms: PLATFORMS,
      now: () => at(1_000),
    });
    expect(result.unserved).toEqual([{ platform: 'discord', lastSeen: at(-5 * 60_000) }]);
    expect(describeUnserved(result.unserved[0]!)).toBe(
      `no worker since ${at(-5 * 60_000).toISOString()}`,
    );

    // No worker at all: every followed platform, "no worker" for one never heard of.
    const none = await deploymentPlatforms({
      workers: new MemoryWorkers(),
      ...subs,
      platforms: PLATFORMS,
      now: () => at(1_000),
    });
    expect(none.unserved.map((u) => u.platform)).toEqual(['slack', 'discord', 'console']);
    expect(describeUnserved(none.unserved[0]!)).toBe('no worker');
  });

  it('leaves out a platform nobody serves that has no channel', async () => {
    const workers = new MemoryWorkers();
    await workers.announce(['slack'], at(0));
    const subs = memorySubscriptions({ esg: ['slack', 'slack'] });
    const result = await deploymentPlatforms({
      workers,
      ...subs,
      platforms: PLATFORMS,
      now: () => at(0),
    });
    expect(result.unserved).toEqual([]);
  });
});

describe('the heartbeat', () => {
  it('announces the process’s platforms at the clock’s time, and says once when it cannot', async () => {
    const workers = new MemoryWorkers();
    let now = at(0);
    const { lines, logger } = logLines();
    const heartbeat = new PlatformHeartbeat({
      store: workers,
      platforms: ['discord', 'console'],
      logger,
      now: () => now,
    });
    await heartbeat.start();
    heartbeat.close();
    expect(workers.seen).toEqual(
      new Map([
        ['discord', at(0)],
        ['console', at(0)],
      ]),
    );

    now = at(15_000);
    workers.failing = true;
    await heartbeat.beat();
    await heartbeat.beat();
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    workers.failing = false;
    await heartbeat.beat();
    expect(workers.seen.get('discord')).toEqual(at(15_000));
    expect(lines.map((l) => l.level)).toEqual([40, 30]);
  });
});

describe('the log of unserved platforms', () => {
  it('warns once when a followed platform loses its last worker, and says when it is served again', async () => {
    const workers = new MemoryWorkers();
    let now = at(0);
    await workers.announce(['slack', 'discord', 'console'], now);
    const subs = memorySubscriptions({ esg: ['slack', 'discord'] });
    const { lines, logger } = logLines();
    const watch = new UnservedWatch({
      read: () => deploymentPlatforms({ workers, ...subs, platforms: PLATFORMS, now: () => now }),
      logger,
    });

    await watch.check();
    expect(lines).toEqual([]);

    // Only Slack's worker keeps announcing; Discord's stopped.
    now = at(SERVED_WITHIN_MS + 1);
    await workers.announce(['slack', 'console'], now);
    await watch.check();
    await watch.check();
    await watch.check();
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, platform: 'discord', lastSeen: at(0).toISOString() }),
    ]);

    await workers.announce(['discord'], now);
    await watch.check();
    await watch.check();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 30, platform: 'discord' });
    expect(lines[1]!.msg).toMatch(/serves this platform again/);
  });

  it('says so when the unserved platform’s channels are gone', async () => {
    const workers = new MemoryWorkers();
    await workers.announce(['slack', 'console'], at(0));
    const followed: Record<string, Platform[]> = { esg: ['slack', 'discord'] };
    const { lines, logger } = logLines();
    const watch = new UnservedWatch({
      read: () =>
        deploymentPlatforms({
          workers,
          ...memorySubscriptions(followed),
          platforms: PLATFORMS,
          now: () => at(0),
        }),
      logger,
    });
    await watch.check();
    followed.esg = ['slack'];
    await watch.check();
    await watch.check();
    expect(lines.map((l) => [l.level, l.platform])).toEqual([
      [40, 'discord'],
      [30, 'discord'],
    ]);
    expect(lines[1]!.msg).toMatch(/no channel follows this platform/);
  });
});
