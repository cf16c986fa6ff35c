import type { ChannelRef, Platform } from '../model/subscription.js';
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

/** What one platform's workspace and channel ids look like, and how to say so. */
interface IdRule {
  pattern: RegExp;
  /** Completes "is not …". */
  what: string;
}

/**
 * Ids as each platform gives them, so a file can only name channels that could exist: Slack
 * team (`T…`) or Enterprise (`E…`) ids and channel (`C…`), private channel (`G…`) or direct
 * message (`D…`) ids are upper-case letters and digits; Discord ids are snowflakes (17–20
 * digits), a direct message's workspace is `dm` (as the bot stores it); console names are free
 * but short and plain.
 */
export const CHANNEL_ID_RULES: Record<Platform, { workspaceId: IdRule; channelId: IdRule }> = {
  slack: {
    workspaceId: {
      pattern: /^[TE][A-Z0-9]{1,31}$/,
      what: 'a Slack team id (T… or E…: upper-case letters and digits)',
    },
    channelId: {
      pattern: /^[CGD][A-Z0-9]{1,31}$/,
      what: 'a Slack channel id (C…, G… or D…: upper-case letters and digits)',
    },
  },
  discord: {
    workspaceId: {
      pattern: /^(?:\d{17,20}|dm)$/,
      what: 'a Discord server id (17–20 digits) or dm',
    },
    channelId: { pattern: /^\d{17,20}$/, what: 'a Discord channel id (17–20 digits)' },
  },
  console: {
    workspaceId: {
      pattern: /^[A-Za-z0-9_.-]{1,64}$/,
      what: 'a console name (1–64 letters, digits, _ . or -)',
    },
    channelId: {
      pattern: /^[A-Za-z0-9_.-]{1,64}$/,
      what: 'a console name (1–64 letters, digits, _ . or -)',
    },
  },
};

/** What is wrong with each of the channel's ids for its platform; empty when both fit. */
export function channelIdProblems(
  channel: ChannelRef,
): Array<{ field: 'workspaceId' | 'channelId'; message: string }> {
  const rules = CHANNEL_ID_RULES[channel.platform];
  return (['workspaceId', 'channelId'] as const)
    .filter((field) => !rules[field].pattern.test(channel[field]))
    .map((field) => ({ field, message: `is not ${rules[field].what}` }));
}
