import type { DeliveryLog, DeliveryTarget } from './delivery-log.js';
import type { Post } from './post.js';
import { wantsPost, type ChannelRef, type SubscriptionStore } from './subscription.js';

export interface FanOutDeps {
  subscriptions: SubscriptionStore;
  deliveryLog: Pick<DeliveryLog, 'markPending'>;
  /** Queues one delivery per target; must ignore targets it already has (idempotent). */
  enqueueDeliveries: (targets: DeliveryTarget[]) => Promise<void>;
  batchSize?: number;
}

/**
 * Turns new posts into one delivery per (post, subscribed channel that wants it), each
 * channel's posts oldest first. Returns how many deliveries were queued.
 */
export async function fanOut(deps: FanOutDeps, posts: readonly Post[]): Promise<number> {
  const ordered = [...posts].sort((a, b) => a.boardNo - b.boardNo);
  let queued = 0;
  for await (const batch of deps.subscriptions.scan(deps.batchSize ?? 1000)) {
    const targets: DeliveryTarget[] = [];
    for (const { platform, workspaceId, channelId, keywords } of batch) {
      for (const post of ordered) {
        if (!wantsPost({ keywords }, post)) continue;
        targets.push({
          sourceId: post.sourceId,
          boardNo: post.boardNo,
          channel: { platform, workspaceId, channelId },
        });
      }
    }
    if (targets.length > 0) {
      // Owed first, queued second: a crash in between leaves a debt the next job settles.
      await deps.deliveryLog.markPending(targets);
      await deps.enqueueDeliveries(targets);
    }
    queued += targets.length;
  }
  return queued;
}

/** Every subscribed channel, whatever its keywords: a notice about the source concerns them all. */
export async function subscribedChannels(
  subscriptions: Pick<SubscriptionStore, 'scan'>,
): Promise<ChannelRef[]> {
  const channels: ChannelRef[] = [];
  for await (const batch of subscriptions.scan(1000)) {
    for (const { platform, workspaceId, channelId } of batch) {
      channels.push({ platform, workspaceId, channelId });
    }
  }
  return channels;
}
