import { z } from 'zod';
import { consoleSection } from '../config/config-console.js';
import { discordSection } from '../config/config-discord.js';
import { dooraySection } from '../config/config-dooray.js';
import { jandiSection } from '../config/config-jandi.js';
import { slackSection } from '../config/config-slack.js';
import { teamsSection } from '../config/config-teams.js';
import { telegramSection } from '../config/config-telegram.js';
import { webhookSection } from '../config/config-webhook.js';
import { DESTINATION_NAME, DESTINATION_WORKSPACE } from '../model/destination-ids.js';
import type { PlatformSection } from '../config/platform-section.js';

/** What one platform's workspace or channel ids look like, and how to say so. */
export interface IdRule {
  pattern: RegExp;
  /** Completes "is not …". */
  what: string;
}

/**
 * Everything the bot needs to know of a platform, in one place. Its key is the platform's id
 * (in channel refs, queue names, job data, Redis keys and the CLI's `platform:channel`); its
 * code lives in `adapters/<id>/platform.ts` (`PlatformModule`), loaded only when configured.
 */
export interface PlatformEntry<PlatformConfig> {
  /** The platform's name for the operator (logs, CLI). */
  label: string;
  /** Its variables and what they make (`src/config/config-<id>.ts`). */
  config: PlatformSection<z.ZodRawShape, PlatformConfig>;
  /**
   * The variable of the credential a refused start names, e.g. `SLACK_BOT_TOKEN`; `null` when
   * the platform has none.
   */
  tokenVariable: string | null;
  /**
   * Has people who read alerts and type `/news` (a chat platform), as opposed to an output
   * every process has (the console), which the deployment falls back to when it has no chat.
   */
  chat: boolean;
  /**
   * Its channels are webhook destinations the operator adds by URL (`destinations add`):
   * one that answers it is gone is marked broken and waited for, never unsubscribed.
   */
  destinations: boolean;
  /**
   * The platform can replace a sent message in place; where it cannot, a correction is a
   * short `[정정]` follow-up that names the original.
   */
  editsInPlace: boolean;
  /** Ids as the platform gives them, so an imported file names only channels that could exist. */
  ids: { workspaceId: IdRule; channelId: IdRule };
  /**
   * The workspace id under which the platform files conversations that belong to no
   * workspace (Discord's direct messages): each such conversation is its own tenant.
   */
  directMessagesWorkspace?: string;
}

/** A console name: free but short and plain. */
const CONSOLE_NAME: IdRule = {
  pattern: /^[A-Za-z0-9_.-]{1,64}$/,
  what: 'a console name (1–64 letters, digits, _ . or -)',
};

/** Every webhook destination has the one workspace and a name the operator chose. */
const DESTINATION_IDS: { workspaceId: IdRule; channelId: IdRule } = {
  workspaceId: {
    pattern: new RegExp(`^${DESTINATION_WORKSPACE}$`),
    what: `${DESTINATION_WORKSPACE} (every webhook destination's workspace)`,
  },
  channelId: {
    pattern: DESTINATION_NAME,
    what: 'a destination name (1–40 lower-case letters, digits, _ or -, first a letter or digit)',
  },
};

/** A Telegram chat has no workspace: each one is its own tenant, filed under this id. */
const TELEGRAM_CHATS = 'chat';

/**
 * The platforms, each named and described once. A new platform is an entry here, a config
 * section and `adapters/<id>/`; the compiler points at what else must know it.
 */
