import {
  maskedUrl,
  type DestinationBreak,
  type DestinationSecrets,
  type DestinationView,
} from '../../src/model/destination.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { DestinationKeyMissing, type DestinationStore } from '../../src/ports/destination-store.js';
import type { TokenCipher } from '../../src/util/token-cipher.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** One destination's record: the URL and secret sealed, the masked URL for display. */
interface StoredDestination {
  channel: ChannelRef;
  sealed: string;
  shownUrl: string;
  hasSecret: boolean;
  createdAt: string;
}

/**
 * {@link DestinationStore} in two hashes: channel key → record, and channel key → break. The
 * URL and secret are one AES-256-GCM value bound to the destination's key, so a value copied
 * to another destination's field does not open there.
 */
export class RedisDestinationStore implements DestinationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly cipher: TokenCipher | null,
  ) {}

  async put(channel: ChannelRef, secrets: DestinationSecrets, at: Date) {
    if (!this.cipher) throw new DestinationKeyMissing();
    const field = channelKey(channel);
    const record: StoredDestination = {
      channel,
      sealed: this.cipher.encrypt(JSON.stringify(secrets), field),
      shownUrl: maskedUrl(secrets.url),
      hasSecret: secrets.secret !== null,
      createdAt: at.toISOString(),
    };
    const [[, added]] = (await this.redis
      .multi()
      .hset(this.keys.destinations(), field, JSON.stringify(record))
      .hdel(this.keys.brokenDestinations(), field)
      .exec()) as [[unknown, number], [unknown, number]];
    return added === 1 ? 'added' : 'replaced';
  }

  async secrets(channel: ChannelRef): Promise<DestinationSecrets | null> {
    const record = await this.record(channel);
    if (!record) return null;
    if (!this.cipher) throw new DestinationKeyMissing();
    return JSON.parse(
      this.cipher.decrypt(record.sealed, channelKey(channel)),
    ) as DestinationSecrets;
  }

  async get(channel: ChannelRef): Promise<DestinationView | null> {
    const record = await this.record(channel);
    return record ? this.view(record, await this.brokenSince(channel)) : null;
  }

  async list(platform?: Platform): Promise<DestinationView[]> {
    const [records, breaks] = await Promise.all([
      this.redis.hgetall(this.keys.destinations()),
      this.redis.hgetall(this.keys.brokenDestinations()),
    ]);
    return Object.entries(records)
      .map(([field, json]) => {
        const record = JSON.parse(json) as StoredDestination;
        return this.view(record, readBreak(breaks[field]));
      })
      .filter((view) => platform === undefined || view.channel.platform === platform)
      .sort(
        (a, b) =>
          a.channel.platform.localeCompare(b.channel.platform) ||
          a.channel.channelId.localeCompare(b.channel.channelId),
      );
  }

  async remove(channel: ChannelRef): Promise<boolean> {
    const field = channelKey(channel);
    const [[, removed]] = (await this.redis
      .multi()
      .hdel(this.keys.destinations(), field)
      .hdel(this.keys.brokenDestinations(), field)
      .exec()) as [[unknown, number], [unknown, number]];
    return removed === 1;
  }

  async markBroken(channel: ChannelRef, reason: string, at: Date): Promise<boolean> {
    const json = JSON.stringify({ since: at.toISOString(), reason: reason.slice(0, 300) });
    return (
      (await this.redis.hsetnx(this.keys.brokenDestinations(), channelKey(channel), json)) === 1
    );
  }

  async markWorking(channel: ChannelRef): Promise<boolean> {
    return (await this.redis.hdel(this.keys.brokenDestinations(), channelKey(channel))) === 1;
  }

  async brokenSince(channel: ChannelRef): Promise<DestinationBreak | null> {
    return readBreak(
      (await this.redis.hget(this.keys.brokenDestinations(), channelKey(channel))) ?? undefined,
    );
  }

  async claimProbe(channel: ChannelRef, intervalMs: number): Promise<boolean> {
    const key = this.keys.destinationProbe(channelKey(channel));
    return (await this.redis.set(key, '1', 'PX', intervalMs, 'NX')) === 'OK';
  }

  private async record(channel: ChannelRef): Promise<StoredDestination | null> {
    const json = await this.redis.hget(this.keys.destinations(), channelKey(channel));
    return json === null ? null : (JSON.parse(json) as StoredDestination);
  }

  private view(record: StoredDestination, broken: DestinationBreak | null): DestinationView {
    return {
      channel: record.channel,
      shownUrl: record.shownUrl,
      hasSecret: record.hasSecret,
      createdAt: new Date(record.createdAt),
      broken,
    };
  }
}

function readBreak(json: string | undefined): DestinationBreak | null {
  if (json === undefined) return null;
  const { since, reason } = JSON.parse(json) as { since: string; reason: string };
  return { since: new Date(since), reason };
}
