import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer, type LocalServer } from './http-server.js';

/** An answer as a platform gives it. */
export interface HookAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * One webhook platform's rules (Teams, JANDI, Dooray!), which {@link FakeWebhookServer} applies
 * to every request: where hooks live, what the platform checks, how it answers, what a
 * channel then shows. Each platform's file says where each rule comes from.
 */
export interface WebhookRules<Body> {
  /** A new hook's path (and query) as the platform's URLs look; `serial` makes it unique. */
  hookPath(serial: number): string;
  /** The largest body, in bytes, the platform takes. */
  maxBytes: number;
  /** At most `max` requests to one hook in any `spanMs`: the platform's, or the strict choice. */
  windows: ReadonlyArray<{ spanMs: number; max: number }>;
  /** What the platform would refuse in the request (headers, and the body parsed as JSON). */
  problems(headers: IncomingHttpHeaders, body: unknown): string[];
  /** The rich form (cards, attachments), as opposed to the platform's plainest message. */
  isRich(body: Body): boolean;
  /** Every text the channel shows for the message (links with their targets), joined. */
  shown(body: Body): string;
  /** What the platform would read as a mention or markup in the message. */
  hazards(body: Body): string[];
  answer: {
    accepted(): HookAnswer;
    /** A refusal with `status` (400, 401, 403, 404, 410, 413, 5xx) and the platform's error body. */
    refused(status: number, reason: string): HookAnswer;
    /** A 429 and its Retry-After, in whole seconds. */
    throttled(retryAfterSeconds: number): HookAnswer;
  };
}

/** How a test makes one hook fail. */
export type HookFault =
  /** The platform's answer with this status: 404 or 410 (deleted), 401 or 403 (no access), 5xx. */
  | { status: number }
  /** The connection dropped without an answer. */
  | 'reset'
  /** The rich form refused with 400 (a card the platform cannot render); the plain one taken. */
  | 'rendering-refused'
  /** Every form refused as too large. */
  | 'too-large';

/** 429 windows a test plants for one hook: how many are still to come, and each one's length. */
export interface PlantedRateLimit {
  remaining: number;
  retryAfterMs: number;
}

/** One request to a hook as the fake answered it, at the fake's time. */
export interface HookRequest {
  at: number;
  answer: number | 'reset';
  /** The Retry-After sent with a 429, in ms; null otherwise. */
  retryAfterMs: number | null;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Hook<Body> {
  received: Body[];
  requests: HookRequest[];
  /** Times of the requests that passed the rate limits, for the windows. */
  recent: number[];
  /** The end of a planted 429 window. */
  throttledUntil: number;
}

/**
 * A webhook platform on 127.0.0.1: each hook URL is a destination (a Teams channel's
 * workflow, a JANDI topic, a Dooray! chat room). Every request is checked as the platform
 * checks it, in this order: the hook exists and works (faults planted per URL), the rate
 * limits in their windows on the fake's clock (`now`, read once per request), the size, the
 * request's shape; then it is shown in the channel. Records what each hook was sent and
 * answered.
 */
export class FakeWebhookServer<Body> {
  /** The fake's clock: rate-limit windows and request times. Read once per request. */
  now: () => number = () => Date.now();
  /** Failures planted per hook URL; they last until deleted. */
  readonly faults = new Map<string, HookFault>();
  /** 429 windows planted per hook URL. */
  readonly rateLimits = new Map<string, PlantedRateLimit>();
  /** 429s answered, planted or earned. */
  rejected429 = 0;
  private readonly hooks = new Map<string, Hook<Body>>();
  private server: LocalServer | null = null;
  private serial = 0;

  constructor(protected readonly rules: WebhookRules<Body>) {}

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    if (!this.server) throw new Error('the fake is not started');
    return this.server.url;
  }

  /** A new hook; its URL is what the operator would paste. */
  addHook(): string {
    const path = this.rules.hookPath(++this.serial);
    this.hooks.set(path, { received: [], requests: [], recent: [], throttledUntil: 0 });
    return `${this.url}${path}`;
  }

  /** What the hook's channel was sent and shows, oldest first. */
  received(url: string): Body[] {
    return [...this.hookAt(url).received];
  }

