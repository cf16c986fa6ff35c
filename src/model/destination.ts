import type { ChannelRef } from './subscription.js';

/**
 * Webhook destinations (Teams, JANDI, Dooray!, signed webhooks) belong to no workspace: the
 * operator adds each by its URL and a name. They all share this workspace id, and the name is
 * the channel id, so `teams:esg-team` names one as `slack:C0123` names a Slack channel.
 */
export const DESTINATION_WORKSPACE = 'destinations';

/** A destination's name: short, lower-case, safe in a Redis key and a URL. */
export const DESTINATION_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

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
