import { createHash } from 'node:crypto';
import type { PostArchive } from '../../ports/post-archive.js';
import type { PlatformGate } from '../../ports/platform-gate.js';
import type { DeliveryTarget } from '../../ports/delivery-log.js';
import { isKind, sendOrPlain } from '../deliver/delivery-failure.js';
import type { Logger } from '../../util/logger.js';
import { correctedMessage, newsMessage } from '../../model/news-message.js';
import { releaseView, type ReleaseDeps } from '../deliver/release-turn.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Post } from '../../model/post.js';
import type { SentMessageStore } from '../../ports/sent-message-store.js';
import type { Platform } from '../../platforms/platform-registry.js';

/**
 * One sent alert to edit: the delivery it was, and the platform's id of its message. Edits
 * are corrections (marked 정정) unless `reason` says they only add what another carrier of the
 * release knows (`enrichment`), which marks nothing the source did not correct.
 */
export interface EditTarget extends DeliveryTarget {
  messageId: string;
  reason?: 'enrichment' | undefined;
}

/**
 * What a correction changes in an alert: its title and ministry. A short hash of them, so
 * the same correction found twice (two polls, two workers) queues its edits once, and a
 * second correction of the same post edits again.
 */
export function correctionVersion(posts: readonly Pick<Post, 'boardNo' | 'title' | 'ministry'>[]) {
  const hash = createHash('sha256');
  for (const post of posts) hash.update(`${post.boardNo}\n${post.title}\n${post.ministry ?? ''}\n`);
  return hash.digest('base64url').slice(0, 12);
}

/**
 * The alerts to edit for corrected posts: every remembered one, on every platform (each edit
 * waits in its platform's queue for a process with that platform's token).
 */
export async function alertsToEdit(
  sentMessages: Pick<SentMessageStore, 'list'>,
  sourceId: string,
  boardNos: readonly number[],
): Promise<EditTarget[]> {
  const edits: EditTarget[] = [];
  for (const boardNo of boardNos) {
    for (const { channel, messageId } of await sentMessages.list(sourceId, boardNo)) {
      edits.push({ sourceId, boardNo, channel, messageId });
    }
  }
  return edits;
}

export interface EditDeps {
  /** Read directly, never through a cache: the edit must show what the source says now. */
  archive: Pick<PostArchive, 'get'>;
  notifiers: ReadonlyMap<Platform, Notifier>;
  platforms: PlatformGate;
  sentMessages: Pick<SentMessageStore, 'forget'>;
  sourceLabel: (sourceId: string) => Promise<{ name: string; label: string }>;
  logger: Logger;
  /** What other carriers of the release add to the alert (default: the post alone). */
  releases?: ReleaseDeps;
}

export type EditOutcome =
  | 'edited'
  /** The message or its channel is gone, or can no longer be edited: forgotten. */
  | 'gone'
  /** The platform refused the edited message in every form: the alert stays as it was. */
  | 'refused'
  | 'no-notifier'
  | 'post-missing'
  /** The platform refuses the bot's token; the edit waits until it is resumed. */
  | 'platform-paused';

/**
 * Edits one sent alert to show its corrected post, marked 정정; posts nothing new. A failure
 * about that message alone (deleted, too old) forgets it and never touches the channel's
 * subscription: a new post will tell whether the channel itself is gone. A refused token
 * pauses the platform; anything else is rethrown for the queue to retry.
 */
export async function editAlert(deps: EditDeps, target: EditTarget): Promise<EditOutcome> {
  const { channel, messageId } = target;
  const notifier = deps.notifiers.get(channel.platform);
  const edit = notifier?.edit?.bind(notifier);
  if (!edit) return 'no-notifier';
  if (await deps.platforms.isPaused(channel.platform)) return 'platform-paused';
  const post = await deps.archive.get(target.sourceId, target.boardNo);
  if (!post) return 'post-missing';
  const view = await releaseView(deps.releases, post, channel);
  const label = await deps.sourceLabel(target.sourceId);
  // An enrichment keeps the 정정 mark of a post the source corrected before.
  const message =
    target.reason === 'enrichment' && post.correctedAt === undefined
      ? newsMessage(view, label)
      : correctedMessage(view, label);
  const log = deps.logger.child({
    source: target.sourceId,
    boardNo: target.boardNo,
    platform: channel.platform,
    channel: channel.channelId,
  });
  try {
    await sendOrPlain((options) => edit(channel, messageId, message, options));
  } catch (error) {
    if (isKind(error, 'rejected')) {
      log.error(
        { reason: error.message },
        'the platform refused the corrected alert; left as it was',
      );
      return 'refused';
    }
    if (isKind(error, 'permanent')) {
      log.info({ reason: error.message }, 'the alert to correct is gone; forgotten');
      await deps.sentMessages.forget(target);
      return 'gone';
    }
    // One workspace's refused token (OAuth mode) pauses that workspace alone, in its notifier.
    if (isKind(error, 'unauthorized') && error.details.scope !== 'workspace') {
      await deps.platforms.pause(channel.platform, error);
    }
    throw error;
  }
  log.info(
    target.reason === 'enrichment'
      ? 'alert edited to show what another carrier of the release adds'
      : 'alert edited after a correction at the source',
  );
  return 'edited';
}
