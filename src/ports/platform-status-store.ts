import type { Platform } from '../platforms/platform-registry.js';

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
