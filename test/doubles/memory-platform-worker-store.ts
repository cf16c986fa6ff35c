import type { Platform } from '../../src/platforms/platform-registry.js';
import type { PlatformWorkerStore } from '../../src/ports/platform-worker-store.js';

/**
 * Which platforms have a delivery worker, in memory, with the port's semantics (see
 * `platform-worker-store.contract.ts`): the last announcement of each platform wins.
 */
export class MemoryPlatformWorkerStore implements PlatformWorkerStore {
  private readonly seen = new Map<Platform, Date>();

  announce(platforms: readonly Platform[], at: Date): Promise<void> {
    for (const platform of platforms) this.seen.set(platform, new Date(at));
    return Promise.resolve();
  }

  lastSeen(): Promise<ReadonlyMap<Platform, Date>> {
    return Promise.resolve(new Map([...this.seen].map(([p, at]) => [p, new Date(at)])));
  }
}
