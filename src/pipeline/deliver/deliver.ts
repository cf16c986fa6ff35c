import { createHash } from 'node:crypto';
import type { DeliveryTarget } from '../../ports/delivery-log.js';
import type { Logger } from '../../util/logger.js';
import { newsMessage, type SourceNotice } from '../../model/news-message.js';
import { DeliveryError, type Notifier } from '../../ports/notifier.js';
import { NO_PIPELINE_METRICS, type DeliveryAttemptResult } from '../../ports/pipeline-metrics.js';
import type { Post } from '../../model/post.js';
import { channelKey, type ChannelRef } from '../../model/subscription.js';
import { keepTurn } from '../../ports/turn-keeper.js';
import {
  DEFAULT_DESTINATION_PROBE_MS,
  type DeliverDeps,
  type DeliveryOutcome,
} from './deliver-deps.js';
import {
  failingLongEnough,
  isKind,
  keepsWhenGone,
  onFailure,
  sendOrPlain,
} from './delivery-failure.js';
import { platformEntry } from '../../platforms/platform-registry.js';
import { deliverDigest } from './deliver-digest.js';
import { isHeld, sendsAsDigest } from '../../model/channel-schedule.js';
import { enrichHeldAlert, giveBackRelease, releaseTurn, releaseView } from './release-turn.js';

/**
 * Delivers one post to one channel, at most once as far as the bot can tell, and never ahead
 * of an older post still owed to that channel: holding the channel's turn (renewed while it
 * works), it sends every owed post up to this one, oldest first, recording each right after
 * the platform accepted it. What a failure does:
 * - one channel gone (`permanent`): that channel is unsubscribed and forgotten; rethrown. A
 *   webhook destination the operator added is marked broken instead: what it is owed waits,
 *   and one try per interval (or the operator's fix) finds out when it works again;
 * - the message refused (`rejected`): retried once in the platform's plainest form, else the
 *   post is settled as refused for this channel, counted, and the next post goes on;
 * - the bot's token refused (`unauthorized`): the platform is paused, nothing is dropped;
 * - anything else: rethrown for the queue to retry; a post still failing `giveUpAfterMs` after
 *   it was announced is given up for this channel (logged and counted) first.
 */
