const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a human duration such as `30s`, `5m`, `1h`, `250ms` or a bare number of milliseconds.
 * Returns `undefined` for anything else so the caller can report it with its own context.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2]?.toLowerCase() ?? 'ms') as keyof typeof UNIT_MS;
  const ms = Math.round(amount * UNIT_MS[unit]);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Formats milliseconds the way the configuration accepts them, for logs and chat. */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  if (ms % UNIT_MS.s === 0) return `${ms / UNIT_MS.s}s`;
  return `${ms}ms`;
}
