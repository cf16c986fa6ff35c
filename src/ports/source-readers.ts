import type { NewsSource } from './news-source.js';
import type { SourceOrigin } from './source-registry.js';

/**
 * Port: makes the reader of a source from its URL (fetching, the address guard for chat-added
 * sources, the parse sandbox of its origin, how many items a read considers). What a URL holds,
 * a board or a feed, the reader finds out from what it serves.
 */
export interface SourceReaders {
  open(url: string, origin: SourceOrigin, name: string): NewsSource;
}
