import { RedisOAuthStateStore, type InstallLimits } from './redis-oauth-states.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { RedisSendLimiter } from '../redis/redis-send-limiter.js';
import { RedisSlackInstallations } from './redis-slack-installations.js';
import { RedisWorkspacePauses } from '../redis/redis-workspace-pauses.js';
import type { SlackOAuthConfig } from '../../src/config/config-slack.js';
import { TokenCipher, WrongKeyError } from '../../src/util/token-cipher.js';

/** What OAuth mode (many Slack workspaces) keeps in Redis. */
export interface SlackWorkspaceStores {
  installations: RedisSlackInstallations;
  states: RedisOAuthStateStore;
  pauses: RedisWorkspacePauses;
  limiter: RedisSendLimiter;
}

/** Slack's own spacing per channel: about one message a second. */
const SLACK_CHANNEL_SPACING_MS = 1_000;

/**
 * Builds OAuth mode's stores and checks `TOKEN_ENCRYPTION_KEY` against what is stored: a key
 * that cannot open the installations stops the start with a message saying so, before any
 * workspace's delivery could fail for it.
 */
export async function openSlackWorkspaces(
  oauth: SlackOAuthConfig,
  redis: RedisClient,
  keys: RedisKeys,
  options: { installLimits?: Partial<InstallLimits>; now?: () => Date } = {},
): Promise<SlackWorkspaceStores> {
  const installations = new RedisSlackInstallations(
    redis,
    keys,
    new TokenCipher(oauth.encryptionKey),
  );
  try {
    await installations.checkKey();
  } catch (error) {
    if (!(error instanceof WrongKeyError)) throw error;
    throw new Error(
      `${error.message}: start with the key they were stored with, or delete the Redis keys ${keys.slackInstallations()} and ${keys.slackKeyCheck()} (every workspace then installs again)`,
      { cause: error },
    );
  }
  return {
    installations,
    states: new RedisOAuthStateStore(redis, keys, oauth.stateSecret, {
      ...(options.installLimits ? { limits: options.installLimits } : {}),
      ...(options.now ? { now: () => options.now!().getTime() } : {}),
    }),
    pauses: new RedisWorkspacePauses(redis, keys),
    limiter: new RedisSendLimiter(redis, keys, {
      perWorkspacePerSecond: oauth.workspaceRatePerSecond,
      channelSpacingMs: SLACK_CHANNEL_SPACING_MS,
    }),
  };
}
