import type { PlatformGate } from '../src/ports/platform-gate.js';
import type { Logger } from '../src/util/logger.js';
import type { DeliveryError } from '../src/ports/notifier.js';
import { PauseCheck } from '../src/platforms/platform-status.js';
import { type PlatformStatusStore } from '../src/ports/platform-status-store.js';
import type { Platform } from '../src/platforms/platform-registry.js';
import type { PipelineQueues } from './queues.js';

/**
 * Pauses a platform whose token was refused: its state in Redis (for every process, `/healthz`
 * and `/news 상태`) and its delivery queue (no worker takes its jobs, so no further call is
 * made with the refused token), and resumes both once the token works again.
 */
export class QueuePlatformGate implements PlatformGate {
  private readonly check: PauseCheck;

  constructor(
    private readonly store: PlatformStatusStore,
    private readonly queues: Pick<PipelineQueues, 'pauseDeliveries' | 'resumeDeliveries'>,
    private readonly logger: Logger,
  ) {
    this.check = new PauseCheck(store);
  }

  isPaused(platform: Platform): Promise<boolean> {
    return this.check.isPaused(platform);
  }

  async resumedAt(platform: Platform): Promise<Date | null> {
    const state = await this.store.get(platform);
    return state.state === 'ok' ? (state.resumedAt ?? null) : null;
  }

  async pause(platform: Platform, error: DeliveryError): Promise<void> {
    this.check.set(platform, true);
    // Queue first, state second; resume does the reverse. Whatever way a pause and a resume
    // interleave, a wrong end state (running queue, paused state) is put right by the next
    // refusal or the next probe.
    await this.queues.pauseDeliveries(platform);
    const first = await this.store.markUnauthorized(platform, new Date(), error.message);
    if (first) {
      this.logger.error(
        { platform, code: error.details.code, reason: error.message },
        'the platform refused the bot token: its deliveries are paused, nobody is unsubscribed ' +
          'and nothing owed is dropped; they resume by themselves once the token works again ' +
          '(checked once a minute) or after a restart with a new token',
      );
    }
  }

  /**
   * Resumes the platform after its token was accepted, when the bot had paused it (a queue an
   * operator paused by hand stays paused); logs it.
   */
  async resume(platform: Platform): Promise<void> {
    const was = await this.store.markHealthy(platform);
    this.check.set(platform, false);
    if (was && was.state !== 'ok') {
      await this.queues.resumeDeliveries(platform);
      this.logger.info(
        { platform, pausedSince: was.since },
        'the platform accepts the bot token again; deliveries resumed',
      );
    }
  }
}
