import type { Platform } from '../platforms/platform-registry.js';
import {
  matchesQuery,
  postSearchText,
  readKeywords,
  type PostSearchText,
} from './keyword-filter.js';
import type { Post } from './post.js';

/** A chat channel anywhere: Slack (team, channel), Discord (guild, channel) or the console. */
export interface ChannelRef {
  platform: Platform;
  /** Slack team id, Discord guild id, or a free name for the console. */
  workspaceId: string;
  channelId: string;
}

/** A channel following one source. */
export interface Subscription extends ChannelRef {
  /**
   * Empty: every post. Otherwise tokens as `keyword-filter` stores them (`탄소`, `탄소 중립`,
   * `-해외`): posts whose title, ministry or summary holds any keyword and no exclusion.
   */
  keywords: string[];
  createdAt: string;
}

/**
 * One string per channel, used in Redis fields and job ids: `platform-workspace-channel`.
 * Distinct channels always get distinct keys: each part keeps letters, digits, `_` and `.`
 * and writes every other UTF-16 unit as `%xx` (below U+0100, `-` as `%2d`) or `%uxxxx`, so
 * no part holds the `-` that separates them and the escapes read back one way only. Never
 * contains `:` and never is all digits (BullMQ job ids may be neither). Real Slack and
 * Discord ids, and the console's `local`/`console`, are plain letters and digits: their keys
 * are the same as before `-` was escaped.
 */
export function channelKey(channel: ChannelRef): string {
  return `${channel.platform}-${keyPart(channel.workspaceId)}-${keyPart(channel.channelId)}`;
}

function keyPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_.]/g, (c) => {
    const unit = c.charCodeAt(0);
    return unit < 0x100
      ? `%${unit.toString(16).padStart(2, '0')}`
      : `%u${unit.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Fan-out asks once per (channel, post) with the same post objects: each post's text is
 * prepared once, not once per channel. Weak, so nothing outlives the posts.
 */
const searchTexts = new WeakMap<Post, PostSearchText>();

/**
 * Whether a subscription wants a post: no keywords, or any of its keywords and none of its
 * exclusions in the post's title, ministry or summary (see `keyword-filter`).
 */
export function wantsPost(subscription: Pick<Subscription, 'keywords'>, post: Post): boolean {
  if (subscription.keywords.length === 0) return true;
  let text = searchTexts.get(post);
  if (!text) {
    text = postSearchText(post);
    searchTexts.set(post, text);
  }
  return matchesQuery(readKeywords(subscription.keywords), text);
}
