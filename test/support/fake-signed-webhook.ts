import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer, type LocalServer } from './http-server.js';

/** An event the receiver took (2xx), with what came with it. */
export interface ReceivedEvent {
  /** The endpoint's name (its path is `/hooks/<name>`). */
  endpoint: string;
  /** The receiver's clock when it arrived. */
  at: number;
  /** Exactly as sent: what a receiver verifies. */
  rawBody: string;
  headers: IncomingHttpHeaders;
  event: Record<string, unknown>;
  /** Its `webhook-id` had been seen before: a well-behaved receiver does nothing with it. */
  duplicate: boolean;
}

/** Every request an endpoint got, taken or not, on the receiver's clock. */
export interface ReceivedRequest {
  endpoint: string;
  at: number;
  status: number;
  /** The Retry-After it answered, in ms; null without one. */
  retryAfterMs: number | null;
  /** Why it was refused, as the receiver's log would say. */
  refusal: string | null;
}

interface Endpoint {
  secret: string;
  gone: 404 | 410 | null;
  /** Refuses the next events with this status (a receiver's validation failing once). */
  refuseNext: { status: 400 | 422; times: number } | null;
  /** Bodies over this many bytes are refused with 413. */
  maxBodyBytes: number;
  /** 429 until this instant of the receiver's clock. */
  limitedUntil: number | null;
  failing: { status: number; times: number } | null;
  resetting: boolean;
}

/** A receiver's own limit when none is set: what Express's JSON parser takes by default (100 KB). */
const DEFAULT_MAX_BODY_BYTES = 100 * 1024;
/** How old (or how far ahead) a signed timestamp may be: the specification's five minutes. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;
const EVENT_TYPES = new Set([
  'news.published',
  'news.corrected',
  'news.digest',
  'source.down',
  'source.recovered',
  'source.stale',
  'destination.test',
]);

/**
 * A receiver of signed webhooks as strict as a careful one: it verifies every request the
 * Standard Webhooks way with its endpoint's secret (constant-time, on the raw body), refuses a
 * bad or missing signature and a timestamp over five minutes off with 401, a body that is not
 * a version-1 event with 400, one over its size with 413, and takes the rest with 204,
 * marking ids it has seen. Its clock (`now`) is the test's to move. Faults per endpoint:
 * gone (404/410), rate-limited (429 with Retry-After for a window of its clock), refusing
 * events (400/422), failing (5xx), dropping the connection, a secret changed on its side.
 */
export class FakeSignedWebhook {
  now: () => number = Date.now;
  readonly events: ReceivedEvent[] = [];
  readonly requests: ReceivedRequest[] = [];
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly seenIds = new Set<string>();
  private server: LocalServer | null = null;

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  get url(): string {
    if (!this.server) throw new Error('the fake receiver is not started');
    return this.server.url;
  }

  /** Opens an endpoint; its secret is a new `whsec_` one unless given. */
  endpoint(
    name: string,
    secret = `whsec_${randomBytes(32).toString('base64')}`,
  ): { url: string; secret: string } {
    this.endpoints.set(name, {
      secret,
      gone: null,
      refuseNext: null,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      limitedUntil: null,
      failing: null,
      resetting: false,
    });
    return { url: `${this.url}/hooks/${name}`, secret };
  }

  /** The endpoint was deleted on the receiver's side. */
  gone(name: string, status: 404 | 410 = 410): void {
    this.at(name).gone = status;
  }

  /** Its secret was changed on the receiver's side: what the bot signs no longer verifies. */
  changeSecret(name: string): void {
    this.at(name).secret = `whsec_${randomBytes(32).toString('base64')}`;
  }

  /** Refuses the next `times` events that verify with `status` (its validation failed). */
  refuseEvents(name: string, status: 400 | 422 = 400, times = 1): void {
    this.at(name).refuseNext = { status, times };
  }

  /** Refuses bodies over `bytes` with 413. */
  limitBody(name: string, bytes: number): void {
    this.at(name).maxBodyBytes = bytes;
  }

  /** Answers 429 with `Retry-After: seconds` until that much of its clock has passed. */
  rateLimit(name: string, seconds: number): void {
    this.at(name).limitedUntil = this.now() + seconds * 1000;
  }

