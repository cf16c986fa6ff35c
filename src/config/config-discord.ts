import { z } from 'zod';
import { httpUrl } from './config-values.js';
import { platformSection } from './platform-section.js';
import { secret } from './secrets.js';

/** Discord's part of the configuration: the bot's token and application, and its endpoint. */
export const discordSection = platformSection({
  variables: {
    DISCORD_TOKEN: secret(z.string().min(20, 'must be a bot token').optional(), {
      kind: 'value',
      configKey: 'token',
    }),
    DISCORD_APPLICATION_ID: z
      .string()
      .regex(/^\d{5,25}$/, 'must be the numeric application id')
      .optional(),
    DISCORD_PUBLIC_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64-hex-digit public key')
      .optional(),
    DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
    DISCORD_RATE_LIMIT: z.coerce.number().min(0).default(48),
  },
  check: (env, ctx) => {
    if ((env['DISCORD_TOKEN'] ?? env['DISCORD_PUBLIC_KEY']) && !env['DISCORD_APPLICATION_ID']) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: 'is required with DISCORD_TOKEN or DISCORD_PUBLIC_KEY',
      });
    }
    if (env['DISCORD_PUBLIC_KEY'] && !env['DISCORD_TOKEN']) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_TOKEN'],
        message: 'is required with DISCORD_PUBLIC_KEY: alerts are posted with the bot token',
      });
    }
  },
  read: (e): DiscordConfig | null =>
    e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
      ? {
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          publicKey: e.DISCORD_PUBLIC_KEY,
          apiUrl: e.DISCORD_API_URL.replace(/\/+$/, ''),
          rateLimit: e.DISCORD_RATE_LIMIT,
        }
      : null,
  deliveryRate: (config) => config.rateLimit,
});

export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** Turns on `POST /discord/interactions` when set. */
  publicKey: string | undefined;
  apiUrl: string;
  /** Requests per second to Discord across every worker (Discord allows 50 per bot; 0: none). */
  rateLimit: number;
}
