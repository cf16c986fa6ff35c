import type { PostArchive } from '../../ports/post-archive.js';
import type { DeliveryLog, DeliveryTarget } from '../../ports/delivery-log.js';
import type { Post } from '../../model/post.js';
import { wantsPost, type ChannelRef } from '../../model/subscription.js';
import { type SubscriptionStore } from '../../ports/subscription-store.js';

export interface FanOutDeps {
  subscriptions: Pick<SubscriptionStore, 'scan'>;
  deliveryLog: Pick<DeliveryLog, 'markPending'>;
  archive: Pick<PostArchive, 'save'>;
  /** Queues one delivery per target; must ignore targets it already has (idempotent). */
  enqueueDeliveries: (targets: DeliveryTarget[]) => Promise<void>;
  batchSize?: number;
  now?: () => Date;
}

/**
 * Turns new posts into one delivery per (post, subscribed channel that wants it), each
 * channel's posts oldest first. Returns how many deliveries were queued.
 *
 * Every platform's channels get their jobs, whichever process runs this: which tokens a
 * deployment has is not this process's to know. A job of a platform this process has no token
 * for waits in that platform's queue for a process that has (see `PlatformWorkerStore`).
 */
export async function fanOut(deps: FanOutDeps, posts: readonly Post[]): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const ordered = [...posts].sort((a, b) => a.boardNo - b.boardNo);
  // The start of each post's delivery clock (see DeliverDeps.giveUpAfterMs); a re-run keeps it.
  const unstamped = ordered.filter((post) => post.announcedAt === undefined);
  if (unstamped.length > 0) {
    await deps.archive.save(unstamped.map((post) => ({ ...post, announcedAt: now.getTime() })));
  }
  let queued = 0;
  if (ordered.length === 0) return 0;
  // One fan-out is one source's posts: its followers are the channels to consider.
  for await (const batch of deps.subscriptions.scan(ordered[0]!.sourceId, deps.batchSize ?? 1000)) {
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
      // Owed first, queued second: a crash in between leaves a debt the sweep settles.
      await deps.deliveryLog.markPending(targets, now);
      await deps.enqueueDeliveries(targets);
    }
    queued += targets.length;
  }
  return queued;
}

/**
 * Every channel following the source, on every platform, whatever its keywords: a notice
 * about the source concerns them all.
 */
export async function subscribedChannels(
  subscriptions: Pick<SubscriptionStore, 'scan'>,
  sourceId: string,
): Promise<ChannelRef[]> {
  const channels: ChannelRef[] = [];
  for await (const batch of subscriptions.scan(sourceId, 1000)) {
    for (const { platform, workspaceId, channelId } of batch) {
      channels.push({ platform, workspaceId, channelId });
    }
  }
  return channels;
}