  /** Answers `status` (a 5xx) to the next `times` requests. */
  fail(name: string, status = 503, times = Number.POSITIVE_INFINITY): void {
    this.at(name).failing = { status, times };
  }

  /** Drops every connection to the endpoint without an answer. */
  reset(name: string): void {
    this.at(name).resetting = true;
  }

  eventsOf(name: string): ReceivedEvent[] {
    return this.events.filter((event) => event.endpoint === name);
  }

  requestsOf(name: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.endpoint === name);
  }

  private at(name: string): Endpoint {
    const endpoint = this.endpoints.get(name);
    if (!endpoint) throw new Error(`no endpoint ${name}`);
    return endpoint;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = /^\/hooks\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const endpoint = name ? this.endpoints.get(name) : undefined;
    const at = this.now();
    const answer = (status: number, refusal: string | null, retryAfterSeconds?: number) => {
      this.requests.push({
        endpoint: name ?? '',
        at,
        status,
        retryAfterMs: retryAfterSeconds === undefined ? null : retryAfterSeconds * 1000,
        refusal,
      });
      if (retryAfterSeconds !== undefined) res.setHeader('retry-after', String(retryAfterSeconds));
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(status < 300 ? '' : JSON.stringify({ error: refusal }));
    };
    if (!name || !endpoint) return answer(404, 'no such endpoint');
    if (endpoint.resetting) {
      this.requests.push({ endpoint: name, at, status: 0, retryAfterMs: null, refusal: 'reset' });
      req.socket.destroy();
      return;
    }
    if (endpoint.gone) return answer(endpoint.gone, 'this endpoint was deleted');
    if (req.method !== 'POST') return answer(405, 'POST only');
    if (endpoint.limitedUntil !== null && at < endpoint.limitedUntil) {
      return answer(429, 'too many requests', Math.ceil((endpoint.limitedUntil - at) / 1000));
    }
    const body = await readLimited(req, endpoint.maxBodyBytes);
    if (body === null) return answer(413, `the body is over ${endpoint.maxBodyBytes} bytes`);
    const unverified = verification(endpoint.secret, req.headers, body, at);
    if (unverified) return answer(401, unverified);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return answer(415, 'not JSON');
    }
    const event = readEvent(body, req.headers['webhook-id']);
    if (typeof event === 'string') return answer(400, event);
    if (endpoint.refuseNext && endpoint.refuseNext.times > 0) {
      endpoint.refuseNext.times -= 1;
      return answer(endpoint.refuseNext.status, 'the event did not pass our validation');
    }
    if (endpoint.failing && endpoint.failing.times > 0) {
      endpoint.failing.times -= 1;
      return answer(endpoint.failing.status, 'internal error');
    }
    const id = String(event['id']);
    const duplicate = this.seenIds.has(id);
    this.seenIds.add(id);
    this.events.push({ endpoint: name, at, rawBody: body, headers: req.headers, event, duplicate });
    answer(204, null);
  }
}

/**
 * Standard Webhooks verification, written from the specification (not from the bot's code):
 * null when the request is authentic and fresh, else why not.
 */
function verification(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  now: number,
): string | null {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    return 'missing webhook-id, webhook-timestamp or webhook-signature';
  }
  if (
    !/^\d+$/.test(timestamp) ||
    Math.abs(now - Number(timestamp) * 1000) > TIMESTAMP_TOLERANCE_MS
  ) {
    return 'the timestamp is more than five minutes off';
  }
  const key = secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const matches = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? null : 'no signature matches';
}

/** The event, or why it is not one this receiver understands. */
function readEvent(
  body: string,
  headerId: string | string[] | undefined,
): Record<string, unknown> | string {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not an object';
  const fields = event as Record<string, unknown>;
  if (fields['version'] !== 1) return 'not a version 1 event';
  if (fields['id'] !== headerId) return 'its id is not the webhook-id';
  if (typeof fields['type'] !== 'string' || !EVENT_TYPES.has(fields['type'])) {
    return 'an unknown type';
  }
  if (typeof fields['sentAt'] !== 'string' || Number.isNaN(Date.parse(fields['sentAt']))) {
    return 'no sentAt';
  }
  if (typeof fields['text'] !== 'string' || fields['text'] === '') return 'no text';
  return fields;
}

/** The body, or null as soon as it passes `max` bytes (the rest is not read). */
async function readLimited(req: IncomingMessage, max: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
