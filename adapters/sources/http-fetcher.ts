import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl, SourceError } from '../../src/errors.js';
import type { Validators } from '../../src/source.js';
import { decodeDocument } from './charset.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * Longest `Retry-After` waited for inside one fetch. A longer wait is not slept through here
 * (it would hold the poll and its lock): the error carries it and the poll defers the source.
 */
export const MAX_RETRY_AFTER_IN_FETCH_MS = 5_000;

export interface FetchOptions {
  /** Whole request, headers and body, in ms. */
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
}

export interface FetchedDocument {
  /** The URL after redirects, the base for relative links. */
  url: string;
  contentType: string | null;
  text: string;
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

  const signal = AbortSignal.timeout(options.timeoutMs);
  const response = await fetch(url, { headers, signal, redirect: 'follow' });

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
  const { text } = decodeDocument(contentType, bytes);
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return {
    status: 'ok',
    document: {
      url: response.url || url,
      contentType,
      text,
      validators: {
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
      },
    },
  };
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
