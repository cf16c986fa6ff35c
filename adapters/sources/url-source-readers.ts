import type { SourceOrigin } from '../../src/ports/source-registry.js';
import type { SourceReaders } from '../../src/ports/source-readers.js';
import type { FetchOptions } from './http-fetcher.js';
import type { DocumentParser } from './parse-jobs.js';
import { UrlSource, type SourceReadOptions } from './url-source.js';
import { isPressReleaseApiUrl } from '../../src/sources/press-release-api.js';
import { PressReleaseApiSource } from './press-release-api/press-release-source.js';

export interface UrlSourceReadersOptions {
  fetchOptions: FetchOptions;
  /** Where each origin's documents are parsed, off the main thread: one sandbox each. */
  parsers: Record<SourceOrigin, DocumentParser>;
  /** Feed items or board rows considered per read, by origin. */
  maxItems: Record<SourceOrigin, number>;
  /** Checks each address a chat-added source is read from (SSRF guard). */
  chatGuard: ((url: string) => Promise<void>) | undefined;
  /**
   * The operator's key of the 정책브리핑 API (`DATA_GO_KR_SERVICE_KEY`), given only to the
   * configured sources that read it: a chat-added one never spends it.
   */
  pressReleaseApiKey?: string | undefined;
}

/**
 * Readers of sources given by URL, set up for each source's origin: the 정책브리핑 API by its
 * address ({@link PressReleaseApiSource}), any other URL by what it serves ({@link UrlSource}).
 */
export function urlSourceReaders(options: UrlSourceReadersOptions): SourceReaders {
  const readOptions = (origin: SourceOrigin): SourceReadOptions => {
    const guard = origin === 'chat' ? options.chatGuard : undefined;
    const read = {
      ...options.fetchOptions,
      parser: options.parsers[origin],
      maxItems: options.maxItems[origin],
    };
    return guard ? { ...read, guard } : read;
  };
  return {
    open: (url, origin, name) =>
      isPressReleaseApiUrl(url)
        ? new PressReleaseApiSource(name, url, {
            ...readOptions(origin),
            serviceKey: origin === 'config' ? options.pressReleaseApiKey : undefined,
          })
        : new UrlSource(url, readOptions(origin), name),
  };
}
