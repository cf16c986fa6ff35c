import type { Logger } from '../util/logger.js';
import { HEARTBEAT_INTERVAL_MS } from './platform-workers.js';
import { type PlatformWorkerStore } from '../ports/platform-worker-store.js';
import type { Platform } from './platform-registry.js';

export interface PlatformHeartbeatOptions {
  store: Pick<PlatformWorkerStore, 'announce'>;
  /** The platforms whose delivery workers this process runs. */
  platforms: readonly Platform[];
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}

/**
 * Tells the deployment, every interval, which platforms this process delivers to, so every
 * process (`/healthz`, `/metrics`, the log) can tell a platform nobody serves from one that
 * only this process lacks the token for.
 */
export class PlatformHeartbeat {
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(private readonly options: PlatformHeartbeatOptions) {}

  /** Announces at once (the workers run from now), then every interval until {@link close}. */
  async start(): Promise<this> {
    await this.beat();
    this.timer = setInterval(
      () => void this.beat(),
      this.options.intervalMs ?? HEARTBEAT_INTERVAL_MS,
    );
    // Never what keeps the process alive.
    this.timer.unref();
    return this;
  }

  /** One announcement; a failure is logged once until one succeeds (Redis logs its own errors). */
  async beat(): Promise<void> {
    const { store, platforms, logger } = this.options;
    try {
      await store.announce(platforms, (this.options.now ?? (() => new Date()))());
      if (this.failing) logger.info({ platforms }, "announcing this process's platforms again");
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        logger.warn(
          { platforms, err: (error as Error).message },
          "could not announce this process's platforms; other processes may report them unserved",
        );
      }
      this.failing = true;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
