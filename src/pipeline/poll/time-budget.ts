import { SourceError } from '../../model/source-error.js';
import { formatDuration } from '../../util/duration.js';
import type { NewsSource } from '../../ports/news-source.js';

/**
 * The source, for one poll that may take at most `budgetMs` in all: every read and page
 * completion after the budget is spent fails at once, and one still running when it runs out
 * fails then (`TIMEOUT`). A board poll may read several pages and post pages; without a
 * budget, a source answering each just under the fetch timeout would hold its lane for many
 * minutes. The request left behind ends by its own fetch timeout; its answer is dropped.
 */
export function withTimeBudget(source: NewsSource, budgetMs: number): NewsSource {
  const deadline = performance.now() + budgetMs;
  const overBudget = () =>
    new SourceError(
      'TIMEOUT',
      `reading the source took longer than its poll's time budget (${formatDuration(budgetMs)})`,
      { url: source.url },
    );
  const within = <T>(work: () => Promise<T>): Promise<T> => {
    const left = deadline - performance.now();
    if (left <= 0) return Promise.reject(overBudget());
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(overBudget()), left);
    });
    return Promise.race([work(), expiry]).finally(() => clearTimeout(timer));
  };
  return {
    id: source.id,
    url: source.url,
    readPage: (page, validators, hints) => within(() => source.readPage(page, validators, hints)),
    complete: (post) => within(() => source.complete(post)),
  };
}
