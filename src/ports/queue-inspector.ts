/** The job states counted, as the queues report them. */
export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'failed',
  'completed',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface QueueCounts {
  queue: string;
  /** A paused queue holds its waiting jobs (a platform refusing the bot's token). */
  paused: boolean;
  counts: Record<JobState, number>;
}

export interface FailedJob {
  queue: string;
  id: string;
  name: string;
  attemptsMade: number;
  attempts: number | null;
  failedReason: string;
  finishedOn: number | null;
  data: unknown;
}

/** Port: the pipeline's queues as an operator inspects them (`PipelineQueues` implements it). */
export interface QueueInspector {
  jobCounts(): Promise<QueueCounts[]>;
  failedJobs(limit: number): Promise<{ total: number; jobs: FailedJob[] }>;
  retryJobs(jobs: ReadonlyArray<{ queue: string; id: string }>): Promise<number>;
}

export interface FailedReport {
  /** Failed jobs in all queues. */
  total: number;
  /** The newest of them, newest first. */
  jobs: FailedJob[];
  /** With `--retry`: how many of `jobs` went back to waiting. */
  retried?: number;
}
