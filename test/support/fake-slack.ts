import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** The workspace the token belongs to. */
  team: string;
  /** How Slack was asked to parse `text` (`none`, `full`; absent: its default). */
  parse?: string;
}

/** The team every unregistered `xoxb-` token belongs to. */
const DEFAULT_TEAM = 'T1';

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
  limits: {
    perWorkspacePerSecond: number;
    /** Messages per channel in any one-second span (default 1). */
    perChannelPerSecond?: number;
    /** Every Web API call answers after this long. */
    latencyMs?: number;
  } | null = null;
  /** How `latencyMs` is waited out: a test of the latency itself holds calls here instead. */
  wait: (ms: number) => Promise<unknown> = (ms) => sleep(ms);
  /** 429s answered by the limits and `teamRateLimits`: in all, and per team. */
  rejected429 = 0;
  readonly rejected429ByTeam = new Map<string, number>();
  /** chat.postMessage calls per team, whatever the answer: a count without scanning `calls`. */
  readonly postCallsByTeam = new Map<string, number>();
  lastPostAt = 0;
  /** Per team: when its messages of the last second were posted. */
  private readonly recentPosts = new Map<string, number[]>();
  /** How many more 429s a whole team gets, and the Retry-After (seconds) they carry. */
  readonly teamRateLimits = new Map<string, { remaining: number; retryAfter: number }>();
  /** Bot token → its team; unregistered `xoxb-` tokens belong to T1. */
  private readonly tokenTeams = new Map<string, string>();
  /** Unregistered tokens seen so far (all T1's), so that `uninstall('T1')` revokes them too. */
  private readonly defaultTeamTokens = new Set<string>();
  private readonly teamNames = new Map<string, string>();
  /** The app's credentials `oauth.v2.access` checks. */
  oauthApp = { clientId: '1111.2222', clientSecret: 'client-secret' };
  /** One-time install codes → the team and token they install. */
  private readonly codes = new Map<string, { team: string; token: string; scopes: string }>();
  /** Successful `oauth.v2.access` exchanges. */
  oauthExchanges = 0;
  /**
   * Channels whose messages Slack refuses whatever the limits say: `blocks` refuses any
   * message with blocks (`invalid_blocks`), `all` refuses every message (`msg_too_long`).
   */
  readonly contentFaults = new Map<string, 'blocks' | 'all'>();
  /** Messages refused for their content, with Slack's error. */
  readonly refused: Array<{ channel: string; error: string; problems: string[] }> = [];
  /** Tokens Slack no longer accepts (revoked, or the app reinstalled). */
  readonly revokedTokens = new Set<string>(['xoxb-refused']);
  private readonly channelPosts = new Map<string, number[]>();

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
      if (this.limits?.latencyMs) await this.wait(this.limits.latencyMs);
      // The one method called without a token: the app authenticates as itself.
      if (method === 'oauth.v2.access') return json(200, this.exchangeCode(req, form));
      // Like Slack, every other method checks the token first.
      const refusal = this.checkToken(req.headers.authorization, method);
      if (refusal) return json(200, { ok: false, error: refusal });
      const team = this.teamOf(req.headers.authorization);
      switch (method) {
        case 'auth.test':
          return json(200, {
            ok: true,
            team_id: team,
            team: this.teamNames.get(team) ?? 'ESG',
            user_id: 'UBOT',
            bot_id: 'BBOT',
            user: 'esg-news',
          });
        case 'apps.connections.open':
          return json(200, { ok: true, url: `${this.url.replace('http', 'ws')}/socket` });
        case 'chat.postMessage': {
          const channel = form.channel ?? '';
          this.postCallsByTeam.set(team, (this.postCallsByTeam.get(team) ?? 0) + 1);
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
          const teamLimit = this.teamRateLimits.get(team);
          if (teamLimit && teamLimit.remaining > 0) {
            teamLimit.remaining--;
            this.count429(team);
            return json(
              429,
              { ok: false, error: 'ratelimited' },
              { 'retry-after': String(teamLimit.retryAfter) },
            );
          }
          if (this.limits && !this.withinLimits(team, channel)) {
            this.count429(team);
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
            team,
            ...(form.parse !== undefined ? { parse: form.parse } : {}),
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
          // Like Slack: an update not saying how to parse is parsed by its default again.
          if (form.parse !== undefined) message.parse = form.parse;
          else delete message.parse;
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

  /** Registers a workspace and its bot token: calls with the token act in that workspace. */
  addTeam(teamId: string, botToken: string, name = teamId): void {
    this.tokenTeams.set(botToken, teamId);
    this.teamNames.set(teamId, name);
  }

  /**
   * A one-time code for installing the app into `teamId`, as Slack hands the browser on the
   * redirect after the user approved; `oauth.v2.access` exchanges it for the bot token (fresh
   * and unique unless given), registered to the team here already.
   */
  issueCode(
    teamId: string,
    options: { botToken?: string; teamName?: string; scopes?: string } = {},
  ): string {
    const code = `code-${randomBytes(9).toString('hex')}`;
    const token = options.botToken ?? `xoxb-${teamId}-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, {
      team: teamId,
      token,
      scopes: options.scopes ?? 'commands,chat:write,chat:write.public',
    });
    this.addTeam(teamId, token, options.teamName ?? this.teamNames.get(teamId) ?? teamId);
    return code;
  }

  /** Revokes every token of a team, as uninstalling the app does. */
  uninstall(teamId: string): void {
    for (const [token, team] of this.tokenTeams) if (team === teamId) this.revoke(token);
    if (teamId === DEFAULT_TEAM) for (const token of this.defaultTeamTokens) this.revoke(token);
  }

  /** Messages posted in one team. */
  postedIn(teamId: string): PostedMessage[] {
    return this.posted.filter((message) => message.team === teamId);
  }

  /** `oauth.v2.access`: client credentials by Basic auth or form, and a one-time code. */
  private exchangeCode(
    req: IncomingMessage,
    form: Record<string, string>,
  ): Record<string, unknown> {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const credentials = basic ? Buffer.from(basic, 'base64').toString('utf8') : null;
    // The secret may hold a colon; the id never does.
    const [id, secret] = credentials
      ? [
          credentials.slice(0, credentials.indexOf(':')),
          credentials.slice(credentials.indexOf(':') + 1),
        ]
      : [form.client_id, form.client_secret];
    if (id !== this.oauthApp.clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== this.oauthApp.clientSecret) return { ok: false, error: 'bad_client_secret' };
    const grant = this.codes.get(form.code ?? '');
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(form.code!);
    // A fresh install: the token works even if an earlier uninstall revoked it.
    this.addTeam(grant.team, grant.token, this.teamNames.get(grant.team));
    this.revokedTokens.delete(grant.token);
    this.oauthExchanges++;
    return {
      ok: true,
      app_id: 'A1',
      authed_user: { id: 'U-installer' },
      scope: grant.scopes,
      token_type: 'bot',
      access_token: grant.token,
      bot_user_id: 'UBOT',
      team: { id: grant.team, name: this.teamNames.get(grant.team) },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private teamOf(authorization: string | undefined): string {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    const team = this.tokenTeams.get(token);
    if (team) return team;
    this.defaultTeamTokens.add(token);
    return DEFAULT_TEAM;
  }

  private count429(team: string): void {
    this.rejected429++;
    this.rejected429ByTeam.set(team, (this.rejected429ByTeam.get(team) ?? 0) + 1);
  }

  /** Sends an Events API event over Socket Mode; resolves once the bot acknowledged it. */
  sendSocketEvent(teamId: string, event: Record<string, unknown>): Promise<unknown> {
    return this.sendEnvelope('events_api', eventEnvelope(teamId, event), false);
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

  /** Slack's limits over any one-second span: per team, and per channel of the team. */
  private withinLimits(team: string, channel: string): boolean {
    const now = Date.now();
    const recent = lastSecond(this.recentPosts, team, now);
    if (recent.length >= this.limits!.perWorkspacePerSecond) return false;
    const inChannel = lastSecond(this.channelPosts, `${team}/${channel}`, now);
    if (inChannel.length >= (this.limits!.perChannelPerSecond ?? 1)) return false;
    recent.push(now);
    inChannel.push(now);
    return true;
  }

  get socketConnected(): boolean {
    return this.socket !== null;
  }

  /** Sends a slash command over Socket Mode; resolves with the payload the bot acknowledged with. */
  sendSlashCommand(payload: Record<string, string>): Promise<unknown> {
    return this.sendEnvelope('slash_commands', payload, true);
  }

  /** Sends one Socket Mode envelope; resolves with the payload the bot acknowledged it with. */
  private sendEnvelope(type: string, payload: unknown, acceptsResponse: boolean): Promise<unknown> {
    const envelopeId = `env-${Math.random().toString(36).slice(2)}`;
    return new Promise((resolve) => {
      this.acks.set(envelopeId, resolve);
      this.socket!.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          accepts_response_payload: acceptsResponse,
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
export function slashCommand(
  botUrl: string,
  slack: FakeSlack,
  channel: string,
  text: string,
  secret = 'signing-secret',
): Promise<{ text: string; response_type: string }> {
  return slashCommandFrom(botUrl, slack, DEFAULT_TEAM, channel, text, secret);
}

/**
 * `slashCommand` from a channel of another workspace. Its response URL is named
 * `<team>-<channel>` (T1's just `<channel>`), so that two teams' channels never share one.
 */
export async function slashCommandFrom(
  botUrl: string,
  slack: FakeSlack,
  team: string,
  channel: string,
  text: string,
  secret = 'signing-secret',
): Promise<{ text: string; response_type: string }> {
  const request = signedCommandRequest(secret, {
    team_id: team,
    channel_id: channel,
    user_id: 'U1',
    command: '/news',
    text,
    response_url: slack.responseUrl(team === DEFAULT_TEAM ? channel : `${team}-${channel}`),
  });
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return (await response.json()) as { text: string; response_type: string };
}

/** The times in `windows[key]` within the last second, older ones dropped. */
function lastSecond(windows: Map<string, number[]>, key: string, now: number): number[] {
  let times = windows.get(key);
  if (!times) windows.set(key, (times = []));
  while (times.length > 0 && times[0]! <= now - 1000) times.shift();
  return times;
}

/** Slack's `event_callback` envelope of an Events API event in one workspace. */
export function eventEnvelope(
  teamId: string,
  event: Record<string, unknown>,
): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: teamId,
    api_app_id: 'A1',
    event: { ...event, event_ts: `${Date.now() / 1000}` },
    type: 'event_callback',
    event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: teamId,
        user_id: 'UBOT',
        is_bot: true,
        enterprise_id: null,
        is_enterprise_install: false,
      },
    ],
  };
}

export const appUninstalledEvent = () => ({ type: 'app_uninstalled' });

/** Slack's `tokens_revoked`: the bot users (and users) whose tokens were revoked. */
export const tokensRevokedEvent = (botUserIds: string[]) => ({
  type: 'tokens_revoked',
  tokens: { bot: botUserIds },
});

/** A JSON body signed as Slack signs requests to the bot. */
export function signedEventRequest(
  secret: string,
  envelope: Record<string, unknown>,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(envelope);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

/** Posts an Events API event of `teamId` to the bot's `/slack/events`, as Slack does. */
export async function sendEvent(
  botUrl: string,
  secret: string,
  teamId: string,
  event: Record<string, unknown>,
): Promise<Response> {
  const request = signedEventRequest(secret, eventEnvelope(teamId, event));
  return fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
