import { DEFAULT_DESTINATION_PROBE_MS, type DeliverDeps } from './deliver-deps.js';
import type { Logger } from '../../util/logger.js';
import { DeliveryError, type SendOptions } from '../../ports/notifier.js';
import { NO_PIPELINE_METRICS } from '../../ports/pipeline-metrics.js';
import type { Post } from '../../model/post.js';
import type { ChannelRef } from '../../model/subscription.js';
import { platformEntry, type Platform } from '../../platforms/platform-registry.js';
import { unsubscribeChannel } from './unsubscribe.js';

/** What a failure means beyond this delivery: a 429 counted, a channel gone, a platform paused. */
export async function onFailure(
  deps: DeliverDeps,
  channel: ChannelRef,
  error: unknown,
  log: () => Logger,
): Promise<void> {
  if (isKind(error, 'rate-limited')) {
    // The bot's own limiter is not a 429: the metric counts the platform's answers.
    if (error.details.ownLimit) return;
    (deps.metrics ?? NO_PIPELINE_METRICS).rateLimited({
      platform: channel.platform,
      scope: error.details.scope === 'global' ? 'global' : 'channel',
    });
  } else if (isKind(error, 'permanent') && keepsWhenGone(deps, channel, error)) {
    // A destination the operator added: marked broken and reported, never dropped; its
    // alerts wait until it works again (a probe, or the operator fixing its URL).
    const marked = await deps.destinations!.markBroken(channel, error.message, now(deps));
    if (marked) {
      // The first try again comes one interval after the break, not at the next sweep.
      await deps.destinations!.claimProbe(
        channel,
        deps.destinationProbeIntervalMs ?? DEFAULT_DESTINATION_PROBE_MS,
      );
      log().error(
        { code: error.details.code, reason: error.message },
        'destination answered that it is gone; marked broken, its alerts wait until it works again',
      );
    }
  } else if (isKind(error, 'permanent')) {
    // The channel is gone for the bot: it follows nothing any more.
    await unsubscribeChannel(deps, channel);
    log().warn(
      { code: error.details.code, reason: error.message },
      'channel cannot receive alerts any more; unsubscribed it',
    );
  } else if (isKind(error, 'unauthorized') && error.details.scope !== 'workspace') {
    // A workspace's own refusal was paused by its notifier; the other workspaces go on.
    await deps.platforms.pause(channel.platform, error);
  }
}

/**
 * Whether a permanent failure leaves the channel subscribed: a webhook destination the
 * operator added (unless it was removed meanwhile), when breaks are kept.
 */
export function keepsWhenGone(
  deps: Pick<DeliverDeps, 'destinations'>,
  channel: ChannelRef,
  error: DeliveryError,
): boolean {
  return (
    deps.destinations !== undefined &&
    platformEntry(channel.platform).destinations &&
    error.details.code !== 'destination-removed'
  );
}

function now(deps: Pick<DeliverDeps, 'now'>): Date {
  return (deps.now ?? (() => new Date()))();
}

export function isKind<K extends DeliveryError['kind']>(
  error: unknown,
  kind: K,
): error is DeliveryError & { kind: K } {
  return error instanceof DeliveryError && error.kind === kind;
}

/**
 * Whether a post has kept failing for `giveUpAfterMs`: counted from its announcement, or from
 * the end of the platform's last pause if later (a day-long refused token must not give up
 * every post on the first failure after it is fixed). `from` overrides the announcement (a
 * digest counts from its release).
 */
export async function failingLongEnough(
  deps: Pick<DeliverDeps, 'giveUpAfterMs' | 'now' | 'platforms'>,
  post: Pick<Post, 'announcedAt' | 'date'>,
  platform: Platform,
  from?: number,
): Promise<boolean> {
  const now = (deps.now ?? (() => new Date()))().getTime();
  const start = from ?? post.announcedAt ?? Date.parse(`${post.date}T00:00:00+09:00`);
  if (now - start < deps.giveUpAfterMs) return false;
  const resumed = await deps.platforms.resumedAt(platform);
  return resumed === null || now - resumed.getTime() >= deps.giveUpAfterMs;
}

/**
 * Sends with `send`, and once more in the platform's plainest form if the platform refused the
 * message itself (`rejected`), telling `onRefused` first. Any other failure, and a refusal of
 * the plain form, is thrown.
 */
export async function sendOrPlain<T>(
  send: (options: SendOptions) => Promise<T>,
  onRefused: (error: DeliveryError) => void = () => {},
): Promise<T> {
  try {
    return await send({});
  } catch (error) {
    if (!isKind(error, 'rejected')) throw error;
    onRefused(error);
    return await send({ plain: true });
  }
}
