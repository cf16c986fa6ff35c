import type { ChannelRef } from '../model/subscription.js';

/** The post, in one source, that carries a press release. */
export interface ReleaseCarrier {
  sourceId: string;
  boardNo: number;
}

/**
 * How long a channel's claim on a release is kept: as long as the archive remembers the
 * release's carriers (`RELEASE_INDEX_RETENTION_MS`), after which a late carrier is news again.
 */
export const RELEASE_CLAIM_RETENTION_MS = 30 * 86_400_000;

/**
 * Port: which carrier's alert shows each press release in each channel, so a channel that
 * follows the board, a korea.kr feed and the API hears of one release once: the first carrier
 * to claim it is alerted, the others are settled quietly (and may enrich that alert). Claims are
 * per channel: a channel following one of the sources is never affected by another's.
 */
export interface ReleaseClaims {
  /**
   * Claims the release's alert in `channel` for `carrier`, unless another carrier holds it.
   * Returns the holder: `carrier` itself when it claimed now or held it already (a retried
   * delivery); else the one of `others` (the release's other carriers) whose alert shows it
   * there, or `null` when the one that does is not among them (trimmed from its archive).
   */
  claim(
    channel: ChannelRef,
    releaseId: string,
    carrier: ReleaseCarrier,
    others: readonly ReleaseCarrier[],
  ): Promise<ReleaseCarrier | null>;
  /**
   * Gives a claim back when its carrier's alert never reached the channel (refused, given up),
   * so a later carrier of the release may still tell the channel; only the holder's call counts.
   */
  unclaim(channel: ChannelRef, releaseId: string, carrier: ReleaseCarrier): Promise<void>;
}

/** Whether two carriers are the same post. */
export function sameCarrier(a: ReleaseCarrier, b: ReleaseCarrier): boolean {
  return a.sourceId === b.sourceId && a.boardNo === b.boardNo;
}
