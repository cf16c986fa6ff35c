import type { SourceConfig } from './source-config.js';

/** A source as the bot knows it: configured by the operator, or added from chat. */
export interface SourceRecord {
  /** The id in chat (`/news esg 1645`), in Redis keys and job ids. */
  name: string;
  /** For configured sources, masked like `redactUrl` (the configuration has the real one). */
  url: string;
  origin: 'config' | 'chat';
  /** The board's or feed's own title, learned on the first read; `null` until then. */
  displayName: string | null;
  kind: 'board' | 'feed' | null;
  /** ISO time it was added. */
  addedAt: string;
}

/**
 * Port: every source of the deployment, shared by all processes. Configured sources are
 * written at start; chat-added ones when a channel adds them and removed when nobody follows
 * them any more.
 */
export interface SourceRegistry {
  /** Configured sources first, in configuration order, then chat-added ones, oldest first. */
  list(): Promise<SourceRecord[]>;
  get(name: string): Promise<SourceRecord | null>;
  /**
   * Writes the configured sources (new URL or origin for existing names). A source configured
   * before and not any more becomes chat-added: followed, it keeps being read.
   */
  syncConfigured(sources: readonly SourceConfig[]): Promise<void>;
  /** Adds a chat source; false when the name is taken (another process was faster). */
  add(record: SourceRecord): Promise<boolean>;
  /** What a read learnt about the source: its title and kind. */
  describe(name: string, details: Pick<SourceRecord, 'displayName' | 'kind'>): Promise<void>;
  remove(name: string): Promise<void>;
}

/** How chat shows a source: its title when known, else its name. */
export function sourceLabel(source: Pick<SourceRecord, 'name' | 'displayName'>): string {
  return source.displayName ?? source.name;
}
