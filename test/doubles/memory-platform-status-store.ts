import type { Platform } from '../../src/platforms/platform-registry.js';
import type { PlatformState, PlatformStatusStore } from '../../src/ports/platform-status-store.js';

/**
 * Each platform's state in memory, with the port's semantics (see
 * `platform-status-store.contract.ts`): one caller pauses, one resumes, one probes per interval.
 */
export class MemoryPlatformStatusStore implements PlatformStatusStore {
  private readonly paused = new Map<Platform, { since: Date; reason: string }>();
  private readonly resumed = new Map<Platform, Date>();
  /** When each platform's current probe turn ends (epoch ms). */
  private readonly probes = new Map<Platform, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  get(platform: Platform): Promise<PlatformState> {
    const pause = this.paused.get(platform);
    if (pause) return Promise.resolve(pausedState(pause));
    const resumedAt = this.resumed.get(platform);
    return Promise.resolve(
      resumedAt ? { state: 'ok', resumedAt: new Date(resumedAt) } : { state: 'ok' },
    );
  }

  markUnauthorized(platform: Platform, at: Date, reason: string): Promise<boolean> {
    if (this.paused.has(platform)) return Promise.resolve(false);
    this.paused.set(platform, { since: at, reason });
    return Promise.resolve(true);
  }

  markHealthy(platform: Platform, at = new Date()): Promise<PlatformState | null> {
    const pause = this.paused.get(platform);
    if (!pause) return Promise.resolve(null);
    this.paused.delete(platform);
    this.resumed.set(platform, at);
    return Promise.resolve(pausedState(pause));
  }

  claimProbe(platform: Platform, intervalMs: number): Promise<boolean> {
    const now = this.clock();
    if ((this.probes.get(platform) ?? 0) > now) return Promise.resolve(false);
    this.probes.set(platform, now + intervalMs);
    return Promise.resolve(true);
  }
}

function pausedState(pause: { since: Date; reason: string }): PlatformState {
  return { state: 'unauthorized', since: new Date(pause.since), reason: pause.reason };
}
