import { typedToken } from '../model/keyword-filter.js';
import { channelKey } from '../model/subscription.js';
import { type Platform } from '../platforms/platform-registry.js';
import { type SubscriptionStore } from '../ports/subscription-store.js';
import { formatChannel } from './channel-spec.js';
import { formatTime, table } from './cli-output.js';
import { knownSources, requireSource, type KnownSourcesDeps } from './known-sources.js';

export interface SubscriptionsDeps extends KnownSourcesDeps {
  subscriptions: Pick<SubscriptionStore, 'scan'>;
}

/** One channel following one source, as exported and imported. */
export interface SubscriptionEntry {
  source: string;
  platform: Platform;
  workspaceId: string;
  channelId: string;
  keywords: string[];
  createdAt: string;
}

/** The version of {@link SubscriptionsExport}; an import refuses any other. */
export const SUBSCRIPTIONS_EXPORT_VERSION = 1;

/** What `subscriptions export` writes and `subscriptions import` reads. */
export interface SubscriptionsExport {
  version: typeof SUBSCRIPTIONS_EXPORT_VERSION;
  exportedAt: string;
  subscriptions: SubscriptionEntry[];
}

/**
 * Every subscription of the deployment (or of one source), by source in the registry's
 * order, then by channel: the same data always gives the same document, so two exports
 * can be compared with `diff`.
 */
export async function listSubscriptions(
  deps: SubscriptionsDeps,
  only?: string,
): Promise<SubscriptionEntry[]> {
  const sources = only === undefined ? await knownSources(deps) : [await requireSource(deps, only)];
  const entries: SubscriptionEntry[] = [];
  for (const source of sources) {
    const mine: Array<SubscriptionEntry & { key: string }> = [];
    for await (const batch of deps.subscriptions.scan(source.name)) {
      for (const s of batch) {
        mine.push({
          key: channelKey(s),
          source: source.name,
          platform: s.platform,
          workspaceId: s.workspaceId,
          channelId: s.channelId,
          keywords: s.keywords,
          createdAt: s.createdAt,
        });
      }
    }
    mine.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    entries.push(...mine.map(({ key: _key, ...entry }) => entry));
  }
  return entries;
}

/** The export document of every subscription. */
export async function exportSubscriptions(
  deps: SubscriptionsDeps,
  now = new Date(),
): Promise<SubscriptionsExport> {
  return {
    version: SUBSCRIPTIONS_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    subscriptions: await listSubscriptions(deps),
  };
}

export function formatSubscriptions(entries: readonly SubscriptionEntry[]): string {
  if (entries.length === 0) return 'No subscriptions.';
  const rows = entries.map((e) => [
    e.source,
    formatChannel(e),
    formatTime(e.createdAt),
    e.keywords.length === 0 ? '(every post)' : e.keywords.map(typedToken).join(' '),
  ]);
  const count = entries.length === 1 ? '1 subscription' : `${entries.length} subscriptions`;
  return `${table(['SOURCE', 'CHANNEL', 'SINCE', 'KEYWORDS'], rows)}\n\n${count}.`;
}
