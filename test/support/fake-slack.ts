import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startHttpServer, type LocalServer } from './http-server.js';
import { SlackMessages, type SlackAnswer } from './fake-slack-messages.js';
import { SlackRateLimits, type SlackLimits } from './fake-slack-rate-limits.js';
import { eventEnvelope, type SlackCommandOrigin } from './fake-slack-requests.js';
import { SlackResponses, type SlackReply } from './fake-slack-responses.js';
import { SlackSocket } from './fake-slack-socket.js';
import { SlackWorkspaces } from './fake-slack-workspaces.js';

export type { PostedMessage } from './fake-slack-messages.js';
export {
  appUninstalledEvent,
  eventEnvelope,
  sendEvent,
  signedCommandRequest,
  signedEventRequest,
  slashCommand,
  slashCommandFrom,
  tokensRevokedEvent,
} from './fake-slack-requests.js';

/** One Web API call as the fake answered it, at the fake's time. */
export interface SlackCall {
  method: string;
  /** The token's team, when the token was good. */
  team: string | null;
  channel: string | null;
  at: number;
  /** `ok`, Slack's error, `ratelimited`, or the HTTP failure a test planted. */
  answer: string;
  /** Seconds, on a 429. */
  retryAfter?: number;
}

/**
 * A local Slack: the Web API methods the bot calls (form-encoded, Bearer token), response
 * URLs, and the Socket Mode WebSocket. Every call is checked as Slack checks it: the token
 * (registered to one team), the rate limits, the channel's team, the message's limits.
 * Records what it was asked and what it answered; fails on demand per channel or team.
 * Windows and expiries run on `now`, which a test may replace with its own clock.
 */
export class FakeSlack implements SlackCommandOrigin {
  /** The fake's clock: rate-limit windows, response URL lifetimes, message ts. */
  now: () => number = () => Date.now();
  readonly workspaces = new SlackWorkspaces();
  readonly messages = new SlackMessages(() => this.now());
  readonly rates = new SlackRateLimits(() => this.now());
  readonly replies = new SlackResponses(() => this.now());
  private readonly socket = new SlackSocket();
  /** Every Web API call, in order. */
  readonly requests: SlackCall[] = [];
  /** chat.postMessage calls per team, whatever the answer: a count without scanning `calls`. */
  readonly postCallsByTeam = new Map<string, number>();
  /**
   * Message calls in a channel that fail below the Web API: an HTTP status (Slack's 5xx) or
   * `reset`, the connection dropped without an answer.
   */
  readonly transportFaults = new Map<string, 500 | 502 | 503 | 'reset'>();
  /** Time chat.postMessage takes to answer, to catch a worker mid-fan-out. */
  postDelayMs = 0;
  /** How `limits.latencyMs` is waited out: a test of the latency itself holds calls here instead. */
  wait: (ms: number) => Promise<unknown> = (ms) => sleep(ms);
  private server: LocalServer | null = null;
  private commandCount = 0;

