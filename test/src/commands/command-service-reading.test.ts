import { parseConfig } from '../../../src/config/config.js';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/commands/replies.js';
import type { Post } from '../../../src/model/post.js';
import { boardPost, commandFixture, ESG, KOREA, shown } from './command-fixture.js';

const koreaPost = (boardNo: number, title: string, date: string): Post => ({
  sourceId: 'korea',
  boardNo,
  title,
  ministry: '기후에너지환경부',
  date,
  url: `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${boardNo}`,
  originalUrl: null,
});

describe('/news <number>', () => {
  it('shows an archived post to the channel at once, reading nothing', async () => {
    const f = await commandFixture();
    expect(await f.service.run(f.ctx(), '1645')).toEqual({
      kind: 'now',
      reply: { text: '', posts: [shown(boardPost(1645), ESG)], visibility: 'channel' },
    });
    expect(f.board.pagesRead).toEqual([]);
  });

  it('finds an older post on the page it is on, shows it and archives it', async () => {
    const f = await commandFixture();
    const result = await f.service.run(f.ctx(), '1600');
    expect(result.kind).toBe('later');
    if (result.kind !== 'later') return;
    expect(result.notice).toBe('‘ESG 정책뉴스’에서 1600번 글을 찾고 있습니다…');
    expect(await result.reply).toEqual({
      text: '',
      posts: [shown(boardPost(1600), ESG)],
      visibility: 'channel',
    });
    // Page 1 tells the newest number; 1600 is then on page 6.
    expect(f.board.pagesRead).toEqual([1, 6]);
    expect(await f.stores.archive.get('esg', 1600)).toEqual(boardPost(1600));
  });

  it('tells only the asker that a number is not on the board, and archives nothing', async () => {
    const f = await commandFixture();
    const result = await f.service.run(f.ctx(), '1700');
    expect(result.kind === 'later' && result.notice).toBe(
      '‘ESG 정책뉴스’에서 1700번 글을 찾고 있습니다…',
    );
    expect(await f.answer('1700')).toEqual({
      text: '1700번 글이 없습니다 (없는 번호이거나 삭제된 글입니다).',
      posts: [],
      visibility: 'private',
    });
    expect(await f.answer('1620')).toEqual({
      text: '1620번 글이 없습니다 (없는 번호이거나 삭제된 글입니다).',
      posts: [],
      visibility: 'private',
    });
    expect(await f.stores.archive.get('esg', 1620)).toBeNull();
  });

  it('says the source could not be read when the board does not answer', async () => {
    const f = await commandFixture();
    f.board.failing = new Error('connect ECONNREFUSED');
    expect(await f.answer('1600')).toEqual({
      text: '소스를 읽지 못했습니다. 잠시 후 다시 시도해 주세요.',
      posts: [],
      visibility: 'private',
    });
  });

  it('looks in the source named before the number', async () => {
    const f = await commandFixture();
    const post = koreaPost(156581997, '탄소중립 기본계획 확정', '2026-12-05');
    await f.stores.archive.save([post]);
    expect(await f.answer('korea 156581997')).toEqual({
      text: '',
      posts: [shown(post, KOREA)],
      visibility: 'channel',
    });
    expect(await f.answer('nope 12')).toEqual({
      text: '‘nope’라는 소스가 없습니다. `/news 소스`로 이 봇이 읽는 소스를 볼 수 있습니다.',
      posts: [],
      visibility: 'private',
    });
  });

  it('does not show a workspace the feeds another workspace added', async () => {
    const f = await commandFixture();
    await f.stores.subscriptions.follow(
      'me-go-kr',
      { ...f.ctx({ workspaceId: 'T2' }), keywords: [], createdAt: '2026-12-01' },
      {
        register: {
          name: 'me-go-kr',
          url: 'https://me.go.kr/rss',
          origin: 'chat',
          displayName: '환경부',
          kind: 'feed',
          addedAt: '2026-12-01T00:00:00Z',
        },
      },
    );
    const post = { ...koreaPost(7, '환경부 보도자료', '2026-12-06'), sourceId: 'me-go-kr' };
    await f.stores.archive.save([post]);
    expect((await f.answer('me-go-kr 7')).text).toBe(
      '‘me-go-kr’라는 소스가 없습니다. `/news 소스`로 이 봇이 읽는 소스를 볼 수 있습니다.',
    );
    expect(await f.answer('me-go-kr 7', f.ctx({ workspaceId: 'T2' }))).toEqual({
      text: '',
      posts: [shown(post, { name: 'me-go-kr', label: '환경부' })],
      visibility: 'channel',
    });
  });
});

