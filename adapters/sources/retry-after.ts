/**
 * Reads an HTTP `Retry-After` value as milliseconds from `now`: delay-seconds (`120`) or an
 * HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`; a date already past is 0). Returns `undefined`
 * for a missing or unreadable value, so the caller falls back to its own back-off. Not capped:
 * how long to honour a long wait is the poll's decision.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP date has letters; a negative or fractional number is no Retry-After at all.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
