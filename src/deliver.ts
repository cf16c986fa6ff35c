import { createHash } from 'node:crypto';
import type { PostArchive } from './archive.js';
import type { DeliveryLog, DeliveryTarget } from './delivery-log.js';
import type { Logger } from './logger.js';
import { newsMessage, type NewsMessage, type SourceNotice } from './news-message.js';
import { DeliveryError, type Notifier } from './notifier.js';
import {
  channelKey,
  type ChannelRef,
  type Platform,
  type SubscriptionStore,
} from './subscription.js';

export interface DeliverDeps {
  archive: Pick<PostArchive, 'get'>;
  deliveryLog: DeliveryLog;
  subscriptions: Pick<SubscriptionStore, 'get' | 'unsubscribe'>;
  notifiers: ReadonlyMap<Platform, Notifier>;
  /** How long a channel's turn outlives a crashed holder. */
  channelTurnTtlMs?: number;
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
 * of an older post still owed to that channel: holding the channel's turn, it sends every
 * owed post up to this one, oldest first. Each delivery is recorded right after the platform
 * accepted it. A permanent failure unsubscribes the channel and is rethrown for the queue to
 * stop retrying.
 */
export async function deliver(deps: DeliverDeps, target: DeliveryTarget): Promise<DeliveryOutcome> {
  const { channel, sourceId } = target;
  const notifier = deps.notifiers.get(channel.platform);
  if (!notifier) {
    // A configuration problem (a token removed), not the channel's: keep the subscription.
    deps.logger.warn({ platform: channel.platform }, 'no notifier configured; alert not sent');
    return 'no-notifier';
  }
  // The subscription is re-checked here, not only at fan-out: an unsubscribe must stop
  // alerts that are still queued.
  const opened = await deps.deliveryLog.openChannel(target, deps.channelTurnTtlMs ?? 60_000);
  if (opened.kind === 'busy') return 'channel-busy';
  if (opened.kind === 'unsubscribed') return 'unsubscribed';

  const { turn } = opened;
  const owed = opened.owed.includes(target.boardNo)
    ? opened.owed
    : [...opened.owed, target.boardNo];
  // Bound lazily: a child logger per delivery is measurable work in a 5,000-channel fan-out.
  let childLog: Logger | undefined;
  const log = () =>
    (childLog ??= deps.logger.child({
      source: sourceId,
      platform: channel.platform,
      channel: channel.channelId,
    }));
  let outcome: DeliveryOutcome = 'already-delivered';
  let released = false;
  try {
    for (const [index, boardNo] of owed.entries()) {
      const item = { ...target, boardNo };
      const own = boardNo === target.boardNo;
      // Owed posts are undelivered by the log's invariant; only our own may not be owed.
      if (!opened.owed.includes(boardNo) && (await deps.deliveryLog.wasDelivered(item))) continue;
      const post = await deps.archive.get(sourceId, boardNo);
      if (!post) {
        log().error({ boardNo }, 'post to deliver is not in the archive; dropped');
        await deps.deliveryLog.dropPending(sourceId, channel, boardNo);
        if (own) outcome = 'post-missing';
        continue;
      }
      await send(deps, notifier, item, newsMessage(post), log);
      const last = index === owed.length - 1;
      await deps.deliveryLog.recordDelivered(
        item,
        (deps.now ?? (() => new Date()))(),
        last ? turn : '',
      );
      released = last;
      if (deps.logger.isLevelEnabled('debug')) log().debug({ boardNo }, 'alert delivered');
      if (own) outcome = 'sent';
    }
  } finally {
    if (!released) await deps.deliveryLog.closeChannel(channel, turn);
  }
  return outcome;
}

/** Sends a notice about the source to one channel that is still subscribed. */
export async function deliverNotice(
  deps: DeliverDeps,
  channel: ChannelRef,
  notice: SourceNotice,
): Promise<'sent' | 'unsubscribed' | 'no-notifier'> {
  const notifier = deps.notifiers.get(channel.platform);
  if (!notifier) return 'no-notifier';
  if (!(await deps.subscriptions.get(channel))) return 'unsubscribed';
  try {
    await notifier.sendNotice(channel, notice, noticeKey(notice, channel));
  } catch (error) {
    if (error instanceof DeliveryError && error.kind === 'permanent') {
      await deps.subscriptions.unsubscribe(channel);
    }
    throw error;
  }
  return 'sent';
}

async function send(
  deps: DeliverDeps,
  notifier: Notifier,
  item: DeliveryTarget,
  message: NewsMessage,
  log: () => Logger,
): Promise<void> {
  try {
    await notifier.send(item.channel, message, deliveryKey(item));
  } catch (error) {
    if (error instanceof DeliveryError && error.kind === 'permanent') {
      await deps.subscriptions.unsubscribe(item.channel);
      await deps.deliveryLog.dropPending(item.sourceId, item.channel);
      log().warn(
        { boardNo: item.boardNo, code: error.details.code, reason: error.message },
        'channel cannot receive alerts any more; unsubscribed it',
      );
    }
    throw error;
  }
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

/** The same short key for every attempt of one notice to one channel (Discord's nonce). */
export function noticeKey(notice: SourceNotice, channel: ChannelRef): string {
  return createHash('sha256')
    .update(`notice\n${notice.sourceId}\n${notice.kind}\n${notice.since}\n${channelKey(channel)}`)
    .digest('base64url')
    .slice(0, 25);
}