describe('/news 최신 and /news 검색', () => {
  it('lists a source’s newest posts', async () => {
    const f = await commandFixture();
    expect(await f.answer('최신 3')).toEqual({
      text: '최신 ESG 정책뉴스 3건',
      posts: [1652, 1651, 1650].map((n) => shown(boardPost(n), ESG)),
      visibility: 'channel',
    });
    expect(await f.answer('latest korea')).toEqual({
      text: '아직 저장된 글이 없습니다. 소스를 처음 읽고 나면 볼 수 있습니다.',
      posts: [],
      visibility: 'private',
    });
  });

  it('searches every visible source, newest first by date, each post labelled with its source', async () => {
    const f = await commandFixture();
    const esgCarbon = boardPost(1653, '탄소 배출권 거래제 개편');
    await f.stores.archive.save([esgCarbon]);
    const older = koreaPost(156600001, '탄소중립 녹색성장 전략', '2026-12-01');
    const newer = koreaPost(156600002, '2035 탄소 감축 목표', '2026-12-06');
    await f.stores.archive.save([older, newer]);

    expect(await f.answer('검색 탄소')).toEqual({
      text: '‘탄소’ 검색 결과 3건 (최신순)',
      // 1653 is dated 2026-12-02 (see boardPost), between the two.
      posts: [shown(newer, KOREA), shown(esgCarbon, ESG), shown(older, KOREA)],
      visibility: 'channel',
    });
    expect(await f.answer('검색 원자력')).toEqual({
      text: '‘원자력’에 맞는 글이 없습니다.',
      posts: [],
      visibility: 'private',
    });
  });
});

describe('other commands', () => {
  it('answers an unknown command with a hint in Korean, to the asker only', async () => {
    const f = await commandFixture();
    expect(await f.service.run(f.ctx(), '아무말 대잔치')).toEqual({
      kind: 'now',
      reply: {
        text: '알 수 없는 명령입니다.\n`/news 도움말`로 사용법을 볼 수 있습니다.',
        posts: [],
        visibility: 'private',
      },
    });
    expect(await f.answer('최신 99')).toEqual({
      text:
        '최신 글은 1에서 10 사이의 개수로 볼 수 있습니다. 예: `/news 최신 5`, `/news 최신 esg 3`' +
        '\n`/news 도움말`로 사용법을 볼 수 있습니다.',
      posts: [],
      visibility: 'private',
    });
  });

  it('shows the help to the asker for an empty command', async () => {
    const f = await commandFixture();
    const reply = await f.answer('');
    expect(reply).toEqual({ text: helpText(), posts: [], visibility: 'private' });
    expect(reply.text.split('\n')[0]).toBe('*뉴스 봇 사용법*');
  });

  it('lists the sources with their kind, newest post and last read', async () => {
    const f = await commandFixture();
    await f.stores.states.recordSuccess('esg', f.clock.now(), {});
    expect(await f.answer('소스')).toEqual({
      text: [
        '*이 봇이 읽는 소스 2개* (첫 소스가 기본)',
        '확인 주기: 평일 08:00–20:00 1분마다, 그 밖에는 5분마다',
        '• `esg` ESG 정책뉴스 · 게시판 · 최신 1652번 ‘ESG 글 1652’ (2026-12-01) · 마지막 확인 2026-12-07 10:00 · 지금 1분마다 확인',
        '• `korea` 정책브리핑 · 피드 · 저장된 글 없음 · 마지막 확인 아직 없음 · 지금 1분마다 확인',
        '`/news 구독 <소스> [키워드…]`로 구독합니다. (시각은 한국 시간)',
      ].join('\n'),
      posts: [],
      visibility: 'private',
    });
  });

  it('says how often each source is read now, and a source’s own rhythm', async () => {
    const { pollRhythms } = parseConfig({
      SOURCES:
        'esg=https://k-esg.org/post korea=https://www.korea.kr/rss/pressrelease.xml#poll=10m&hours=sat+09:00-13:00',
      POLL_BUSY_HOURS: 'mon-fri 08:00-20:00, sat 09:00-13:00',
    });
    const f = await commandFixture({ pollRhythms });
    // Saturday 2026-12-12 at 12:59 Korea time: both in a busy window; at 13:00 neither.
    f.clock.set('2026-12-12T03:59:00Z');
    const lines = async () => (await f.answer('소스')).text.split('\n').slice(1, 4);
    expect(await lines()).toEqual([
      '확인 주기: 평일 08:00–20:00, 토요일 09:00–13:00 1분마다, 그 밖에는 5분마다',
      expect.stringMatching(/^• `esg` .* · 마지막 확인 아직 없음 · 지금 1분마다 확인$/),
      expect.stringMatching(
        /^• `korea` .* · 확인 주기 토요일 09:00–13:00 1분마다, 그 밖에는 10분마다 · 지금 1분마다 확인$/,
      ),
    ]);
    f.clock.set('2026-12-12T04:00:00Z');
    expect((await lines()).map((line) => line.replace(/.* · /, ''))).toEqual([
      '확인 주기: 평일 08:00–20:00, 토요일 09:00–13:00 1분마다, 그 밖에는 5분마다',
      '지금 5분마다 확인',
      '지금 10분마다 확인',
    ]);
  });

  it('says it could not answer when a store fails, without the error', async () => {
    const f = await commandFixture();
    f.stores.archive.newest = () => Promise.reject(new Error('Redis: connection lost'));
    expect(await f.answer('최신')).toEqual({
      text: '요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.',
      posts: [],
      visibility: 'private',
    });
  });
});
