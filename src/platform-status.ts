import type { Platform } from './subscription.js';

/** Whether a platform takes deliveries: `unauthorized` while it refuses the bot's token. */
export type PlatformState =
  /** `resumedAt`: when the bot last resumed the platform after a pause, if it ever did. */
  { state: 'ok'; resumedAt?: Date } | { state: 'unauthorized'; since: Date; reason: string };

/**
 * Port: each platform's state, shared by every process. A refused token pauses the whole
 * platform (the bot's problem, not a channel's); one probe a minute, whichever worker runs
 * it, resumes it once the token works again.
 */
export interface PlatformStatusStore {
  get(platform: Platform): Promise<PlatformState>;
  /** Pauses the platform; true only for the one caller that paused it (it says so in the log). */
  markUnauthorized(platform: Platform, at: Date, reason: string): Promise<boolean>;
  /**
   * Resumes the platform (noting `at` as its `resumedAt`); returns the state it was in when
   * it was paused, else `null` (and `resumedAt` stays as it was).
   */
  markHealthy(platform: Platform, at?: Date): Promise<PlatformState | null>;
  /** True for at most one caller per `intervalMs` across all processes: the probe's turn. */
  claimProbe(platform: Platform, intervalMs: number): Promise<boolean>;
}

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
