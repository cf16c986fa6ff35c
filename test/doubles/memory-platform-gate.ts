import type { Platform } from '../../src/platforms/platform-registry.js';
import type { DeliveryError } from '../../src/ports/notifier.js';
import type { PlatformGate } from '../../src/ports/platform-gate.js';
import type { PlatformStatusStore } from '../../src/ports/platform-status-store.js';
import { MemoryPlatformStatusStore } from './memory-platform-status-store.js';

/**
 * The platform gate over a status store, as `QueuePlatformGate` is without its queues and its
 * one-second cache: a pause is the store's state, seen at once; a resume notes its time.
 */
export class MemoryPlatformGate implements PlatformGate {
  constructor(
    readonly store: PlatformStatusStore = new MemoryPlatformStatusStore(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isPaused(platform: Platform): Promise<boolean> {
    return (await this.store.get(platform)).state !== 'ok';
  }

  async pause(platform: Platform, error: DeliveryError): Promise<void> {
    await this.store.markUnauthorized(platform, this.now(), error.message);
  }

  async resume(platform: Platform): Promise<void> {
    await this.store.markHealthy(platform, this.now());
  }

  async resumedAt(platform: Platform): Promise<Date | null> {
    const state = await this.store.get(platform);
    return state.state === 'ok' ? (state.resumedAt ?? null) : null;
  }
}
