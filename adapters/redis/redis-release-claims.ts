import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import {
  RELEASE_CLAIM_RETENTION_MS,
  type ReleaseCarrier,
  type ReleaseClaims,
} from '../../src/ports/release-claims.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';

/** KEYS: the release's claims. ARGV: channel key, carrier, retention (ms). Returns the holder. */
const CLAIM = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then return held end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return ARGV[2]
`;

/** KEYS: the release's claims. ARGV: channel key, carrier. Deletes the claim if it is the carrier's. */
const UNCLAIM = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

type Script = (...args: Array<string | number>) => Promise<string>;

/**
 * Claims in one hash per release (channel key → `sourceId` and number), expiring
 * {@link RELEASE_CLAIM_RETENTION_MS} after the release's last claim: what it costs is one
 * field per channel a release reached, for a month.
 */
export class RedisReleaseClaims implements ReleaseClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs = RELEASE_CLAIM_RETENTION_MS,
  ) {
    if (!('esgClaimRelease' in redis)) {
      redis.defineCommand('esgClaimRelease', { numberOfKeys: 1, lua: CLAIM });
      redis.defineCommand('esgUnclaimRelease', { numberOfKeys: 1, lua: UNCLAIM });
    }
  }

  async claim(
    channel: ChannelRef,
    releaseId: string,
    carrier: ReleaseCarrier,
  ): Promise<ReleaseCarrier> {
    const claim = (this.redis as unknown as { esgClaimRelease: Script }).esgClaimRelease;
    const held = await claim.call(
      this.redis,
      this.keys.releaseClaims(releaseId),
      channelKey(channel),
      encode(carrier),
      this.retentionMs,
    );
    return decode(held);
  }

  async unclaim(channel: ChannelRef, releaseId: string, carrier: ReleaseCarrier): Promise<void> {
    const unclaim = (this.redis as unknown as { esgUnclaimRelease: Script }).esgUnclaimRelease;
    await unclaim.call(
      this.redis,
      this.keys.releaseClaims(releaseId),
      channelKey(channel),
      encode(carrier),
    );
  }
}

// A source id never holds a line break (see `sourceIdFor` and SOURCE_NAME).
const encode = (carrier: ReleaseCarrier) => `${carrier.sourceId}\n${carrier.boardNo}`;

function decode(held: string): ReleaseCarrier {
  const at = held.lastIndexOf('\n');
  return { sourceId: held.slice(0, at), boardNo: Number(held.slice(at + 1)) };
}
