import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../../src/util/logger.js';
import { DeliveryError } from '../../src/ports/notifier.js';
import type { SendLimiter } from '../../src/ports/send-limiter.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { RedisWorkspacePauses } from '../redis/redis-workspace-pauses.js';
import { slackClientOptions, toDeliveryError, type SlackClients } from './slack-notifier.js';

/** How long a workspace's token is reused before the installation is read again. */
const TOKEN_CACHE_MS = 60_000;
/** Waits for the rate limiter up to this long in place; longer, the job is delayed instead. */
const MAX_WAIT_IN_PLACE_MS = 1_500;
/**
 * Deliveries of this process that may wait in place for one workspace at once, and in all:
 * more would hold the worker's slots that other workspaces' deliveries need. The rest are
 * delayed in the queue instead, their slots free.
 */
const MAX_WAITING_PER_WORKSPACE = 3;

export interface SlackWorkspaceClientsOptions {
  /** The workspace's bot token from its installation; `null` when the app is not installed. */
  tokenFor: (teamId: string) => Promise<string | null>;
  pauses: Pick<RedisWorkspacePauses, 'isPaused' | 'pause' | 'resume' | 'claimProbe'>;
  /** Each workspace's and channel's rate limits, across every worker (none: no waiting). */
  limiter?: SendLimiter | undefined;
  /** At most one probe of a paused workspace's token per this interval, across processes. */
  probeIntervalMs: number;
  /** The worker's deliveries in flight: a quarter of them at most may wait in place. */
  concurrency: number;
  clientOptions: WebClientOptions;
  logger: Logger;
}

/**
 * Many workspaces, each through its own installation's bot token (OAuth mode). Per workspace:
 * its rate limit (waited for here, so it earns no 429s), its 429s (which hold only it), and
 * its token's refusal, which pauses only it: its deliveries wait, one probe per interval
 * checks the token, and a reinstall or a working probe resumes it.
 */
export class SlackWorkspaceClients implements SlackClients {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly clients = new Map<string, WebClient>();
  private readonly waiting = new Map<string, number>();
  private waitingInAll = 0;

  constructor(private readonly options: SlackWorkspaceClientsOptions) {}

  async run<T>(channel: ChannelRef, call: (client: WebClient) => Promise<T>): Promise<T> {
    const team = channel.workspaceId;
    if (await this.options.pauses.isPaused(team)) await this.probe(team);
    const token = await this.tokenOrPause(team);
    await this.waitForPlace(channel);
    try {
      return await call(this.client(token));
    } catch (error) {
      const failure = toDeliveryError(error);
      if (failure.kind === 'rate-limited') {
        await this.options.limiter?.holdWorkspace(channel, failure.details.retryAfterMs ?? 1_000);
      }
      if (failure.kind !== 'unauthorized') throw failure;
      // A reinstall may have replaced the token this process still had: try the new one once.
      this.expireToken(team);
      const fresh = await this.tokenOrPause(team);
      if (fresh !== token) return this.retry(fresh, call, team);
      await this.pause(team, failure);
      throw workspaceRefused(failure);
    }
  }

  /**
   * OAuth mode has no one bot token to check at start: each workspace's token is checked by
   * use, and a refused one pauses only its workspace.
   */
  async verify(): Promise<void> {}

  private async retry<T>(
    token: string,
    call: (client: WebClient) => Promise<T>,
    team: string,
  ): Promise<T> {
    try {
      return await call(this.client(token));
    } catch (error) {
      const failure = toDeliveryError(error);
      if (failure.kind !== 'unauthorized') throw failure;
      await this.pause(team, failure);
      throw workspaceRefused(failure);
    }
  }

  /** The paused workspace's one probe per interval; throws while its token is still refused. */
  private async probe(team: string): Promise<void> {
    const paused = new DeliveryError('unauthorized', `Slack: workspace ${team} is paused`, {
      code: 'workspace_paused',
      scope: 'workspace',
    });
    if (!(await this.options.pauses.claimProbe(team, this.options.probeIntervalMs))) throw paused;
    this.expireToken(team);
    const token = await this.token(team);
    try {
      await this.client(token).auth.test();
    } catch (error) {
      const failure = toDeliveryError(error);
      throw failure.kind === 'unauthorized' ? workspaceRefused(failure) : failure;
    }
    if (await this.options.pauses.resume(team)) {
      this.options.logger.info(
        { platform: 'slack', workspace: team },
        'the workspace accepts its bot token again; its deliveries resumed',
      );
    }
  }

