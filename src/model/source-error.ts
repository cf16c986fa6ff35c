import { looksLikeSecret } from '../util/secret-token.js';

/**
 * Why reading a source failed; stable strings for logs, metrics and the `status` command.
 * `TOO_COSTLY`: the document took longer than the parse deadline, or more memory or stack
 * than the parse worker has (hostile or broken markup); nothing of it was read.
 * `ACCESS_REFUSED`: an API refused the operator's key (not registered yet, expired, not for
 * this address); `QUOTA_EXCEEDED`: the key's daily calls are spent (`retryAfterMs` says until
 * when); `API_ERROR`: the API answered with an error of its own.
 */
export type SourceErrorCode =
  | 'TIMEOUT'
  | 'NETWORK'
  | 'HTTP_STATUS'
  | 'TOO_LARGE'
  | 'TOO_COSTLY'
  | 'NOT_A_SOURCE'
  | 'UNPARSEABLE'
  | 'ACCESS_REFUSED'
  | 'QUOTA_EXCEEDED'
  | 'API_ERROR';

const RETRYABLE: ReadonlySet<SourceErrorCode> = new Set(['TIMEOUT', 'NETWORK']);

/**
 * A failed read of a board or feed. The URL is kept without credentials or query secrets'
 * values so the error can be logged as is.
 */
export class SourceError extends Error {
  readonly url: string;
  readonly status: number | undefined;
  /** How long the source asked us to wait (`Retry-After` on a 429 or 503), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: SourceErrorCode,
    message: string,
    context: { url: string; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: context.cause });
    this.name = 'SourceError';
    this.url = redactUrl(context.url);
    this.status = context.status;
    this.retryAfterMs = context.retryAfterMs;
  }

  /** Network trouble and server errors are worth another try; the rest will fail the same way. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code) || (this.code === 'HTTP_STATUS' && (this.status ?? 0) >= 500);
  }
}

/** Query parameters the bot adds itself, never secret: their values stay readable. */
const PUBLIC_PARAMS = new Set(['page']);

/**
 * A source URL fit to be logged, shown in chat or written to job data: without user info,
 * with every query value masked (`?serviceKey=***`), since Korean public-data APIs and many
 * feeds take their access key in the query string, and with path segments and a fragment
 * that look like secrets masked as `***` (`/feeds/3f9a…1b0c/rss.xml`, `/token/eyJ…`; see
 * `looksLikeSecret`): words, numbers such as board ids (`4392`, `156604392`) and dates stay.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.pathname = parsed.pathname
      .split('/')
      .map((segment) => (looksLikeSecret(decoded(segment)) ? MASK : segment))
      .join('/');
    for (const name of new Set(parsed.searchParams.keys())) {
      if (!PUBLIC_PARAMS.has(name)) parsed.searchParams.set(name, MASK);
    }
    // `#access_token=…` and the like.
    const fragment = parsed.hash.slice(1);
    if (fragment.includes('=') || looksLikeSecret(decoded(fragment))) parsed.hash = MASK;
    // URLSearchParams encodes the mask; keep it readable.
    return parsed.toString().replace(/=%2A%2A%2A/g, '=***');
  } catch {
    return '(invalid URL)';
  }
}

const MASK = '***';

/** A URL piece with its percent-escapes read (`%EA%B2%8C` is one Korean letter, not hex). */
function decoded(piece: string): string {
  try {
    return decodeURIComponent(piece);
  } catch {
    return piece;
  }
}

/** A short, single-line description of any thrown value, for logs and status. */
export function describeError(error: unknown): string {
  if (error instanceof SourceError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
