import type { ChannelRef, Platform } from '../subscription.js';
import { CliError } from './cli-output.js';

const PLATFORMS: readonly Platform[] = ['slack', 'discord', 'console'];

/** What an operator typed to name a channel; the workspace may be left out. */
export interface ChannelSpec {
  platform: Platform;
  /** `null` when typed as `platform:channel`: the channel's subscriptions say which. */
  workspaceId: string | null;
  channelId: string;
}

/**
 * Reads `platform:channel` or `platform:workspace/channel` (`slack:C0123`,
 * `slack:T0456/C0123`, `console:local/console`). Slack and Discord channel ids are unique on
 * their own; the workspace tells channels of two workspaces apart if ever needed.
 */
export function parseChannelSpec(text: string): ChannelSpec {
  const match = /^([a-z]+):(?:([^/\s]+)\/)?([^/\s]+)$/.exec(text);
  const platform = match?.[1] as Platform | undefined;
  if (!match || !platform || !PLATFORMS.includes(platform)) {
    throw new CliError(
      `"${text}" is not a channel: write platform:channel or platform:workspace/channel, with platform ${PLATFORMS.join(', ')} (e.g. slack:C0123)`,
      2,
    );
  }
  return { platform, workspaceId: match[2] ?? null, channelId: match[3]! };
}

/** A channel as the CLI prints it, the long form `parseChannelSpec` reads back. */
export function formatChannel(channel: ChannelRef): string {
  return `${channel.platform}:${channel.workspaceId}/${channel.channelId}`;
}
