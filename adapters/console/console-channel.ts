import { CHAT_PLATFORMS, PLATFORMS } from '../../src/platforms/platform-registry.js';
import { deploymentPlatforms } from '../../src/platforms/platform-workers.js';
import type { NoChatDeps } from '../platform-module.js';

/** The channel alerts go to when no chat platform is configured. */
export const CONSOLE_CHANNEL = {
  platform: 'console',
  workspaceId: 'local',
  channelId: 'console',
} as const;

/**
 * Subscribes the console channel to the default source for a process with no chat token, so
 * a bot started without any shows its alerts, unless the deployment has a chat platform: one
 * a worker elsewhere delivers to, or one whose channels are subscribed. A token-less replica
 * beside replicas with tokens must not add a channel the whole deployment then prints every
 * alert to. Returns whether it subscribed it.
 */
export async function subscribeConsoleWithoutChat(deps: NoChatDeps): Promise<boolean> {
  if ((await deps.subscriptions.get(deps.defaultSource, CONSOLE_CHANNEL)) !== null) return false;
  const { served, unserved } = await deploymentPlatforms({
    ...deps,
    platforms: CHAT_PLATFORMS,
  });
  const chat = [
    ...[...served].filter((platform) => PLATFORMS[platform].chat),
    ...unserved.map((entry) => entry.platform),
  ];
  if (chat.length > 0) {
    deps.logger.info(
      { platforms: chat },
      'no chat platform configured here; the deployment has some, so alerts are not printed to the console',
    );
    return false;
  }
  await deps.subscriptions.subscribe(deps.defaultSource, {
    ...CONSOLE_CHANNEL,
    keywords: [],
    createdAt: deps.now().toISOString(),
  });
  deps.logger.info('no chat platform configured: alerts are printed to the console');
  return true;
}
