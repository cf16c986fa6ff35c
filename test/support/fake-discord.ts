import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody, startHttpServer, type LocalServer } from './http-server.js';
import {
  APPLICATION_ID,
  commandInteraction,
  DiscordGateway,
  type CommandOptions,
} from './fake-discord-gateway.js';
import { DiscordInteractions } from './fake-discord-interactions.js';
import { BOT_USER, DiscordMessages } from './fake-discord-messages.js';
import {
  DiscordRateLimits,
  type BucketRoute,
  type DiscordAnswer,
  type PlantedRateLimit,
} from './fake-discord-rate-limits.js';
import { waitFor } from './wait.js';

export { APPLICATION_ID, GUILD_ID } from './fake-discord-gateway.js';
export { DISCORD_CHANNEL_BUCKET } from './fake-discord-rate-limits.js';

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  authorization: string | undefined;
  /** When it arrived, on the fake's clock. */
  at: number;
  /** The status answered (0: the connection was dropped, or no answer yet). */
  status: number;
  /** On a 429: the wait Discord asked for (`retry_after`, exact), in milliseconds. */
  retryAfterMs?: number;
}

/** What a channel's message creates and edits get instead of their answer. */
export type ChannelFault =
  | { status: 404; code: 10003 }
  | { status: 403; code: 50001 | 50013 }
  | PlantedRateLimit
  | { status: 500 | 502 | 503; remaining?: number }
  | { status: 401 }
  /** The connection is dropped without an answer. */
  | { status: 'reset'; remaining?: number };

/**
 * A local Discord: the REST routes the bot uses (under /api/v10) and a gateway WebSocket that
 * dispatches INTERACTION_CREATE. Every bot request is checked as Discord checks it: the token,
 * the rate limits (announced in `X-RateLimit-*` headers), the message's limits; interaction
 * answers against theirs. Records what it was asked and what it answered; fails on demand per
 * channel. Buckets and windows run on `now`, which a test may replace with its own clock.
 */
export class FakeDiscord {
  /** The fake's clock: buckets, 429 windows, nonce memory, request times. */
  now: () => number = () => Date.now();
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Map<string, ChannelFault>();
  readonly store = new DiscordMessages(() => this.now());
  readonly rates = new DiscordRateLimits(() => this.now());
  readonly interactions = new DiscordInteractions();
  /** Tokens Discord refuses: reset in the Developer Portal, or never valid. */
  readonly refusedTokens = new Set<string>(['discord-refused-token-0123456789']);
  private readonly gateway = new DiscordGateway(this.refusedTokens);
  registeredCommands: unknown[] | null = null;
  /** Time message creation takes to answer, to catch a worker mid-fan-out. */
  postDelayMs = 0;
  private server: LocalServer | null = null;
  private interactionCount = 0;

  get apiUrl(): string {
    return `${this.server!.url}/api`;
  }

  // The parts' state, under the names the tests have always used.
  get messages() {
    return this.store.messages;
  }
  get edits() {
    return this.store.edits;
  }
  get contentFaults() {
    return this.store.contentFaults;
  }
  get refused() {
    return this.store.refused;
  }
  get lastPostAt() {
    return this.store.lastPostAt;
  }
  get nonceMemoryMs() {
    return this.store.nonceMemoryMs;
  }
  set nonceMemoryMs(ms: number) {
    this.store.nonceMemoryMs = ms;
  }
  get rejected429() {
    return this.rates.rejected429;
  }
  get identified() {
    return this.gateway.identified;
  }
  /** Discord's global limit when set: requests per second per bot, a global 429 beyond. */
  get limits(): { globalPerSecond: number } | null {
    return this.rates.globalPerSecond === null
      ? null
      : { globalPerSecond: this.rates.globalPerSecond };
  }
  set limits(limits: { globalPerSecond: number } | null) {
    this.rates.globalPerSecond = limits?.globalPerSecond ?? null;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    const gatewayUrl = `${this.server.url.replace('http', 'ws')}/gateway`;
    this.server.server.on('upgrade', (req, socket, head) =>
      this.gateway.upgrade(req, socket, head, gatewayUrl),
    );
    return this;
  }

