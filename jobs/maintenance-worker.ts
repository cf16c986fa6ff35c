import { Worker } from 'bullmq';
import type { Logger } from '../src/logger.js';
import { probePausedPlatforms, sweep, type ProbeDeps, type SweepDeps } from '../src/sweep.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

export interface MaintenanceWorkerDeps extends WorkerBase {
  sweep: SweepDeps;
  probe: ProbeDeps;
  logger: Logger;
}

/**
 * Runs the scheduled sweep: probes paused platforms first (a resumed platform's owed posts
 * are then queued in the same run), then queues forgotten work again.
 */
export function createMaintenanceWorker(deps: MaintenanceWorkerDeps): Worker {
  return new Worker(
    QUEUE_NAMES.maintenance,
    async () => {
      const resumed = await probePausedPlatforms(deps.probe);
      return { resumed, ...(await sweep(deps.sweep)) };
    },
    workerOptions(deps, 1),
  );
}