  get url(): string {
    return this.server!.url;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  // The parts' state, under the names the tests have always used.
  get posted() {
    return this.messages.posted;
  }
  get updates() {
    return this.messages.updates;
  }
  get channelErrors() {
    return this.messages.channelErrors;
  }
  get contentFaults() {
    return this.messages.contentFaults;
  }
  get refused() {
    return this.messages.refused;
  }
  get lastPostAt() {
    return this.messages.lastPostAt;
  }
  get rateLimits() {
    return this.rates.rateLimits;
  }
  get teamRateLimits() {
    return this.rates.teamRateLimits;
  }
  get limits(): SlackLimits | null {
    return this.rates.limits;
  }
  set limits(limits: SlackLimits | null) {
    this.rates.limits = limits;
  }
  get rejected429() {
    return this.rates.rejected429;
  }
  get rejected429ByTeam() {
    return this.rates.rejected429ByTeam;
  }
  get responses() {
    return this.replies.responses;
  }
  get revokedTokens() {
    return this.workspaces.revokedTokens;
  }
  get oauthApp() {
    return this.workspaces.oauthApp;
  }
  set oauthApp(app: { clientId: string; clientSecret: string }) {
    this.workspaces.oauthApp = app;
  }
  get oauthExchanges() {
    return this.workspaces.oauthExchanges;
  }
  /** The methods called, in order. */
  get calls(): string[] {
    return this.requests.map((call) => call.method);
  }
  get socketConnected(): boolean {
    return this.socket.connected;
  }

  /** A response URL named `id`, for a payload a test builds itself; its 30 minutes start now. */
  responseUrl(id: string): string {
    this.replies.issue(id);
    return `${this.url}/respond/${id}`;
  }

  /**
   * A fresh response URL for one command, as Slack gives every command its own; what is
   * posted to it is recorded under `label` (say, the channel), whichever command it answered.
   */
  commandResponseUrl(label: string): string {
    const key = `${label}/${++this.commandCount}`;
    this.replies.issue(key);
    return `${this.url}/respond/${key}`;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    this.server.server.on('upgrade', (req, socket, head) => this.socket.upgrade(req, socket, head));
    return this;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.server?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = req.url ?? '';
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(value));
    };
    if (path.startsWith('/respond/')) {
      const answer = this.replies.answer(path.slice('/respond/'.length), body);
      return json(answer.status, answer.body);
    }
    const method = path.replace(/^\/api\//, '').split('?')[0]!;
    const form = Object.fromEntries(new URLSearchParams(body));
    const call: SlackCall = {
      method,
      team: null,
      channel: form.channel ?? null,
      at: this.now(),
      answer: 'ok',
    };
    this.requests.push(call);
    const answer = (value: SlackAnswer) => {
      if (value.ok === false) call.answer = String(value.error);
      json(200, value);
    };
    if (this.limits?.latencyMs) await this.wait(this.limits.latencyMs);
    // The one method called without a token: the app authenticates as itself.
    if (method === 'oauth.v2.access') return answer(this.workspaces.exchangeCode(req, form));
    // Like Slack, every other method checks the token first.
    const refusal = this.workspaces.refusal(req.headers.authorization, method);
    if (refusal) return answer({ ok: false, error: refusal });
    if (method === 'apps.connections.open') {
      return answer({ ok: true, url: `${this.url.replace('http', 'ws')}/socket` });
    }
    const team = this.workspaces.teamOf(req.headers.authorization)!;
    call.team = team;
    if (method === 'auth.test') {
      return answer({
        ok: true,
        team_id: team,
        team: this.workspaces.teamName(team),
        user_id: 'UBOT',
        bot_id: 'BBOT',
        user: 'esg-news',
      });
    }
    if (method !== 'chat.postMessage' && method !== 'chat.update') {
      return answer({ ok: false, error: 'unknown_method' });
    }
    const channel = form.channel ?? '';
    if (method === 'chat.postMessage') {
      this.postCallsByTeam.set(team, (this.postCallsByTeam.get(team) ?? 0) + 1);
      if (this.postDelayMs) await sleep(this.postDelayMs);
    }
    const transport = this.transportFaults.get(channel);
    if (transport === 'reset') {
      call.answer = 'reset';
      req.socket.destroy();
      return;
    }
    if (transport !== undefined) {
      call.answer = `HTTP ${transport}`;
      return json(transport, { ok: false, error: 'fatal_error' });
    }
    const retryAfter = this.rates.check(method, team, channel);
    if (retryAfter !== null) {
      call.answer = 'ratelimited';
      call.retryAfter = retryAfter;
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    // A channel of another workspace does not exist for this token.
    if (!this.workspaces.hasChannel(team, channel)) {
      return answer({ ok: false, error: 'channel_not_found' });
    }
    return answer(
      method === 'chat.postMessage'
        ? this.messages.post(team, form, req.headers.authorization)
        : this.messages.update(team, form),
    );
  }

  /** Registers a workspace and its bot token: calls with the token act in that workspace. */
  addTeam(teamId: string, botToken: string, name = teamId): this {
    this.workspaces.addTeam(teamId, botToken, name);
    return this;
  }

  /** Creates channels in a workspace; only that team's token may post or edit there. */
  addChannel(teamId: string, ...channelIds: string[]): void {
    this.workspaces.addChannel(teamId, ...channelIds);
  }

  /** See {@link SlackWorkspaces.issueCode}. */
  issueCode(
    teamId: string,
    options: { botToken?: string; teamName?: string; scopes?: string } = {},
  ): string {
    return this.workspaces.issueCode(teamId, options);
  }

  /** Revokes every token of a team, as uninstalling the app does. */
  uninstall(teamId: string): void {
    this.workspaces.uninstall(teamId);
  }

  /** Revokes a bot token, as uninstalling or rotating it does: every later call is refused. */
  revoke(token: string): void {
    this.workspaces.revoke(token);
  }

  /** Messages posted in one team. */
  postedIn(teamId: string) {
    return this.messages.postedIn(teamId);
  }

  /** How many times `method` was called. */
  callCount(method: string): number {
    return this.requests.filter((call) => call.method === method).length;
  }

  /** Throws when Slack would refuse a command's acknowledgement (the user would see an error). */
  checkAcknowledgement(body: unknown): void {
    const problems = this.replies.acknowledgementProblems(body as SlackReply | null);
    if (problems.length > 0) {
      throw new Error(`Slack would refuse this acknowledgement: ${problems.join('; ')}`);
    }
  }

  /** Sends an Events API event over Socket Mode; resolves once the bot acknowledged it. */
  sendSocketEvent(teamId: string, event: Record<string, unknown>): Promise<unknown> {
    return this.socket.send('events_api', eventEnvelope(teamId, event), false);
  }

  /**
   * Sends a slash command over Socket Mode from the payload's channel (created in its team);
   * resolves with the payload the bot acknowledged with, which Slack must be able to show.
   */
  async sendSlashCommand(payload: Record<string, string>): Promise<unknown> {
    if (payload.team_id && payload.channel_id) {
      this.addChannel(payload.team_id, payload.channel_id);
    }
    const ack = await this.socket.send('slash_commands', payload, true);
    this.checkAcknowledgement(ack);
    return ack;
  }
}
