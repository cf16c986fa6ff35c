import { ConsoleNotifier } from '../../adapters/console/console-notifier.js';
import type { Route } from '../../adapters/http/http-server.js';
import type { CommandService } from '../commands/command-service.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../shared/logger.js';
import type { DeliveryError, Notifier } from '../ports/notifier.js';
import type { SlackWorkspaceStores } from './slack-workspaces.js';
import type { ChannelRef, Platform } from '../model/subscription.js';

/** Part of the composition root: the chat platforms the configuration turns on. */

/**
 * The notifiers of the configured platforms. Each platform's client is loaded only when it is
 * configured: the Slack Web API and Discord REST clients are a third of the start-up time.
 */
export async function buildNotifiers(
  config: Config,
  logger: Logger,
  slackWorkspaces: SlackWorkspaceStores | null = null,
): Promise<Notifier[]> {
  const notifiers: Notifier[] = [new ConsoleNotifier()];
  if (config.slack) {
    const { SlackNotifier } = await import('../../adapters/slack/slack-notifier.js');
    const { slackLogger } = await import('../../adapters/slack/slack-logger.js');
    const clientOptions = { slackApiUrl: config.slack.apiUrl, logger: slackLogger(logger) };
    if (slackWorkspaces) {
      const { SlackWorkspaceClients } =
        await import('../../adapters/slack/slack-workspace-clients.js');
      const clients = new SlackWorkspaceClients({
        tokenFor: (team) => slackWorkspaces.installations.botToken(team),
        pauses: slackWorkspaces.pauses,
        limiter: slackWorkspaces.limiter,
        probeIntervalMs: config.probeIntervalMs,
        concurrency: config.deliveryConcurrency,
        clientOptions,
        logger,
      });
      notifiers.push(new SlackNotifier(clients));
    } else if (config.slack.botToken) {
      notifiers.push(new SlackNotifier(config.slack.botToken, clientOptions));
    }
  }
  if (config.discord) {
    const { DiscordNotifier } = await import('../../adapters/discord/discord-notifier.js');
    notifiers.push(
      new DiscordNotifier(config.discord.token, config.discord.apiUrl, config.rateLimits.discord),
    );
  }
  return notifiers;
}

export interface ChatFrontends {
  routes: Route[];
  close(): Promise<void>;
}

export interface ChatFrontendHooks {
  /** A platform refused the bot's token while running (Discord's gateway closing with 4004). */
  onTokenRefused: (platform: Platform, error: DeliveryError) => Promise<void>;
  /** True the first time an interaction id is seen (across processes): replays are refused. */
  claimInteraction: (id: string) => Promise<boolean>;
  /** The bot left a workspace (uninstalled, token revoked, removed from a server). */
  onWorkspaceRemoved: (platform: Platform, workspaceId: string, why: string) => Promise<void>;
  /** A channel was deleted: it follows nothing any more. */
  onChannelDeleted: (channel: ChannelRef) => Promise<void>;
  /** OAuth mode's stores (installations, install states), when Slack is in OAuth mode. */
  slackWorkspaces: SlackWorkspaceStores | null;
}

/** Starts what receives `/news`: Slack over HTTP or Socket Mode, the Discord gateway bot and endpoint. */
export async function startChatFrontends(
  config: Config,
  commands: CommandService,
  logger: Logger,
  hooks: ChatFrontendHooks,
): Promise<ChatFrontends> {
  const routes: Route[] = [];
  const closers: Array<() => Promise<void>> = [];
  // Loaded only here: worker processes never pay for Bolt or the discord.js client.
  if (config.slack) {
    const { SlackCommands } = await import('../../adapters/slack/slack-commands.js');
    const workspaces = hooks.slackWorkspaces;
    const slack = new SlackCommands({
      ...config.slack,
      ...(workspaces ? { tokenFor: (team) => workspaces.installations.botToken(team) } : {}),
      // Subscriptions first, the installation last: if Redis fails in between, the workspace
      // is still installed and its channels still owed, never the other way round.
      onWorkspaceRemoved: async (team, why) => {
        try {
          await hooks.onWorkspaceRemoved('slack', team, why);
          const uninstalled = (await workspaces?.installations.remove(team)) ?? false;
          if (uninstalled) logger.info({ team, why }, 'slack installation deleted');
        } catch (error) {
          logger.error(
            { team, why, err: (error as Error).message },
            'could not forget a workspace that removed the app; its subscriptions may remain',
          );
          throw error;
        }
      },
      commands,
      logger,
    });
    await slack.start();
    routes.push(...slack.routes);
    closers.push(() => slack.stop());
    if (config.slack.oauth && workspaces) {
      const { slackOAuthRoutes } = await import('../../adapters/slack/slack-oauth.js');
      routes.push(
        ...slackOAuthRoutes({
          ...config.slack.oauth,
          stateStore: workspaces.states,
          installationStore: workspaces.installations,
          apiUrl: config.slack.apiUrl,
          trustProxy: config.trustProxy,
          logger,
        }),
      );
    }
    logger.info(
      {
        mode: config.slack.appToken ? 'socket' : 'http',
        workspaces: config.slack.oauth ? 'oauth' : 'single',
      },
      'slack commands ready',
    );
  }
  if (config.discord) {
    const { DiscordBot } = await import('../../adapters/discord/discord-bot.js');
    const bot = new DiscordBot({
      ...config.discord,
      commands,
      logger,
      onTokenRefused: (error) => hooks.onTokenRefused('discord', error),
      onGuildLeft: (guildId) => hooks.onWorkspaceRemoved('discord', guildId, 'removed from server'),
      onChannelDeleted: hooks.onChannelDeleted,
    });
    await bot.start();
    closers.push(() => bot.stop());
    if (config.discord.publicKey) {
      const { discordInteractionsRoute } =
        await import('../../adapters/discord/discord-interactions.js');
      routes.push(
        discordInteractionsRoute({
          publicKey: config.discord.publicKey,
          apiUrl: config.discord.apiUrl,
          commands,
          logger,
          claimInteraction: hooks.claimInteraction,
        }),
      );
    }
  }
  return {
    routes,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
