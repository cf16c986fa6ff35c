import type { Post } from './post.js';

/** HTTP cache validators of the last successful read, sent back as a conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type PageRead =
  | { status: 'not-modified' }
  | {
      status: 'ok';
      kind: 'board' | 'feed';
      /** Posts on the page, in page order (newest first on a board). */
      posts: Post[];
      /**
       * Rows or items on the page left out because they cannot be posts (a link that is not
       * http(s), an unreadable date), one short description each: worth a warning, never a
       * failed read, so one broken row does not cost the rest of the page.
       */
      skipped: string[];
      /** Whether an older page may exist (`?page=N+1`); feeds have a single page. */
      hasOlderPages: boolean;
      validators: Validators;
    };

/** Port: a place news is read from. The board and RSS/Atom feeds implement it. */
export interface NewsSource {
  readonly id: string;
  readonly url: string;
  /** Reads listing page `page` (1 = newest). `validators` make it conditional (304 → not-modified). */
  readPage(page: number, validators?: Validators): Promise<PageRead>;
  /** Adds what only the post's own page has (ministry, original link). Feeds return it as is. */
  complete(post: Post): Promise<Post>;
}
