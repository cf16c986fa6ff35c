import type { SourceKind } from '../sources/source-kinds.js';
import type { PostArchive } from '../ports/post-archive.js';
import type { SourceStateStore } from '../ports/source-state-store.js';
import { redactUrl } from '../model/source-error.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';
import { formatTime, type Output } from './cli-output.js';
import { knownSources, type KnownSourcesDeps } from './known-sources.js';

export interface SourcesDeps extends KnownSourcesDeps {
  states: Pick<SourceStateStore, 'get'>;
  archive: Pick<PostArchive, 'newest'>;
  subscriptions: Pick<SubscriptionStore, 'count'>;
}

/** One source as `esg-news-bot sources` shows it; URLs never carry secrets. */
export interface SourceSummary {
  name: string;
  displayName: string | null;
  kind: SourceKind | null;
  origin: 'config' | 'chat';
  url: string;
  /** The highest number archived, `null` before the first read. */
  newest: number | null;
  cursor: number | null;
  lastReadAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** Set while reads fail: when the current run of failures began. */
  failingSince: string | null;
  subscribers: number;
}

/** Every source of the deployment with what the bot knows of reading it. */
export async function listSources(deps: SourcesDeps): Promise<SourceSummary[]> {
  const sources = await knownSources(deps);
  return Promise.all(
    sources.map(async (source): Promise<SourceSummary> => {
      const [state, [newest], subscribers] = await Promise.all([
        deps.states.get(source.name),
        deps.archive.newest(source.name, 1),
        deps.subscriptions.count(source.name),
      ]);
      return {
        name: source.name,
        displayName: source.displayName,
        kind: source.kind,
        origin: source.origin,
        // Configured URLs are stored masked already; chat-added ones are masked here.
        url: redactUrl(source.url),
        newest: newest?.boardNo ?? null,
        cursor: state.cursor,
        lastReadAt: state.lastSuccessAt?.toISOString() ?? null,
        lastErrorAt: state.lastErrorAt?.toISOString() ?? null,
        lastError: state.lastError,
        failingSince: state.failingSince?.toISOString() ?? null,
        subscribers,
      };
    }),
  );
}

/** Hides secret values a source's error message may quote. */
export function redactSources(out: Output, sources: SourceSummary[]): SourceSummary[] {
  return sources.map((s) => ({ ...s, lastError: s.lastError && out.redact(s.lastError) }));
}

/** One block per source: its URLs and errors are too long for a table line. */
export function formatSources(sources: readonly SourceSummary[]): string {
  if (sources.length === 0) return 'No sources: set SOURCES (or FEED_URL) and start the bot.';
  return sources
    .map((s) => {
      const title = s.displayName ? ` — ${s.displayName}` : '';
      const kind = s.kind ?? 'not read yet';
      const origin = s.origin === 'config' ? 'configured' : 'added from chat';
      const lines = [
        `${s.name}${title} (${kind}, ${origin})`,
        `  url          ${s.url}`,
        `  newest       ${s.newest === null ? '-' : `#${s.newest}`}   cursor ${s.cursor ?? '-'}`,
        `  last read    ${formatTime(s.lastReadAt)}`,
      ];
      if (s.lastError !== null) {
        const failing = s.failingSince
          ? `failing since ${formatTime(s.failingSince)}`
          : 'recovered since';
        lines.push(`  last error   ${formatTime(s.lastErrorAt)} (${failing}): ${s.lastError}`);
      }
      lines.push(`  subscribers  ${s.subscribers}`);
      return lines.join('\n');
    })
    .join('\n\n');
}
