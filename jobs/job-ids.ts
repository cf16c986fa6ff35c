import { deliveryKey, noticeKey } from '../src/pipeline/deliver/deliver.js';
import type { DeliveryTarget } from '../src/ports/delivery-log.js';
import type { SourceNotice } from '../src/model/news-message.js';
import type { ChannelRef } from '../src/model/subscription.js';

/**
 * Deterministic job ids: the same work always gets the same id, so BullMQ keeps one job however
 * often it is enqueued. BullMQ ids may not contain `:` nor be all digits; source ids have neither.
 */
export const jobIds = {
  pollScheduler: (sourceId: string) => `poll-${sourceId}`,
  sweepScheduler: 'sweep',
  fanOut: (sourceId: string, boardNos: readonly number[]) =>
    `fanout-${sourceId}-${boardNos[0]}-${boardNos.at(-1)}-${boardNos.length}`,
  deliver: (target: DeliveryTarget) => `deliver-${deliveryKey(target)}`,
  /** One per corrected version of the posts: a correction seen by two polls is edited once. */
  correction: (sourceId: string, boardNos: readonly number[], version: string) =>
    `correct-${sourceId}-${boardNos[0]}-${boardNos.length}-${version}`,
  /** One per (alert, version): a second correction of the same post edits again. */
  edit: (target: DeliveryTarget, version: string) => `edit-${deliveryKey(target)}-${version}`,
  notice: (notice: SourceNotice) =>
    `notice-${notice.sourceId}-${notice.kind}-${Date.parse(notice.since)}`,
  noticeDelivery: (notice: SourceNotice, channel: ChannelRef) =>
    `notice-${noticeKey(notice, channel)}`,
};
