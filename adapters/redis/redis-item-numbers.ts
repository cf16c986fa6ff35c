import type { RedisClient } from './redis-connection.js';
import type { ItemNumbers, ItemToNumber, NumberedItem } from '../../src/ports/item-numbers.js';
import { ASSIGN_ITEM_NUMBERS, MARK_ITEMS_SEEN } from './item-number-scripts.js';
import type { RedisKeys } from './redis-keys.js';

/** How many identities per source are remembered by default: far more than any feed holds. */
export const DEFAULT_SEEN_ITEMS = 10_000;

type AssignCommand = (
  numbers: string,
  seen: string,
  sequence: string,
  ...args: string[]
) => Promise<number[]>;
type MarkSeenCommand = (
  numbers: string,
  seen: string,
  at: number,
  keep: number,
  ...keys: string[]
) => Promise<number>;

interface Commands {
  esgAssignItemNumbers: AssignCommand;
  esgMarkItemsSeen: MarkSeenCommand;
}

/**
 * Feed item numbers and seen items in Redis: per source a hash of identity ↔ number, a sorted
 * set of identities by when they were first seen, and a sequence counter. One script call per
 * poll assigns, one marks seen.
 */
export class RedisItemNumbers implements ItemNumbers {
  private readonly commands: Commands;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** Identities remembered per source, oldest first seen forgotten first. */
    private readonly maxSeen = DEFAULT_SEEN_ITEMS,
  ) {
    if (!('esgAssignItemNumbers' in redis)) {
      redis.defineCommand('esgAssignItemNumbers', { numberOfKeys: 3, lua: ASSIGN_ITEM_NUMBERS });
      redis.defineCommand('esgMarkItemsSeen', { numberOfKeys: 2, lua: MARK_ITEMS_SEEN });
    }
    this.commands = redis as unknown as Commands;
  }

  async assign(
    sourceId: string,
    items: readonly ItemToNumber[],
  ): Promise<{ firstRead: boolean; items: NumberedItem[] }> {
    const args = items.flatMap((item) => [item.key, item.ownNumber?.toString() ?? '']);
    const reply = await this.commands.esgAssignItemNumbers.call(
      this.redis,
      this.keys.itemNumbers(sourceId),
      this.keys.itemsSeen(sourceId),
      this.keys.itemSequence(sourceId),
      ...args,
    );
    const numbered: NumberedItem[] = [];
    for (let i = 1; i < reply.length; i += 2) {
      numbered.push({ number: Number(reply[i]), seen: reply[i + 1] === 1 });
    }
    return { firstRead: reply[0] === 1, items: numbered };
  }

  async markSeen(
    sourceId: string,
    keys: readonly string[],
    at: Date,
    keep = this.maxSeen,
  ): Promise<void> {
    if (keys.length === 0) return;
    await this.commands.esgMarkItemsSeen.call(
      this.redis,
      this.keys.itemNumbers(sourceId),
      this.keys.itemsSeen(sourceId),
      at.getTime(),
      keep,
      ...keys,
    );
  }
}
