/** Small helpers the benchmarks' sections of BENCHMARKS.md share. */
import { round } from './stats.js';

/** Each run's value, rounded, as the sections list them after a median. */
export const listRuns = (values: number[], digits = 1): string =>
  values.map((v) => round(v, digits)).join(', ');

/** An aim's outcome: `met`, or `**missed**` so it stands out. */
export const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

/** A count with thousands separators, as the prose writes them (5,000). */
export const thousands = (n: number): string => n.toLocaleString('en');

/** A duration in ms as the prose says it: `25 h`, `30 days`, `15 s`. */
export function spoken(ms: number): string {
  const day = 86_400_000;
  if (ms >= day && ms % day === 0) return `${ms / day} day${ms === day ? '' : 's'}`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${round(ms / 1000, 1)} s`;
}