export async function deliver(deps: DeliverDeps, target: DeliveryTarget): Promise<DeliveryOutcome> {
  const { channel, sourceId } = target;
  const notifier = deps.notifiers.get(channel.platform);
  if (!notifier) {
    // A configuration problem (a token removed), not the channel's: keep the subscription.
    deps.logger.warn({ platform: channel.platform }, 'no notifier configured; alert not sent');
    return 'no-notifier';
  }
  if (await deps.platforms.isPaused(channel.platform)) return 'platform-paused';
  const destination = await destinationTurn(deps, channel);
  if (destination === 'wait') return 'destination-broken';
  const ttlMs = deps.channelTurnTtlMs ?? 60_000;
  // The subscription is re-checked here, not only at fan-out: an unsubscribe must stop
  // alerts that are still queued.
  const opened = await deps.deliveryLog.openChannel(target, ttlMs);
  if (opened.kind === 'busy') return 'channel-busy';
  if (opened.kind === 'unsubscribed') return 'unsubscribed';

  const { turn, owed, since } = opened;
  const now = deps.now ?? (() => new Date());
  // Held posts stay owed; the sweep queues the channel again once they are released.
  const schedule =
    opened.schedule !== undefined
      ? opened.schedule
      : since && deps.schedules
        ? await deps.schedules.get(channel)
        : null;
  if (since && isHeld(schedule, since, now())) {
    await deps.deliveryLog.closeChannel(channel, turn);
    return 'held';
  }
  // Only what is owed is sent: a post is owed from its fan-out until it is settled, so our
  // own post missing from the list was settled by an earlier run of this channel's backlog,
  // however long ago (the settled record may have expired since: it is not asked).

  // Bound lazily: a child logger per delivery is measurable work in a 5,000-channel fan-out.
  let childLog: Logger | undefined;
  const log = () =>
    (childLog ??= deps.logger.child({
      source: sourceId,
      platform: channel.platform,
      channel: channel.channelId,
    }));
  const turnKeeper = keepTurn(deps.deliveryLog, channel, turn, ttlMs);
  let outcome: DeliveryOutcome = 'already-delivered';
  let released = false;
  try {
    if (since && sendsAsDigest(schedule, since, owed.length)) {
      const digest = await deliverDigest(deps, notifier, {
        target,
        owed,
        schedule: schedule!,
        since,
        turn,
        log,
      });
      if (digest !== 'fallback') {
        released = digest.released;
        if (digest.outcome === 'sent' && destination === 'probe') {
          await deps.destinations?.markWorking(channel);
        }
        return digest.outcome;
      }
      // Refused in every form as one message: the posts go one by one instead.
    }
    for (const [index, boardNo] of owed.entries()) {
      // Lost only when this process stalled past the turn's lifetime: another worker may be
      // sending this backlog now, so stop instead of racing it.
      if (turnKeeper.lost) return 'channel-busy';
      const item = { ...target, boardNo };
      const own = boardNo === target.boardNo;
      const post = await deps.archive.get(sourceId, boardNo);
      if (!post) {
        log().error({ boardNo }, 'post to deliver is not in the archive; dropped');
        await deps.deliveryLog.dropPending(sourceId, channel, boardNo);
        if (own) outcome = 'post-missing';
        continue;
      }
      const last = index === owed.length - 1;
      const release = await releaseTurn(deps.releases, channel, post);
      if (release.kind === 'held-by') {
        await deps.deliveryLog.recordDelivered(item, now(), last ? turn : '');
        released = last;
        log().info(
          { boardNo, releaseId: release.releaseId, shownBy: release.holder },
          'another source’s alert already shows this release here; settled without a second',
        );
        if (release.holder) {
          await enrichHeldAlert(deps.releases!, channel, release.releaseId, release.holder, post);
        }
        if (own) outcome = 'merged';
        continue;
      }
      const view = await releaseView(deps.releases, post, channel, release.others);
      const sent = await sendPost(deps, notifier, item, view, log);
      // The destination answered it is gone: the rest stays owed until it works again.
      if (sent.outcome === 'destination-broken') return sent.outcome;
      if (sent.outcome === 'sent' && destination === 'probe') {
        await deps.destinations?.markWorking(channel);
        log().info('broken destination took an alert again; no longer broken');
      }
      if (sent.outcome === 'sent') {
        // Both in one round trip (the store connection pipelines): the record is what
        // prevents a repeat; the reference only lets a later correction edit the alert.
        await Promise.all([
          deps.deliveryLog.recordDelivered(item, now(), last ? turn : ''),
          sent.messageId !== null && deps.sentMessages?.remember(item, sent.messageId),
        ]);
        released = last;
        if (deps.logger.isLevelEnabled('debug')) log().debug({ boardNo }, 'alert delivered');
      }
      if (own) outcome = sent.outcome;
    }
  } finally {
    turnKeeper.stop();
    if (!released) await deps.deliveryLog.closeChannel(channel, turn);
  }
  return outcome;
}

/** Sends one post, mapping the platform's refusal of it to `refused` (settled and counted). */
async function sendPost(
  deps: DeliverDeps,
  notifier: Notifier,
  item: DeliveryTarget,
  post: Post,
  log: () => Logger,
): Promise<
  | { outcome: 'sent'; messageId: string | null }
  | { outcome: 'refused' }
  | { outcome: 'destination-broken' }
