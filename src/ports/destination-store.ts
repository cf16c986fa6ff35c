import type {
  DestinationBreak,
  DestinationSecrets,
  DestinationView,
} from '../model/destination.js';
import type { ChannelRef } from '../model/subscription.js';
import type { Platform } from '../platforms/platform-registry.js';

/**
 * Port: the webhook destinations the operator added, their URLs and secrets kept encrypted
 * (`TOKEN_ENCRYPTION_KEY`), and whether each one answered that it is gone.
 */
export interface DestinationStore {
  /**
   * Adds the destination, or replaces its URL and secret (which clears a broken mark: the
   * operator fixed it). Throws {@link DestinationKeyMissing} without an encryption key.
   */
  put(channel: ChannelRef, secrets: DestinationSecrets, at: Date): Promise<'added' | 'replaced'>;
  /** The URL and secret, decrypted; null for a destination never added (or removed). */
  secrets(channel: ChannelRef): Promise<DestinationSecrets | null>;
  get(channel: ChannelRef): Promise<DestinationView | null>;
  /** Every destination (of one platform when given), by platform then name. */
  list(platform?: Platform): Promise<DestinationView[]>;
  /** True when there was one to remove. */
  remove(channel: ChannelRef): Promise<boolean>;
  /** Marks it broken; true only for the caller that marked it (it reports the break). */
  markBroken(channel: ChannelRef, reason: string, at: Date): Promise<boolean>;
  /** Ends a break; true when it was broken. */
  markWorking(channel: ChannelRef): Promise<boolean>;
  brokenSince(channel: ChannelRef): Promise<DestinationBreak | null>;
  /** True for at most one caller per `intervalMs` across all processes: it may try it again. */
  claimProbe(channel: ChannelRef, intervalMs: number): Promise<boolean>;
}

/** No `TOKEN_ENCRYPTION_KEY`: destinations' URLs are secrets and are never kept in the clear. */
export class DestinationKeyMissing extends Error {
  constructor() {
    super(
      'TOKEN_ENCRYPTION_KEY is not set: webhook destinations are kept encrypted with it (make one with `openssl rand -hex 32`)',
    );
    this.name = 'DestinationKeyMissing';
  }
}
