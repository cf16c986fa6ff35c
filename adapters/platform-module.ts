import type { CommandService } from '../src/commands/command-service.js';
import type { ChannelRef } from '../src/model/subscription.js';
import type { DeliveryError, Notifier } from '../src/ports/notifier.js';
import type { Logger } from '../src/util/logger.js';
import type { DeploymentPlatformsDeps } from '../src/platforms/platform-workers.js';
import type { SubscriptionStore } from '../src/ports/subscription-store.js';
import type { Route } from './http/http-server.js';
import type { RedisClient } from './redis/redis-connection.js';
import type { RedisKeys } from './redis/redis-keys.js';

/**
 * What a platform's code implements: `adapters/<id>/platform.ts` exports `platform`, a
 * {@link PlatformModule} for the config its registry entry's section makes. The composition
 * root loads it only when the platform is configured (its client libraries are a third of the
 * start-up time), and never names a platform itself.
 */
export interface PlatformModule<PlatformConfig> {
  open(context: PlatformContext<PlatformConfig>): Promise<OpenPlatform>;
}

/** What the composition root gives a platform when it opens it. */
export interface PlatformContext<PlatformConfig> {
  /** The platform's own configuration (its section in `src/config/`). */
  config: PlatformConfig;
  /** Settings of the whole deployment a platform may need. */
  shared: {
    deliveryConcurrency: number;
    /** At most one probe of a paused workspace or platform per this interval. */
    probeIntervalMs: number;
    /** Behind a reverse proxy: a client is told by `X-Forwarded-For`. */
    trustProxy: boolean;
  };
  /** For what the platform keeps in Redis of its own (Slack's installations). */
  redis: RedisClient;
  keys: RedisKeys;
  logger: Logger;
  /** Tests' knobs, passed through as given (see `AppOptions.platformOptions`). */
  options: Record<string, unknown>;
  now?: () => Date;
}

/** A platform opened for this process. */
export interface OpenPlatform {
  notifier: Notifier;
  /** Starts what receives `/news` from the platform's people; absent where nobody types. */
  startCommands?: (commands: CommandService, hooks: CommandHooks) => Promise<CommandFrontend>;
  /**
   * Called when this process has no chat platform: a platform the deployment falls back to
   * (the console) may then take alerts that would otherwise go nowhere.
   */
  whenNoChat?: (deps: NoChatDeps) => Promise<void>;
  /**
   * A webhook destination platform's test: posts a sample alert to the destination and
   * returns its answer (throws `DeliveryError` as `send` does).
   */
  testDestination?: (channel: ChannelRef) => Promise<{ status: number; body: string }>;
  /** Counts of the platform's own for `GET /healthz`, under `name`. */
  health?: { name: string; read: () => Promise<unknown> };
}

export interface CommandFrontend {
  /** HTTP routes to mount on the bot's server (slash commands, interactions, OAuth). */
  routes: Route[];
  close(): Promise<void>;
}

/** What a fallback platform may read and change when the process has no chat platform. */
export interface NoChatDeps extends Omit<DeploymentPlatformsDeps, 'platforms'> {
  subscriptions: DeploymentPlatformsDeps['subscriptions'] &
    Pick<SubscriptionStore, 'get' | 'subscribe'>;
  /** The source a fallback channel follows. */
  defaultSource: string;
  logger: Logger;
}

/** What a platform's command front-end tells the rest of the bot. */
export interface CommandHooks {
  /** The platform refused the bot's token while running (Discord's gateway closing with 4004). */
  onTokenRefused: (error: DeliveryError) => Promise<void>;
  /** True the first time an interaction id is seen (across processes): replays are refused. */
  claimInteraction: (id: string) => Promise<boolean>;
  /** The bot left a workspace (uninstalled, token revoked, removed from a server). */
  onWorkspaceRemoved: (workspaceId: string, why: string) => Promise<void>;
  /** A channel was deleted: it follows nothing any more. */
  onChannelDeleted: (channel: ChannelRef) => Promise<void>;
  /**
   * A channel lives on under a new id, the old one refused from now on (a Telegram group
   * upgraded to a supergroup): its subscriptions and schedule move to `to`.
   */
  onChannelMoved: (from: ChannelRef, to: ChannelRef) => Promise<void>;
}
