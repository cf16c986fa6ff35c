import type { SourceKind } from '../sources/source-kinds.js';
import type { SourceConfig } from '../config/source-config.js';

/** Where a source comes from: the operator's configuration, or a channel. */
export type SourceOrigin = 'config' | 'chat';

/** A source as the bot knows it: configured by the operator, or added from chat. */
export interface SourceRecord {
  /** The id in chat (`/news esg 1645`), in Redis keys and job ids. */
  name: string;
  /** For configured sources, masked like `redactUrl` (the configuration has the real one). */
  url: string;
  origin: SourceOrigin;
  /** The board's or feed's own title, learned on the first read; `null` until then. */
  displayName: string | null;
  kind: SourceKind | null;
  /** ISO time it was added. */
  addedAt: string;
}

/**
 * Port: every source of the deployment, shared by all processes. Configured sources are
 * written at start; chat-added ones are registered by the follow that adds them (see
 * `SubscriptionStore.follow`) and released when nobody follows them any more.
 */
export interface SourceRegistry {
  /** Configured sources first, in configuration order, then chat-added ones, oldest first. */
  list(): Promise<SourceRecord[]>;
  get(name: string): Promise<SourceRecord | null>;
  /**
   * Writes the configured sources (new URL or origin for existing names). A source configured
   * before and not any more becomes chat-added: followed, it keeps being read. Returns the
   * names whose origin changed, whose follow indexes must be written again.
   */
  syncConfigured(sources: readonly SourceConfig[]): Promise<string[]>;
  /** What a read learnt about the source: its title and kind. */
  describe(name: string, details: Pick<SourceRecord, 'displayName' | 'kind'>): Promise<void>;
  /**
   * Releases a chat-added source that nobody follows (see `SubscriptionStore.unsubscribe`,
   * which releases a source as its last follower leaves); true when it was released now.
   */
  releaseIfUnfollowed(name: string, at: Date): Promise<boolean>;
  /** Chat-added sources nobody follows, in their grace period: their names stay reserved. */
  released(): Promise<ReleasedSource[]>;
  /**
   * Deletes the data of a source released before `before` (archive, item numbers, state);
   * a source followed again meanwhile keeps it. True when deleted.
   */
  purgeReleased(name: string, before: Date): Promise<boolean>;
}

/** A chat-added source nobody follows any more, kept a while in case it is followed again. */
export interface ReleasedSource extends SourceRecord {
  /** ISO time its last follower left. */
  releasedAt: string;
}

/** How chat shows a source: its title when known, else its name. */
export function sourceLabel(source: Pick<SourceRecord, 'name' | 'displayName'>): string {
  return source.displayName ?? source.name;
}
