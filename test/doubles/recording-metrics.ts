import type { Platform } from '../../src/platforms/platform-registry.js';
import type {
  DeliveryAttemptResult,
  PipelineMetrics,
  PollJobResult,
} from '../../src/ports/pipeline-metrics.js';

/** The pipeline's reports, kept in the order they came, for tests to read back. */
export class RecordingMetrics implements PipelineMetrics {
  readonly deliveries: Array<{
    platform: Platform;
    result: DeliveryAttemptResult;
    latencyMs?: number;
  }> = [];
  readonly rateLimits: Array<{ platform: Platform; scope: 'channel' | 'global' }> = [];
  readonly polls: Array<{ source: string; result: PollJobResult; durationMs?: number }> = [];

  delivery(event: { platform: Platform; result: DeliveryAttemptResult; latencyMs?: number }): void {
    this.deliveries.push({ ...event });
  }

  rateLimited(event: { platform: Platform; scope: 'channel' | 'global' }): void {
    this.rateLimits.push({ ...event });
  }

  poll(event: { source: string; result: PollJobResult; durationMs?: number }): void {
    this.polls.push({ ...event });
  }
}
