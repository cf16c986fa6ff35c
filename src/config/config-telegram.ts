import { z } from 'zod';
import { httpUrl } from './config-values.js';
import { platformSection } from './platform-section.js';
import { secret } from './secrets.js';

/** Telegram's part of the configuration: the bot's token from @BotFather, and its API. */
export const telegramSection = platformSection({
  variables: {
    TELEGRAM_BOT_TOKEN: secret(
      z
        .string()
        .regex(
          /^\d{5,20}:[A-Za-z0-9_-]{30,60}$/,
          'must be a bot token from @BotFather (123456:ABC…)',
        )
        .optional(),
      { kind: 'value', configKey: 'token' },
    ),
    TELEGRAM_API_URL: httpUrl.default('https://api.telegram.org'),
    // Telegram allows about 30 messages a second per bot; a little under it earns no 429s.
    TELEGRAM_RATE_LIMIT: z.coerce.number().min(0).max(1000).default(25),
  },
  read: (e): TelegramConfig | null =>
    e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiUrl: e.TELEGRAM_API_URL.replace(/\/+$/, ''),
          rateLimit: e.TELEGRAM_RATE_LIMIT,
        }
      : null,
  deliveryRate: (config) => (config.rateLimit > 0 ? config.rateLimit : null),
});

export interface TelegramConfig {
  token: string;
  /** The Bot API's root: `https://api.telegram.org`, or a fake in the tests. */
  apiUrl: string;
  /** Messages per second to Telegram across every worker (0: none). */
  rateLimit: number;
}
