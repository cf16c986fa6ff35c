import type { Subscription } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import type { SourceRecord } from '../../src/ports/source-registry.js';
import type { FollowLimits } from '../../src/ports/subscription-store.js';

/** Records and channels the subscription and registry contracts share. */

export const LIMITS: FollowLimits = { perChannel: 10, perTenant: 20, sources: 100 };

export function channel(workspaceId: string, channelId: string, platform: Platform = 'slack') {
  return { platform, workspaceId, channelId };
}

export function subscription(
  workspaceId: string,
  channelId: string,
  keywords: string[] = [],
  platform: Platform = 'slack',
): Subscription {
  return {
    ...channel(workspaceId, channelId, platform),
    keywords,
    createdAt: '2026-12-07T00:00:00Z',
  };
}

export function chatSource(
  name: string,
  url = `https://feeds.example.com/${name}.xml`,
  addedAt = '2026-12-07T00:00:00Z',
): SourceRecord {
  return { name, url, origin: 'chat', displayName: null, kind: 'feed', addedAt };
}
