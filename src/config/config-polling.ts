import { z } from 'zod';
import { DEFAULT_BUSY_HOURS, parseBusyHours, type BusyWindow } from '../model/poll-hours.js';
import { defaultBusyInterval, type PollRhythm } from '../model/poll-rhythm.js';
import type { SourceOrigin } from '../ports/source-registry.js';
import { duration } from './config-values.js';
import type { SourceConfig } from './source-config.js';
import { isPressReleaseApiUrl } from '../sources/press-release-api.js';

/**
 * Part of the configuration: how often sources are polled. `POLL_INTERVAL` (read with the
 * rest) is the quiet interval; inside `POLL_BUSY_HOURS` (Korea time) sources are polled every
 * `POLL_BUSY_INTERVAL`, by default the shortest whole minute that keeps a source's busiest
 * day within 900 requests (a data.go.kr key allows 1,000 a day).
 */

/** The polling variables besides `POLL_INTERVAL`, merged into the configuration's schema. */
export const POLL_VARIABLES = {
  POLL_BUSY_INTERVAL: duration('POLL_BUSY_INTERVAL', 1_000).optional(),
  POLL_BUSY_HOURS: z
    .string()
    .default(DEFAULT_BUSY_HOURS)
    .transform((text, ctx): BusyWindow[] => {
      const windows = parseBusyHours(text);
      if (typeof windows === 'string') {
        ctx.addIssue({ code: 'custom', message: windows });
        return z.NEVER;
      }
      return windows;
    }),
};

/** The polling rhythms: every source's unless its `SOURCES` entry sets its own. */
export interface PollRhythms {
  /** Chat-added sources', and configured ones' without options of their own. */
  global: PollRhythm;
  /** Configured sources with options in their URL's fragment, resolved against the global ones. */
  bySource: ReadonlyMap<string, PollRhythm>;
}

/** The rhythms from the parsed variables and the configured sources' options. */
export function pollRhythms(
  e: {
    POLL_INTERVAL: number;
    POLL_BUSY_INTERVAL?: number | undefined;
    POLL_BUSY_HOURS: BusyWindow[];
  },
  sources: readonly SourceConfig[],
): PollRhythms {
  const resolve = (quietMs: number, windows: readonly BusyWindow[], busyMs?: number) => ({
    quietMs,
    // An interval the operator set is obeyed; otherwise it is computed for these hours.
    busyMs: busyMs ?? e.POLL_BUSY_INTERVAL ?? defaultBusyInterval(quietMs, windows),
    windows,
  });
  const bySource = new Map<string, PollRhythm>();
  for (const { name, url, poll } of sources) {
    const api = isPressReleaseApiUrl(url);
    if (!poll && !api) continue;
    const rhythm: PollRhythm = resolve(
      poll?.quietMs ?? e.POLL_INTERVAL,
      poll?.windows ?? e.POLL_BUSY_HOURS,
      poll?.busyMs,
    );
    // A read of the API may take several calls (its pages): unless the operator chose the
    // interval, the key's quota is kept by budgeting calls, not reads (see `pacedIntervals`).
    const chosen = poll?.busyMs !== undefined || e.POLL_BUSY_INTERVAL !== undefined;
    bySource.set(name, api && !chosen ? { ...rhythm, perRequest: true } : rhythm);
  }
  return { global: resolve(e.POLL_INTERVAL, e.POLL_BUSY_HOURS), bySource };
}

/** The rhythm of a source: a configured one's own, else the global one. */
export function rhythmOf(rhythms: PollRhythms, name: string, origin: SourceOrigin): PollRhythm {
  return (origin === 'config' ? rhythms.bySource.get(name) : undefined) ?? rhythms.global;
}
