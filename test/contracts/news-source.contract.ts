import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/model/source-error.js';
import type { NewsSource, PageRead } from '../../src/ports/news-source.js';
import type { SourceKind } from '../../src/sources/source-kinds.js';

/**
 * What a kind of source does, driven through a fake that speaks its real format. Each
 * kind's test file gives one of these; the suite is the same for all.
 */
export interface SourceKindHarness {
  kind: SourceKind;
  start(): Promise<void>;
  close(): Promise<void>;
  /** A reader of the fake, as the bot builds it. */
  source(): NewsSource;
  /** Publishes a new item on top. */
  publish(title: string): void;
  /** Gives the newest item another title, keeping it the same item (a correction). */
  retitleNewest(title: string): void;
  /** Adds an item the bot cannot use (its link is not http(s)) on top. */
  publishMalformed(title: string): void;
  /** From now on serves its listing cut off half-way (`false`: whole again). */
  cutOff(on: boolean): void;
  /** Whether `complete` reads the post's own page for what the listing lacks (the board). */
  completesFromPostPage: boolean;
  /**
   * Whether the source answers conditional reads (ETag, Last-Modified): boards and feeds do;
   * the 정책브리핑 API sends no validators, and every read is a whole one.
   */
  conditional: boolean;
}

type OkPage = Exclude<PageRead, { status: 'not-modified' }>;

async function readOk(source: NewsSource, validators = {}): Promise<OkPage> {
  const read = await source.readPage(1, validators);
  if (read.status !== 'ok') throw new Error(`expected a page, got ${read.status}`);
  return read;
}

/** The contract every `NewsSource` kind keeps; `name` says which fake it runs against. */
export function newsSourceContract(name: string, makeHarness: () => SourceKindHarness): void {
  describe(`NewsSource contract: ${name}`, () => {
    let harness: SourceKindHarness;
    const started: SourceKindHarness[] = [];

    beforeEach(async () => {
      harness = makeHarness();
      started.push(harness);
      await harness.start();
    });
    afterEach(() => harness.close());
    afterAll(async () => {
      for (const h of started) await h.close().catch(() => undefined);
    });

    it('reads its newest page as its kind, newest first, with validators for the next read', async () => {
      harness.publish('기후변화 대응 보도자료');
      const page = await readOk(harness.source());
      expect(page.kind).toBe(harness.kind);
      expect(page.posts[0]?.title).toBe('기후변화 대응 보도자료');
      for (const post of page.posts) expect(post.url).toMatch(/^https?:\/\//);
      if (harness.conditional) {
        expect(page.validators.etag ?? page.validators.lastModified).toBeTruthy();
      } else {
        expect(page.validators).toEqual({});
      }
    });

    it('answers a conditional read of an unchanged source with not-modified (if it can), and reads again once it changed', async () => {
      const source = harness.source();
      const first = await readOk(source);
      if (harness.conditional) {
        expect(await source.readPage(1, first.validators)).toEqual({ status: 'not-modified' });
      } else {
        expect((await readOk(source, first.validators)).posts).toEqual(first.posts);
      }
      harness.publish('탄소중립 신규 정책');
      const second = await readOk(source, first.validators);
      expect(second.posts[0]?.title).toBe('탄소중립 신규 정책');
      if (harness.conditional) expect(second.validators).not.toEqual(first.validators);
    });

    it('refuses a cut-off page as UNPARSEABLE instead of reading half of it', async () => {
      harness.publish('잘리기 전 게시물');
      harness.cutOff(true);
      const error = await harness
        .source()
        .readPage(1)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('UNPARSEABLE');
      harness.cutOff(false);
      expect((await readOk(harness.source())).posts[0]?.title).toBe('잘리기 전 게시물');
    });

    it('skips an item it cannot use, says why, and reads the rest', async () => {
      harness.publish('정상 게시물');
      harness.publishMalformed('링크가 깨진 게시물');
      const page = await readOk(harness.source());
      expect(page.posts.map((p) => p.title)).not.toContain('링크가 깨진 게시물');
      expect(page.posts.map((p) => p.title)).toContain('정상 게시물');
      expect(page.skipped).toHaveLength(1);
      expect(page.skipped[0]).toMatch(/링크가 깨진 게시물|http/);
    });

    it('keeps an item’s identity when its title is corrected, so the correction edits it', async () => {
      harness.publish('오타가 있는 제목');
      const source = harness.source();
      const before = (await readOk(source)).posts[0]!;
      harness.retitleNewest('오타를 고친 제목');
      const after = (await readOk(source)).posts[0]!;
      expect(after.title).toBe('오타를 고친 제목');
      expect(after.boardNo).toBe(before.boardNo);
      expect(after.itemKey ?? null).toBe(before.itemKey ?? null);
    });

    it('completes a post with what only its own page has, or returns a complete item as it is', async () => {
      harness.publish('부처가 적힌 게시물');
      const source = harness.source();
      const post = (await readOk(source)).posts[0]!;
      const completed = await source.complete(post);
      if (harness.completesFromPostPage) {
        expect(post.ministry).toBeNull();
        expect(completed.ministry).toBe('환경부');
      } else {
        expect(completed).toEqual(post);
      }
    });
  });
}