  requests(url: string): HookRequest[] {
    return [...this.hookAt(url).requests];
  }

  shown(url: string): Array<{ text: string; rich: boolean }> {
    return this.hookAt(url).received.map((body) => ({
      text: this.rules.shown(body),
      rich: this.rules.isRich(body),
    }));
  }

  /** What the platform would read as a mention or markup, in all the hook was sent. */
  hazards(url: string): string[] {
    return this.hookAt(url).received.flatMap((body) => this.rules.hazards(body));
  }

  /**
   * A platform's own answer for a request that got this far (Dooray!'s 200 that says it
   * failed); null to take the message.
   */
  protected lastWord(_url: string): HookAnswer | null {
    return null;
  }

  private hookAt(url: string): Hook<Body> {
    const hook = this.hooks.get(url.startsWith(this.url) ? url.slice(this.url.length) : url);
    if (!hook) throw new Error('no such hook in this fake');
    return hook;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const body = await readText(req);
    const path = req.url ?? '';
    const hook = this.hooks.get(path);
    const record = (answer: number | 'reset', retryAfterMs: number | null = null) =>
      hook?.requests.push({ at, answer, retryAfterMs, headers: req.headers, body });
    const send = (answer: HookAnswer, retryAfterMs: number | null = null) => {
      record(answer.status, retryAfterMs);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    };
    // Only POST creates a message; an unknown path is no hook.
    if (req.method !== 'POST') return send(this.rules.answer.refused(405, 'method not allowed'));
    if (!hook) return send(this.rules.answer.refused(404, 'no such hook'));
    const url = `${this.url}${path}`;
    const fault = this.faults.get(url);
    if (fault === 'reset') {
      record('reset');
      req.socket.destroy();
      return;
    }
    if (typeof fault === 'object') return send(this.rules.answer.refused(fault.status, 'planted'));
    const waitMs = this.throttle(url, hook, at);
    if (waitMs !== null) {
      this.rejected429++;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      return send(this.rules.answer.throttled(seconds), seconds * 1000);
    }
    const bytes = Buffer.byteLength(body);
    if (bytes > this.rules.maxBytes || fault === 'too-large') {
      return send(this.rules.answer.refused(413, `${bytes} bytes, over ${this.rules.maxBytes}`));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(this.rules.answer.refused(400, 'the body is not JSON'));
    }
    const problems = this.rules.problems(req.headers, parsed);
    if (problems.length > 0) return send(this.rules.answer.refused(400, problems.join('; ')));
    if (fault === 'rendering-refused' && this.rules.isRich(parsed as Body)) {
      return send(this.rules.answer.refused(400, 'the message could not be rendered'));
    }
    const last = this.lastWord(url);
    if (last) return send(last);
    hook.received.push(parsed as Body);
    send(this.rules.answer.accepted());
  }

  /** The wait a 429 asks for, or null when the request may pass (and then counts). */
  private throttle(url: string, hook: Hook<Body>, at: number): number | null {
    if (at < hook.throttledUntil) return hook.throttledUntil - at;
    const plant = this.rateLimits.get(url);
    if (plant && plant.remaining > 0) {
      plant.remaining--;
      hook.throttledUntil = at + plant.retryAfterMs;
      return plant.retryAfterMs;
    }
    for (const { spanMs, max } of this.rules.windows) {
      const inSpan = hook.recent.filter((time) => time > at - spanMs);
      // Refused until the request that filled the window leaves it.
      if (inSpan.length >= max) return inSpan[inSpan.length - max]! + spanMs - at;
    }
    hook.recent.push(at);
    const longest = Math.max(0, ...this.rules.windows.map((w) => w.spanMs));
    while (hook.recent.length > 0 && hook.recent[0]! <= at - longest) hook.recent.shift();
    return null;
  }
}

/** The request's body as text, read whole: a platform reads it before it answers. */
async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `application/json`, with or without parameters such as `charset=utf-8`. */
export function isJsonContentType(headers: IncomingHttpHeaders): boolean {
  return /^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '');
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys of `value` outside `allowed`: a strict platform refuses fields it does not know. */
export function unknownKeys(value: Record<string, unknown>, allowed: string[], path: string) {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${path}${path ? '.' : ''}${key}: not a field the platform knows`);
}