  async close(): Promise<void> {
    this.gateway.close();
    await this.server?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\/api\/v10/, ''));
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    const request: RecordedRequest = {
      method: req.method ?? '',
      path,
      body,
      authorization: req.headers.authorization,
      at: this.now(),
      status: 0,
    };
    this.requests.push(request);
    const answer = ({ status, body: value, headers = {} }: DiscordAnswer) => {
      request.status = status;
      if (status === 429) {
        request.retryAfterMs = (value as { retry_after: number }).retry_after * 1000;
      }
      if (value === undefined) return void res.writeHead(status, headers).end();
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(value));
    };
    const ok = (value: unknown): DiscordAnswer => ({ status: 200, body: value });

    // Interaction callbacks and webhook edits are authorised by the interaction's own token
    // (and are not bound to the bot's global limit).
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (req.method === 'POST' && callback) {
      return answer(this.interactions.callback(callback[1]!, callback[2]!, body));
    }
    const original = new RegExp(`^/webhooks/${APPLICATION_ID}/([^/]+)/messages/@original$`);
    const webhook = original.exec(path);
    if (req.method === 'PATCH' && webhook) {
      return answer(this.interactions.editOriginal(webhook[1]!, body ?? {}));
    }
    if (!this.tokenAccepted(req.headers.authorization)) {
      return answer({ status: 401, body: { message: '401: Unauthorized', code: 0 } });
    }
    if (req.method === 'GET' && path === '/gateway/bot') {
      return answer(
        ok({
          url: `${this.server!.url.replace('http', 'ws')}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
      );
    }
    if (req.method === 'GET' && path === '/users/@me') return answer(ok(BOT_USER));
    if (req.method === 'PUT' && path === `/applications/${APPLICATION_ID}/commands`) {
      const commands = (body ?? []) as unknown as Array<Record<string, unknown>>;
      this.registeredCommands = commands;
      return answer(
        ok(
          commands.map((c, i) => ({
            ...c,
            id: `90${i}`,
            application_id: APPLICATION_ID,
            version: '1',
          })),
        ),
      );
    }
    const edit = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (req.method === 'PATCH' && edit) {
      return this.onChannel('edit', edit[1]!, req, answer, () =>
        this.store.edit(edit[1]!, edit[2]!, body ?? {}),
      );
    }
    const create = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (req.method === 'POST' && create) {
      if (this.postDelayMs) await sleep(this.postDelayMs);
      return this.onChannel('create', create[1]!, req, answer, () =>
        this.store.create(create[1]!, body ?? {}),
      );
    }
    return answer({ status: 404, body: { message: 'Unknown Route', code: 0 } });
  }

  /**
   * A message create or edit in a channel: the rate limits first (as Discord answers 429
   * before looking at the request), then the channel's planted fault, then the message.
   * Every answer carries the bucket's headers.
   */
  private onChannel(
    route: BucketRoute,
    channelId: string,
    req: IncomingMessage,
    answer: (answer: DiscordAnswer) => void,
    message: () => DiscordAnswer,
  ): void {
    const fault = this.faults.get(channelId);
    const taken = this.rates.take(route, channelId, fault?.status === 429 ? fault : undefined);
    if ('refusal' in taken) return answer(taken.refusal);
    const faulted = fault && fault.status !== 429 ? this.failure(fault) : null;
    if (faulted === 'reset') {
      req.socket.destroy();
      return;
    }
    const result = faulted ?? message();
    answer({ ...result, headers: { ...taken.headers, ...result.headers } });
  }

  /** The answer a planted fault gives this request, or null once it has run out. */
  private failure(fault: Exclude<ChannelFault, PlantedRateLimit>): DiscordAnswer | 'reset' | null {
    if ('remaining' in fault && fault.remaining !== undefined) {
      if (fault.remaining <= 0) return null;
      fault.remaining--;
    }
    switch (fault.status) {
      case 'reset':
        return 'reset';
      case 401:
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      case 500:
      case 502:
      case 503:
        return { status: fault.status, body: { message: 'Internal Server Error', code: 0 } };
      default: {
        const message =
          fault.code === 10003
            ? 'Unknown Channel'
            : fault.code === 50001
              ? 'Missing Access'
              : 'Missing Permissions';
        return { status: fault.status, body: { message, code: fault.code } };
      }
    }
  }

  /** Dispatches `/news query:<text>` over the gateway (see `commandInteraction`); returns its id. */
  async sendCommand(text: string | null, options: CommandOptions = {}): Promise<string> {
    await waitFor('the gateway READY', () => this.gateway.identified);
    const id = `44${String(++this.interactionCount).padStart(16, '0')}`;
    const token = `token-${id}`;
    this.interactions.sent(id, token);
    this.gateway.dispatch('INTERACTION_CREATE', commandInteraction(id, token, text, options));
    return id;
  }

  /**
   * An interaction for the bot's HTTP endpoint: the id and token Discord would send it with.
   * Its answer to that request is the initial response; edits of it use the token.
   */
  httpInteraction(): { id: string; token: string } {
    const id = `55${String(++this.interactionCount).padStart(16, '0')}`;
    const token = `http-token-${id}`;
    this.interactions.answeredInline(id, token);
    return { id, token };
  }

  /** The interaction callback (reply, defer or autocomplete) the bot sent for `interactionId`. */
  callbackFor(interactionId: string): RecordedRequest | undefined {
    return this.requests.find((r) => r.path.startsWith(`/interactions/${interactionId}/`));
  }

  /** The edit of a deferred reply, for the interaction's token. */
  editFor(interactionId: string): RecordedRequest | undefined {
    return this.requests.find(
      (r) => r.method === 'PATCH' && r.path.includes(`/token-${interactionId}/`),
    );
  }

  messageRequests(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path),
    );
  }

  /**
   * Resets the bot token, as the Developer Portal's "Reset Token" does: the old one is refused
   * on every REST call, and the gateway closes its session with 4004 (Authentication failed).
   */
  resetToken(token: string): void {
    this.refusedTokens.add(token);
    this.gateway.refuse(token);
  }

  /** Sends a gateway event as Discord does (`GUILD_DELETE`, `CHANNEL_DELETE`, …). */
  sendGatewayEvent(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  private tokenAccepted(authorization: string | undefined): boolean {
    const token = /^Bot (.+)$/.exec(authorization ?? '')?.[1];
    return token !== undefined && !this.refusedTokens.has(token);
  }
}
