import { createHash } from 'node:crypto';
import type { PostArchive } from './archive.js';
import type { DeliveryLog, DeliveryTarget } from './delivery-log.js';
import type { Logger } from './logger.js';
import { newsMessage } from './news-message.js';
import { DeliveryError, type Notifier } from './notifier.js';
import type { Post } from './post.js';
import { channelKey, type Platform, type SubscriptionStore } from './subscription.js';

export interface DeliverDeps {
  archive: Pick<PostArchive, 'get'>;
  deliveryLog: DeliveryLog;
  subscriptions: Pick<SubscriptionStore, 'get' | 'unsubscribe'>;
  notifiers: ReadonlyMap<Platform, Notifier>;
  logger: Logger;
  now?: () => Date;
}

export type DeliveryOutcome =
  'sent' | 'already-delivered' | 'unsubscribed' | 'post-missing' | 'no-notifier';

/**
 * Sends one post to one channel, at most once as far as the bot can tell: a delivery already
 * recorded is skipped, and the record is written right after the platform accepted it. A
 * permanent failure unsubscribes the channel and is rethrown for the queue to stop retrying.
 */
export async function deliver(deps: DeliverDeps, target: DeliveryTarget): Promise<DeliveryOutcome> {
  const { channel } = target;
  const log = deps.logger.child({
    source: target.sourceId,
    boardNo: target.boardNo,
    platform: channel.platform,
    channel: channel.channelId,
  });
  if (await deps.deliveryLog.wasDelivered(target)) return 'already-delivered';
  // Re-checked here, not only at fan-out: an unsubscribe must stop alerts still in the queue.
  if (!(await deps.subscriptions.get(channel))) return 'unsubscribed';

  const post: Post | null = await deps.archive.get(target.sourceId, target.boardNo);
  if (!post) {
    log.error('post to deliver is not in the archive');
    return 'post-missing';
  }
  const notifier = deps.notifiers.get(channel.platform);
  if (!notifier) {
    // A configuration problem (a token removed), not the channel's: keep the subscription.
    log.warn('no notifier configured for this platform; alert not sent');
    return 'no-notifier';
  }

  try {
    await notifier.send(channel, newsMessage(post), deliveryKey(target));
  } catch (error) {
    if (error instanceof DeliveryError && error.kind === 'permanent') {
      await deps.subscriptions.unsubscribe(channel);
      log.warn(
        { code: error.details.code, reason: error.message },
        'channel cannot receive alerts any more; unsubscribed it',
      );
    }
    throw error;
  }
  await deps.deliveryLog.recordDelivered(target, (deps.now ?? (() => new Date()))());
  log.debug('alert delivered');
  return 'sent';
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
