import type { ArchiveRetention, PostArchive } from '../../src/ports/post-archive.js';
import type {
  ReadRecord,
  SourceState,
  SourceStateStore,
} from '../../src/ports/source-state-store.js';
import { searchableText } from '../../src/model/searchable-text.js';
import type { ItemNumbers, ItemToNumber, NumberedItem } from '../../src/ports/item-numbers.js';
import type { Post } from '../../src/model/post.js';
import type { Validators } from '../../src/ports/news-source.js';

/** The post archive in memory, for `pollSource` tests that need no Redis. */
export class MemoryPostArchive implements PostArchive {
  readonly posts = new Map<string, Post>();
  /** How many `save` calls wrote anything. */
  saves = 0;

  /** When each post was first archived (ms), by `source|number`. */
  readonly times = new Map<string, number>();

  save(posts: readonly Post[], at: Date = new Date()): Promise<void> {
    if (posts.length > 0) this.saves++;
    for (const post of posts) {
      const key = `${post.sourceId}|${post.boardNo}`;
      this.posts.set(key, post);
      if (!this.times.has(key)) this.times.set(key, at.getTime());
    }
    return Promise.resolve();
  }

  get(sourceId: string, boardNo: number): Promise<Post | null> {
    return Promise.resolve(this.posts.get(`${sourceId}|${boardNo}`) ?? null);
  }

  newest(sourceId: string, count: number): Promise<Post[]> {
    return Promise.resolve(this.all(sourceId).slice(0, Math.max(0, count)));
  }

  search(
    sourceId: string,
    words: readonly string[],
    limit: number,
    scan = Number.MAX_SAFE_INTEGER,
  ): Promise<Post[]> {
    const needles = words.map(searchableText);
    return Promise.resolve(
      this.all(sourceId)
        .slice(0, scan)
        .filter((p) => {
          const text = searchableText(`${p.title}\n${p.ministry ?? ''}`);
          return needles.every((n) => text.includes(n));
        })
        .slice(0, limit),
    );
  }

  trim(sourceId: string, retention: ArchiveRetention, now: Date): Promise<number> {
    const cutoff = now.getTime() - retention.maxAgeMs;
    const victims = this.all(sourceId).filter(
      (post, rank) =>
        rank >= retention.maxPosts ||
        (this.times.get(`${sourceId}|${post.boardNo}`) ?? Infinity) < cutoff,
    );
    for (const post of victims) {
      this.posts.delete(`${sourceId}|${post.boardNo}`);
      this.times.delete(`${sourceId}|${post.boardNo}`);
    }
    return Promise.resolve(victims.length);
  }

  /** A source's posts, highest number first. */
  all(sourceId: string): Post[] {
    return [...this.posts.values()]
      .filter((p) => p.sourceId === sourceId)
      .sort((a, b) => b.boardNo - a.boardNo);
  }
}

/** Each source's state in memory, with the Redis store's semantics. */
export class MemorySourceStates implements SourceStateStore {
  private readonly states = new Map<string, SourceState & { outageNoticedSince?: Date }>();

  private of(sourceId: string) {
    let state = this.states.get(sourceId);
    if (!state) {
      state = {
        cursor: null,
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
        failingSince: null,
        validators: {},
      };
      this.states.set(sourceId, state);
    }
    return state;
  }

  get(sourceId: string): Promise<SourceState> {
    const { outageNoticedSince: _, ...state } = this.of(sourceId);
    return Promise.resolve({ ...state, validators: { ...state.validators } });
  }

  advanceCursor(sourceId: string, boardNo: number): Promise<void> {
    const state = this.of(sourceId);
    if (state.cursor === null || boardNo > state.cursor) state.cursor = boardNo;
    return Promise.resolve();
  }

  recordSuccess(
    sourceId: string,
    at: Date,
    validators: Validators,
    read: ReadRecord = {},
  ): Promise<void> {
    const state = this.of(sourceId);
    state.lastSuccessAt = at;
    state.validators = { ...validators };
    state.failingSince = null;
    delete state.notBefore;
    if (read.title) state.title = read.title;
    if (read.newItemsAt) {
      state.lastNewAt = read.newItemsAt;
      delete state.staleNoticedSince;
    }
    if (read.slow) {
      state.slowSince ??= at;
      state.notBefore = read.slow.notBefore;
    } else {
      delete state.slowSince;
    }
    return Promise.resolve();
  }

  recordFailure(sourceId: string, at: Date, error: string, notBefore?: Date): Promise<void> {
    const state = this.of(sourceId);
    state.lastErrorAt = at;
    state.lastError = error;
    state.failingSince ??= at;
    if (notBefore) state.notBefore = notBefore;
    else delete state.notBefore;
    return Promise.resolve();
  }

  claimOutageNotice(sourceId: string, since: Date): Promise<boolean> {
    const state = this.of(sourceId);
    if (state.outageNoticedSince) return Promise.resolve(false);
    state.outageNoticedSince = since;
    return Promise.resolve(true);
  }

  clearOutageNotice(sourceId: string): Promise<Date | null> {
    const state = this.of(sourceId);
    const since = state.outageNoticedSince ?? null;
    delete state.outageNoticedSince;
    return Promise.resolve(since);
  }

  claimStaleNotice(sourceId: string, since: Date): Promise<boolean> {
    const state = this.of(sourceId);
    if (state.staleNoticedSince) return Promise.resolve(false);
    state.staleNoticedSince = since;
    return Promise.resolve(true);
  }
}

/** Feed item numbers in memory, with the Redis script's semantics (unbounded). */
export class MemoryItemNumbers implements ItemNumbers {
  private readonly sources = new Map<
    string,
    { numbers: Map<string, number>; holders: Map<number, string>; seen: Set<string>; seq: number }
  >();

  private of(sourceId: string) {
    let source = this.sources.get(sourceId);
    if (!source) {
      source = { numbers: new Map(), holders: new Map(), seen: new Set(), seq: 0 };
      this.sources.set(sourceId, source);
    }
    return source;
  }

  assign(
    sourceId: string,
    items: readonly ItemToNumber[],
  ): Promise<{ firstRead: boolean; items: NumberedItem[] }> {
    const s = this.of(sourceId);
    const firstRead = s.seen.size === 0;
    const numbered = items.map(({ key, ownNumber }) => {
      let number = s.numbers.get(key);
      if (number === undefined) {
        if (ownNumber !== null && !s.holders.has(ownNumber)) number = ownNumber;
        else
          do number = ++s.seq;
          while (s.holders.has(number));
        s.holders.set(number, key);
        s.numbers.set(key, number);
      }
      return { number, seen: s.seen.has(key) };
    });
    return Promise.resolve({ firstRead, items: numbered });
  }

  markSeen(sourceId: string, keys: readonly string[]): Promise<void> {
    const s = this.of(sourceId);
    for (const key of keys) s.seen.add(key);
    return Promise.resolve();
  }
}
