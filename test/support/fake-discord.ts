import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { startHttpServer, type LocalServer } from './http-server.js';
import { discordMessageProblems } from './platform-limits.js';
import { waitFor } from './wait.js';

export const APPLICATION_ID = '111111111111111111';
export const GUILD_ID = '222222222222222222';
/** Discord's per-channel bucket, as the fake enforces it when `limits` is set. */
export const DISCORD_CHANNEL_BUCKET = { messages: 5, seconds: 5 } as const;
const BOT_USER = {
  id: '333333333333333333',
  username: 'esg-news',
  discriminator: '0',
  bot: true,
  avatar: null,
  global_name: null,
};

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  authorization: string | undefined;
}

export type ChannelFault =
  | { status: 404; code: 10003 }
  | { status: 403; code: 50001 | 50013 }
  | { status: 429; retryAfter: number; global?: boolean; remaining?: number }
  | { status: 500; remaining?: number }
  | { status: 401 };

/**
 * A local Discord: the REST routes the bot uses (under /api/v10) and a gateway WebSocket that
 * says HELLO, answers IDENTIFY with READY and heartbeats with ACK, and can dispatch
 * INTERACTION_CREATE. Message creation honours `nonce` + `enforce_nonce` like Discord.
 */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Messages created, per channel (an edit replaces its body in place). */
  readonly messages = new Map<string, Array<Record<string, unknown>>>();
  /** Edits of messages (`PATCH /channels/{id}/messages/{id}`), in order. */
  readonly edits: Array<{ channelId: string; messageId: string; body: Record<string, unknown> }> =
    [];
  /** Created messages by id, to edit them. */
  private readonly byId = new Map<string, { channelId: string; index: number }>();
  readonly faults = new Map<string, ChannelFault>();
  registeredCommands: unknown[] | null = null;
  identified = false;
  private server: LocalServer | null = null;
  private readonly gateway = new WebSocketServer({ noServer: true });
  private socket: WebSocket | null = null;
  private sequence = 0;
  private interactionCount = 0;
  /** Nonces of created messages and when they were created: Discord remembers them for minutes only. */
  private readonly nonces = new Map<string, { message: Record<string, unknown>; at: number }>();
  /** How long a nonce is remembered (Discord: "a few minutes"). */
  nonceMemoryMs = 5 * 60_000;
  /**
   * Channels whose messages Discord refuses whatever the limits say: `embeds` refuses any
   * message with embeds, `all` every message (400, 50035 Invalid Form Body).
   */
  readonly contentFaults = new Map<string, 'embeds' | 'all'>();
  /** Messages refused for their content, with the problems found. */
  readonly refused: Array<{ channelId: string; problems: string[] }> = [];
  /** Tokens Discord refuses: reset in the Developer Portal, or never valid. */
  readonly refusedTokens = new Set<string>(['discord-refused-token-0123456789']);
  /** Time message creation takes to answer, to catch a worker mid-fan-out. */
  postDelayMs = 0;
  /**
   * Discord's own limits when set: requests per second per bot (over any one-second span, a
   * global 429 beyond) and a per-channel bucket ({@link DISCORD_CHANNEL_BUCKET}).
   */
  limits: { globalPerSecond: number } | null = null;
  rejected429 = 0;
  lastPostAt = 0;
  private readonly recentRequests: number[] = [];
  private readonly channelBuckets = new Map<string, number[]>();

  get apiUrl(): string {
    return `${this.server!.url}/api`;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer(async (req, res) => {
      const raw = await readBody(req);
      const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\/api\/v10/, ''));
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      this.requests.push({
        method: req.method ?? '',
        path,
        body,
        authorization: req.headers.authorization,
      });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(value));

      // Interaction callbacks and webhook edits are authorised by the interaction's own token.
      const usesBotToken = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/');
      if (usesBotToken && !this.tokenAccepted(req.headers.authorization)) {
        return json(401, { message: '401: Unauthorized', code: 0 });
      }
      if (req.method === 'GET' && path === '/gateway/bot') {
        return json(200, {
          url: `${this.server!.url.replace('http', 'ws')}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        });
      }
      if (req.method === 'GET' && path === '/users/@me') return json(200, BOT_USER);
      if (req.method === 'PUT' && path === `/applications/${APPLICATION_ID}/commands`) {
        this.registeredCommands = body as unknown as unknown[];
        return json(
          200,
          (body as unknown as Array<Record<string, unknown>>).map((c, i) => ({
            ...c,
            id: `90${i}`,
            application_id: APPLICATION_ID,
            version: '1',
          })),
        );
      }
      if (req.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
        return res.writeHead(204).end();
      }
      if (req.method === 'PATCH' && path.startsWith(`/webhooks/${APPLICATION_ID}/`)) {
        return json(200, this.message('0', body ?? {}));
      }
      const edit = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
      if (req.method === 'PATCH' && edit)
        return this.editMessage(edit[1]!, edit[2]!, body ?? {}, json);
      const create = /^\/channels\/(\d+)\/messages$/.exec(path);
      if (req.method === 'POST' && create) {
        if (this.postDelayMs) await new Promise((resolve) => setTimeout(resolve, this.postDelayMs));
        return this.createMessage(create[1]!, body ?? {}, json);
      }
      return json(404, { message: 'Unknown route', code: 0 });
    });
    this.server.server.on('upgrade', (req, socket, head) => {
      this.gateway.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws));
    });
    return this;
  }

  async close(): Promise<void> {
    this.socket?.terminate();
    this.gateway.close();
    await this.server?.close();
  }

  /**
   * Dispatches a `/news query:<text>` interaction in a guild channel (of {@link GUILD_ID}
   * unless `guildId` says another server), as a member with `permissions`.
   */
  async sendCommand(
    text: string | null,
    options: {
      channelId?: string;
      guildId?: string;
      permissions?: bigint;
      autocomplete?: boolean;
    } = {},
  ): Promise<string> {
    await waitFor('the gateway READY', () => this.identified);
    const id = `44${String(++this.interactionCount).padStart(16, '0')}`;
    const token = `token-${id}`;
    const channelId = options.channelId ?? '555555555555555555';
    const guildId = options.guildId ?? GUILD_ID;
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: APPLICATION_ID,
      type: options.autocomplete ? 4 : 2,
      token,
      version: 1,
      guild_id: guildId,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: guildId, name: 'esg' },
      member: {
        user: {
          id: '666666666666666666',
          username: 'kim',
          discriminator: '0',
          avatar: null,
          global_name: null,
        },
        roles: [],
        permissions: String(options.permissions ?? 0n),
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      app_permissions: '0',
      locale: 'ko',
      guild_locale: 'ko',
      entitlements: [],
      authorizing_integration_owners: {},
      context: 0,
      data: {
        id: '900',
        name: 'news',
        type: 1,
        options:
          text === null
            ? []
            : [
                {
                  name: 'query',
                  type: 3,
                  value: text,
                  ...(options.autocomplete ? { focused: true } : {}),
                },
              ],
      },
    });
    return id;
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

  private createMessage(
    channelId: string,
    body: Record<string, unknown>,
    json: (status: number, value: unknown, headers?: Record<string, string>) => void,
  ): void {
    const fault = this.faults.get(channelId);
    if (
      fault &&
      (!('remaining' in fault) || fault.remaining === undefined || fault.remaining > 0)
    ) {
      if ('remaining' in fault && fault.remaining !== undefined) fault.remaining--;
      if (fault.status === 429) {
        return json(
          429,
          {
            message: 'You are being rate limited.',
            retry_after: fault.retryAfter,
            global: fault.global ?? false,
          },
          {
            'retry-after': String(Math.ceil(fault.retryAfter)),
            'x-ratelimit-scope': fault.global ? 'global' : 'user',
            ...(fault.global ? { 'x-ratelimit-global': 'true' } : {}),
          },
        );
      }
      if (fault.status === 500) return json(500, { message: 'Internal Server Error', code: 0 });
      if (fault.status === 401) return json(401, { message: '401: Unauthorized', code: 0 });
      const message =
        fault.code === 10003
          ? 'Unknown Channel'
          : fault.code === 50001
            ? 'Missing Access'
            : 'Missing Permissions';
      return json(fault.status, { message, code: fault.code });
    }
    const problems = discordMessageProblems(body);
    const contentFault = this.contentFaults.get(channelId);
    if (contentFault === 'all') problems.push('refused by the test');
    if (contentFault === 'embeds' && Array.isArray(body.embeds) && body.embeds.length > 0) {
      problems.push('embeds: refused by the test');
    }
    if (problems.length > 0) {
      this.refused.push({ channelId, problems });
      const empty = problems.some((p) => p.includes('neither content nor embeds'));
      return json(400, {
        message: empty ? 'Cannot send an empty message' : 'Invalid Form Body',
        code: empty ? 50006 : 50035,
        errors: { _errors: problems.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) },
      });
    }
    if (this.limits) {
      const limited = this.rateLimit(channelId);
      if (limited) {
        this.rejected429++;
        return json(429, limited.body, limited.headers);
      }
    }
    this.lastPostAt = Date.now();
    const nonceKey = `${channelId}/${String(body.nonce)}`;
    const remembered = this.nonces.get(nonceKey);
    if (body.enforce_nonce && body.nonce && remembered) {
      if (Date.now() - remembered.at < this.nonceMemoryMs) return json(200, remembered.message);
      this.nonces.delete(nonceKey);
    }
    const message = this.message(channelId, body);
    if (body.nonce) this.nonces.set(nonceKey, { message, at: Date.now() });
    const list = this.messages.get(channelId) ?? [];
    list.push(body);
    this.messages.set(channelId, list);
    this.byId.set(message.id as string, { channelId, index: list.length - 1 });
    return json(200, message);
  }

  /** `PATCH /channels/{id}/messages/{id}`: the same limits as a new message; 10008 when unknown. */
  private editMessage(
    channelId: string,
    messageId: string,
    body: Record<string, unknown>,
    json: (status: number, value: unknown) => void,
  ): void {
    const found = this.byId.get(messageId);
    if (!found || found.channelId !== channelId) {
      return json(404, { message: 'Unknown Message', code: 10008 });
    }
    const list = this.messages.get(channelId)!;
    const edited = { ...list[found.index], ...body };
    const problems = discordMessageProblems(edited);
    if (problems.length > 0) {
      this.refused.push({ channelId, problems });
      return json(400, { message: 'Invalid Form Body', code: 50035 });
    }
    list[found.index] = edited;
    this.edits.push({ channelId, messageId, body });
    json(200, { ...this.message(channelId, edited), id: messageId });
  }

  private rateLimit(channelId: string): { body: unknown; headers: Record<string, string> } | null {
    const now = Date.now();
    while (this.recentRequests.length > 0 && this.recentRequests[0]! <= now - 1000)
      this.recentRequests.shift();
    if (this.recentRequests.length >= this.limits!.globalPerSecond) {
      const retryAfter = (this.recentRequests[0]! + 1000 - now) / 1000;
      return {
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
        headers: {
          'retry-after': String(Math.ceil(retryAfter)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
      };
    }
    const window = DISCORD_CHANNEL_BUCKET.seconds * 1000;
    const bucket = (this.channelBuckets.get(channelId) ?? []).filter((t) => t > now - window);
    if (bucket.length >= DISCORD_CHANNEL_BUCKET.messages) {
      const retryAfter = (bucket[0]! + window - now) / 1000;
      return {
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
        headers: { 'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-scope': 'user' },
      };
    }
    this.recentRequests.push(now);
    bucket.push(now);
    this.channelBuckets.set(channelId, bucket);
    return null;
  }

  private message(channelId: string, body: Record<string, unknown>): Record<string, unknown> {
    return {
      id: String(7_000_000_000_000_000n + BigInt(this.requests.length)),
      channel_id: channelId,
      type: 0,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      author: BOT_USER,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      components: [],
      nonce: body.nonce,
    };
  }

  /**
   * Resets the bot token, as the Developer Portal's "Reset Token" does: the old one is refused
   * on every REST call, and the gateway closes its session with 4004 (Authentication failed).
   */
  resetToken(token: string): void {
    this.refusedTokens.add(token);
    if (this.gatewayToken === token) this.socket?.close(4004, 'Authentication failed.');
  }

  private tokenAccepted(authorization: string | undefined): boolean {
    const token = /^Bot (.+)$/.exec(authorization ?? '')?.[1];
    return token !== undefined && !this.refusedTokens.has(token);
  }

  private gatewayToken: string | null = null;

  private onGatewayConnection(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (data: Buffer) => {
      const payload = JSON.parse(data.toString()) as { op: number; d?: { token?: string } };
      if (payload.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2 && this.refusedTokens.has(payload.d?.token ?? '')) {
        ws.close(4004, 'Authentication failed.');
        return;
      }
      if (payload.op === 2) {
        this.gatewayToken = payload.d?.token ?? null;
        this.dispatch('READY', {
          v: 10,
          user: BOT_USER,
          guilds: [],
          session_id: 'session',
          resume_gateway_url: `${this.server!.url.replace('http', 'ws')}/gateway`,
          shard: [0, 1],
          application: { id: APPLICATION_ID, flags: 0 },
        });
        this.identified = true;
      }
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
  }

  /** Sends a gateway event as Discord does (`GUILD_DELETE`, `CHANNEL_DELETE`, …). */
  sendGatewayEvent(event: string, data: unknown): void {
    this.dispatch(event, data);
  }

  private dispatch(event: string, data: unknown): void {
    this.socket?.send(JSON.stringify({ op: 0, t: event, s: ++this.sequence, d: data }));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