> {
  const now = deps.now ?? (() => new Date());
  const key = deliveryKey(item);
  const message = newsMessage(post, await deps.sourceLabel(item.sourceId));
  const { platform } = item.channel;
  const metrics = deps.metrics ?? NO_PIPELINE_METRICS;
  try {
    const messageId = await sendOrPlain(
      (options) => notifier.send(item.channel, message, key, options),
      (error) =>
        log().warn(
          { boardNo: item.boardNo, code: error.details.code, reason: error.message },
          'the platform refused the alert; trying its plain form',
        ),
    );
    metrics.delivery({
      platform,
      result: 'delivered',
      ...(post.announcedAt !== undefined ? { latencyMs: now().getTime() - post.announcedAt } : {}),
    });
    return { outcome: 'sent', messageId };
  } catch (error) {
    if (isKind(error, 'rejected')) {
      log().error(
        { boardNo: item.boardNo, code: error.details.code, reason: error.message },
        'the platform refused the alert in every form; skipped for this channel',
      );
      await deps.deliveryLog.recordUndeliverable(item, 'refused', error.message, now());
      // Another carrier of the release may still reach the channel.
      await giveBackRelease(deps.releases, item.channel, post);
      metrics.delivery({ platform, result: 'refused' });
      return { outcome: 'refused' };
    }
    await onFailure(deps, item.channel, error, log);
    if (isKind(error, 'permanent') && keepsWhenGone(deps, item.channel, error)) {
      metrics.delivery({ platform, result: 'channel-gone' });
      return { outcome: 'destination-broken' };
    }
    if (
      isKind(error, 'transient') &&
      (await failingLongEnough(deps, post, item.channel.platform))
    ) {
      const announcedAt = post.announcedAt ?? Date.parse(`${post.date}T00:00:00+09:00`);
      log().error(
        { boardNo: item.boardNo, reason: error.message, since: new Date(announcedAt) },
        'the platform kept failing for this post; gave up on it for this channel',
      );
      await deps.deliveryLog.recordUndeliverable(item, 'given-up', error.message, now());
      await giveBackRelease(deps.releases, item.channel, post);
      metrics.delivery({ platform, result: 'given-up' });
    } else {
      metrics.delivery({ platform, result: failureResult(error) });
    }
    throw error;
  }
}

/**
 * Whether a webhook destination may be sent to: `open` when it is not broken (or breaks are
 * not kept), `probe` when it is and this caller holds the one try per interval, else `wait`.
 */
async function destinationTurn(
  deps: DeliverDeps,
  channel: ChannelRef,
): Promise<'open' | 'probe' | 'wait'> {
  if (!deps.destinations || !platformEntry(channel.platform).destinations) return 'open';
  if (!(await deps.destinations.brokenSince(channel))) return 'open';
  const interval = deps.destinationProbeIntervalMs ?? DEFAULT_DESTINATION_PROBE_MS;
  return (await deps.destinations.claimProbe(channel, interval)) ? 'probe' : 'wait';
}

/** A failed attempt's result for the metrics, by what the failure means. */
function failureResult(error: unknown): DeliveryAttemptResult {
  if (!(error instanceof DeliveryError)) return 'failed';
  switch (error.kind) {
    case 'rate-limited':
      return 'rate-limited';
    case 'permanent':
      return 'channel-gone';
    case 'unauthorized':
      return 'unauthorized';
    default:
      return 'failed';
  }
}

/** Sends a notice about the source to one channel that is still subscribed. */
export async function deliverNotice(
  deps: DeliverDeps,
  channel: ChannelRef,
  notice: SourceNotice,
): Promise<
  'sent' | 'unsubscribed' | 'no-notifier' | 'refused' | 'platform-paused' | 'destination-broken'
> {
  const notifier = deps.notifiers.get(channel.platform);
  if (!notifier) return 'no-notifier';
  if (await deps.platforms.isPaused(channel.platform)) return 'platform-paused';
  if (!(await deps.subscriptions.get(notice.sourceId, channel))) return 'unsubscribed';
  const log = () => deps.logger.child({ platform: channel.platform, channel: channel.channelId });
  try {
    await notifier.sendNotice(channel, notice, noticeKey(notice, channel));
  } catch (error) {
    if (isKind(error, 'rejected')) {
      log().error({ code: error.details.code, reason: error.message }, 'notice refused');
      return 'refused';
    }
    await onFailure(deps, channel, error, log);
    if (isKind(error, 'permanent')) {
      return keepsWhenGone(deps, channel, error) ? 'destination-broken' : 'unsubscribed';
    }
    throw error;
  }
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

/** The same short key for every attempt of one notice to one channel (Discord's nonce). */
export function noticeKey(notice: SourceNotice, channel: ChannelRef): string {
  return createHash('sha256')
    .update(`notice\n${notice.sourceId}\n${notice.kind}\n${notice.since}\n${channelKey(channel)}`)
    .digest('base64url')
    .slice(0, 25);
}
