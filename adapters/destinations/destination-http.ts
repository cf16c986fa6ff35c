import { request, type Dispatcher } from 'undici';
import { DeliveryError } from '../../src/ports/notifier.js';
import { parseRetryAfter } from '../sources/retry-after.js';

/** Enough of an answer to tell success from a platform's error body; the rest is dropped. */
const MAX_ANSWER_BYTES = 16 * 1024;
/** A 429 without a usable Retry-After waits this long (no platform here documents less). */
const DEFAULT_RETRY_AFTER_MS = 30_000;

/** What a destination answered: its status and the start of its body. */
export interface DestinationAnswer {
  status: number;
  body: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** The pinned, checked connections of the address guard; absent where private ones are allowed. */
  dispatcher?: Dispatcher;
  now?: () => number;
}

/**
 * POSTs `body` to a destination and maps its answer to the port's failure kinds: 2xx is
 * success; 404 and 410 (the webhook was deleted) and 401 and 403 (its URL or signature is no
 * longer valid) are `permanent`, which marks the destination broken; a redirect is
 * `permanent` too (a webhook that moved is not followed: the new place is unchecked); 429 is
 * `rate-limited` by its Retry-After; 400, 413 and 422 are `rejected` (the message, not the
 * destination); 408, 5xx, timeouts and dropped connections are `transient`. Never retries:
 * the delivery queue decides. The URL is never put in an error: it is the destination's secret.
 */
export async function postToDestination(
  url: string,
  body: string,
  options: PostOptions,
): Promise<DestinationAnswer> {
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // undici's request follows no redirect: a 3xx comes back as it is.
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  } catch (error) {
    throw new DeliveryError('transient', `the destination did not answer (${networkCode(error)})`, {
      code: networkCode(error),
      cause: error,
    });
  }
  const text = await readCapped(answer.body);
  const status = answer.statusCode;
  if (status >= 200 && status < 300) return { status, body: text };
  throw failureOf(status, text, answer.headers['retry-after'], options.now?.() ?? Date.now());
}

/** The failure a non-2xx status means (see {@link postToDestination}). */
export function failureOf(
  status: number,
  body: string,
  retryAfterHeader: string | string[] | undefined,
  now: number,
): DeliveryError {
  const code = `http-${status}`;
  const said = describe(body);
  const message = `the destination answered HTTP ${status}${said ? `: ${said}` : ''}`;
  if (status === 429) {
    const header = Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader;
    const retryAfterMs = parseRetryAfter(header ?? null, now) ?? DEFAULT_RETRY_AFTER_MS;
    return new DeliveryError('rate-limited', message, {
      code,
      retryAfterMs: Math.max(retryAfterMs, 1),
      scope: 'channel',
    });
  }
  if ([401, 403, 404, 410].includes(status) || (status >= 300 && status < 400)) {
    return new DeliveryError('permanent', message, { code });
  }
  if ([400, 413, 422].includes(status)) return new DeliveryError('rejected', message, { code });
  return new DeliveryError('transient', message, { code });
}

/** The first line of an error body, short: enough to say why, never a page of HTML. */
function describe(body: string): string {
  const line = body
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > MAX_ANSWER_BYTES) {
      chunks.push(buffer.subarray(0, MAX_ANSWER_BYTES - size));
      body.destroy();
      break;
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.name : 'network error';
}
