import { describe, expect, it } from 'vitest';
import type { Post } from '../../../src/model/post.js';
import { boardPost, commandFixture, ESG, KOREA } from './command-fixture.js';

const VIEW = 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700777';
const TITLE = '탄소중립 산업전환 지원방안 발표';

/** Release 156700777 as the board reposted it (1650) and as the korea.kr feed carries it. */
async function carriedTwice() {
  const f = await commandFixture();
  const onBoard: Post = { ...boardPost(1650, TITLE), originalUrl: VIEW };
  const inFeed: Post = {
    sourceId: 'korea',
    boardNo: 156700777,
    title: TITLE,
    ministry: '기후에너지환경부',
    date: '2026-12-06',
    url: `${VIEW}&call_from=rsslink`,
    originalUrl: null,
    summary: '정부는 6일 산업전환 지원방안을 발표했다.',
    attachments: [
      { name: '지원방안.pdf', url: 'https://www.korea.kr/common/download.do?fileId=9' },
    ],
  };
  await f.stores.archive.save([onBoard, inFeed]);
  return { f, onBoard, inFeed };
}

describe('lookups of a release several sources carried', () => {
  it('shows the post with what the other carriers add, naming them', async () => {
    const { f } = await carriedTwice();
    const reply = await f.answer('1650');
    expect(reply.posts).toHaveLength(1);
    const [message] = reply.posts;
    expect(message).toMatchObject({
      source: ESG,
      boardNo: 1650,
      ministry: '환경부',
      summary: '정부는 6일 산업전환 지원방안을 발표했다.',
      attachments: [{ name: '지원방안.pdf' }],
      alsoCarriedBy: [`${KOREA.label} 156700777번`],
    });
    const fromFeed = (await f.answer('korea 156700777')).posts[0]!;
    expect(fromFeed.alsoCarriedBy).toEqual([`${ESG.label} 1650번`]);
    expect(fromFeed.originalUrl).toBeNull();
  });

  it('lists a release once in search results', async () => {
    const { f } = await carriedTwice();
    const reply = await f.answer('검색 산업전환');
    expect(reply.posts.map((p) => [p.source?.name, p.boardNo])).toHaveLength(1);
    expect(reply.text).toContain('1건');
    expect(reply.posts[0]!.alsoCarriedBy).toHaveLength(1);
  });

  it('never names a feed another workspace added', async () => {
    const { f } = await carriedTwice();
    await f.stores.subscriptions.follow(
      'their-feed',
      { ...f.ctx({ workspaceId: 'T2' }), keywords: [], createdAt: '2026-12-01' },
      {
        register: {
          name: 'their-feed',
          url: 'https://example.org/rss',
          origin: 'chat',
          displayName: '남의 피드',
          kind: 'feed',
          addedAt: '2026-12-01T00:00:00Z',
        },
      },
    );
    await f.stores.archive.save([
      {
        sourceId: 'their-feed',
        boardNo: 3,
        title: '가짜 제목',
        ministry: '가짜 부처',
        date: '2026-12-06',
        url: VIEW,
        originalUrl: null,
        attachments: [{ name: 'evil.pdf', url: 'https://evil.example/evil.pdf' }],
      },
    ]);
    const mine = (await f.answer('1650')).posts[0]!;
    expect(mine.alsoCarriedBy).toEqual([`${KOREA.label} 156700777번`]);
    expect(mine.attachments?.map((a) => a.name)).toEqual(['지원방안.pdf']);
    const theirs = (await f.answer('1650', f.ctx({ workspaceId: 'T2', channelId: 'C9' })))
      .posts[0]!;
    expect(theirs.alsoCarriedBy).toEqual([`${KOREA.label} 156700777번`, '남의 피드 3번']);
  });
});
