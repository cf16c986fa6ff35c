import { isHeld, type ChannelSchedule } from '../../model/channel-schedule.js';
import { type ChannelScheduleStore } from '../../ports/channel-schedule-store.js';
import type { DeliveryLog, DeliveryTarget } from '../../ports/delivery-log.js';
import type { PlatformGate } from '../../ports/platform-gate.js';
import type { Logger } from '../../util/logger.js';
import { DeliveryError, type Notifier } from '../../ports/notifier.js';
import type { PlatformStatusStore } from '../../ports/platform-status-store.js';
import { channelKey } from '../../model/subscription.js';
import { type Platform } from '../../platforms/platform-registry.js';

export interface SweepDeps {
  deliveryLog: Pick<DeliveryLog, 'owing' | 'newestOwed'>;
  /** Queues the delivery again unless its job will still run; true when it was queued. */
  requeueDelivery: (target: DeliveryTarget) => Promise<boolean>;
  /** Retries failed fan-outs, and notices and edits of every platform, created after `since`; returns how many. */
  retryFailed: (since: Date) => Promise<number>;
  /** Work owed for less than this is left to the jobs that were queued for it. */
  minAgeMs: number;
  /** Failed notices and fan-outs older than this are not retried any more. */
  giveUpAfterMs: number;
  /** Channels' digest times and quiet hours: what they hold is queued once released. */
  schedules?: Pick<ChannelScheduleStore, 'get'>;
  logger: Logger;
  now?: () => Date;
}

export interface SweepResult {
  requeued: number;
  retried: number;
}

/**
 * Finds work that nothing will do any more and queues it again, so no owed post waits for the
 * channel's next post to go out: every channel that still owes posts and has no job that will
 * run (its jobs ran out of attempts, were lost, or were never queued after a crash), every
 * channel whose digest time or end of quiet hours has come, and failed fan-outs and notices.
 * Every platform's channels, whichever process runs it: a job of a platform this process has
 * no token for waits in its queue for a process that has. Runs every minute, once across all
 * processes.
 */
export async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const now = (deps.now ?? (() => new Date()))();
  let requeued = 0;
  // One read per channel per sweep, however many sources it owes posts of.
  const schedules = new Map<string, Promise<ChannelSchedule | null>>();
  const scheduleOf = (channel: DeliveryTarget['channel']) => {
    const key = channelKey(channel);
    let schedule = schedules.get(key);
    if (!schedule) {
      schedule = deps.schedules?.get(channel) ?? Promise.resolve(null);
      schedules.set(key, schedule);
    }
    return schedule;
  };
  for await (const batch of deps.deliveryLog.owing()) {
    for (const { sourceId, channel, since } of batch) {
      if (now.getTime() - since.getTime() < deps.minAgeMs) continue;
      // Held for a digest or quiet hours: queued by the first sweep after its release.
      if (isHeld(await scheduleOf(channel), since, now)) continue;
      // The newest owed post's job sends the whole backlog before it, oldest first.
      const boardNo = await deps.deliveryLog.newestOwed(sourceId, channel);
      if (boardNo === null) continue;
      if (await deps.requeueDelivery({ sourceId, boardNo, channel })) requeued++;
    }
  }
  const retried = await deps.retryFailed(new Date(now.getTime() - deps.giveUpAfterMs));
  if (requeued + retried > 0) {
    deps.logger.info({ requeued, retried }, 'sweep queued forgotten work again');
  }
  return { requeued, retried };
}

export interface ProbeDeps {
  notifiers: ReadonlyMap<Platform, Notifier>;
  store: Pick<PlatformStatusStore, 'get' | 'claimProbe'>;
  gate: Pick<PlatformGate, 'resume'>;
  /** At most one probe per platform per interval, across all processes. */
  probeIntervalMs: number;
  logger: Logger;
}

/**
 * Asks each paused platform, at most once per interval, whether it accepts the bot's token
 * now (Slack `auth.test`, Discord `GET /users/@me`) and resumes it when it does. Returns the
 * platforms resumed.
 */
export async function probePausedPlatforms(deps: ProbeDeps): Promise<Platform[]> {
  const resumed: Platform[] = [];
  for (const [platform, notifier] of deps.notifiers) {
    if (!notifier.verify) continue;
    if ((await deps.store.get(platform)).state === 'ok') continue;
    if (!(await deps.store.claimProbe(platform, deps.probeIntervalMs))) continue;
    try {
      await notifier.verify();
    } catch (error) {
      const refused = error instanceof DeliveryError && error.kind === 'unauthorized';
      deps.logger[refused ? 'info' : 'warn'](
        { platform, reason: (error as Error).message },
        refused ? 'the platform still refuses the bot token' : 'could not probe the platform',
      );
      continue;
    }
    await deps.gate.resume(platform);
    resumed.push(platform);
  }
  return resumed;
}
