import { createHash } from 'node:crypto';
import type { PostArchive } from './archive.js';
import type { DeliveryLog, DeliveryTarget, ExclusiveRunner } from './delivery-log.js';
import type { Logger } from './logger.js';
import { newsMessage } from './news-message.js';
import { DeliveryError, type Notifier } from './notifier.js';
import { channelKey, type Platform, type SubscriptionStore } from './subscription.js';

export interface DeliverDeps {
  archive: Pick<PostArchive, 'get'>;
  deliveryLog: DeliveryLog;
  subscriptions: Pick<SubscriptionStore, 'get' | 'unsubscribe'>;
  notifiers: ReadonlyMap<Platform, Notifier>;
  /** One delivery run per channel at a time, across every worker process. */
  exclusive: ExclusiveRunner;
  logger: Logger;
  now?: () => Date;
}

export type DeliveryOutcome =
  | 'sent'
  | 'already-delivered'
  | 'unsubscribed'
  | 'post-missing'
  | 'no-notifier'
  /** Another worker is delivering to this channel right now; try again shortly. */
  | 'channel-busy';

/**
 * Delivers one post to one channel, at most once as far as the bot can tell, and never ahead
 * of an older post still owed to that channel: under the channel's lock it sends every owed
 * post up to this one, oldest first, skipping those already recorded. A delivery is recorded
 * right after the platform accepted it. A permanent failure unsubscribes the channel and is
 * rethrown for the queue to stop retrying.
 */
export async function deliver(deps: DeliverDeps, target: DeliveryTarget): Promise<DeliveryOutcome> {
  const run = await deps.exclusive(`channel-${channelKey(target.channel)}`, () =>
    deliverOwed(deps, target),
  );
  return run.acquired ? run.value : 'channel-busy';
}

async function deliverOwed(deps: DeliverDeps, target: DeliveryTarget): Promise<DeliveryOutcome> {
  const { channel, sourceId } = target;
  const log = deps.logger.child({
    source: sourceId,
    platform: channel.platform,
    channel: channel.channelId,
  });

  // Re-checked here, not only at fan-out: an unsubscribe must stop alerts still in the queue.
  if (!(await deps.subscriptions.get(channel))) {
    await deps.deliveryLog.dropPending(sourceId, channel);
    return 'unsubscribed';
  }
  const notifier = deps.notifiers.get(channel.platform);
  if (!notifier) {
    // A configuration problem (a token removed), not the channel's: keep the subscription.
    log.warn('no notifier configured for this platform; alert not sent');
    return 'no-notifier';
  }

  const owed = await deps.deliveryLog.pendingUpTo(sourceId, channel, target.boardNo);
  if (!owed.includes(target.boardNo)) owed.push(target.boardNo);

  let outcome: DeliveryOutcome = 'already-delivered';
  for (const boardNo of owed) {
    const item = { ...target, boardNo };
    const own = boardNo === target.boardNo;
    if (await deps.deliveryLog.wasDelivered(item)) continue;
    const post = await deps.archive.get(sourceId, boardNo);
    if (!post) {
      log.error({ boardNo }, 'post to deliver is not in the archive; dropped');
      await deps.deliveryLog.dropPending(sourceId, channel, boardNo);
      if (own) outcome = 'post-missing';
      continue;
    }
    try {
      await notifier.send(channel, newsMessage(post), deliveryKey(item));
    } catch (error) {
      if (error instanceof DeliveryError && error.kind === 'permanent') {
        await deps.subscriptions.unsubscribe(channel);
        await deps.deliveryLog.dropPending(sourceId, channel);
        log.warn(
          { boardNo, code: error.details.code, reason: error.message },
          'channel cannot receive alerts any more; unsubscribed it',
        );
      }
      throw error;
    }
    await deps.deliveryLog.recordDelivered(item, (deps.now ?? (() => new Date()))());
    log.debug({ boardNo }, 'alert delivered');
    if (own) outcome = 'sent';
  }
  return outcome;
}

/**
 * A short key, the same for every attempt of one (post, channel) delivery: Discord's nonce
 * (at most 25 characters) and the base of the queue's job id.
 */
export function deliveryKey(target: DeliveryTarget): string {
  return createHash('sha256')
    .update(`${target.sourceId}\n${target.boardNo}\n${channelKey(target.channel)}`)
    .digest('base64url')
    .slice(0, 25);
}
