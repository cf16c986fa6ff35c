import { DestinationNotifier } from '../../adapters/destinations/destination-notifier.js';
import { webhookFormat } from '../../adapters/webhook/webhook-format.js';
import { DESTINATION_WORKSPACE } from '../../src/model/destination.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { MemoryDestinationStore } from '../doubles/memory-destination-store.js';
import { FakeSignedWebhook, type ReceivedEvent } from '../support/fake-signed-webhook.js';
import { describeNotifierContract, type NotifierHarness } from './notifier.contract.js';

describeNotifierContract('Signed webhook', webhookHarness);

/**
 * The real `DestinationNotifier` with the webhook format, posting to a strict fake receiver
 * that verifies every signature. The notifier keeps no timer: the receiver's clock and the
 * notifier's (which stamps `webhook-timestamp`) are one injected clock, moved to wait out a
 * Retry-After. Destinations are sealed in the memory store; "token refused" is that store
 * losing its key, as after `TOKEN_ENCRYPTION_KEY` changed.
 */
function webhookHarness(): NotifierHarness {
  let receiver: FakeSignedWebhook;
  let store: MemoryDestinationStore;
  let clock = 0;
  let count = 0;
  const eventsOf = (channel: ChannelRef) => receiver.eventsOf(channel.channelId);
  return {
    async start() {
      receiver = await new FakeSignedWebhook().start();
      clock = Date.now();
      receiver.now = () => clock;
      store = new MemoryDestinationStore();
      return new DestinationNotifier({
        platform: 'webhook',
        format: webhookFormat,
        store,
        timeoutMs: 5_000,
        allowPrivate: true,
        now: () => new Date(clock),
      });
    },
    close: () => receiver.close(),
    channel() {
      const name = `hook-${++count}`;
      const { url, secret } = receiver.endpoint(name);
      const channel: ChannelRef = {
        platform: 'webhook',
        workspaceId: DESTINATION_WORKSPACE,
        channelId: name,
      };
      // The memory store keeps it before its promise settles.
      void store.put(channel, { url, secret }, new Date(clock));
      return channel;
    },
    shown: (channel) =>
      eventsOf(channel).map((received) => ({
        id: received.event['id'] as string,
        text: strings(received.event).join('\n'),
        // A webhook has no richer form than its one event.
        rich: false,
      })),
    unsafe: (channel) => eventsOf(channel).flatMap(safetyProblems),
    requests: (channel) =>
      receiver
        .requestsOf(channel.channelId)
        .map((request) => ({ at: request.at, retryAfterMs: request.retryAfterMs })),
    faults: {
      'channel-gone': (channel) => receiver.gone(channel.channelId, 410),
      // The receiver's secret was changed: what the bot signs is refused with 401.
      'no-access': (channel) => receiver.changeSecret(channel.channelId),
      'token-refused': () => store.loseKey(),
      'rate-limited': (channel) => receiver.rateLimit(channel.channelId, 30),
      // The receiver's validation refused the event once; the plain retry is the same event.
      'rendering-refused': (channel) => receiver.refuseEvents(channel.channelId, 400),
      'too-large': (channel) => receiver.limitBody(channel.channelId, 200),
      'server-error': (channel) => receiver.fail(channel.channelId, 503),
      'network-error': (channel) => receiver.reset(channel.channelId),
    },
    waitOut(ms) {
      clock += ms;
      return Promise.resolve();
    },
    missingMessageId: 'never-sent',
    supports: {
      messageIds: true,
      inPlaceEdits: false,
      // The receiver de-duplicates by `id`, not the bot: each retry is a new request.
      dedupesRetries: false,
      neverFails: false,
      credentialsCheckedLocally: true,
    },
  };
}

/** Every string in the event, in order: what a receiver could show. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

const LINK_FIELDS = new Set(['url', 'originalUrl']);

/**
 * What a receiver that turns fields into links or lines could be led astray by: a link field
 * that is not http(s), or a line break inside a one-line field (a title, a ministry).
 */
function safetyProblems(received: ReceivedEvent): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (LINK_FIELDS.has(key) && !/^https?:\/\//.test(value)) problems.push(`${key}: ${value}`);
      if (key !== 'text' && /[\r\n\u2028\u2029]/.test(value)) problems.push(`${key} breaks lines`);
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [child, item] of Object.entries(value)) visit(item, child);
    }
  };
  visit(received.event, '');
  return problems;
}
