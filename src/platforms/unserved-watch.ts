import type { Logger } from '../util/logger.js';
import {
  HEARTBEAT_INTERVAL_MS,
  type DeploymentPlatforms,
  type UnservedPlatform,
} from './platform-workers.js';
import type { Platform } from './platform-registry.js';

export interface UnservedWatchOptions {
  /** The deployment's platforms now (see `deploymentPlatforms`). */
  read: () => Promise<DeploymentPlatforms>;
  logger: Logger;
  intervalMs?: number;
}

/**
 * Logs a platform that has subscribed channels but no delivery worker anywhere, once when this
 * process sees it so and once when it is served again (or its channels are gone): its alerts
 * wait in its queue meanwhile, and without a word in the log nobody would know why.
 */
export class UnservedWatch {
  /** The platforms this process last reported unserved. */
  private readonly reported = new Map<Platform, UnservedPlatform>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: UnservedWatchOptions) {}

  /**
   * Checks every interval until {@link close}, the first time one interval from now: processes
   * started together announce their platforms within that, and nothing is reported in between.
   */
  start(): this {
    this.timer = setInterval(() => {
      this.running ??= this.check()
        .catch((error: unknown) =>
          this.options.logger.debug({ err: (error as Error).message }, 'platform check failed'),
        )
        .finally(() => (this.running = null));
    }, this.options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
    return this;
  }

  /** Reads the deployment's platforms and logs what changed since the last check. */
  async check(): Promise<void> {
    const { served, unserved } = await this.options.read();
    const { logger } = this.options;
    for (const entry of unserved) {
      if (this.reported.has(entry.platform)) continue;
      this.reported.set(entry.platform, entry);
      logger.warn(
        { platform: entry.platform, lastSeen: entry.lastSeen?.toISOString() ?? null },
        'channels follow this platform but no process runs its delivery worker: its alerts wait ' +
          'in its queue until a worker with its token starts (or its channels are removed)',
      );
    }
    const still = new Set(unserved.map((entry) => entry.platform));
    for (const platform of [...this.reported.keys()]) {
      if (still.has(platform)) continue;
      this.reported.delete(platform);
      logger.info(
        { platform },
        served.has(platform)
          ? 'a delivery worker serves this platform again: its waiting alerts go out'
          : 'no channel follows this platform any more',
      );
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
