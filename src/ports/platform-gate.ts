import type { Platform } from '../platforms/platform-registry.js';
import type { DeliveryError } from './notifier.js';
/** Pauses and reports a platform that refused the bot's token (see `PlatformStatusStore`). */
export interface PlatformGate {
  isPaused(platform: Platform): Promise<boolean>;
  /** The platform refused the bot's credentials: stop calling it until a probe succeeds. */
  pause(platform: Platform, error: DeliveryError): Promise<void>;
  /** The platform accepts the bot's credentials again (a probe or a start succeeded). */
  resume(platform: Platform): Promise<void>;
  /**
   * When the platform was last resumed after a pause, `null` if never: a pause is not the
   * channel's failing, so the give-up clock restarts there.
   */
  resumedAt(platform: Platform): Promise<Date | null>;
}
