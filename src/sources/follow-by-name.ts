import type { Subscription } from '../model/subscription.js';
import { refusalText, type FollowSourceOutcome } from '../ports/source-catalog.js';
import type { SourceRecord } from '../ports/source-registry.js';
import type { FollowLimits, SubscriptionStore } from '../ports/subscription-store.js';

/**
 * Follows a source the channel's tenant can see, within the limits, taken atomically by the
 * store; a refusal comes back as the Korean reply that explains it.
 */
export async function followByName(
  subscriptions: Pick<SubscriptionStore, 'follow'>,
  limits: FollowLimits,
  source: SourceRecord,
  subscription: Subscription,
): Promise<FollowSourceOutcome> {
  const outcome = await subscriptions.follow(source.name, subscription, {
    limits,
    requireSource: true,
  });
  if (outcome.kind === 'refused') {
    return { kind: 'refused', reason: refusalText(outcome.reason, limits) };
  }
  return { kind: 'followed', source, updated: outcome.kind === 'updated', newToTenant: false };
}
