import { ConsoleNotifier } from '../adapters/console/console-notifier.js';
import type { Route } from '../adapters/http/http-server.js';
import { SlackCommands } from '../adapters/slack/slack-commands.js';
import { slackLogger } from '../adapters/slack/slack-logger.js';
import { SlackNotifier } from '../adapters/slack/slack-notifier.js';
import type { CommandService } from './commands/command-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Notifier } from './notifier.js';

/** Part of the composition root: the chat platforms the configuration turns on. */

export function buildNotifiers(config: Config, logger: Logger): Notifier[] {
  const notifiers: Notifier[] = [new ConsoleNotifier()];
  if (config.slack) {
    notifiers.push(
      new SlackNotifier(config.slack.botToken, {
        slackApiUrl: config.slack.apiUrl,
        logger: slackLogger(logger),
      }),
    );
  }
  return notifiers;
}

export interface ChatFrontends {
  routes: Route[];
  close(): Promise<void>;
}

/** Starts what receives `/news`: Slack over HTTP or Socket Mode. */
export async function startChatFrontends(
  config: Config,
  commands: CommandService,
  logger: Logger,
): Promise<ChatFrontends> {
  const routes: Route[] = [];
  const closers: Array<() => Promise<void>> = [];
  if (config.slack) {
    const slack = new SlackCommands({ ...config.slack, commands, logger });
    await slack.start();
    routes.push(...slack.routes);
    closers.push(() => slack.stop());
    logger.info({ mode: config.slack.appToken ? 'socket' : 'http' }, 'slack commands ready');
  }
  return {
    routes,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