  private async pause(team: string, failure: DeliveryError): Promise<void> {
    if (await this.options.pauses.pause(team, failure.message)) {
      this.options.logger.error(
        { platform: 'slack', workspace: team, code: failure.details.code },
        `slack refused this workspace’s bot token, or the app is not installed there: only its ` +
          `deliveries are paused, nobody is unsubscribed and nothing owed is dropped; they ` +
          `resume once the token works again (checked every ${Math.round(this.options.probeIntervalMs / 1000)} s) ` +
          `or the app is (re)installed there`,
      );
    }
  }

  /**
   * Waits for the workspace's and the channel's limits. A short wait is waited here; a long
   * one, or one more waiter than a workspace may hold, is thrown as `rate-limited` so the job
   * is delayed and its slot goes to another workspace.
   */
  private async waitForPlace(channel: ChannelRef): Promise<void> {
    const limiter = this.options.limiter;
    if (!limiter) return;
    const team = channel.workspaceId;
    // One wait in place at most: a job that loses its place again to newer ones is delayed.
    for (let round = 0; ; round++) {
      const waitMs = await limiter.tryTake(channel);
      if (waitMs <= 0) return;
      const waiting = this.waiting.get(team) ?? 0;
      if (
        round > 0 ||
        waitMs > MAX_WAIT_IN_PLACE_MS ||
        waiting >= MAX_WAITING_PER_WORKSPACE ||
        this.waitingInAll >= Math.max(1, Math.floor(this.options.concurrency / 4))
      ) {
        throw new DeliveryError('rate-limited', 'Slack: waiting for the workspace’s rate limit', {
          code: 'own_rate_limit',
          // Spread out, so the delayed jobs of a busy workspace do not all return at once.
          retryAfterMs: waitMs + Math.random() * Math.max(1_000, waitMs),
          scope: 'channel',
          ownLimit: true,
        });
      }
      this.waiting.set(team, waiting + 1);
      this.waitingInAll++;
      try {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      } finally {
        this.waitingInAll--;
        const left = (this.waiting.get(team) ?? 1) - 1;
        if (left > 0) this.waiting.set(team, left);
        else this.waiting.delete(team);
      }
    }
  }

  /**
   * The workspace's token; a workspace with no installation is paused like a refused token.
   * Its channels are never unsubscribed for it: a deployment moving from `SLACK_BOT_TOKEN` to
   * OAuth has no installation until someone adds the app, and a removal Slack announced has
   * already deleted its subscriptions (`app_uninstalled`, `tokens_revoked`).
   */
  private async tokenOrPause(team: string): Promise<string> {
    try {
      return await this.token(team);
    } catch (error) {
      if (error instanceof DeliveryError && error.details.code === 'not_installed') {
        await this.pause(team, error);
      }
      throw error;
    }
  }

  private async token(team: string): Promise<string> {
    const cached = this.tokens.get(team);
    if (cached && cached.until > Date.now()) return cached.token;
    const token = await this.options.tokenFor(team);
    if (!token) {
      this.tokens.delete(team);
      throw new DeliveryError(
        'unauthorized',
        `Slack: the app is not installed in workspace ${team}`,
        { code: 'not_installed', scope: 'workspace' },
      );
    }
    if (cached && cached.token !== token) this.clients.delete(cached.token);
    this.tokens.set(team, { token, until: Date.now() + TOKEN_CACHE_MS });
    return token;
  }

  /** The next use reads the workspace's token again (its client goes if the token changed). */
  private expireToken(team: string): void {
    const cached = this.tokens.get(team);
    if (cached) cached.until = 0;
  }

  /** One client per token; a replaced token's client is dropped with it. */
  private client(token: string): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      if (this.clients.size >= 10_000) this.clients.clear();
      client = new WebClient(token, slackClientOptions(this.options.clientOptions));
      this.clients.set(token, client);
    }
    return client;
  }
}

function workspaceRefused(failure: DeliveryError): DeliveryError {
  return new DeliveryError('unauthorized', failure.message, {
    ...failure.details,
    scope: 'workspace',
  });
}
