import type { DeliveryTarget } from '../../ports/delivery-log.js';
import type { Logger } from '../../util/logger.js';
import type { Post } from '../../model/post.js';
import { releaseIdOf } from '../../model/release-id.js';
import { bySourceId, enrichmentVersion, mergeRelease } from '../../model/release-merge.js';
import { channelKey, type ChannelRef } from '../../model/subscription.js';
import { platformEntry } from '../../platforms/platform-registry.js';
import type { PostArchive } from '../../ports/post-archive.js';
import {
  sameCarrier,
  type ReleaseCarrier,
  type ReleaseClaims,
} from '../../ports/release-claims.js';
import type { SentMessageStore } from '../../ports/sent-message-store.js';

/**
 * What one alert per press release needs: a channel that follows several sources carrying the
 * same release (the board, a korea.kr feed, the API) hears of it once, from the first carrier
 * delivered there; a later carrier settles quietly and, where it knows more, edits that alert.
 */
export interface ReleaseDeps {
  claims: ReleaseClaims;
  archive: Pick<PostArchive, 'carriers' | 'get'>;
  /**
   * Whether the channel follows the source: only carriers a channel follows complete its
   * alerts, so a channel following one source gets that source's alert as it is, and no
   * tenant's chat-added feed puts words in another tenant's alerts.
   */
  follows: (channel: ChannelRef, sourceId: string) => Promise<boolean>;
  sentMessages: Pick<SentMessageStore, 'list'>;
  /** Queues edits of sent alerts to show what later carriers added (one job per version). */
  enqueueEnrichments: (
    edits: ReadonlyArray<DeliveryTarget & { messageId: string }>,
    version: string,
  ) => Promise<void>;
  logger: Logger;
}

/** Whether to send a post's alert, or leave the release to the carrier that holds it there. */
export type ReleaseTurn =
  /** `others`: the release's other carriers, read for the claim (absent: not read). */
  | { kind: 'send'; releaseId: string | null; others?: Post[] }
  /** `holder`: `null` when the carrier showing it is no longer archived. */
  | { kind: 'held-by'; releaseId: string; holder: ReleaseCarrier | null };

/** Claims the post's release in the channel (posts naming no release are always sent). */
export async function releaseTurn(
  deps: ReleaseDeps | undefined,
  channel: ChannelRef,
  post: Post,
): Promise<ReleaseTurn> {
  const releaseId = releaseIdOf(post);
  if (!deps || releaseId === null) return { kind: 'send', releaseId: null };
  const carrier = { sourceId: post.sourceId, boardNo: post.boardNo };
  const others = await deps.archive.carriers(releaseId, post.sourceId);
  const holder = await deps.claims.claim(
    channel,
    releaseId,
    carrier,
    others.map((p) => ({ sourceId: p.sourceId, boardNo: p.boardNo })),
  );
  return holder && sameCarrier(holder, carrier)
    ? { kind: 'send', releaseId, others }
    : { kind: 'held-by', releaseId, holder };
}

/** Gives the release back when the post's alert will never reach the channel. */
export async function giveBackRelease(
  deps: ReleaseDeps | undefined,
  channel: ChannelRef,
  post: Post,
): Promise<void> {
  const releaseId = releaseIdOf(post);
  if (!deps || releaseId === null) return;
  await deps.claims.unclaim(channel, releaseId, { sourceId: post.sourceId, boardNo: post.boardNo });
}

/**
 * The post as its alert in `channel` shows it: with what the release's other carriers that
 * the channel follows know and it lacks (see `mergeRelease`). A failure to read them costs
 * only the enrichment.
 */
export async function releaseView(
  deps: ReleaseDeps | undefined,
  post: Post,
  channel: ChannelRef,
  /** The release's other carriers when already read (see `ReleaseTurn`). */
  carriers?: readonly Post[],
): Promise<Post> {
  const releaseId = releaseIdOf(post);
  if (!deps || releaseId === null) return post;
  try {
    return mergeRelease(
      post,
      await followedOthers(deps, releaseId, post.sourceId, channel, carriers),
    );
  } catch (error) {
    deps.logger.warn({ err: error, releaseId }, 'could not read the release’s other carriers');
    return post;
  }
}

/**
 * After `newcomer` was settled in `channel` behind the alert of `holder`: queues the edit of
 * that alert when the newcomer adds something to it (ministry, lead, 보도시점, attachments),
 * on platforms that edit in place. Deliveries to one channel take its turn one at a time,
 * whatever their source, so the holder's alert is either sent (and remembered) or will be
 * sent showing the newcomer. Never throws: an enrichment is not worth a delivery's retry.
 */
export async function enrichHeldAlert(
  deps: ReleaseDeps,
  channel: ChannelRef,
  releaseId: string,
  holder: ReleaseCarrier,
  newcomer: Post,
): Promise<void> {
  if (!platformEntry(channel.platform).editsInPlace) return;
  try {
    const shown = await deps.archive.get(holder.sourceId, holder.boardNo);
    if (!shown) return;
    const others = await followedOthers(deps, releaseId, holder.sourceId, channel);
    const before = mergeRelease(
      shown,
      others.filter((p) => p.sourceId !== newcomer.sourceId),
    );
    const after = mergeRelease(shown, others);
    const version = enrichmentVersion(after);
    if (enrichmentVersion(before) === version) return;
    const key = channelKey(channel);
    const edits = (await deps.sentMessages.list(holder.sourceId, holder.boardNo))
      .filter((sent) => channelKey(sent.channel) === key)
      .map((sent) => ({ ...holder, channel: sent.channel, messageId: sent.messageId }));
    if (edits.length === 0) return;
    await deps.enqueueEnrichments(edits, version);
    deps.logger.info(
      { releaseId, holder, newcomer: newcomer.sourceId, platform: channel.platform },
      'a later carrier of a release adds to its alert; editing it',
    );
  } catch (error) {
    deps.logger.warn({ err: error, releaseId }, 'could not enrich the release’s alert');
  }
}

/**
 * The release's carriers other than `sourceId`'s (`carriers`, when read already, holds only
 * those) that the channel follows, in a stable order.
 */
async function followedOthers(
  deps: ReleaseDeps,
  releaseId: string,
  sourceId: string,
  channel: ChannelRef,
  carriers?: readonly Post[],
): Promise<Post[]> {
  const others = carriers ?? (await deps.archive.carriers(releaseId, sourceId));
  if (others.length === 0) return [];
  const followed = await Promise.all(others.map((p) => deps.follows(channel, p.sourceId)));
  return others.filter((_, i) => followed[i]).sort(bySourceId);
}
