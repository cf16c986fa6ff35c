import { ConsoleNotifier } from '../adapters/console/console-notifier.js';
import type { Route } from '../adapters/http/http-server.js';
import type { CommandService } from './commands/command-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { DeliveryError, Notifier } from './notifier.js';
import type { Platform } from './subscription.js';

/** Part of the composition root: the chat platforms the configuration turns on. */

/**
 * The notifiers of the configured platforms. Each platform's client is loaded only when it is
 * configured: the Slack Web API and Discord REST clients are a third of the start-up time.
 */
export async function buildNotifiers(config: Config, logger: Logger): Promise<Notifier[]> {
  const notifiers: Notifier[] = [new ConsoleNotifier()];
  if (config.slack) {
    const { SlackNotifier } = await import('../adapters/slack/slack-notifier.js');
    const { slackLogger } = await import('../adapters/slack/slack-logger.js');
    notifiers.push(
      new SlackNotifier(config.slack.botToken, {
        slackApiUrl: config.slack.apiUrl,
        logger: slackLogger(logger),
      }),
    );
  }
  if (config.discord) {
    const { DiscordNotifier } = await import('../adapters/discord/discord-notifier.js');
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
    const { SlackCommands } = await import('../adapters/slack/slack-commands.js');
    const slack = new SlackCommands({ ...config.slack, commands, logger });
    await slack.start();
    routes.push(...slack.routes);
    closers.push(() => slack.stop());
    logger.info({ mode: config.slack.appToken ? 'socket' : 'http' }, 'slack commands ready');
  }
  if (config.discord) {
    const { DiscordBot } = await import('../adapters/discord/discord-bot.js');
    const bot = new DiscordBot({
      ...config.discord,
      commands,
      logger,
      onTokenRefused: (error) => hooks.onTokenRefused('discord', error),
    });
    await bot.start();
    closers.push(() => bot.stop());
    if (config.discord.publicKey) {
      const { discordInteractionsRoute } =
        await import('../adapters/discord/discord-interactions.js');
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
