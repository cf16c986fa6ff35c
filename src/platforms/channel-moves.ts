import type { ChannelRef } from '../model/subscription.js';
import type { ChannelScheduleStore } from '../ports/channel-schedule-store.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';
import { unsubscribeChannel, type UnsubscribeDeps } from '../pipeline/deliver/unsubscribe.js';

export interface MoveChannelDeps extends UnsubscribeDeps {
  subscriptions: UnsubscribeDeps['subscriptions'] & Pick<SubscriptionStore, 'get' | 'subscribe'>;
  schedules: Pick<ChannelScheduleStore, 'get' | 'set' | 'delete'>;
}

/**
 * A platform gave a channel a new id, the old one refused from now on (a Telegram group
 * upgraded to a supergroup): the channel keeps following what it followed, with its keywords,
 * digest times and quiet hours, under the new id. What the new id already follows (someone
 * subscribed there first) is left as it is. Posts owed to the old id are dropped with it.
 * Returns the sources moved.
 */
export async function moveChannel(
  deps: MoveChannelDeps,
  from: ChannelRef,
  to: ChannelRef,
): Promise<string[]> {
  const follows = await deps.subscriptions.following(from, await deps.sourceIds());
  const moved: string[] = [];
  for (const { sourceId, subscription } of follows) {
    if (await deps.subscriptions.get(sourceId, to)) continue;
    await deps.subscriptions.subscribe(sourceId, { ...subscription, ...to });
    moved.push(sourceId);
  }
  const schedule = await deps.schedules.get(from);
  if (schedule && !(await deps.schedules.get(to))) await deps.schedules.set(to, schedule);
  await unsubscribeChannel(deps, from);
  return moved;
}
