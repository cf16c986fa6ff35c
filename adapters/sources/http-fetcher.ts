import { setTimeout as sleep } from 'node:timers/promises';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { redactUrl, SourceError } from '../../src/model/source-error.js';
import type { Validators } from '../../src/ports/news-source.js';
import { decodeDocument } from './charset.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * Longest `Retry-After` waited for inside one fetch. A longer wait is not slept through here
 * (it would hold the poll and its lock): the error carries it and the poll defers the source.
 */
export const MAX_RETRY_AFTER_IN_FETCH_MS = 5_000;

/** Redirects followed in one guarded fetch; the next one fails the fetch. */
export const MAX_GUARDED_REDIRECTS = 5;

/** The statuses `fetch` itself follows; any other 3xx is the answer. */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Checks a URL before a request is sent to it; rejects (with a {@link SourceError}) to stop
 * the fetch. `createAddressGuard` in `address-guard.ts` is the one that keeps chat-added
 * sources off the internal network. With a `dispatcher`, the guarded requests go through it
 * (undici's own `fetch`): one that checks addresses again where sockets connect.
 */
export type UrlGuard = ((url: string) => Promise<void>) & { readonly dispatcher?: Dispatcher };

export interface FetchOptions {
  /** Whole request, headers and body, in ms; with a guard, its checks and every redirect too. */
  timeoutMs: number;
  /** Bodies larger than this are refused, declared or not. */
  maxBytes: number;
  /**
   * Further attempts after a network error, a timeout or a 5xx, and after a 429 or 503 whose
   * `Retry-After` is at most {@link MAX_RETRY_AFTER_IN_FETCH_MS}.
   */
  retries: number;
  /** First back-off delay; doubles on each retry. */
  retryDelayMs: number;
  userAgent: string;
  /**
   * When given, every request, the first and each redirect, is checked before it is sent,
   * and redirects are followed here (at most {@link MAX_GUARDED_REDIRECTS}) instead of by
   * `fetch`, which would follow them unchecked. Without it, `fetch` follows them itself.
   */
  guard?: UrlGuard;
}

export interface FetchedDocument {
  /** The URL after redirects, the base for relative links. */
  url: string;
  contentType: string | null;
  /** The body as received. */
  bytes: Uint8Array;
  /**
   * The body decoded by its charset (see `decodeDocument`), when first asked for. Sources
   * hand the bytes to their parse worker instead: decoding megabytes costs the main thread.
   */
  readonly text: string;
  validators: Validators;
}

export type FetchResult = { status: 'not-modified' } | { status: 'ok'; document: FetchedDocument };

/**
 * GETs a page or feed politely: conditional when validators are given, bounded in time and
 * size, retried with exponential back-off on transient failures (or after the `Retry-After`
 * the source asked for, when short), decoded by its charset. Every failure is a
 * {@link SourceError} with a stable code; a 429 or 503 with `Retry-After` carries the wait in
 * `retryAfterMs`.
 */
export async function fetchDocument(
  url: string,
  options: FetchOptions,
  validators: Validators = {},
): Promise<FetchResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(url, options, validators);
    } catch (error) {
      const failure = toSourceError(error, url, options);
      const wait = waitBeforeRetry(failure, attempt, options);
      if (wait === null) throw failure;
      await sleep(wait);
    }
  }
}

/** How long to wait before trying again, or `null` when this failure ends the fetch. */
function waitBeforeRetry(
  failure: SourceError,
  attempt: number,
  options: FetchOptions,
): number | null {
  if (attempt >= options.retries) return null;
  if (failure.retryAfterMs !== undefined) {
    // The source said when to come back: that, not our back-off, decides. A 429 is retried
    // only this way; without Retry-After it would be asking again too soon.
    return failure.retryAfterMs <= MAX_RETRY_AFTER_IN_FETCH_MS ? failure.retryAfterMs : null;
  }
  if (!failure.retryable) return null;
  const jitter = 0.5 + Math.random() / 2;
  return options.retryDelayMs * 2 ** attempt * jitter;
}

