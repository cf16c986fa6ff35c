import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import {
  RELEASE_CLAIM_RETENTION_MS,
  type ReleaseCarrier,
  type ReleaseClaims,
} from '../../src/ports/release-claims.js';

/** Channels by key, and when they are all forgotten (ms). */
interface ShownIn {
  channels: Set<string>;
  until: number;
}

/**
 * Release claims in memory, with the port's semantics (see `release-claims.contract.ts`): a
 * set of channels per release (shown there by some carrier) and per carrier (shown by it),
 * each forgotten {@link RELEASE_CLAIM_RETENTION_MS} after its last new claim.
 */
export class MemoryReleaseClaims implements ReleaseClaims {
  private readonly byRelease = new Map<string, ShownIn>();
  private readonly byCarrier = new Map<string, ShownIn>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly retentionMs = RELEASE_CLAIM_RETENTION_MS,
  ) {}

  claim(
    channel: ChannelRef,
    releaseId: string,
    carrier: ReleaseCarrier,
    others: readonly ReleaseCarrier[],
  ): Promise<ReleaseCarrier | null> {
    const key = channelKey(channel);
    if (this.live(this.byCarrier, carrierKey(carrier))?.channels.has(key)) {
      return Promise.resolve(carrier);
    }
    const release = this.live(this.byRelease, releaseId);
    if (!release?.channels.has(key)) {
      this.add(this.byRelease, releaseId, key);
      this.add(this.byCarrier, carrierKey(carrier), key);
      return Promise.resolve(carrier);
    }
    const holder = others.find((o) => this.live(this.byCarrier, carrierKey(o))?.channels.has(key));
    return Promise.resolve(holder ? { ...holder } : null);
  }

  unclaim(channel: ChannelRef, releaseId: string, carrier: ReleaseCarrier): Promise<void> {
    const key = channelKey(channel);
    const mine = this.live(this.byCarrier, carrierKey(carrier));
    if (mine?.channels.delete(key)) this.live(this.byRelease, releaseId)?.channels.delete(key);
    return Promise.resolve();
  }

  private add(map: Map<string, ShownIn>, id: string, channel: string): void {
    const shown = this.live(map, id) ?? { channels: new Set<string>(), until: 0 };
    shown.channels.add(channel);
    shown.until = this.clock() + this.retentionMs;
    map.set(id, shown);
  }

  private live(map: Map<string, ShownIn>, id: string): ShownIn | undefined {
    const shown = map.get(id);
    if (shown && shown.until <= this.clock()) map.delete(id);
    return map.get(id);
  }
}

const carrierKey = (carrier: ReleaseCarrier) => `${carrier.sourceId}\n${carrier.boardNo}`;
