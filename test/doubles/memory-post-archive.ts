import { searchableText } from '../../src/model/searchable-text.js';
import type { Post } from '../../src/model/post.js';
import type { ArchiveRetention, PostArchive } from '../../src/ports/post-archive.js';
import { releaseIdOf } from '../../src/model/release-id.js';
import { jsonCopy } from './json-copy.js';

/**
 * The post archive in memory, with the port's semantics (see `post-archive.contract.ts`):
 * posts by (source, number), replaced when saved again, aged from their first save, searched
 * in the `searchableText` form of their title and ministry.
 */
export class MemoryPostArchive implements PostArchive {
  /** Every post, by `source|number`: for tests that inspect what was archived. */
  readonly posts = new Map<string, Post>();
  /** How many `save` calls wrote anything. */
  saves = 0;
  /** When each post was first archived (ms), by `source|number`. */
  readonly times = new Map<string, number>();
  /** Release id → source → the number of its post carrying it (the last one saved). */
  private readonly releases = new Map<string, Map<string, number>>();

  save(posts: readonly Post[], at: Date = new Date()): Promise<void> {
    if (posts.length > 0) this.saves++;
    for (const post of posts) {
      const key = keyOf(post.sourceId, post.boardNo);
      this.posts.set(key, jsonCopy(post));
      if (!this.times.has(key)) this.times.set(key, at.getTime());
      const releaseId = releaseIdOf(post);
      if (releaseId !== null) {
        const bySource = this.releases.get(releaseId) ?? new Map<string, number>();
        this.releases.set(releaseId, bySource.set(post.sourceId, post.boardNo));
      }
    }
    return Promise.resolve();
  }

  async carriers(releaseId: string, exceptSourceId?: string): Promise<Post[]> {
    const bySource = this.releases.get(releaseId) ?? new Map<string, number>();
    const others = [...bySource].filter(([source]) => source !== exceptSourceId);
    const posts = await Promise.all(others.map(([source, no]) => this.get(source, no)));
    return posts.filter((post): post is Post => post !== null && releaseIdOf(post) === releaseId);
  }

  get(sourceId: string, boardNo: number): Promise<Post | null> {
    const post = this.posts.get(keyOf(sourceId, boardNo));
    return Promise.resolve(post ? jsonCopy(post) : null);
  }

  newest(sourceId: string, count: number): Promise<Post[]> {
    return Promise.resolve(this.all(sourceId).slice(0, Math.max(0, count)).map(jsonCopy));
  }

  count(sourceId: string): Promise<number> {
    return Promise.resolve(this.all(sourceId).length);
  }

  search(
    sourceId: string,
    words: readonly string[],
    limit: number,
    scan = Number.MAX_SAFE_INTEGER,
  ): Promise<Post[]> {
    // Words that are nothing once cleaned (spaces, invisible characters) match nothing.
    const needles = words.map(searchableText).filter((w) => w.length > 0);
    if (needles.length === 0 || limit <= 0 || scan <= 0) return Promise.resolve([]);
    const found = this.all(sourceId)
      .slice(0, scan)
      .filter((post) => {
        const text = searchableText(`${post.title}\n${post.ministry ?? ''}`);
        return needles.every((needle) => text.includes(needle));
      })
      .slice(0, limit);
    return Promise.resolve(found.map(jsonCopy));
  }

  trim(sourceId: string, retention: ArchiveRetention, now: Date): Promise<number> {
    const cutoff = now.getTime() - retention.maxAgeMs;
    const victims = this.all(sourceId).filter(
      (post, rank) =>
        rank >= retention.maxPosts ||
        (this.times.get(keyOf(sourceId, post.boardNo)) ?? Infinity) < cutoff,
    );
    for (const post of victims) {
      this.posts.delete(keyOf(sourceId, post.boardNo));
      this.times.delete(keyOf(sourceId, post.boardNo));
    }
    return Promise.resolve(victims.length);
  }

  /** Deletes every post of a source (a released source's data, purged). */
  forgetSource(sourceId: string): void {
    for (const post of this.all(sourceId)) {
      this.posts.delete(keyOf(sourceId, post.boardNo));
      this.times.delete(keyOf(sourceId, post.boardNo));
    }
  }

  /** A source's posts, highest number first (the stored objects: for inspection only). */
  all(sourceId: string): Post[] {
    return [...this.posts.values()]
      .filter((post) => post.sourceId === sourceId)
      .sort((a, b) => b.boardNo - a.boardNo);
  }
}

function keyOf(sourceId: string, boardNo: number): string {
  return `${sourceId}|${boardNo}`;
}
