import { randomUUID } from 'node:crypto';
import { GrammyError, type Bot } from 'grammy';
import type { Logger } from '../../src/util/logger.js';
import type { RedisClient } from '../redis/redis-connection.js';

/**
 * How long polling is shared out. Telegram answers a second `getUpdates` for one token with
 * 409 Conflict (and ends the first), so of all the `web` and `all` processes of a deployment
 * exactly one polls: the one holding a Redis lease, renewed while it polls. The others stand
 * by and take over within `standbyMs` of the holder stopping (or `leaseMs` of it dying).
 */
export interface PollingOptions {
  /** How long the lease outlives a holder that stopped renewing it (a crash). */
  leaseMs: number;
  renewMs: number;
  /** How often a process on standby tries to take the lease. */
  standbyMs: number;
  /**
   * The wait after a 409 (a poller outside this deployment's lease: another deployment or a
   * developer's machine with the same token, or the moment of a handover).
   */
  conflictWaitMs: number;
  /** Seconds one `getUpdates` long poll waits for an update. */
  timeoutSeconds: number;
}

export const POLLING_DEFAULTS: PollingOptions = {
  leaseMs: 30_000,
  renewMs: 10_000,
  standbyMs: 10_000,
  conflictWaitMs: 5_000,
  timeoutSeconds: 30,
};

/** Extends the lease only if it is still ours: an expired lease may have a new holder. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** One process's claim on the deployment's polling, in Redis. */
export class PollingLease {
  private readonly token = randomUUID();

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW_SCRIPT, 1, this.key, this.token, this.ttlMs)) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key, this.token);
  }
}

/**
 * Runs grammY's long polling (`bot.start()`) while this process holds the lease. grammY
 * confirms each batch's updates with the next `getUpdates` offset, and `bot.stop()` confirms
 * the last one, so a handover neither loses nor repeats updates; an update that a crashed
 * holder took but never confirmed comes again, and the command front-end's claim on its
 * `update_id` keeps it from being answered twice.
 */
export class LeasedPolling {
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly bot: Bot,
    private readonly lease: PollingLease,
    private readonly options: PollingOptions,
    private readonly log: Logger,
    /** Telegram refused the token (401): polling stops for good. */
    private readonly onRefused: (error: GrammyError) => void,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.bot.isRunning()) await this.bot.stop().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    let conflicts = 0;
    while (!this.stopped) {
      const holding = await this.lease.acquire().catch((error: unknown) => {
        this.log.warn({ err: (error as Error).message }, 'telegram: could not reach the lease');
        return false;
      });
      if (!holding) {
        await this.pause(this.options.standbyMs);
        continue;
      }
      this.log.info('telegram: this process polls for commands');
      const renewal = setInterval(() => this.renew(), this.options.renewMs);
      try {
        await this.bot.start({
          timeout: this.options.timeoutSeconds,
          allowed_updates: ['message', 'my_chat_member'],
        });
        conflicts = 0;
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 401) {
          this.stopped = true;
          this.onRefused(error);
        } else if (error instanceof GrammyError && error.error_code === 409) {
          // Said loudly once, then quietly: two pollers take turns until one goes away.
          const log = conflicts++ === 0 ? this.log.error : this.log.warn;
          log.call(
            this.log,
            'telegram: another process polls this bot token outside this deployment (409 Conflict); ' +
              'only one may: stop the other one, or give each deployment its own bot',
          );
          await this.pause(this.options.conflictWaitMs);
        } else {
          this.log.error({ err: (error as Error).message }, 'telegram: polling failed');
          await this.pause(this.options.standbyMs);
        }
      } finally {
        clearInterval(renewal);
        await this.lease.release().catch(() => undefined);
      }
    }
  }

  /** Keeps the lease; a lost one (Redis lost it, or the process stalled) stops the polling. */
  private renew(): void {
    this.lease.renew().then(
      (held) => {
        if (held || !this.bot.isRunning()) return;
        this.log.warn('telegram: lost the polling lease; another process takes over');
        void this.bot.stop().catch(() => undefined);
      },
      (error: unknown) =>
        this.log.warn({ err: (error as Error).message }, 'telegram: could not renew the lease'),
    );
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
