import type { DiscordConfig } from '../../src/config/config-discord.js';
import type { PlatformModule } from '../platform-module.js';
import { DiscordNotifier } from './discord-notifier.js';

/**
 * Discord: alerts through the REST API, `/news` through the gateway bot and, with a public
 * key, the interactions endpoint.
 */
export const platform: PlatformModule<DiscordConfig> = {
  open({ config, logger }) {
    return Promise.resolve({
      notifier: new DiscordNotifier(config.token, config.apiUrl, config.rateLimit),
      startCommands: async (commands, hooks) => {
        // Loaded only here: worker processes never pay for the discord.js client.
        const { DiscordBot } = await import('./discord-bot.js');
        const bot = new DiscordBot({
          ...config,
          commands,
          logger,
          onTokenRefused: hooks.onTokenRefused,
          onGuildLeft: (guildId) => hooks.onWorkspaceRemoved(guildId, 'removed from server'),
          onChannelDeleted: hooks.onChannelDeleted,
        });
        await bot.start();
        const routes = [];
        if (config.publicKey) {
          const { discordInteractionsRoute } = await import('./discord-interactions.js');
          routes.push(
            discordInteractionsRoute({
              publicKey: config.publicKey,
              apiUrl: config.apiUrl,
              commands,
              logger,
              claimInteraction: hooks.claimInteraction,
            }),
          );
        }
        return { routes, close: () => bot.stop() };
      },
    });
  },
};
