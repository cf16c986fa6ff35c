import type { SlackConfig } from '../../src/config/config-slack.js';
import type { CommandHooks, PlatformModule } from '../platform-module.js';
import type { Logger } from '../../src/util/logger.js';
import type { InstallLimits } from './redis-oauth-states.js';
import { slackLogger } from './slack-logger.js';
import { SlackNotifier } from './slack-notifier.js';
import { SlackWorkspaceClients } from './slack-workspace-clients.js';
import { openSlackWorkspaces, type SlackWorkspaceStores } from './slack-workspace-stores.js';

/**
 * Slack: alerts through the Web API, `/news` over HTTP or Socket Mode (Bolt), and in OAuth mode
 * many workspaces, each installed through "Add to Slack" with its own token (kept encrypted).
 */
export const platform: PlatformModule<SlackConfig> = {
  async open({ config, shared, redis, keys, logger, options, now }) {
    const installLimits = options['slackInstallLimits'] as Partial<InstallLimits> | undefined;
    const workspaces = config.oauth
      ? await openSlackWorkspaces(config.oauth, redis, keys, {
          ...(installLimits ? { installLimits } : {}),
          ...(now ? { now } : {}),
        })
      : null;
    const clientOptions = { slackApiUrl: config.apiUrl, logger: slackLogger(logger) };
    const notifier = workspaces
      ? new SlackNotifier(
          new SlackWorkspaceClients({
            tokenFor: (team) => workspaces.installations.botToken(team),
            pauses: workspaces.pauses,
            limiter: workspaces.limiter,
            probeIntervalMs: shared.probeIntervalMs,
            concurrency: shared.deliveryConcurrency,
            clientOptions,
            logger,
          }),
        )
      : new SlackNotifier(config.botToken!, clientOptions);
    return {
      notifier,
      startCommands: async (commands, hooks) => {
        // Loaded only here: worker processes never pay for Bolt.
        const { SlackCommands } = await import('./slack-commands.js');
        const slack = new SlackCommands({
          ...config,
          ...(workspaces ? { tokenFor: (team) => workspaces.installations.botToken(team) } : {}),
          onWorkspaceRemoved: (team, why) => forgetWorkspace(workspaces, hooks, team, why, logger),
          commands,
          logger,
        });
        await slack.start();
        const routes = [...slack.routes];
        if (config.oauth && workspaces) {
          const { slackOAuthRoutes } = await import('./slack-oauth.js');
          routes.push(
            ...slackOAuthRoutes({
              ...config.oauth,
              stateStore: workspaces.states,
              installationStore: workspaces.installations,
              apiUrl: config.apiUrl,
              trustProxy: shared.trustProxy,
              logger,
            }),
          );
        }
        logger.info(
          {
            mode: config.appToken ? 'socket' : 'http',
            workspaces: config.oauth ? 'oauth' : 'single',
          },
          'slack commands ready',
        );
        return { routes, close: () => slack.stop() };
      },
      ...(workspaces
        ? {
            health: {
              name: 'slackWorkspaces',
              read: async () => ({
                installed: (await workspaces.installations.teams()).length,
                // Counts only: which organisations use the bot is not for an open endpoint.
                paused: (await workspaces.pauses.list()).size,
              }),
            },
          }
        : {}),
    };
  },
};

/**
 * Subscriptions first, the installation last: if Redis fails in between, the workspace is
 * still installed and its channels still owed, never the other way round.
 */
async function forgetWorkspace(
  workspaces: SlackWorkspaceStores | null,
  hooks: CommandHooks,
  team: string,
  why: string,
  logger: Logger,
): Promise<void> {
  try {
    await hooks.onWorkspaceRemoved(team, why);
    const uninstalled = (await workspaces?.installations.remove(team)) ?? false;
    if (uninstalled) logger.info({ team, why }, 'slack installation deleted');
  } catch (error) {
    logger.error(
      { team, why, err: (error as Error).message },
      'could not forget a workspace that removed the app; its subscriptions may remain',
    );
    throw error;
  }
}
