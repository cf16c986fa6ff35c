import type { DeliveryLog } from './delivery-log.js';
import type { ChannelRef } from '../model/subscription.js';

export interface TurnKeeper {
  /** True once a renewal found the turn taken: this holder stalled past its lifetime. */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Renews a channel's turn every third of its lifetime while its holder sends a backlog, so a
 * slow platform never lets a second worker take the turn and send the same posts again. The
 * lifetime still frees the turn of a holder that crashed.
 */
export function keepTurn(
  log: Pick<DeliveryLog, 'renewChannel'>,
  channel: ChannelRef,
  turn: string,
  ttlMs: number,
): TurnKeeper {
  let lost = false;
  const timer = setInterval(
    () => {
      log.renewChannel(channel, turn, ttlMs).then(
        (ours) => {
          if (!ours) lost = true;
        },
        // Redis unreachable for a moment: the next renewal tries again within the lifetime.
        () => undefined,
      );
    },
    Math.max(Math.floor(ttlMs / 3), 50),
  );
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    stop: () => clearInterval(timer),
  };
}
