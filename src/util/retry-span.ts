/**
 * The number of attempts whose back-off delays add up to at least `spanMs`: a job retried
 * that often keeps trying for about as long as the bot keeps a post owed.
 */
export function attemptsToSpan(spanMs: number, backoffMs: number, maxBackoffMs: number): number {
  let attempts = 1;
  let waited = 0;
  while (waited < spanMs && attempts < 10_000) {
    waited += Math.min(backoffMs * 2 ** (attempts - 1), maxBackoffMs);
    attempts++;
  }
  return attempts;
}