export const PLATFORMS = {
  slack: {
    label: 'Slack',
    config: slackSection,
    tokenVariable: 'SLACK_BOT_TOKEN',
    chat: true,
    destinations: false,
    editsInPlace: true,
    // Team (T…) or Enterprise (E…) ids; channel (C…), private channel (G…) or DM (D…) ids.
    ids: {
      workspaceId: {
        pattern: /^[TE][A-Z0-9]{1,31}$/,
        what: 'a Slack team id (T… or E…: upper-case letters and digits)',
      },
      channelId: {
        pattern: /^[CGD][A-Z0-9]{1,31}$/,
        what: 'a Slack channel id (C…, G… or D…: upper-case letters and digits)',
      },
    },
  },
  discord: {
    label: 'Discord',
    config: discordSection,
    tokenVariable: 'DISCORD_TOKEN',
    chat: true,
    destinations: false,
    editsInPlace: true,
    // Snowflakes (17–20 digits); a direct message's workspace is `dm`, as the bot stores it.
    ids: {
      workspaceId: {
        pattern: /^(?:\d{17,20}|dm)$/,
        what: 'a Discord server id (17–20 digits) or dm',
      },
      channelId: { pattern: /^\d{17,20}$/, what: 'a Discord channel id (17–20 digits)' },
    },
    directMessagesWorkspace: 'dm',
  },
  console: {
    label: 'console',
    config: consoleSection,
    tokenVariable: null,
    chat: false,
    destinations: false,
    editsInPlace: false,
    ids: { workspaceId: CONSOLE_NAME, channelId: CONSOLE_NAME },
  },
  telegram: {
    label: 'Telegram',
    config: telegramSection,
    tokenVariable: 'TELEGRAM_BOT_TOKEN',
    chat: true,
    destinations: false,
    editsInPlace: true,
    // Chat ids: positive for private chats, negative for groups (-100… for supergroups).
    ids: {
      workspaceId: { pattern: new RegExp(`^${TELEGRAM_CHATS}$`), what: TELEGRAM_CHATS },
      channelId: { pattern: /^-?\d{1,20}$/, what: 'a Telegram chat id (digits, - for groups)' },
    },
    directMessagesWorkspace: TELEGRAM_CHATS,
  },
  teams: {
    label: 'Microsoft Teams',
    config: teamsSection,
    // The key that seals its destinations is what a refused start names.
    tokenVariable: 'TOKEN_ENCRYPTION_KEY',
    chat: false,
    destinations: true,
    editsInPlace: false,
    ids: DESTINATION_IDS,
  },
  jandi: {
    label: 'JANDI',
    config: jandiSection,
    // The key that seals its destinations is what a refused start names.
    tokenVariable: 'TOKEN_ENCRYPTION_KEY',
    chat: false,
    destinations: true,
    editsInPlace: false,
    ids: DESTINATION_IDS,
  },
  dooray: {
    label: 'Dooray!',
    config: dooraySection,
    // The key that seals its destinations is what a refused start names.
    tokenVariable: 'TOKEN_ENCRYPTION_KEY',
    chat: false,
    destinations: true,
    editsInPlace: false,
    ids: DESTINATION_IDS,
  },
  webhook: {
    label: 'webhook',
    config: webhookSection,
    // The key that seals its destinations is what a refused start names.
    tokenVariable: 'TOKEN_ENCRYPTION_KEY',
    chat: false,
    destinations: true,
    editsInPlace: false,
    ids: DESTINATION_IDS,
  },
} as const satisfies Record<string, PlatformEntry<unknown>>;

/** A platform's id: `slack`, `discord`, … */
export type Platform = keyof typeof PLATFORMS;

/** Every platform id, in the registry's order. */
export const PLATFORM_IDS = Object.keys(PLATFORMS) as [Platform, ...Platform[]];

/** Job data, import files and the CLI read platform ids with this. */
export const platformSchema = z.enum(PLATFORM_IDS);

/** What the platform's config section makes, when configured. */
export type PlatformConfigOf<P extends Platform> =
  (typeof PLATFORMS)[P]['config'] extends PlatformSection<z.ZodRawShape, infer C> ? C : never;

/** Every platform's configuration, `null` where this process is not configured for it. */
export type PlatformConfigs = { [P in Platform]: PlatformConfigOf<P> | null };

export function isPlatform(text: string): text is Platform {
  return Object.hasOwn(PLATFORMS, text);
}

/** The platform's entry, typed for what code that works on any platform may read. */
export function platformEntry(platform: Platform): PlatformEntry<unknown> {
  return PLATFORMS[platform];
}

/** The platforms people read and type commands in (not the console or the destinations). */
export const CHAT_PLATFORMS: readonly Platform[] = PLATFORM_IDS.filter((p) => PLATFORMS[p].chat);

/** The platforms whose channels are webhook destinations the operator adds by URL. */
export const DESTINATION_PLATFORMS: readonly Platform[] = PLATFORM_IDS.filter(
  (p) => PLATFORMS[p].destinations,
);

/**
 * Messages per second the platform's queue is kept to across every worker, from its
 * configuration here, or `null` when it is limited elsewhere (or not configured).
 */
export function deliveryRate(platform: Platform, configs: PlatformConfigs): number | null {
  const config = configs[platform];
  if (config === null) return null;
  return platformEntry(platform).config.deliveryRate(config);
}
