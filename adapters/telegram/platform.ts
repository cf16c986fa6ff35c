import type { TelegramConfig } from '../../src/config/config-telegram.js';
import { RedisSendLimiter } from '../redis/redis-send-limiter.js';
import type { PlatformModule } from '../platform-module.js';
import {
  GROUP_SPACING_MS,
  PRIVATE_SPACING_MS,
  TelegramNotifier,
  type TelegramLimiters,
} from './telegram-notifier.js';
import { POLLING_DEFAULTS, PollingLease, type PollingOptions } from './telegram-polling.js';

/** Telegram's overall limit: "not more than about 30 messages per second" (Bot FAQ). */
const OVERALL_PER_SECOND = 30;

/**
 * Telegram: alerts through the Bot API (`sendMessage` in HTML), each chat kept to Telegram's
 * per-chat limits across every worker; `/news` over long polling (grammY), in one process of
 * the deployment at a time. Every chat (group or private) is its own tenant.
 */
export const platform: PlatformModule<TelegramConfig> = {
  open({ config, shared, redis, keys, logger, options, now }) {
    // Every chat is under the one workspace `chat`, so the workspace window is the bot's own
    // overall limit, kept with the chats' spacing in one step.
    const limiter = (channelSpacingMs: number) =>
      new RedisSendLimiter(redis, keys, {
        perWorkspacePerSecond: OVERALL_PER_SECOND,
        channelSpacingMs,
      });
    const limiters: TelegramLimiters = {
      group: limiter(GROUP_SPACING_MS),
      private: limiter(PRIVATE_SPACING_MS),
    };
    const polling: PollingOptions = {
      ...POLLING_DEFAULTS,
      ...(options['telegramPolling'] as Partial<PollingOptions> | undefined),
    };
    return Promise.resolve({
      notifier: new TelegramNotifier({
        token: config.token,
        apiUrl: config.apiUrl,
        limiters,
        concurrency: shared.deliveryConcurrency,
      }),
      startCommands: async (commands, hooks) => {
        // Loaded only here: worker processes never pay for the polling bot.
        const { TelegramCommands } = await import('./telegram-commands.js');
        const telegram = new TelegramCommands({
          token: config.token,
          apiUrl: config.apiUrl,
          commands,
          hooks,
          lease: new PollingLease(redis, keys.lock('telegram-polling'), polling.leaseMs),
          polling,
          logger,
          ...(now ? { now } : {}),
        });
        await telegram.start();
        return { routes: [], close: () => telegram.stop() };
      },
    });
  },
};
