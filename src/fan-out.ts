import type { DeliveryTarget } from './delivery-log.js';
import type { Post } from './post.js';
import { wantsPost, type SubscriptionStore } from './subscription.js';

export interface FanOutDeps {
  subscriptions: SubscriptionStore;
  /** Queues one delivery per target; must ignore targets it already has (idempotent). */
  enqueueDeliveries: (targets: DeliveryTarget[]) => Promise<void>;
  batchSize?: number;
}

/** Turns one new post into one delivery per subscribed channel that wants it. Returns how many. */
export async function fanOut(deps: FanOutDeps, post: Post): Promise<number> {
  let queued = 0;
  for await (const batch of deps.subscriptions.scan(deps.batchSize ?? 1000)) {
    const targets = batch
      .filter((subscription) => wantsPost(subscription, post))
      .map(({ platform, workspaceId, channelId }) => ({
        sourceId: post.sourceId,
        boardNo: post.boardNo,
        channel: { platform, workspaceId, channelId },
      }));
    if (targets.length > 0) await deps.enqueueDeliveries(targets);
    queued += targets.length;
  }
  return queued;
}
