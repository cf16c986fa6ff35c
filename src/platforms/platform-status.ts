import type { PlatformState, PlatformStatusStore } from '../ports/platform-status-store.js';
import type { Platform } from './platform-registry.js';

/**
 * Remembers whether a platform is paused for `ttlMs`, so a fan-out of thousands of deliveries
 * asks Redis about once a second instead of once per delivery. A pause noticed by this process
 * is seen at once.
 */
export class PauseCheck {
  private readonly cache = new Map<Platform, { paused: boolean; until: number }>();

  constructor(
    private readonly store: Pick<PlatformStatusStore, 'get'>,
    private readonly ttlMs = 1_000,
  ) {}

  async isPaused(platform: Platform): Promise<boolean> {
    const hit = this.cache.get(platform);
    if (hit && hit.until > Date.now()) return hit.paused;
    const paused = (await this.store.get(platform)).state !== 'ok';
    this.cache.set(platform, { paused, until: Date.now() + this.ttlMs });
    return paused;
  }

  /** Records what this process just learnt, without waiting for the cache to expire. */
  set(platform: Platform, paused: boolean): void {
    this.cache.set(platform, { paused, until: Date.now() + this.ttlMs });
  }
}

/** The state in one line for `/healthz` and logs: `ok` or `unauthorized since 2026-…`. */
export function describePlatformState(state: PlatformState): string {
  return state.state === 'ok' ? 'ok' : `unauthorized since ${state.since.toISOString()}`;
}
