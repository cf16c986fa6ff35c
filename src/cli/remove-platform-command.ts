import {
  channelsWhere,
  removeChannels,
  type RemoveWorkspaceDeps,
} from '../pipeline/maintenance/remove-workspace.js';
import { isPlatform, PLATFORM_IDS, type Platform } from '../platforms/platform-registry.js';
import { CliError } from './cli-output.js';
import { knownSources, type KnownSourcesDeps } from './known-sources.js';

export interface RemovePlatformDeps extends KnownSourcesDeps {
  subscriptions: RemoveWorkspaceDeps['subscriptions'];
  deliveryLog: RemoveWorkspaceDeps['deliveryLog'];
  schedules: NonNullable<RemoveWorkspaceDeps['schedules']>;
  /** The platforms a running worker anywhere delivers to now (see `PlatformWorkerStore`). */
  served: () => Promise<ReadonlySet<Platform>>;
}

export interface PlatformRemoved {
  platform: Platform;
  /** Nothing was removed: the counts say what would be. */
  dryRun: boolean;
  channels: number;
  subscriptions: number;
  owedBacklogs: number;
}

/**
 * Removes every channel of a platform the deployment dropped: each one's subscriptions, owed
 * posts, schedule and counts, as if it had left (`unsubscribeChannel`). Without it, a dropped
 * platform's channels stay subscribed and their alerts wait for a worker that never comes.
 * Refused while a worker still delivers to the platform: that is chat's business
 * (`/news 구독해지`), not a cleanup's. Jobs already queued for these channels send nothing.
 */
export async function removePlatform(
  deps: RemovePlatformDeps,
  name: string,
  options: { dryRun?: boolean } = {},
): Promise<PlatformRemoved> {
  const platform = isPlatform(name) ? name : undefined;
  if (!platform) {
    throw new CliError(`"${name}" is not a platform: one of ${PLATFORM_IDS.join(', ')}`, 2);
  }
  if ((await deps.served()).has(platform)) {
    throw new CliError(
      `a running worker still delivers to ${platform}: take its token out of every process first (it stops counting 40 s after the last one stops), or unsubscribe channels in chat with /news 구독해지`,
    );
  }
  const scope = {
    ...deps,
    sourceIds: async () => (await knownSources(deps)).map((source) => source.name),
  };
  const found = await channelsWhere(scope, (channel) => channel.platform === platform);
  const dryRun = options.dryRun === true;
  if (!dryRun) await removeChannels(scope, found);
  const { subscriptions, owedBacklogs } = found;
  return { platform, dryRun, channels: found.channels.length, subscriptions, owedBacklogs };
}

export function formatRemovePlatform(result: PlatformRemoved): string {
  const verb = result.dryRun ? 'Would remove' : 'Removed';
  return `${verb} ${result.channels} ${result.platform} channel(s): ${result.subscriptions} subscription(s), ${result.owedBacklogs} backlog(s) of owed posts.`;
}
