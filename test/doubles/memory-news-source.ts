import type { Post } from '../../src/model/post.js';
import type { BoardPage, NewsSource, PageRead } from '../../src/ports/news-source.js';

/**
 * A board in memory: its posts newest first, `pageSize` rows a page, as a list page shows
 * them (no ministry: only a post's own page has it, which `complete` reads). `failing` makes
 * every read fail, as an unreachable source does.
 */
export class MemoryBoardSource implements NewsSource {
  readonly url: string;
  /** Pages read, in order. */
  readonly pagesRead: number[] = [];
  failing: Error | null = null;

  constructor(
    readonly id: string,
    /** The board's posts, complete (with their ministry). */
    private readonly posts: readonly Post[],
    private readonly pageSize = 10,
  ) {
    this.url = `https://boards.example.com/${id}`;
  }

  readPage(page: number): Promise<PageRead> {
    this.pagesRead.push(page);
    if (this.failing) return Promise.reject(this.failing);
    const newestFirst = [...this.posts].sort((a, b) => b.boardNo - a.boardNo);
    const rows = newestFirst.slice((page - 1) * this.pageSize, page * this.pageSize);
    const read: BoardPage = {
      status: 'ok',
      kind: 'board',
      posts: rows.map((post) => ({ ...post, ministry: null })),
      skipped: [],
      hasOlderPages: page * this.pageSize < newestFirst.length,
      validators: {},
      title: null,
    };
    return Promise.resolve(read);
  }

  complete(post: Post): Promise<Post> {
    const full = this.posts.find((p) => p.boardNo === post.boardNo);
    return Promise.resolve(full ? { ...full } : post);
  }
}
