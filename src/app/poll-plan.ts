import { rhythmOf, type PollRhythms } from '../config/config-polling.js';
import { formatWindow } from '../model/poll-hours.js';
import {
  DAILY_POLL_BUDGET,
  DAILY_QUOTA,
  intervalAt,
  pollsPerDay,
  schedulerTick,
  type PollRhythm,
} from '../model/poll-rhythm.js';
import { redactUrl } from '../model/source-error.js';
import type { SourceRecord } from '../ports/source-registry.js';
import { formatDuration } from '../util/duration.js';
import type { Logger } from '../util/logger.js';

/** Part of the composition root: each source's polling rhythm, scheduled, logged and shown. */

/** How often the scheduler runs a source's poll job. */
export function pollTickOf(rhythms: PollRhythms, name: string, origin: SourceRecord['origin']) {
  return schedulerTick(rhythmOf(rhythms, name, origin));
}

/** Each source's interval in force now, in seconds, for the metrics gauge. */
export function pollIntervalsNow(
  rhythms: PollRhythms,
  sources: readonly Pick<SourceRecord, 'name' | 'origin'>[],
  at: Date,
): Map<string, number> {
  return new Map(
    sources.map((s) => [s.name, intervalAt(rhythmOf(rhythms, s.name, s.origin), at) / 1_000]),
  );
}

/**
 * Logs each scheduled source's rhythm, and warns of one whose busiest day would take more than
 * {@link DAILY_POLL_BUDGET} requests (an interval the operator set is obeyed all the same): a
 * data.go.kr key allows {@link DAILY_QUOTA} a day.
 */
export function logPollingPlan(
  rhythms: PollRhythms,
  sources: readonly SourceRecord[],
  logger: Logger,
): void {
  for (const source of sources) {
    const rhythm = rhythmOf(rhythms, source.name, source.origin);
    const plan = describePlan(rhythm);
    const fields = { source: source.name, url: redactUrl(source.url), ...plan };
    logger.info(fields, 'polling scheduled');
    if (plan.pollsPerDay > DAILY_POLL_BUDGET) {
      logger.warn(
        { ...fields, budget: DAILY_POLL_BUDGET, quota: DAILY_QUOTA },
        'the polling intervals take more requests a day than the budget that keeps a data.go.kr key within its daily quota',
      );
    }
  }
}

function describePlan(rhythm: PollRhythm) {
  return {
    every: formatDuration(rhythm.quietMs),
    busyEvery: formatDuration(rhythm.busyMs),
    busyHours: rhythm.windows.map(formatWindow).join(', ') || 'off',
    tick: formatDuration(schedulerTick(rhythm)),
    pollsPerDay: pollsPerDay(rhythm),
  };
}
