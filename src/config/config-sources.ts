import { z } from 'zod';
import type { ArchiveRetention } from '../ports/post-archive.js';
import { duration } from './config-values.js';

/**
 * Part of the configuration: what one source may cost, by origin. A configured source is the
 * operator's choice; a chat-added one may come from any member of any tenant, so it is read
 * in its own lane and keeps less.
 */

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The variables of sources' limits, merged into the configuration's schema. */
export const SOURCE_VARIABLES = {
  SOURCE_PARSE_TIMEOUT: duration('SOURCE_PARSE_TIMEOUT', 100).default(5_000),
  SOURCE_MAX_ITEMS: count(1, 100_000).default(500),
  CHAT_SOURCE_MAX_ITEMS: count(1, 100_000).default(100),
  MAX_SOURCES_PER_WORKSPACE: count(0, 10_000).default(20),
  ARCHIVE_MAX_POSTS: count(10, 1_000_000).default(10_000),
  ARCHIVE_MAX_AGE: duration('ARCHIVE_MAX_AGE', 3_600_000).default(365 * 86_400_000),
  CHAT_ARCHIVE_MAX_POSTS: count(10, 1_000_000).default(1_000),
  CHAT_ARCHIVE_MAX_AGE: duration('CHAT_ARCHIVE_MAX_AGE', 3_600_000).default(90 * 86_400_000),
  RELEASED_SOURCE_GRACE: duration('RELEASED_SOURCE_GRACE', 0).default(7 * 86_400_000),
  POLL_CONCURRENCY: count(1, 100).default(2),
  CHAT_POLL_CONCURRENCY: count(1, 100).default(4),
  POLL_TIME_BUDGET: duration('POLL_TIME_BUDGET', 1_000).default(120_000),
  CHAT_POLL_TIME_BUDGET: duration('CHAT_POLL_TIME_BUDGET', 1_000).default(30_000),
  CHAT_SOURCE_SLOW_AFTER: duration('CHAT_SOURCE_SLOW_AFTER', 100).default(5_000),
};

type SourceVariables = {
  [K in keyof typeof SOURCE_VARIABLES]: z.infer<(typeof SOURCE_VARIABLES)[K]>;
};

/** What sources of one origin may cost, and how they are polled. */
export interface OriginPolicy {
  /** Feed items (newest first) or board rows considered per read; the rest are dropped. */
  maxItems: number;
  retention: ArchiveRetention;
  /** Feed item identities remembered per source (what "seen before" covers). */
  maxSeenItems: number;
  /** Polls of this lane one worker process runs at once. */
  pollConcurrency: number;
  /** Longest one poll may take, every request of it included; past it the read fails. */
  pollTimeBudgetMs: number;
  /**
   * A read slower than this backs the source off as a failure would (`null`: never):
   * slow sources must not starve the lane.
   */
  slowAfterMs: number | null;
}

/** The sources' part of the configuration. */
export interface SourcePolicyConfig {
  /** Longest one document may take to parse (off the main thread) before its read is refused. */
  parseTimeoutMs: number;
  config: OriginPolicy;
  chat: OriginPolicy;
  /** Chat-added sources one tenant (workspace, server) may follow in all. */
  maxPerWorkspace: number;
  /** How long a chat-added source nobody follows keeps its data (and its name). */
  releasedGraceMs: number;
}

/** Feed identities remembered by a configured source (see `RedisItemNumbers`). */
const CONFIGURED_SEEN_ITEMS = 10_000;

/** The policy from the parsed variables. */
export function sourcePolicy(e: SourceVariables): SourcePolicyConfig {
  return {
    parseTimeoutMs: e.SOURCE_PARSE_TIMEOUT,
    config: {
      maxItems: e.SOURCE_MAX_ITEMS,
      retention: { maxPosts: e.ARCHIVE_MAX_POSTS, maxAgeMs: e.ARCHIVE_MAX_AGE },
      maxSeenItems: CONFIGURED_SEEN_ITEMS,
      pollConcurrency: e.POLL_CONCURRENCY,
      pollTimeBudgetMs: e.POLL_TIME_BUDGET,
      slowAfterMs: null,
    },
    chat: {
      maxItems: e.CHAT_SOURCE_MAX_ITEMS,
      retention: { maxPosts: e.CHAT_ARCHIVE_MAX_POSTS, maxAgeMs: e.CHAT_ARCHIVE_MAX_AGE },
      // A feed shows far fewer items than this: what it shows is never forgotten as seen.
      maxSeenItems: e.CHAT_ARCHIVE_MAX_POSTS,
      pollConcurrency: e.CHAT_POLL_CONCURRENCY,
      pollTimeBudgetMs: e.CHAT_POLL_TIME_BUDGET,
      slowAfterMs: e.CHAT_SOURCE_SLOW_AFTER,
    },
    maxPerWorkspace: e.MAX_SOURCES_PER_WORKSPACE,
    releasedGraceMs: e.RELEASED_SOURCE_GRACE,
  };
}
