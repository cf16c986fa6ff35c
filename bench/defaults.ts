/**
 * The bot's settings when nothing is set, as this tree's configuration gives them: the
 * sections name the defaults they ran with from here, not from a copy in their prose.
 */
import { parseConfig } from '../src/config/config.js';

export const DEFAULTS = parseConfig({});

/**
 * Each platform's delivery rate by default: its section gives it only when the platform is
 * configured, so it is read from a configuration that has both (placeholder credentials).
 */
const configured = parseConfig({
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_SIGNING_SECRET: 'bench-signing-secret',
  DISCORD_TOKEN: 'bench-discord-token-000000',
  DISCORD_APPLICATION_ID: '100000000000000001',
});
export const DEFAULT_RATE_LIMITS = {
  slack: configured.slack!.rateLimit,
  discord: configured.discord!.rateLimit,
};
