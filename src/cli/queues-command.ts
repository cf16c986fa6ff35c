import {
  JOB_STATES,
  type FailedReport,
  type QueueCounts,
  type QueueInspector,
} from '../ports/queue-inspector.js';
import { formatTime, shorten, table, type Output } from './cli-output.js';

export function queueCounts(deps: { queues: QueueInspector }): Promise<QueueCounts[]> {
  return deps.queues.jobCounts();
}

export function formatQueueCounts(queues: readonly QueueCounts[]): string {
  const rows = queues.map((q) => [
    q.queue,
    ...JOB_STATES.map((state) => String(q.counts[state])),
    q.paused ? 'yes' : 'no',
  ]);
  return table(['QUEUE', ...JOB_STATES.map((s) => s.toUpperCase()), 'PAUSED'], rows);
}

/**
 * The newest failed jobs of every queue; with `retry`, they are given another round of
 * attempts (each job is idempotent: a delivery sends only what is still owed).
 */
export async function failedJobs(
  deps: { queues: QueueInspector },
  options: { limit: number; retry: boolean },
): Promise<FailedReport> {
  const { total, jobs } = await deps.queues.failedJobs(options.limit);
  if (!options.retry) return { total, jobs };
  return { total, jobs, retried: await deps.queues.retryJobs(jobs) };
}

/** Hides secret values a failure reason may quote. */
export function redactFailed(out: Output, report: FailedReport): FailedReport {
  return {
    ...report,
    jobs: report.jobs.map((j) => ({ ...j, failedReason: out.redact(j.failedReason) })),
  };
}

export function formatFailed(report: FailedReport): string {
  if (report.total === 0) return 'No failed jobs.';
  const rows = report.jobs.map((j) => [
    formatTime(j.finishedOn),
    j.queue,
    j.id,
    j.name,
    `${j.attemptsMade}/${j.attempts ?? '?'}`,
    describeJobData(j.data),
    shorten(j.failedReason),
  ]);
  const lines = [table(['FAILED AT', 'QUEUE', 'ID', 'NAME', 'ATTEMPTS', 'WORK', 'REASON'], rows)];
  const shown =
    report.jobs.length < report.total ? ` (the newest ${report.jobs.length} shown)` : '';
  lines.push('', `${report.total} failed job(s)${shown}.`);
  if (report.retried !== undefined) lines.push(`Retried ${report.retried} of them.`);
  return lines.join('\n');
}

/** What a job was doing, from its (small, secret-free) data: `esg #1653 → slack:C1`. */
export function describeJobData(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '-';
  const d = data as {
    sourceId?: string;
    boardNo?: number;
    boardNos?: number[];
    channel?: { platform: string; channelId: string };
    notice?: { sourceId: string; kind: string };
  };
  const to = d.channel ? ` → ${d.channel.platform}:${d.channel.channelId}` : '';
  if (d.notice) return `${d.notice.kind} notice of ${d.notice.sourceId}${to}`;
  if (d.sourceId && d.boardNo !== undefined) return `${d.sourceId} #${d.boardNo}${to}`;
  if (d.sourceId && d.boardNos && d.boardNos.length > 0) {
    const [first, last] = [d.boardNos[0], d.boardNos.at(-1)];
    return `${d.sourceId} #${first === last ? first : `${first}-${last}`}`;
  }
  return d.sourceId ?? '-';
}
