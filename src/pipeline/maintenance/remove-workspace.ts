import type { DeliveryLog } from '../../ports/delivery-log.js';
import type { Logger } from '../../util/logger.js';
import { channelKey, type ChannelRef } from '../../model/subscription.js';
import { type Platform } from '../../platforms/platform-registry.js';
import { type SubscriptionStore } from '../../ports/subscription-store.js';
import { unsubscribeChannel, type UnsubscribeDeps } from '../deliver/unsubscribe.js';

export interface RemoveWorkspaceDeps extends UnsubscribeDeps {
  subscriptions: UnsubscribeDeps['subscriptions'] & Pick<SubscriptionStore, 'scan'>;
  deliveryLog: UnsubscribeDeps['deliveryLog'] & Pick<DeliveryLog, 'owing'>;
  logger: Logger;
}

/** What leaving a workspace removed, for the log line that says so. */
export interface WorkspaceRemoved {
  /** Channels of the workspace that followed a source or were owed posts. */
  channels: number;
  /** (source, channel) subscriptions ended. */
  subscriptions: number;
  /** (source, channel) backlogs of owed posts dropped. */
  owedBacklogs: number;
}

/**
 * Forgets everything of one workspace (a Slack team, a Discord server) that removed the bot:
 * each of its channels' subscriptions, owed posts, schedule and counts. Queued deliveries to
 * them find the channel unsubscribed and send nothing. A later reinstall starts clean.
 */
export async function removeWorkspace(
  deps: RemoveWorkspaceDeps,
  platform: Platform,
  workspaceId: string,
  why: string,
): Promise<WorkspaceRemoved> {
  const removed = await removeChannels(
    deps,
    await channelsWhere(
      deps,
      (channel) => channel.platform === platform && channel.workspaceId === workspaceId,
    ),
  );
  deps.logger.info(
    { platform, workspace: workspaceId, why, ...removed },
    'the bot left a workspace: its subscriptions and owed posts are deleted',
  );
  return removed;
}

/** Channels found for removal: subscribed or owed posts. */
export interface ChannelsFound {
  channels: ChannelRef[];
  /** (source, channel) subscriptions among them. */
  subscriptions: number;
  /** (source, channel) backlogs of owed posts among them. */
  owedBacklogs: number;
}

/** The channels, subscribed or owed posts, that `inScope` picks. */
export async function channelsWhere(
  deps: Pick<RemoveWorkspaceDeps, 'sourceIds' | 'subscriptions' | 'deliveryLog'>,
  inScope: (channel: ChannelRef) => boolean,
): Promise<ChannelsFound> {
  const channels = new Map<string, ChannelRef>();
  const remember = (channel: ChannelRef) => {
    const { platform: p, workspaceId: w, channelId } = channel;
    channels.set(channelKey(channel), { platform: p, workspaceId: w, channelId });
  };
  let subscriptions = 0;
  for (const sourceId of await deps.sourceIds()) {
    for await (const batch of deps.subscriptions.scan(sourceId)) {
      for (const subscription of batch) {
        if (!inScope(subscription)) continue;
        subscriptions++;
        remember(subscription);
      }
    }
  }
  let owedBacklogs = 0;
  for await (const batch of deps.deliveryLog.owing()) {
    for (const owing of batch) {
      if (!inScope(owing.channel)) continue;
      owedBacklogs++;
      remember(owing.channel);
    }
  }
  return { channels: [...channels.values()], subscriptions, owedBacklogs };
}

/** Unsubscribes each channel from everything and forgets what it was owed (`unsubscribeChannel`). */
export async function removeChannels(
  deps: UnsubscribeDeps,
  found: ChannelsFound,
): Promise<WorkspaceRemoved> {
  let subscriptions = 0;
  for (const channel of found.channels) {
    subscriptions += (await unsubscribeChannel(deps, channel)).length;
  }
  return { channels: found.channels.length, subscriptions, owedBacklogs: found.owedBacklogs };
}
