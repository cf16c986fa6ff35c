import type { BackoffStrategy } from 'bullmq';

/** How failed jobs are retried: exponential back-off from `backoffMs`, capped at `maxBackoffMs`. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
}

/** The name jobs carry in `backoff.type` for {@link cappedBackoff}. */
export const CAPPED_BACKOFF = 'capped-exponential';

/**
 * BullMQ's exponential back-off grows without bound; a failing platform should still be tried
 * every few minutes. Each delay is jittered by up to a tenth so thousands of channels that
 * failed together do not come back in the same instant.
 */
export function cappedBackoff(policy: Pick<RetryPolicy, 'maxBackoffMs'>): BackoffStrategy {
  return (attemptsMade, _type, _error, job) => {
    const first = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1_000;
    const delay = Math.min(first * 2 ** Math.max(attemptsMade - 1, 0), policy.maxBackoffMs);
    return Math.round(delay * (0.9 + Math.random() * 0.1));
  };
}
