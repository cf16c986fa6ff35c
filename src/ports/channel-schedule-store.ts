import type { ChannelSchedule } from '../model/channel-schedule.js';
import type { ChannelRef } from '../model/subscription.js';

/** Port: each channel's schedule; a channel without one gets every alert at once. */
export interface ChannelScheduleStore {
  get(channel: ChannelRef): Promise<ChannelSchedule | null>;
  /** Stores the schedule; one with neither a digest nor quiet hours is deleted. */
  set(channel: ChannelRef, schedule: ChannelSchedule): Promise<void>;
  delete(channel: ChannelRef): Promise<void>;
}
