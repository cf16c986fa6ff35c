import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DestinationNotifier } from '../../../adapters/destinations/destination-notifier.js';
import { DestinationSpacing } from '../../../adapters/destinations/destination-spacing.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { teamsFormat } from '../../../adapters/teams/teams-format.js';
import { DESTINATION_WORKSPACE } from '../../../src/model/destination.js';
import { sampleMessage } from '../../../src/model/news-message.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import { DeliveryError } from '../../../src/ports/notifier.js';
import { MemoryDestinationStore } from '../../doubles/memory-destination-store.js';
import { FakeTeams } from '../../support/fake-teams.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

/** Teams' own spacing (config-teams.ts): a quarter second between two messages to one URL. */
const TEAMS_SPACING_MS = 250;

const destination = (name: string): ChannelRef => ({
  platform: 'teams',
  workspaceId: DESTINATION_WORKSPACE,
  channelId: name,
});

async function failure(call: Promise<unknown>): Promise<DeliveryError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('webhook destinations: where a message may go, and how often', () => {
  let teams: FakeTeams;
  let store: MemoryDestinationStore;
  let redis: TestRedis;
  const message = sampleMessage(new Date('2026-12-07T01:00:00Z'));

  beforeEach(async () => {
    teams = await new FakeTeams().start();
    store = new MemoryDestinationStore();
    redis = await connectTestRedis();
  });

  afterEach(async () => {
    await teams.close();
    await redis.cleanup();
  });

  async function addHook(name: string, url = teams.addHook()): Promise<ChannelRef> {
    const channel = destination(name);
    await store.put(channel, { url, secret: null }, new Date());
    return channel;
  }

  function notifier(options: { allowPrivate: boolean; spacing?: DestinationSpacing }) {
    return new DestinationNotifier({
      platform: 'teams',
      format: teamsFormat,
      store,
      timeoutMs: 5_000,
      ...options,
    });
  }

  describe('per-destination spacing (Redis)', () => {
    const spacing = () =>
      new DestinationSpacing(redis.redis, new RedisKeys(redis.prefix), TEAMS_SPACING_MS);

    it('holds a second message to the same destination, and not one to another', async () => {
      const bot = notifier({ allowPrivate: true, spacing: spacing() });
      const first = await addHook('first-room');
      const second = await addHook('second-room');
      const hookOf = async (channel: ChannelRef) => (await store.secrets(channel))!.url;

      await bot.send(first, message, 'delivery-1');
      const held = await failure(bot.send(first, message, 'delivery-2'));
      expect(held.kind).toBe('rate-limited');
      expect(held.details.ownLimit).toBe(true);
      expect(held.details.scope).toBe('channel');
      expect(held.details.retryAfterMs).toBeGreaterThan(0);
      expect(held.details.retryAfterMs).toBeLessThanOrEqual(TEAMS_SPACING_MS);
      // The held message never left the bot; the other destination's went at once.
      expect(teams.requests(await hookOf(first))).toHaveLength(1);
      await bot.send(second, message, 'delivery-3');
      expect(teams.received(await hookOf(second))).toHaveLength(1);
    });

    it('keeps a destination quiet for the Retry-After of its 429, across notifiers', async () => {
      const throttled = await addHook('throttled-room');
      const url = (await store.secrets(throttled))!.url;
      teams.rateLimits.set(url, { remaining: 1, retryAfterMs: 30_000 });

      const limited = await failure(
        notifier({ allowPrivate: true, spacing: spacing() }).send(throttled, message, 'd-1'),
      );
      expect(limited.kind).toBe('rate-limited');
      expect(limited.details.ownLimit).toBeUndefined();
      // Another worker's notifier sees the hold in Redis and sends nothing.
      const held = await failure(
        notifier({ allowPrivate: true, spacing: spacing() }).send(throttled, message, 'd-1'),
      );
      expect(held.details.ownLimit).toBe(true);
      expect(held.details.retryAfterMs).toBeGreaterThan(TEAMS_SPACING_MS);
      expect(held.details.retryAfterMs).toBeLessThanOrEqual(30_000);
      expect(teams.requests(url)).toHaveLength(1);
    });
  });

  describe('private addresses', () => {
    /** The fake's hook as an https URL on `host`: what a stored destination would hold. */
    async function hookOn(host: string) {
      const url = new URL(teams.addHook());
      const httpsUrl = `https://${host}:${url.port}${url.pathname}${url.search}`;
      return { channel: await addHook(`on-${host.replace(/\W/g, '')}`, httpsUrl), plain: url };
    }

    it('delivers to a hook on 127.0.0.1 only where private destinations are allowed', async () => {
      const channel = await addHook('local-relay');
      await notifier({ allowPrivate: true }).send(channel, message, 'd-1');
      expect(teams.received((await store.secrets(channel))!.url)).toHaveLength(1);
    });

    for (const host of ['127.0.0.1', '[::1]', 'localhost'])
      it(`refuses a hook on ${host} for good when they are not, before connecting`, async () => {
        const { channel, plain } = await hookOn(host);
        const error = await failure(notifier({ allowPrivate: false }).send(channel, message, 'd'));
        expect(error.kind).toBe('permanent');
        expect(error.details.code).toBe('address-refused');
        // Nothing reached the hook, and the error does not repeat its URL.
        expect(teams.requests(plain.href)).toEqual([]);
        expect(error.message).not.toContain(plain.pathname);
      });

    it('refuses plain http when private destinations are not allowed', async () => {
      const channel = await addHook('plain-http');
      const error = await failure(notifier({ allowPrivate: false }).send(channel, message, 'd'));
      expect(error.kind).toBe('permanent');
      expect(error.details.code).toBe('scheme');
    });
  });
});
