import { TelegramNotifier } from '../../adapters/telegram/telegram-notifier.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { FakeTelegram, telegramSafetyProblems } from '../support/fake-telegram.js';
import { describeNotifierContract, type NotifierHarness } from './notifier.contract.js';

describeNotifierContract('Telegram', telegramHarness);

const TOKEN = '7000000001:AAContractTokenContractTokenContract01';

/**
 * The real `TelegramNotifier` (grammY's Bot API client) against the fake Telegram. grammY
 * neither retries nor waits on a 429 by itself (no auto-retry transformer), and the notifier
 * is built here without the per-chat limiter (its own test covers it), so the fake's clock
 * is injected and a retry_after is waited out by moving it. Chats are groups (negative ids),
 * where Telegram's limits are tightest.
 *
 * Telegram's 429 does not say whether it is one chat's or the whole bot's: the adapter takes
 * it as the chat's (see `toDeliveryError`), so the contract's `global-rate-limited` does not
 * apply. Telegram has no idempotency key either.
 */
function telegramHarness(): NotifierHarness {
  let telegram: FakeTelegram;
  let clock = 0;
  let chats = 0;
  const shownIn = (channel: ChannelRef) => telegram.chats.in(channel.channelId);
  return {
    async start() {
      telegram = (await new FakeTelegram().start()).addBot(TOKEN, 'EsgNewsBot');
      clock = Date.now();
      telegram.now = () => clock;
      return new TelegramNotifier({ token: TOKEN, apiUrl: telegram.apiUrl });
    },
    close: () => telegram.close(),
    channel() {
      const id = -1_001_000_000_000 - ++chats;
      telegram.addChat(id, 'supergroup');
      return { platform: 'telegram', workspaceId: 'chat', channelId: String(id) };
    },
    shown: (channel) =>
      shownIn(channel).map((m) => ({
        id: String(m.messageId),
        // What the chat shows, and where its links lead.
        text: [m.shown.text, ...m.shown.entities.flatMap((e) => (e.url ? [e.url] : []))].join('\n'),
        rich: m.parseMode === 'HTML',
      })),
    unsafe: (channel) => shownIn(channel).flatMap((m) => telegramSafetyProblems(m.shown)),
    requests: (channel) =>
      telegram.requests
        .filter((call) => call.method !== 'getMe' && call.chatId === channel.channelId)
        .map((call) => ({
          at: call.at,
          retryAfterMs: call.retryAfter === undefined ? null : call.retryAfter * 1000,
        })),
    faults: {
      'channel-gone': (channel) => {
        telegram.chats.get(channel.channelId)!.gone = true;
      },
      'no-access': (channel) => {
        telegram.chats.get(channel.channelId)!.botStatus = 'kicked';
      },
      'token-refused': () => telegram.revoke(TOKEN),
      'rate-limited': (channel) => telegram.floodedUntil.set(channel.channelId, clock + 30_000),
      'rendering-refused': (channel) => telegram.contentFaults.set(channel.channelId, 'html'),
      'too-large': (channel) => telegram.contentFaults.set(channel.channelId, 'all'),
      'server-error': (channel) => telegram.transportFaults.set(channel.channelId, 502),
      'network-error': (channel) => telegram.transportFaults.set(channel.channelId, 'reset'),
    },
    waitOut(ms) {
      clock += ms;
      return Promise.resolve();
    },
    missingMessageId: '999999',
    supports: { messageIds: true, inPlaceEdits: true, dedupesRetries: false, neverFails: false },
  };
}
