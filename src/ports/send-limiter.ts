import type { ChannelRef } from '../model/subscription.js';

/**
 * Port: a platform's own rate limits, kept by the bot across every worker process so it does
 * not earn 429s: so many messages per second per workspace, and one message a second per
 * channel (Slack's "1 per second per channel, short bursts allowed"). A workspace's wait never
 * delays another workspace.
 */
export interface SendLimiter {
  /**
   * Takes one message's place for `channel`: resolves to 0 when it may be sent now (the place
   * is taken), else to how many milliseconds to wait before asking again (nothing is taken).
   */
  tryTake(channel: ChannelRef): Promise<number>;
  /** The platform answered 429 for this workspace: nothing more goes there for `ms`. */
  holdWorkspace(channel: ChannelRef, ms: number): Promise<void>;
}

/** Limits of one platform: messages per second per workspace, and spacing per channel. */
export interface SendLimits {
  perWorkspacePerSecond: number;
  channelSpacingMs: number;
}