async function fetchOnce(
  url: string,
  options: FetchOptions,
  validators: Validators,
): Promise<FetchResult> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept:
      'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;

  // One deadline for the whole attempt: guard checks, every redirect, headers and body.
  const signal = AbortSignal.timeout(options.timeoutMs);
  const { response, finalUrl } = options.guard
    ? await fetchGuarded(url, { headers, signal }, options.guard)
    : { response: await fetch(url, { headers, signal, redirect: 'follow' }), finalUrl: url };

  if (response.status === 304) {
    await response.body?.cancel();
    return { status: 'not-modified' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    const { status } = response;
    // Retry-After means "come back later" only on these two; elsewhere it is ignored.
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(response.headers.get('retry-after'))
        : undefined;
    const asked =
      retryAfterMs === undefined
        ? ''
        : `, asking to retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    throw new SourceError('HTTP_STATUS', `${redactUrl(url)} answered HTTP ${status}${asked}`, {
      url,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  const bytes = await readLimited(response, url, options.maxBytes);
  const contentType = response.headers.get('content-type');
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  let text: string | undefined;
  return {
    status: 'ok',
    document: {
      url: response.url || finalUrl,
      contentType,
      bytes,
      get text() {
        return (text ??= decodeDocument(contentType, bytes).text);
      },
      validators: {
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
      },
    },
  };
}

/**
 * Follows redirects by hand so `guard` sees every URL before a request goes to it: a public
 * feed answering `302 Location: http://169.254.169.254/` is refused without that request.
 *
 * The guard resolves the host, and then the connection resolves it again: a DNS answer that
 * changes in between (DNS rebinding, a TTL of 0) is caught by the guard's dispatcher, which
 * checks what the socket connects to.
 */
async function fetchGuarded(
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
  guard: UrlGuard,
): Promise<{ response: Response; finalUrl: string }> {
  const visited = new Set<string>();
  let current = url;
  for (let redirects = 0; ; redirects++) {
    await untilAborted(guard(current), init.signal);
    visited.add(current);
    const response = guard.dispatcher
      ? // undici's Response is the same WHATWG Response as the global one, typed apart.
        ((await undiciFetch(current, {
          ...init,
          redirect: 'manual',
          dispatcher: guard.dispatcher,
        })) as unknown as Response)
      : await fetch(current, { ...init, redirect: 'manual' });
    const location = response.headers.get('location');
    // A 3xx without Location is an answer, as it is to `fetch` when it follows.
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      return { response, finalUrl: current };
    }
    await response.body?.cancel();
    const next = resolveLocation(location, current, url);
    if (visited.has(next)) {
      throw new SourceError(
        'NETWORK',
        `${redactUrl(url)} redirects in a loop (back to ${redactUrl(next)})`,
        { url },
      );
    }
    if (redirects >= MAX_GUARDED_REDIRECTS) {
      throw new SourceError(
        'NETWORK',
        `${redactUrl(url)} redirects more than ${MAX_GUARDED_REDIRECTS} times`,
        { url },
      );
    }
    current = next;
  }
}

/** A `Location` header as an absolute URL, relative ones taken against the current URL. */
function resolveLocation(location: string, current: string, original: string): string {
  try {
    return new URL(location, current).href;
  } catch (error) {
    throw new SourceError(
      'NETWORK',
      `${redactUrl(original)} redirects to an invalid URL (from ${redactUrl(current)})`,
      { url: original, cause: error },
    );
  }
}

/**
 * `work`, unless `signal` aborts first: a DNS lookup cannot be cancelled, but the fetch must
 * still end on time. A late rejection of `work` is handled here, never left unhandled.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  // AbortSignal.timeout's reason is a DOMException named TimeoutError, which toSourceError
  // turns into TIMEOUT.
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

async function readLimited(response: Response, url: string, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new SourceError('TOO_LARGE', `${redactUrl(url)} is larger than the ${maxBytes}-byte limit`, {
      url,
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();

  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early cancels the stream, so an oversized body is never read to the end.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function toSourceError(error: unknown, url: string, options: FetchOptions): SourceError {
  if (error instanceof SourceError) return error;
  // A pinned connection's refusal (see `UrlGuard`) arrives as the cause of fetch's TypeError.
  if (error instanceof Error && error.cause instanceof SourceError) return error.cause;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SourceError(
      'TIMEOUT',
      `${redactUrl(url)} did not answer within ${options.timeoutMs} ms`,
      {
        url,
        cause: error,
      },
    );
  }
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  return new SourceError(
    'NETWORK',
    `${redactUrl(url)} could not be reached${reason ? `: ${reason}` : ''}`,
    {
      url,
      cause: error,
    },
  );
}
