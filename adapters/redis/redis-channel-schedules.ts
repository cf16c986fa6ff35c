import { isEmptySchedule, type ChannelSchedule } from '../../src/model/channel-schedule.js';
import { type ChannelScheduleStore } from '../../src/ports/channel-schedule-store.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** Every channel's schedule in one hash (channel key → JSON); absent means alerts at once. */
export class RedisChannelScheduleStore implements ChannelScheduleStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(channel: ChannelRef): Promise<ChannelSchedule | null> {
    const json = await this.redis.hget(this.keys.channelSchedules(), channelKey(channel));
    return json ? parseSchedule(json) : null;
  }

  async set(channel: ChannelRef, schedule: ChannelSchedule): Promise<void> {
    if (isEmptySchedule(schedule)) return this.delete(channel);
    await this.redis.hset(
      this.keys.channelSchedules(),
      channelKey(channel),
      JSON.stringify(schedule),
    );
  }

  async delete(channel: ChannelRef): Promise<void> {
    await this.redis.hdel(this.keys.channelSchedules(), channelKey(channel));
  }
}

/** A schedule as stored (the delivery log reads it too, with a channel's turn). */
export function parseSchedule(json: string): ChannelSchedule {
  const stored = JSON.parse(json) as Partial<ChannelSchedule>;
  return { digest: stored.digest ?? null, quiet: stored.quiet ?? null };
}
