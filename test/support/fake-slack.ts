import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { startHttpServer, type LocalServer } from './http-server.js';
import { slackMessageProblems } from './platform-limits.js';

export interface PostedMessage {
  channel: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  authorization: string | undefined;
  /** Slack's id of the message, which chat.update names it by. */
  ts: string;
}

/**
 * A local Slack: the Web API methods the bot calls (form-encoded, Bearer token), response
 * URLs, and the Socket Mode WebSocket. Records what is posted; fails on demand per channel.
 */
export class FakeSlack {
  readonly posted: PostedMessage[] = [];
  readonly responses: Array<{ id: string; body: Record<string, unknown> }> = [];
  /** chat.update calls that changed a message: which one, and what it says now. */
  readonly updates: Array<{ channel: string; ts: string; text: string }> = [];
  readonly calls: string[] = [];
  /** `ok: false` errors to answer chat.postMessage with, per channel (every time). */
  readonly channelErrors = new Map<string, string>();
  /** How many more 429s a channel gets, and the Retry-After (seconds) they carry. */
  readonly rateLimits = new Map<string, { remaining: number; retryAfter: number }>();
  private server: LocalServer | null = null;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket: WebSocket | null = null;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  /** Time chat.postMessage takes to answer, to catch a worker mid-fan-out. */
  postDelayMs = 0;
  /**
   * Slack's own limits when set: messages per second per workspace (over any one-second
   * span) and one message per second per channel. Excess gets 429 with Retry-After.
   */
  limits: { perWorkspacePerSecond: number } | null = null;
  rejected429 = 0;
  lastPostAt = 0;
  private readonly recentPosts: number[] = [];
  /**
   * Channels whose messages Slack refuses whatever the limits say: `blocks` refuses any
   * message with blocks (`invalid_blocks`), `all` refuses every message (`msg_too_long`).
   */
  readonly contentFaults = new Map<string, 'blocks' | 'all'>();
  /** Messages refused for their content, with Slack's error. */
  readonly refused: Array<{ channel: string; error: string; problems: string[] }> = [];
  /** Tokens Slack no longer accepts (revoked, or the app reinstalled). */
  readonly revokedTokens = new Set<string>(['xoxb-refused']);
  private readonly lastPostInChannel = new Map<string, number>();

