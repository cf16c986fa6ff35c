import type { Platform } from '../platforms/platform-registry.js';

/**
 * How one attempt to deliver one post to one channel ended. Attempts, not posts: a post the
 * platform rate-limited and then accepted counts once `rate-limited` and once `delivered`.
 */
export type DeliveryAttemptResult =
  /** The platform accepted the message. */
  | 'delivered'
  /** The platform refused the message in every form; settled as refused for that channel. */
  | 'refused'
  /** The platform kept failing past `giveUpAfterMs`; settled as given up for that channel. */
  | 'given-up'
  /** A 429: the delivery waits for the platform's Retry-After. */
  | 'rate-limited'
  /** The channel is gone for the bot (deleted, access lost); it was unsubscribed. */
  | 'channel-gone'
  /** The platform refused the bot's token; the platform is paused. */
  | 'unauthorized'
  /** Anything else; the queue retries it. */
  | 'failed';

/** How one poll job ended: a `PollOutcome` status, or why no poll ran. */
export type PollJobResult =
  | 'read'
  | 'initialized'
  | 'not-modified'
  | 'deferred'
  /** The source was asked less than its interval in force ago: the tick was skipped. */
  | 'not-due'
  | 'failed'
  /** Another worker held the source's poll lock. */
  | 'busy'
  /** The job named a source that is not in the registry (any more). */
  | 'unknown-source';

/**
 * Port: what the pipeline reports as it works, for monitoring. The core calls it and knows no
 * metrics library; `adapters/metrics` turns the calls into Prometheus series. Calls must be
 * cheap and never throw: they run on every delivery.
 */
export interface PipelineMetrics {
  /**
   * One delivery attempt ended. `latencyMs`, on `delivered` only, runs from the post's
   * announcement (its `announcedAt`, stamped when it was first handed on for delivery) to the
   * platform's acceptance; absent for a post announced before the stamp existed.
   */
  delivery(event: { platform: Platform; result: DeliveryAttemptResult; latencyMs?: number }): void;
  /** A platform answered 429 to a post or a notice; `global` limits the whole platform. */
  rateLimited(event: { platform: Platform; scope: 'channel' | 'global' }): void;
  /**
   * One poll job ended. `durationMs` only when the source was read or tried (not for a
   * deferred, not-due, busy or unknown one, whose near-zero times would hide the real reads').
   */
  poll(event: { source: string; result: PollJobResult; durationMs?: number }): void;
}

/** Reports nothing: the default where no metrics are wanted (unit tests, tools). */
export const NO_PIPELINE_METRICS: PipelineMetrics = {
  delivery: () => undefined,
  rateLimited: () => undefined,
  poll: () => undefined,
};
