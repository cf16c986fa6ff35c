import { parseBusyHours, type BusyWindow } from '../model/poll-hours.js';
import { parseDuration } from '../util/duration.js';

/**
 * A configured source's own polling rhythm, written in its URL's fragment (never sent to the
 * server): `#poll=10m&busy=1m&hours=mon-fri+08:00-20:00;sat+09:00-13:00`. Spaces and commas
 * separate `SOURCES` entries, so in a fragment `+` stands for a space and `;` separates
 * windows. What is left out comes from `POLL_INTERVAL`, `POLL_BUSY_INTERVAL` and
 * `POLL_BUSY_HOURS`.
 */
export interface SourcePollOptions {
  /** `poll=`: the quiet interval. */
  quietMs?: number;
  /** `busy=`: the busy interval. */
  busyMs?: number;
  /** `hours=` (or `busy=off`: none). */
  windows?: BusyWindow[];
}

const OPTIONS = ['poll', 'busy', 'hours'] as const;
/** The shortest interval, as for `POLL_INTERVAL`. */
const MIN_INTERVAL_MS = 1_000;

/** Reads a fragment's options (without the `#`); a message saying what is wrong otherwise. */
export function parsePollOptions(fragment: string): SourcePollOptions | string {
  const options: SourcePollOptions = {};
  if (fragment === '') return options;
  if (fragment.length > 600) return 'the URL fragment is too long for polling options';
  const seen = new Set<string>();
  let busyOff = false;
  for (const pair of fragment.split('&')) {
    const at = pair.indexOf('=');
    const key = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? '' : pair.slice(at + 1).replaceAll('+', ' ');
    if (!(OPTIONS as readonly string[]).includes(key)) {
      return `unknown option "${key.slice(0, 20)}" in the URL fragment (${OPTIONS.join(', ')})`;
    }
    if (seen.has(key)) return `#${key}= given twice`;
    seen.add(key);
    if (value === '') return `#${key}= needs a value`;
    if (key === 'hours') {
      const windows = parseBusyHours(value, ';');
      if (typeof windows === 'string') return `#hours= ${windows}`;
      options.windows = windows;
    } else if (key === 'busy' && value.toLowerCase() === 'off') {
      busyOff = true;
    } else {
      const ms = parseDuration(value);
      if (ms === undefined || ms < MIN_INTERVAL_MS) {
        return `#${key}= must be a duration like 30s, 5m or 1h, at least 1s`;
      }
      if (key === 'poll') options.quietMs = ms;
      else options.busyMs = ms;
    }
  }
  if (busyOff) {
    if (options.windows !== undefined) return '#busy=off leaves no busy hours for #hours=';
    options.windows = [];
  }
  return options;
}
