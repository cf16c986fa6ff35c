import type { DeliveryLog } from './delivery-log.js';
import type { ChannelRef, SubscriptionStore } from './subscription.js';

export interface UnsubscribeDeps {
  subscriptions: Pick<SubscriptionStore, 'get' | 'unsubscribe'>;
  deliveryLog: Pick<DeliveryLog, 'forgetChannel'>;
}

/**
 * Ends a channel's subscription and forgets everything kept for it (what it was owed, its
 * last alert, its counts), so Redis holds nothing for channels that left. True when the
 * channel was subscribed.
 */
export async function unsubscribeChannel(
  deps: UnsubscribeDeps,
  channel: ChannelRef,
): Promise<boolean> {
  const removed = await deps.subscriptions.unsubscribe(channel);
  await deps.deliveryLog.forgetChannel(channel);
  return removed;
}
