import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordNotifier } from '../../adapters/discord/discord-notifier.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { FakeDiscord, GUILD_ID } from '../support/fake-discord.js';
import { discordSafetyProblems } from '../support/platform-limits.js';
import { describeNotifierContract, type NotifierHarness } from './notifier.contract.js';

describeNotifierContract('Discord', discordHarness);

const TOKEN = 'discord-contract-token-0123456789';

/**
 * The real `DiscordNotifier` (@discordjs/rest) against the fake Discord. The REST client keeps
 * its own buckets and global limit against `Date.now()` (a 429 leaves the route limited until
 * its reset), so a Retry-After is waited out in real time: Discord's `Retry-After` header is
 * whole seconds, so about one second per test that waits.
 */
function discordHarness(): NotifierHarness {
  let discord: FakeDiscord;
  let channels = 0n;
  const messagesIn = (channel: ChannelRef) => {
    const ids = discord.store.idsIn(channel.channelId);
    return (discord.messages.get(channel.channelId) ?? []).map((body, i) => ({
      id: ids[i]!,
      body,
    }));
  };
  return {
    async start() {
      discord = await new FakeDiscord().start();
      return new DiscordNotifier(TOKEN, discord.apiUrl);
    },
    close: () => discord.close(),
    channel: () => ({
      platform: 'discord',
      workspaceId: GUILD_ID,
      channelId: String(100_000_000_000_000_000n + ++channels),
    }),
    shown: (channel) =>
      messagesIn(channel).map(({ id, body }) => ({
        id,
        text: strings(body).join('\n'),
        rich: Array.isArray(body.embeds) && body.embeds.length > 0,
      })),
    // `allowed_mentions` is checked by the fake itself: it refuses a message that could ping.
    unsafe: (channel) => messagesIn(channel).flatMap(({ body }) => discordSafetyProblems(body)),
    requests: (channel) =>
      discord.requests
        .filter((r) => r.path.startsWith(`/channels/${channel.channelId}/messages`))
        .map((r) => ({ at: r.at, retryAfterMs: r.retryAfterMs ?? null })),
    faults: {
      'channel-gone': (channel) =>
        discord.faults.set(channel.channelId, { status: 404, code: 10003 }),
      'no-access': (channel) => discord.faults.set(channel.channelId, { status: 403, code: 50001 }),
      'token-refused': () => discord.resetToken(TOKEN),
      'rate-limited': (channel) =>
        discord.faults.set(channel.channelId, { status: 429, retryAfter: 0.25, remaining: 1 }),
      'global-rate-limited': (channel) =>
        discord.faults.set(channel.channelId, {
          status: 429,
          retryAfter: 0.25,
          global: true,
          remaining: 1,
        }),
      'rendering-refused': (channel) => discord.contentFaults.set(channel.channelId, 'embeds'),
      'too-large': (channel) => discord.contentFaults.set(channel.channelId, 'all'),
      'server-error': (channel) => discord.faults.set(channel.channelId, { status: 503 }),
      'network-error': (channel) => discord.faults.set(channel.channelId, { status: 'reset' }),
    },
    waitOut: (ms) => sleep(ms),
    missingMessageId: '999999999999999999',
    supports: { messageIds: true, inPlaceEdits: true, dedupesRetries: true, neverFails: false },
  };
}

/** Every string a message body shows: its content and its embeds' texts and links. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value)
    .filter(([key]) => key !== 'allowed_mentions' && key !== 'nonce')
    .flatMap(([, item]) => strings(item));
}
