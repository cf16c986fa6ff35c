import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/model/post.js';
import { useStores, type OpenStores } from './stores.js';

const SOURCE = 'k-esg.org-post';
const DAY = 86_400_000;

function post(boardNo: number, title: string, ministry: string | null = '환경부'): Post {
  return {
    sourceId: SOURCE,
    boardNo,
    title,
    ministry,
    date: '2023-11-27',
    url: `https://k-esg.org/post/${boardNo + 2739}`,
    originalUrl: null,
  };
}

const numbers = (posts: Post[]) => posts.map((p) => p.boardNo);

/** What every `PostArchive` does, checked against `open`'s. */
export function postArchiveContract(implementation: string, open: OpenStores): void {
  describe(`PostArchive contract: ${implementation}`, () => {
    const stores = useStores(open);
    const archive = () => stores().archive;

    it('stores posts and gets one back by source and board number', async () => {
      const p = post(1645, '3국 환경장관, 황사개선 협력 등 공동합의문 서명');
      await archive().save([p, post(1644, '보건복지부 제1차관 현장방문', '보건복지부')]);
      expect(await archive().get(SOURCE, 1645)).toEqual(p);
      expect(await archive().get(SOURCE, 9999)).toBeNull();
      expect(await archive().get('another-source', 1645)).toBeNull();
    });

    it('replaces a post saved again (an edited title), in reads and in searches', async () => {
      await archive().save([post(1645, 'old title')]);
      await archive().save([post(1645, 'new title')]);
      expect((await archive().get(SOURCE, 1645))?.title).toBe('new title');
      expect(await archive().search(SOURCE, ['old'], 10)).toEqual([]);
      expect(numbers(await archive().search(SOURCE, ['new'], 10))).toEqual([1645]);
    });

    it('lists the newest posts by board number, whatever order they were saved in', async () => {
      await archive().save([post(1640, 'a'), post(1652, 'b'), post(1633, 'c'), post(1645, 'd')]);
      expect(numbers(await archive().newest(SOURCE, 3))).toEqual([1652, 1645, 1640]);
      expect(await archive().newest(SOURCE, 0)).toEqual([]);
      expect(await archive().newest('another-source', 3)).toEqual([]);
    });

    it('counts the posts of each source, a post saved again once', async () => {
      await archive().save([post(1640, 'a'), post(1652, 'b')]);
      await archive().save([post(1652, 'b, edited')]);
      expect(await archive().count(SOURCE)).toBe(2);
      expect(await archive().count('another-source')).toBe(0);
    });

    it('searches titles and ministries by Korean substring, newest first', async () => {
      await archive().save([
        post(1630, '탄소중립을 위한 산업 전환', '산업통상자원부'),
        post(1640, '기후위기 대응 캠페인', '산림청'),
        post(1652, '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다', '국토교통부'),
        post(1651, 'ESG 공시 가이드라인', '금융위원회'),
      ]);
      const found = async (...words: string[]) =>
        numbers(await archive().search(SOURCE, words, 10));
      expect(await found('탄소')).toEqual([1652, 1630]);
      expect(await found('산림청')).toEqual([1640]);
      expect(await found('esg')).toEqual([1651]);
      expect(await found('탄소', '도시')).toEqual([1652]);
      expect(await found('원자력')).toEqual([]);
      // Words that are nothing once cleaned find nothing, rather than everything.
      expect(await found('  ')).toEqual([]);
      expect(await found()).toEqual([]);
      expect(await archive().search(SOURCE, ['탄소'], 0)).toEqual([]);
    });

    it('finds full-width letters and words split by invisible characters, both ways', async () => {
      await archive().save([
        post(3, 'ＥＳＧ 공시 의무화'),
        post(2, 'esg 경영 안내'),
        post(1, '광\u200b고 심의 결과'),
      ]);
      const found = async (...words: string[]) =>
        numbers(await archive().search(SOURCE, words, 10));
      expect(await found('esg')).toEqual([3, 2]);
      expect(await found('ＥＳＧ')).toEqual([3, 2]);
      expect(await found('광고')).toEqual([1]);
      expect(await found('광\u200b고')).toEqual([1]);
      expect(await found('\u200b')).toEqual([]);
    });

    it('stops a search at the limit, over more posts than one scan batch', async () => {
      await archive().save(
        Array.from({ length: 1200 }, (_, i) => post(i + 1, i % 2 ? `탄소 ${i}` : `물 ${i}`)),
      );
      expect(numbers(await archive().search(SOURCE, ['탄소'], 10))).toEqual([
        1200, 1198, 1196, 1194, 1192, 1190, 1188, 1186, 1184, 1182,
      ]);
      expect(await archive().search(SOURCE, ['물'], 1000)).toHaveLength(600);
    });

    it('bounds what one search looks through, whatever the archive holds', async () => {
      await archive().save(
        Array.from({ length: 50 }, (_, i) => post(i + 1, i < 5 ? '탄소 옛 글' : '다른 글')),
      );
      // The matches are the five oldest: a search through the newest 40 finds none.
      expect(await archive().search(SOURCE, ['탄소'], 10, 40)).toEqual([]);
      expect(numbers(await archive().search(SOURCE, ['탄소'], 10, 50))).toEqual([5, 4, 3, 2, 1]);
      expect(numbers(await archive().search(SOURCE, ['탄소'], 10))).toEqual([5, 4, 3, 2, 1]);
    });

    it('keeps the highest numbers up to the count, and forgets the rest entirely', async () => {
      await archive().save(Array.from({ length: 30 }, (_, i) => post(i + 1, `제목 ${i + 1}`)));
      const retention = { maxPosts: 10, maxAgeMs: DAY };
      expect(await archive().trim(SOURCE, retention, new Date())).toBe(20);
      expect(numbers(await archive().newest(SOURCE, 100))).toEqual(
        Array.from({ length: 10 }, (_, i) => 30 - i),
      );
      expect(await archive().get(SOURCE, 20)).toBeNull();
      expect(await archive().search(SOURCE, ['제목'], 100)).toHaveLength(10);
    });

    it('forgets posts first archived longer ago than the age, counting from their first save', async () => {
      const start = new Date('2026-01-01T00:00:00Z');
      const at = (days: number) => new Date(start.getTime() + days * DAY);
      await archive().save([post(1, '오래된 글'), post(2, '중간 글')], start);
      await archive().save([post(3, '새 글')], at(10));
      // Saved again later (a correction): its age still counts from the first save.
      await archive().save([post(1, '오래된 글 (정정)')], at(9));

      const retention = { maxPosts: 100, maxAgeMs: 5 * DAY };
      expect(await archive().trim(SOURCE, retention, at(12))).toBe(2);
      expect(numbers(await archive().newest(SOURCE, 10))).toEqual([3]);
      expect(await archive().trim(SOURCE, retention, at(12))).toBe(0);
    });

    it('counts a post both beyond the count and too old once', async () => {
      const start = new Date('2026-01-01T00:00:00Z');
      await archive().save([post(1, 'a'), post(2, 'b'), post(3, 'c')], start);
      const retention = { maxPosts: 1, maxAgeMs: DAY };
      // All three are too old, and two of them beyond the count: three posts went.
      expect(await archive().trim(SOURCE, retention, new Date(start.getTime() + 2 * DAY))).toBe(3);
      expect(await archive().newest(SOURCE, 10)).toEqual([]);
    });

    it('finds every source that carries a release, by its korea.kr newsId however it is named', async () => {
      const view = 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156712345';
      const board = { ...post(1645, '탄소중립 보도자료'), originalUrl: view };
      const feed: Post = {
        ...post(156712345, '탄소중립 보도자료'),
        sourceId: 'korea-mcee',
        url: `${view}&call_from=rsslink`,
      };
      const api: Post = {
        ...post(156712345, '탄소중립 보도자료'),
        sourceId: 'briefing-api',
        releaseId: '156712345',
      };
      const unrelated = { ...post(1646, '다른 글'), originalUrl: view.replace('12345', '99999') };
      await archive().save([board, unrelated]);
      await archive().save([feed, api]);
      const found = await archive().carriers('156712345');
      expect(found.map((p) => p.sourceId).sort()).toEqual(
        ['briefing-api', 'k-esg.org-post', 'korea-mcee'].sort(),
      );
      expect(found.find((p) => p.sourceId === SOURCE)).toEqual(board);
      expect(await archive().carriers('156799999')).toEqual([unrelated]);
      expect(await archive().carriers('1')).toEqual([]);
      const others = await archive().carriers('156712345', SOURCE);
      expect(others.map((p) => p.sourceId).sort()).toEqual(['briefing-api', 'korea-mcee']);
    });

    it('forgets a carrier trimmed from its archive or saved again under another release', async () => {
      const view = (id: number) => `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${id}`;
      await archive().save([{ ...post(10, 'a'), originalUrl: view(500) }]);
      await archive().save([{ ...post(11, 'b'), sourceId: 'other', originalUrl: view(500) }]);
      await archive().save([{ ...post(11, 'b'), sourceId: 'other', originalUrl: view(501) }]);
      expect((await archive().carriers('500')).map((p) => p.boardNo)).toEqual([10]);
      await archive().trim(SOURCE, { maxPosts: 10, maxAgeMs: 0 }, new Date(Date.now() + DAY));
      expect(await archive().carriers('500')).toEqual([]);
    });
  });
}
