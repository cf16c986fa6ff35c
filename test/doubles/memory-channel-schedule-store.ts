import { isEmptySchedule, type ChannelSchedule } from '../../src/model/channel-schedule.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type { ChannelScheduleStore } from '../../src/ports/channel-schedule-store.js';
import { jsonCopy } from './json-copy.js';

/**
 * Channels' schedules in memory, with the port's semantics (see
 * `channel-schedule-store.contract.ts`): an empty schedule is none. The delivery log double
 * reads them with a channel's turn, as the Redis log does.
 */
export class MemoryChannelScheduleStore implements ChannelScheduleStore {
  private readonly schedules = new Map<string, ChannelSchedule>();

  get(channel: ChannelRef): Promise<ChannelSchedule | null> {
    return Promise.resolve(this.peek(channel));
  }

  set(channel: ChannelRef, schedule: ChannelSchedule): Promise<void> {
    if (isEmptySchedule(schedule)) return this.delete(channel);
    const { digest, quiet } = schedule;
    this.schedules.set(channelKey(channel), jsonCopy({ digest, quiet }));
    return Promise.resolve();
  }

  delete(channel: ChannelRef): Promise<void> {
    this.schedules.delete(channelKey(channel));
    return Promise.resolve();
  }

  /** The channel's schedule now, read in the same step as something else (a turn). */
  peek(channel: ChannelRef): ChannelSchedule | null {
    const schedule = this.schedules.get(channelKey(channel));
    return schedule ? jsonCopy(schedule) : null;
  }
}
