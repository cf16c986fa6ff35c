import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import {
  RELEASE_CLAIM_RETENTION_MS,
  sameCarrier,
  type ReleaseCarrier,
  type ReleaseClaims,
} from '../../src/ports/release-claims.js';

/** One release's claims: the holder per channel key, and when they all expire (ms). */
interface Claimed {
  holders: Map<string, ReleaseCarrier>;
  until: number;
}

/**
 * Release claims in memory, with the port's semantics (see `release-claims.contract.ts`):
 * the first carrier holds a release in a channel until it gives the claim back or the
 * release's claims expire, {@link RELEASE_CLAIM_RETENTION_MS} after its last new claim.
 */
export class MemoryReleaseClaims implements ReleaseClaims {
  private readonly releases = new Map<string, Claimed>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly retentionMs = RELEASE_CLAIM_RETENTION_MS,
  ) {}

  claim(channel: ChannelRef, releaseId: string, carrier: ReleaseCarrier): Promise<ReleaseCarrier> {
    const release: Claimed = this.live(releaseId) ?? { holders: new Map(), until: 0 };
    const held = release.holders.get(channelKey(channel));
    if (held) return Promise.resolve({ ...held });
    release.holders.set(channelKey(channel), { ...carrier });
    release.until = this.clock() + this.retentionMs;
    this.releases.set(releaseId, release);
    return Promise.resolve({ ...carrier });
  }

  unclaim(channel: ChannelRef, releaseId: string, carrier: ReleaseCarrier): Promise<void> {
    const holders = this.live(releaseId)?.holders;
    const held = holders?.get(channelKey(channel));
    if (held && sameCarrier(held, carrier)) holders!.delete(channelKey(channel));
    return Promise.resolve();
  }

  private live(releaseId: string) {
    const release = this.releases.get(releaseId);
    if (release && release.until <= this.clock()) this.releases.delete(releaseId);
    return this.releases.get(releaseId);
  }
}
