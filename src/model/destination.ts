import type { ChannelRef } from './subscription.js';

// Apart in destination-ids.ts: the platform registry reads them, and this file's ChannelRef
// comes from a file that reads the registry.
export { DESTINATION_NAME, DESTINATION_WORKSPACE } from './destination-ids.js';

/** A destination as the operator sees it: never its URL or secret, only where it points. */
export interface DestinationView {
  channel: ChannelRef;
  /** The URL's host and a masked path (`hook.dooray.com/services/…/…9f2a`). */
  shownUrl: string;
  hasSecret: boolean;
  createdAt: Date;
  /** Set while the destination answers that it is gone (404, 410): alerts wait for it. */
  broken: DestinationBreak | null;
}

export interface DestinationBreak {
  since: Date;
  reason: string;
}

/** What a destination is, secrets included: only its notifier and the store see this. */
export interface DestinationSecrets {
  url: string;
  /** The per-destination HMAC secret of a signed webhook; null for the others. */
  secret: string | null;
}

/**
 * A URL shown without its secret parts: the host, and of the path only each segment's first
 * and last few characters where it is long (webhook paths are the credential).
 */
export function maskedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(잘못된 주소)';
  }
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.length <= 8 ? '…' : `…${segment.slice(-4)}`));
  return [url.host, ...segments].join('/');
}

/** Why a destination's URL was refused, for the CLI's and the panel's own words. */
export type DestinationUrlProblem =
  'invalid-url' | 'scheme' | 'credentials' | 'address' | 'unresolved';

/** A URL the bot will not post to; the message never repeats the URL (it is a secret). */
export class DestinationUrlError extends Error {
  constructor(
    readonly problem: DestinationUrlProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DestinationUrlError';
  }
}
