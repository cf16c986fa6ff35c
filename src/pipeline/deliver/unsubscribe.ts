import type { ChannelScheduleStore } from '../../ports/channel-schedule-store.js';
import type { DeliveryLog } from '../../ports/delivery-log.js';
import type { ChannelRef } from '../../model/subscription.js';
import type { SubscriptionStore } from '../../ports/subscription-store.js';

export interface UnsubscribeDeps {
  subscriptions: Pick<SubscriptionStore, 'unsubscribe' | 'following'>;
  deliveryLog: Pick<DeliveryLog, 'dropPending' | 'forgetChannel'>;
  /** Every source of the deployment. */
  sourceIds: () => Promise<string[]>;
  /** A channel that follows nothing any more loses its digest times and quiet hours too. */
  schedules?: Pick<ChannelScheduleStore, 'delete'>;
  /**
   * Told of each source this released (the channel was its last follower): a chat-added
   * source that nobody follows any more stops being read (see `SourceDirectory.released`).
   */
  sourceReleased?: (sourceId: string) => Promise<void>;
}

/**
 * Ends a channel's subscription to `only` (every source when omitted) and forgets what it was
 * owed of them. A channel left following nothing has everything kept for it deleted (its
 * last alert, its counts, its number, its schedule), so Redis holds nothing for channels that left.
 * Returns the sources the channel stopped following.
 */
export async function unsubscribeChannel(
  deps: UnsubscribeDeps,
  channel: ChannelRef,
  only?: readonly string[],
): Promise<string[]> {
  const all = await deps.sourceIds();
  const removed: string[] = [];
  const released: string[] = [];
  for (const sourceId of only ?? all) {
    const outcome = await deps.subscriptions.unsubscribe(sourceId, channel);
    if (outcome !== 'not-following') removed.push(sourceId);
    if (outcome === 'released') released.push(sourceId);
    await deps.deliveryLog.dropPending(sourceId, channel);
  }
  if ((await deps.subscriptions.following(channel, all)).length === 0) {
    await deps.deliveryLog.forgetChannel(channel);
    await deps.schedules?.delete(channel);
  }
  for (const sourceId of released) await deps.sourceReleased?.(sourceId);
  return removed;
}
