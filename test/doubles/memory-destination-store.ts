import {
  maskedUrl,
  type DestinationBreak,
  type DestinationSecrets,
  type DestinationView,
} from '../../src/model/destination.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { DestinationKeyMissing, type DestinationStore } from '../../src/ports/destination-store.js';
import { WrongKeyError } from '../../src/util/token-cipher.js';

/**
 * Destinations in memory with the port's semantics (`destination-store.contract.ts`). `keyed:
 * false` stands for a deployment without `TOKEN_ENCRYPTION_KEY`.
 */
export class MemoryDestinationStore implements DestinationStore {
  private readonly records = new Map<
    string,
    { channel: ChannelRef; secrets: DestinationSecrets; createdAt: Date }
  >();
  private readonly breaks = new Map<string, DestinationBreak>();
  private readonly probes = new Map<string, number>();
  private keyLost = false;

  constructor(private readonly options: { keyed?: boolean; clock?: () => number } = {}) {}

  /**
   * From now on the stored destinations no longer open, as after `TOKEN_ENCRYPTION_KEY` was
   * changed: `secrets` throws `WrongKeyError`.
   */
  loseKey(): void {
    this.keyLost = true;
  }

  put(channel: ChannelRef, secrets: DestinationSecrets, at: Date) {
    if (this.options.keyed === false) return Promise.reject(new DestinationKeyMissing());
    const key = channelKey(channel);
    const existed = this.records.has(key);
    this.records.set(key, { channel: { ...channel }, secrets: { ...secrets }, createdAt: at });
    this.breaks.delete(key);
    return Promise.resolve(existed ? ('replaced' as const) : ('added' as const));
  }

  secrets(channel: ChannelRef): Promise<DestinationSecrets | null> {
    const record = this.records.get(channelKey(channel));
    if (record && this.options.keyed === false) return Promise.reject(new DestinationKeyMissing());
    if (record && this.keyLost) return Promise.reject(new WrongKeyError());
    return Promise.resolve(record ? { ...record.secrets } : null);
  }

  get(channel: ChannelRef): Promise<DestinationView | null> {
    const key = channelKey(channel);
    const record = this.records.get(key);
    return Promise.resolve(record ? this.view(key) : null);
  }

  list(platform?: Platform): Promise<DestinationView[]> {
    return Promise.resolve(
      [...this.records.keys()]
        .map((key) => this.view(key))
        .filter((view) => platform === undefined || view.channel.platform === platform)
        .sort(
          (a, b) =>
            a.channel.platform.localeCompare(b.channel.platform) ||
            a.channel.channelId.localeCompare(b.channel.channelId),
        ),
    );
  }

  remove(channel: ChannelRef): Promise<boolean> {
    const key = channelKey(channel);
    this.breaks.delete(key);
    return Promise.resolve(this.records.delete(key));
  }

  markBroken(channel: ChannelRef, reason: string, at: Date): Promise<boolean> {
    const key = channelKey(channel);
    if (this.breaks.has(key)) return Promise.resolve(false);
    this.breaks.set(key, { since: at, reason: reason.slice(0, 300) });
    return Promise.resolve(true);
  }

  markWorking(channel: ChannelRef): Promise<boolean> {
    return Promise.resolve(this.breaks.delete(channelKey(channel)));
  }

  brokenSince(channel: ChannelRef): Promise<DestinationBreak | null> {
    const found = this.breaks.get(channelKey(channel));
    return Promise.resolve(found ? { ...found } : null);
  }

  claimProbe(channel: ChannelRef, intervalMs: number): Promise<boolean> {
    const now = (this.options.clock ?? Date.now)();
    const key = channelKey(channel);
    if ((this.probes.get(key) ?? 0) > now) return Promise.resolve(false);
    this.probes.set(key, now + intervalMs);
    return Promise.resolve(true);
  }

  private view(key: string): DestinationView {
    const record = this.records.get(key)!;
    const broken = this.breaks.get(key);
    return {
      channel: { ...record.channel },
      shownUrl: maskedUrl(record.secrets.url),
      hasSecret: record.secrets.secret !== null,
      createdAt: record.createdAt,
      broken: broken ? { ...broken } : null,
    };
  }
}
