import type { NewsSource } from './source.js';
import type { SourceRecord } from './source-registry.js';

/** What came of adding a feed from chat. `reason` is Korean, for the channel. */
export type AddSourceOutcome =
  { kind: 'added' | 'existing'; source: SourceRecord } | { kind: 'refused'; reason: string };

/**
 * Port: the deployment's sources as the chat commands see them: listed, opened for reading
 * older posts, added from chat by URL, and let go when nobody follows them any more.
 */
export interface SourceCatalog {
  /** The first configured source: `/news 1645` and `/news 구독` without a source name. */
  readonly defaultName: string;
  list(): Promise<SourceRecord[]>;
  get(name: string): Promise<SourceRecord | null>;
  /** The source to read pages from, for lookups of posts not archived yet. */
  open(name: string): Promise<NewsSource | null>;
  /**
   * Reads `url` once (refusing private addresses unless allowed); a board or a feed becomes a
   * source named from its host, or the source that already has that URL. Starts reading it.
   */
  addFromUrl(url: string): Promise<AddSourceOutcome>;
  /** A channel stopped following `name`: a chat-added source nobody follows stops being read. */
  released(name: string): Promise<void>;
}
