import type { Platform } from '../platforms/platform-registry.js';

/**
 * Port: which platforms have a delivery worker somewhere in the deployment. Every process that
 * runs delivery workers announces its platforms now and then (see `PlatformHeartbeat`); what
 * is heard of within {@link SERVED_WITHIN_MS} is served. A process knows only its own tokens,
 * so this is the one place that says whether a platform's queued alerts will ever be taken.
 */
export interface PlatformWorkerStore {
  /** Records that a process runs the delivery workers of these platforms at `at`. */
  announce(platforms: readonly Platform[], at: Date): Promise<void>;
  /** When a process last announced each platform; absent: never. */
  lastSeen(): Promise<ReadonlyMap<Platform, Date>>;
}
