import { DestinationUrlError } from '../../src/model/destination.js';
import { SourceError } from '../../src/model/source-error.js';
import {
  AddressRefusedError,
  assertFetchableUrl,
  UrlRefusedError,
  type ResolveHost,
} from '../sources/address-guard.js';

/**
 * Refuses a destination URL the bot must not post to: not a URL, not HTTPS, carrying a user
 * name or password, or on an address that is not public (the bot would become a way into the
 * operator's own network). `allowPrivate` (`ALLOW_PRIVATE_DESTINATIONS=true`) accepts plain
 * HTTP and private addresses, for local relays and tests. Messages never repeat the URL.
 */
export async function checkDestinationUrl(
  url: string,
  options: { allowPrivate: boolean; resolve?: ResolveHost },
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DestinationUrlError('invalid-url', 'is not a URL');
  }
  if (parsed.username || parsed.password) {
    throw new DestinationUrlError('credentials', 'must not carry a user name or password');
  }
  const allowed = options.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(parsed.protocol)) {
    throw new DestinationUrlError(
      'scheme',
      options.allowPrivate
        ? 'must be an http(s) URL'
        : 'must be an https URL (ALLOW_PRIVATE_DESTINATIONS=true accepts http for local relays)',
    );
  }
  try {
    await assertFetchableUrl(url, {
      allowPrivate: options.allowPrivate,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
  } catch (error) {
    if (error instanceof AddressRefusedError) {
      throw new DestinationUrlError(
        'address',
        `points at ${error.hostname === error.address ? error.address : `${error.hostname} (${error.address})`}, which is not a public address (ALLOW_PRIVATE_DESTINATIONS=true accepts it)`,
      );
    }
    if (error instanceof UrlRefusedError)
      throw new DestinationUrlError('invalid-url', 'is not a URL');
    if (error instanceof SourceError) {
      throw new DestinationUrlError(
        'unresolved',
        `has a host that does not resolve: ${parsed.hostname}`,
      );
    }
    throw error;
  }
}
