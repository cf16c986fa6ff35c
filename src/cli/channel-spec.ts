import type { ChannelRef } from '../model/subscription.js';
import {
  isPlatform,
  PLATFORM_IDS,
  PLATFORMS,
  type Platform,
} from '../platforms/platform-registry.js';
import { CliError } from './cli-output.js';

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
  const platform = match?.[1];
  if (!match || !platform || !isPlatform(platform)) {
    throw new CliError(
      `"${text}" is not a channel: write platform:channel or platform:workspace/channel, with platform ${PLATFORM_IDS.join(', ')} (e.g. slack:C0123)`,
      2,
    );
  }
  return { platform, workspaceId: match[2] ?? null, channelId: match[3]! };
}

/** A channel as the CLI prints it, the long form `parseChannelSpec` reads back. */
export function formatChannel(channel: ChannelRef): string {
  return `${channel.platform}:${channel.workspaceId}/${channel.channelId}`;
}

/**
 * What is wrong with each of the channel's ids for its platform (its registry entry's `ids`);
 * empty when both fit.
 */
export function channelIdProblems(
  channel: ChannelRef,
): Array<{ field: 'workspaceId' | 'channelId'; message: string }> {
  const rules = PLATFORMS[channel.platform].ids;
  return (['workspaceId', 'channelId'] as const)
    .filter((field) => !rules[field].pattern.test(channel[field]))
    .map((field) => ({ field, message: `is not ${rules[field].what}` }));
}
