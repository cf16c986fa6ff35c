import { Worker } from 'bullmq';
import type { Logger } from '../src/util/logger.js';
import {
  probePausedPlatforms,
  sweep,
  type ProbeDeps,
  type SweepDeps,
} from '../src/pipeline/maintenance/sweep.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

export interface MaintenanceWorkerDeps extends WorkerBase {
  sweep: SweepDeps;
  probe: ProbeDeps;
  /**
   * Keeps the sources' schedules and storage in order: adds a missing schedule (a follow
   * whose process died before starting it), stops one nobody follows, deletes what released
   * sources left after their grace period. Returns how many sources' data was deleted.
   */
  tidySources: () => Promise<number>;
  logger: Logger;
}

/**
 * Runs the scheduled sweep: probes paused platforms first (a resumed platform's owed posts
 * are then queued in the same run), then queues forgotten work again and tidies the sources.
 */
export function createMaintenanceWorker(deps: MaintenanceWorkerDeps): Worker {
  return new Worker(
    QUEUE_NAMES.maintenance,
    async () => {
      const resumed = await probePausedPlatforms(deps.probe);
      const swept = await sweep(deps.sweep);
      const purgedSources = await deps.tidySources();
      return { resumed, ...swept, purgedSources };
    },
    workerOptions(deps, 1),
  );
}
