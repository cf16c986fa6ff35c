import { createHash } from 'node:crypto';
import { releaseTime, type ChannelSchedule } from '../../model/channel-schedule.js';
import type { DeliverDeps, DeliveryOutcome } from './deliver-deps.js';
import { failingLongEnough, isKind, onFailure, sendOrPlain } from './delivery-failure.js';
import type { DeliveryTarget } from '../../ports/delivery-log.js';
import type { Logger } from '../../util/logger.js';
import { newsDigest } from '../../model/news-digest.js';
import { newsMessage } from '../../model/news-message.js';
import type { Notifier } from '../../ports/notifier.js';
import { NO_PIPELINE_METRICS } from '../../ports/pipeline-metrics.js';
import type { Post } from '../../model/post.js';
import { channelKey } from '../../model/subscription.js';
import { giveBackRelease, releaseTurn, releaseView } from './release-turn.js';

export interface HeldPosts {
  /** The delivery that opened the channel's turn. */
  target: DeliveryTarget;
  /** Board numbers owed, oldest first. */
  owed: number[];
  schedule: ChannelSchedule;
  /** When the oldest of them became owed. */
  since: Date;
  /** The channel's turn, given back with the last record. */
  turn: string;
  log: () => Logger;
}

/**
 * Sends what a channel's schedule held as one message (its digest, or what its quiet hours
 * held), then settles every post in it; the caller holds the channel's turn, so two workers
 * never send the same digest. A crash between the send and the records sends it again, as for
 * an alert (Discord de-duplicates it by its nonce). `fallback`: the platform refused the
 * digest in its full and its plain form, so the caller sends the posts one by one.
 */
export async function deliverDigest(
  deps: DeliverDeps,
  notifier: Notifier,
  held: HeldPosts,
): Promise<{ outcome: DeliveryOutcome; released: boolean } | 'fallback'> {
  const { target, log } = held;
  const { sourceId, channel } = target;
  const now = deps.now ?? (() => new Date());
  const posts: Post[] = [];
  for (const boardNo of held.owed) {
    const post = await deps.archive.get(sourceId, boardNo);
    if (post) {
      posts.push(post);
    } else {
      log().error({ boardNo }, 'post to deliver is not in the archive; dropped');
      await deps.deliveryLog.dropPending(sourceId, channel, boardNo);
    }
  }
  if (posts.length === 0) return { outcome: 'post-missing', released: false };
  // A release another source's alert or digest already showed here is counted once: settled
  // with this digest, not listed in it.
  const shown: Array<{ post: Post; others?: Post[] | undefined }> = [];
  const merged: Post[] = [];
  for (const post of posts) {
    const release = await releaseTurn(deps.releases, channel, post);
    if (release.kind === 'held-by') merged.push(post);
    else shown.push({ post, others: release.others });
  }
  if (shown.length === 0) {
    await settle(deps, held, merged, now());
    const own = merged.some((post) => post.boardNo === target.boardNo);
    return { outcome: own ? 'merged' : 'already-delivered', released: true };
  }

  const kind = held.schedule.digest ? 'digest' : 'quiet';
  const views = await Promise.all(
    shown.map(({ post, others }) => releaseView(deps.releases, post, channel, others)),
  );
  const digest = newsDigest(
    kind,
    await deps.sourceLabel(sourceId),
    views.map((post) => newsMessage(post)),
  );
  const key = digestKey(
    target,
    shown.map(({ post }) => post),
  );
  const releasedAt = releaseTime(held.schedule, held.since).getTime();
  const metrics = deps.metrics ?? NO_PIPELINE_METRICS;
  try {
    await sendOrPlain(
      (options) => notifier.sendDigest(channel, digest, key, options),
      (error) =>
        log().warn(
          { code: error.details.code, reason: error.message },
          'digest refused; plain form',
        ),
    );
  } catch (error) {
    if (isKind(error, 'rejected')) {
      log().error({ reason: error.message }, 'digest refused in every form; sending one by one');
      return 'fallback';
    }
    await onFailure(deps, channel, error, log);
    // Held posts are given up counting from their release, not from their announcement:
    // a weekday digest holds a Friday evening's posts until Monday.
    for (const { post } of shown) {
      const from = Math.max(post.announcedAt ?? 0, releasedAt);
      const givingUp =
        isKind(error, 'transient') && (await failingLongEnough(deps, post, channel.platform, from));
      if (givingUp) {
        await deps.deliveryLog.recordUndeliverable(
          { ...target, boardNo: post.boardNo },
          'given-up',
          (error as Error).message,
          now(),
        );
        await giveBackRelease(deps.releases, channel, post);
      }
      metrics.delivery({ platform: channel.platform, result: givingUp ? 'given-up' : 'failed' });
    }
    throw error;
  }

  const at = now();
  await settle(deps, held, [...merged, ...shown.map(({ post }) => post)], at);
  for (const { post } of shown) {
    // Latency of a held post counts from its release: the hold is the reader's choice.
    const from = Math.max(post.announcedAt ?? releasedAt, releasedAt);
    metrics.delivery({
      platform: channel.platform,
      result: 'delivered',
      latencyMs: at.getTime() - from,
    });
  }
  log().info({ kind, posts: shown.length, merged: merged.length }, 'digest delivered');
  const own = posts.some((post) => post.boardNo === target.boardNo);
  return { outcome: own ? 'sent' : 'already-delivered', released: true };
}

/** Records every post as delivered, the last one giving the channel's turn back. */
async function settle(deps: DeliverDeps, held: HeldPosts, posts: readonly Post[], at: Date) {
  for (const [index, post] of posts.entries()) {
    const last = index === posts.length - 1;
    await deps.deliveryLog.recordDelivered(
      { ...held.target, boardNo: post.boardNo },
      at,
      last ? held.turn : '',
    );
  }
}

/** The same Discord nonce for every attempt of one digest (the same posts to one channel). */
function digestKey(target: DeliveryTarget, posts: readonly Post[]): string {
  return createHash('sha256')
    .update(`digest\n${target.sourceId}\n${channelKey(target.channel)}\n`)
    .update(posts.map((post) => post.boardNo).join(','))
    .digest('base64url')
    .slice(0, 25);
}