  get url(): string {
    return this.server!.url;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer(async (req, res) => {
      const body = await readBody(req);
      const path = req.url ?? '';
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(value));
      };
      if (path.startsWith('/respond/')) {
        this.responses.push({
          id: path.slice('/respond/'.length),
          body: JSON.parse(body) as Record<string, unknown>,
        });
        return json(200, { ok: true });
      }
      const method = path.replace(/^\/api\//, '').split('?')[0]!;
      this.calls.push(method);
      const form = Object.fromEntries(new URLSearchParams(body));
      // Like Slack, every method checks the token first.
      const refusal = this.checkToken(req.headers.authorization, method);
      if (refusal) return json(200, { ok: false, error: refusal });
      switch (method) {
        case 'auth.test':
          return json(200, {
            ok: true,
            team_id: 'T1',
            user_id: 'UBOT',
            bot_id: 'BBOT',
            user: 'esg-news',
          });
        case 'apps.connections.open':
          return json(200, { ok: true, url: `${this.url.replace('http', 'ws')}/socket` });
        case 'chat.postMessage': {
          const channel = form.channel ?? '';
          if (this.postDelayMs)
            await new Promise((resolve) => setTimeout(resolve, this.postDelayMs));
          const limit = this.rateLimits.get(channel);
          if (limit && limit.remaining > 0) {
            limit.remaining--;
            return json(
              429,
              { ok: false, error: 'ratelimited' },
              { 'retry-after': String(limit.retryAfter) },
            );
          }
          if (this.limits && !this.withinLimits(channel)) {
            this.rejected429++;
            return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
          }
          const error = this.channelErrors.get(channel);
          if (error) return json(200, { ok: false, error });
          const blocks = form.blocks ? (JSON.parse(form.blocks) as unknown[]) : undefined;
          const contentError = this.contentError(channel, form.text, blocks);
          if (contentError) return json(200, { ok: false, error: contentError });
          this.lastPostAt = Date.now();
          // Unique per channel, like Slack's: seconds with six decimals.
          const ts = `${Math.floor(Date.now() / 1000)}.${String(this.posted.length).padStart(6, '0')}`;
          this.posted.push({
            channel,
            text: form.text ?? '',
            blocks: form.blocks ? (JSON.parse(form.blocks) as Array<Record<string, unknown>>) : [],
            authorization: req.headers.authorization,
            ts,
          });
          return json(200, { ok: true, channel, ts });
        }
        case 'chat.update': {
          const channel = form.channel ?? '';
          const message = this.posted.find((m) => m.channel === channel && m.ts === form.ts);
          if (!message) return json(200, { ok: false, error: 'message_not_found' });
          const blocks = form.blocks ? (JSON.parse(form.blocks) as unknown[]) : undefined;
          const contentError = this.contentError(channel, form.text, blocks);
          if (contentError) return json(200, { ok: false, error: contentError });
          message.text = form.text ?? message.text;
          // Like Slack: blocks left out are kept; an empty list removes them.
          if (blocks) message.blocks = blocks as Array<Record<string, unknown>>;
          this.updates.push({ channel, ts: message.ts, text: message.text });
          return json(200, { ok: true, channel, ts: message.ts, text: message.text });
        }
        default:
          return json(200, { ok: false, error: 'unknown_method' });
      }
    });
    this.server.server.on('upgrade', (req, socket, head) => {
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        this.socket = ws;
        ws.on('message', (data: Buffer) => {
          const message = JSON.parse(data.toString()) as {
            envelope_id?: string;
            payload?: unknown;
          };
          if (message.envelope_id) this.acks.get(message.envelope_id)?.(message.payload ?? null);
        });
        ws.send(
          JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }),
        );
      });
    });
    return this;
  }

  /** Slack's answer to a message it would not post, or null: its documented limits, or a fault. */
  private contentError(
    channel: string,
    text: string | undefined,
    blocks: unknown[] | undefined,
  ): string | null {
    const problems = slackMessageProblems({
      ...(text !== undefined ? { text } : {}),
      ...(blocks !== undefined ? { blocks } : {}),
    });
    const fault = this.contentFaults.get(channel);
    if (fault === 'all') problems.push('msg_too_long: refused by the test');
    if (fault === 'blocks' && blocks?.length) problems.push('invalid_blocks: refused by the test');
    if (problems.length === 0) return null;
    const error = /^(\w+):/.exec(problems[0]!)?.[1] ?? 'invalid_blocks';
    this.refused.push({ channel, error, problems });
    return error;
  }

  /** Revokes a bot token, as uninstalling or rotating it does: every later call is refused. */
  revoke(token: string): void {
    this.revokedTokens.add(token);
  }

  /** Slack's own answer to a call without a usable token, or null when the token is good. */
  private checkToken(authorization: string | undefined, method: string): string | null {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) return 'not_authed';
    if (this.revokedTokens.has(token))
      return token === 'xoxb-refused' ? 'invalid_auth' : 'token_revoked';
    const expected = method === 'apps.connections.open' ? 'xapp-' : 'xoxb-';
    return token.startsWith(expected) ? null : 'invalid_auth';
  }

  /** How many times `method` was called. */
  callCount(method: string): number {
    return this.calls.filter((call) => call === method).length;
  }

  private withinLimits(channel: string): boolean {
    const now = Date.now();
    while (this.recentPosts.length > 0 && this.recentPosts[0]! <= now - 1000)
      this.recentPosts.shift();
    if (this.recentPosts.length >= this.limits!.perWorkspacePerSecond) return false;
    if (now - (this.lastPostInChannel.get(channel) ?? 0) < 1000) return false;
    this.recentPosts.push(now);
    this.lastPostInChannel.set(channel, now);
    return true;
  }

  get socketConnected(): boolean {
    return this.socket !== null;
  }

  /** Sends a slash command over Socket Mode; resolves with the payload the bot acknowledged with. */
  sendSlashCommand(payload: Record<string, string>): Promise<unknown> {
    const envelopeId = `env-${Math.random().toString(36).slice(2)}`;
    return new Promise((resolve) => {
      this.acks.set(envelopeId, resolve);
      this.socket!.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type: 'slash_commands',
          accepts_response_payload: true,
          payload,
        }),
      );
    });
  }

  async close(): Promise<void> {
    this.socket?.terminate();
    this.sockets.close();
    await this.server?.close();
  }
}

/** A slash command as Slack posts it: form-encoded and signed with the app's signing secret. */
export function signedCommandRequest(
  secret: string,
  fields: Record<string, string>,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams(fields).toString();
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

/**
 * Sends `/news <text>` from `channel` (team T1, user U1) to the bot's HTTP endpoint, signed
 * with `secret`, as Slack does; resolves with the acknowledgement's body.
 */
export async function slashCommand(
  botUrl: string,
  slack: FakeSlack,
  channel: string,
  text: string,
  secret = 'signing-secret',
): Promise<{ text: string; response_type: string }> {
  const request = signedCommandRequest(secret, {
    team_id: 'T1',
    channel_id: channel,
    user_id: 'U1',
    command: '/news',
    text,
    response_url: slack.responseUrl(channel),
  });
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return (await response.json()) as { text: string; response_type: string };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
