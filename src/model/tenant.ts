import { platformEntry } from '../platforms/platform-registry.js';
import type { ChannelRef } from './subscription.js';

/**
 * Who a chat-added source belongs to: the Slack workspace or Discord server of the channel
 * that added it, or the conversation itself for a direct message (every Discord DM shares the
 * workspace id `dm`, its registry entry's `directMessagesWorkspace`, and strangers' DMs must
 * not share their feeds). Tenants do not see each other's
 * chat-added sources and each has its own budget of them. Safe in a Redis key.
 */
export function tenantOf(channel: ChannelRef): string {
  const directMessages = platformEntry(channel.platform).directMessagesWorkspace;
  const owner =
    channel.workspaceId === directMessages
      ? `${directMessages}.${channel.channelId}`
      : channel.workspaceId;
  return `${channel.platform}/${encodeURIComponent(owner)}`;
}

/**
 * Who looks at the deployment's sources: a tenant sees the configured sources and the
 * chat-added sources it follows; the operator (CLI, logs) sees every one.
 */
export type Viewer = { kind: 'tenant'; tenant: string } | { kind: 'operator' };

export const OPERATOR: Viewer = { kind: 'operator' };

/** The viewer a command from this channel speaks for. */
export function viewerOf(channel: ChannelRef): Viewer {
  return { kind: 'tenant', tenant: tenantOf(channel) };
}
