import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { CHANNEL_NUMBER } from './delivery-scripts.js';
import {
  RELEASE_CLAIM_RETENTION_MS,
  type ReleaseCarrier,
  type ReleaseClaims,
} from '../../src/ports/release-claims.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';

/**
 * KEYS: channel ids, id counter, the release's bitmap, the carrier's, then the other carriers'.
 * ARGV: channel key, retention (ms). Returns 0 when the carrier holds the release in the
 * channel (now or before), i for the i-th other carrier holding it, -1 for one not listed.
 */
const CLAIM = `${CHANNEL_NUMBER}
local n = channel_number(KEYS[1], KEYS[2], ARGV[1])
if redis.call('GETBIT', KEYS[4], n) == 1 then return 0 end
if redis.call('SETBIT', KEYS[3], n, 1) == 0 then
  redis.call('SETBIT', KEYS[4], n, 1)
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
  redis.call('PEXPIRE', KEYS[4], ARGV[2])
  return 0
end
for i = 5, #KEYS do
  if redis.call('GETBIT', KEYS[i], n) == 1 then return i - 4 end
end
return -1
`;

/** KEYS: channel ids, the release's bitmap, the carrier's. ARGV: channel key. */
const UNCLAIM = `
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n and redis.call('GETBIT', KEYS[3], n) == 1 then
  redis.call('SETBIT', KEYS[3], n, 0)
  redis.call('SETBIT', KEYS[2], n, 0)
end
return 0
`;

type Script = (...args: Array<string | number>) => Promise<number>;

/**
 * Claims as bits, by the channel's small number (the delivery log's, see `channelIds`): one
 * bitmap per release (shown in the channel by some carrier) and one per carrier (shown by this
 * one), each expiring {@link RELEASE_CLAIM_RETENTION_MS} after its last claim. A release
 * alerted in 5,000 channels costs two bitmaps of 625 bytes, not 5,000 hash fields.
 */
export class RedisReleaseClaims implements ReleaseClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs = RELEASE_CLAIM_RETENTION_MS,
  ) {
    if (!('esgClaimRelease' in redis)) {
      redis.defineCommand('esgClaimRelease', { lua: CLAIM });
      redis.defineCommand('esgUnclaimRelease', { numberOfKeys: 3, lua: UNCLAIM });
    }
  }

  async claim(
    channel: ChannelRef,
    releaseId: string,
    carrier: ReleaseCarrier,
    others: readonly ReleaseCarrier[],
  ): Promise<ReleaseCarrier | null> {
    const claim = (this.redis as unknown as { esgClaimRelease: Script }).esgClaimRelease;
    const keys = [
      this.keys.channelIds(),
      this.keys.channelIdSequence(),
      this.keys.releaseShown(releaseId),
      this.shownBy(carrier),
      ...others.map((other) => this.shownBy(other)),
    ];
    const held = await claim.call(
      this.redis,
      keys.length,
      ...keys,
      channelKey(channel),
      this.retentionMs,
    );
    if (held === 0) return carrier;
    return held > 0 ? (others[held - 1] ?? null) : null;
  }

  async unclaim(channel: ChannelRef, releaseId: string, carrier: ReleaseCarrier): Promise<void> {
    const unclaim = (this.redis as unknown as { esgUnclaimRelease: Script }).esgUnclaimRelease;
    await unclaim.call(
      this.redis,
      this.keys.channelIds(),
      this.keys.releaseShown(releaseId),
      this.shownBy(carrier),
      channelKey(channel),
    );
  }

  private shownBy(carrier: ReleaseCarrier): string {
    return this.keys.releaseShownBy(carrier.sourceId, carrier.boardNo);
  }
}
