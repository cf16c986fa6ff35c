import { describe, expect, it } from 'vitest';
import { channelText, privateText } from '../../../src/commands/replies.js';
import { commandFixture } from './command-fixture.js';

const C1 = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
const FEED_PROBE = () =>
  Promise.resolve({ ok: true as const, title: '환경부 보도자료', kind: 'feed' as const });
const REFUSAL =
  '구독 설정은 채널 관리 권한(채널 관리 또는 서버 관리)이 있는 분만 바꿀 수 있습니다.';

describe('/news 구독', () => {
  it('follows the default source for every post', async () => {
    const f = await commandFixture();
    expect(await f.service.run(f.ctx(), '구독')).toEqual({
      kind: 'now',
      reply: channelText(
        '이 채널을 구독했습니다. ‘ESG 정책뉴스’ (`esg`)의 새 글을 모두 이 채널로 보내 드립니다.',
      ),
    });
    expect(await f.stores.subscriptions.get('esg', C1)).toEqual({
      ...C1,
      keywords: [],
      createdAt: expect.any(String) as string,
    });
  });

  it('stores keywords and exclusions, and replaces them when repeated, keeping its start', async () => {
    const f = await commandFixture();
    expect(await f.answer('구독 탄소 -해외')).toEqual(
      channelText(
        '이 채널을 구독했습니다. ‘ESG 정책뉴스’ (`esg`)의 새 글 중 제목·담당부서·요약에 ‘탄소’ 중 하나가 들어간 글을 이 채널로 보내 드립니다. 그중 제외어(‘해외’)가 들어간 글은 보내지 않습니다.',
      ),
    );
    const first = await f.stores.subscriptions.get('esg', C1);
    expect(first?.keywords).toEqual(['탄소', '-해외']);

    expect(await f.answer('구독 "탄소 중립"')).toEqual(
      channelText(
        '구독 설정을 바꿨습니다. ‘ESG 정책뉴스’ (`esg`)의 새 글 중 제목·담당부서·요약에 ‘탄소 중립’ 중 하나가 들어간 글을 이 채널로 보내 드립니다.',
      ),
    );
    expect(await f.stores.subscriptions.get('esg', C1)).toEqual({
      ...C1,
      keywords: ['탄소 중립'],
      createdAt: first!.createdAt,
    });
  });

  it('follows the source named by the first word', async () => {
    const f = await commandFixture();
    expect(await f.answer('구독 korea "탄소 중립" 환경부')).toEqual(
      channelText(
        '이 채널을 구독했습니다. ‘정책브리핑’ (`korea`)의 새 글 중 제목·담당부서·요약에 ‘탄소 중립’, ‘환경부’ 중 하나가 들어간 글을 이 채널로 보내 드립니다.',
      ),
    );
    expect((await f.stores.subscriptions.get('korea', C1))?.keywords).toEqual([
      '탄소 중립',
      '환경부',
    ]);
    expect(await f.stores.subscriptions.get('esg', C1)).toBeNull();
  });

  it('refuses someone who may not manage the channel, changing nothing', async () => {
    const f = await commandFixture();
    const guest = f.ctx({ canManageSubscriptions: false });
    expect(await f.answer('구독', guest)).toEqual(privateText(REFUSAL));
    expect(await f.answer('구독해지', guest)).toEqual(privateText(REFUSAL));
    expect(await f.answer('요약 09:00', guest)).toEqual(privateText(REFUSAL));
    expect(await f.stores.subscriptions.count('esg')).toBe(0);
    expect(await f.stores.schedules.get(C1)).toBeNull();
  });

  it('refuses a keyword that is also excluded, in Korean', async () => {
    const f = await commandFixture();
    expect(await f.answer('구독 탄소 -탄소')).toEqual(
      privateText(
        '키워드와 제외어에 같은 말(‘탄소’)을 함께 쓸 수 없습니다.\n`/news 도움말`로 사용법을 볼 수 있습니다.',
      ),
    );
    expect(await f.stores.subscriptions.count('esg')).toBe(0);
  });

  it('refuses a channel that follows as many sources as it may', async () => {
    const f = await commandFixture({ limits: { perChannel: 1 } });
    await f.answer('구독');
    const full = privateText(
      '한 채널은 소스를 1개까지 구독할 수 있습니다. `/news 구독해지 <소스>`로 하나를 해지한 뒤 다시 시도해 주세요.',
    );
    expect(await f.answer('구독 korea')).toEqual(full);
    // A URL is refused before it is read.
    expect(await f.service.run(f.ctx(), '구독 https://www.me.go.kr/rss/press.xml')).toEqual({
      kind: 'now',
      reply: full,
    });
    expect(await f.stores.subscriptions.followedBy(C1)).toEqual(['esg']);
  });

  it('adds a feed from its URL, named from its host, and follows it', async () => {
    const f = await commandFixture({ probe: FEED_PROBE });
    const result = await f.service.run(f.ctx(), '구독 https://www.me.go.kr/rss/press.xml 탄소');
    expect(result.kind === 'later' && result.notice).toBe('주소를 읽어 보고 있습니다…');
    expect(result.kind === 'later' && (await result.reply)).toEqual(
      channelText(
        '새 소스 ‘환경부 보도자료’를 `me-go-kr`라는 이름으로 추가했습니다.\n이 채널을 구독했습니다. ‘환경부 보도자료’ (`me-go-kr`)의 새 글 중 제목·담당부서·요약에 ‘탄소’ 중 하나가 들어간 글을 이 채널로 보내 드립니다.',
      ),
    );
    expect(await f.stores.registry.get('me-go-kr')).toMatchObject({
      url: 'https://www.me.go.kr/rss/press.xml',
      origin: 'chat',
      displayName: '환경부 보도자료',
      kind: 'feed',
      addedAt: f.clock.now().toISOString(),
    });
    expect(f.catalog.pollsStarted).toEqual([{ name: 'me-go-kr', origin: 'chat' }]);
    expect((await f.stores.subscriptions.get('me-go-kr', C1))?.keywords).toEqual(['탄소']);
  });

  it('passes the reason a URL cannot be a source on to the asker', async () => {
    const f = await commandFixture({
      probe: () => Promise.resolve({ ok: false, reason: '주소가 오류로 응답했습니다 (HTTP 404).' }),
    });
    expect(await f.answer('구독 https://www.me.go.kr/nothing')).toEqual(
      privateText('주소가 오류로 응답했습니다 (HTTP 404).'),
    );
    expect(await f.stores.registry.get('me-go-kr')).toBeNull();
  });

  it('adds no feed from chat where the operator does not allow it', async () => {
    const f = await commandFixture({ sourcesFromChat: false, probe: FEED_PROBE });
    expect(await f.answer('구독 https://www.me.go.kr/rss/press.xml')).toEqual(
      privateText('이 봇에서는 채팅으로 새 소스를 추가할 수 없습니다. 관리자에게 문의해 주세요.'),
    );
  });
});

describe('/news 구독해지', () => {
  it('ends one subscription, keeping the channel’s schedule while it follows another', async () => {
    const f = await commandFixture();
    await f.answer('구독');
    await f.answer('구독 korea');
    await f.answer('요약 09:00');
    expect(await f.answer('구독해지 esg')).toEqual(
      channelText(
        '‘ESG 정책뉴스’ 구독을 해지했습니다. 이 채널로 그 소스의 알림을 더 이상 보내지 않습니다.',
      ),
    );
    expect(await f.stores.subscriptions.followedBy(C1)).toEqual(['korea']);
    expect(await f.stores.schedules.get(C1)).not.toBeNull();
  });

  it('ends every subscription, and then forgets the channel’s schedule and debts', async () => {
    const f = await commandFixture();
    await f.answer('구독');
    await f.answer('구독 korea');
    await f.answer('방해금지 22:00-07:00');
    await f.stores.deliveryLog.markPending(
      [{ sourceId: 'esg', boardNo: 1652, channel: C1 }],
      f.clock.now(),
    );
    expect(await f.answer('구독해지')).toEqual(
      channelText(
        '‘ESG 정책뉴스’, ‘정책브리핑’ 구독을 해지했습니다. 이 채널로 그 소스의 알림을 더 이상 보내지 않습니다.',
      ),
    );
    expect(await f.stores.subscriptions.followedBy(C1)).toEqual([]);
    expect(await f.stores.schedules.get(C1)).toBeNull();
    expect(await f.stores.deliveryLog.newestOwed('esg', C1)).toBeNull();
  });

  it('says so when the channel follows nothing, or not that source, or no such source', async () => {
    const f = await commandFixture();
    expect(await f.answer('구독해지')).toEqual(privateText('이 채널은 구독 중이 아닙니다.'));
    await f.answer('구독');
    expect(await f.answer('구독해지 korea')).toEqual(
      privateText('이 채널은 `korea` 소스를 구독하지 않습니다.'),
    );
    expect(await f.answer('구독해지 nope')).toEqual(
      privateText('‘nope’라는 소스가 없습니다. `/news 소스`로 이 봇이 읽는 소스를 볼 수 있습니다.'),
    );
    expect(await f.stores.subscriptions.followedBy(C1)).toEqual(['esg']);
  });

  it('releases a feed added from chat when its last follower leaves', async () => {
    const f = await commandFixture({ probe: FEED_PROBE });
    await f.answer('구독 https://www.me.go.kr/rss/press.xml');
    expect((await f.answer('구독해지 me-go-kr')).text).toBe(
      '‘환경부 보도자료’ 구독을 해지했습니다. 이 채널로 그 소스의 알림을 더 이상 보내지 않습니다.',
    );
    expect(f.catalog.releasedNames).toEqual(['me-go-kr']);
    expect(await f.stores.registry.get('me-go-kr')).toBeNull();
  });
});

describe('/news 요약 and /news 방해금지', () => {
  it('sets digest times, and turns them off again', async () => {
    const f = await commandFixture();
    expect(await f.answer('요약 평일 09:00 18:00')).toEqual(
      channelText(
        '이제 이 채널은 새 글을 평일 09:00, 18:00(한국 시간)에 요약 한 건으로 받습니다. 새 글이 없으면 보내지 않습니다. 바로 받으려면 `/news 요약 끄기`.',
      ),
    );
    expect(await f.stores.schedules.get(C1)).toEqual({
      digest: { times: ['09:00', '18:00'], weekdaysOnly: true },
      quiet: null,
    });
    expect(await f.answer('요약 끄기')).toEqual(
      channelText(
        '요약을 껐습니다. 새 글을 나오는 대로 바로 보내고, 모아 두었던 글은 곧 보냅니다.',
      ),
    );
    expect(await f.stores.schedules.get(C1)).toBeNull();
  });

  it('sets quiet hours beside a digest, each turned off on its own', async () => {
    const f = await commandFixture();
    await f.answer('요약 09:00');
    expect(await f.answer('방해금지 22:00-07:00')).toEqual(
      channelText(
        '방해금지 시간: 22:00–07:00 (한국 시간). 이 시간에 나온 글은 끝나는 시각에 보냅니다: 한 건이면 평소 알림으로, 여러 건이면 요약 한 건으로. 끄려면 `/news 방해금지 끄기`.',
      ),
    );
    expect(await f.stores.schedules.get(C1)).toEqual({
      digest: { times: ['09:00'], weekdaysOnly: false },
      quiet: { start: '22:00', end: '07:00' },
    });
    expect(await f.answer('방해금지 끄기')).toEqual(
      channelText('방해금지 시간을 껐습니다. 모아 두었던 글은 곧 보냅니다.'),
    );
    expect(await f.stores.schedules.get(C1)).toEqual({
      digest: { times: ['09:00'], weekdaysOnly: false },
      quiet: null,
    });
  });
});

describe('/news 상태', () => {
  it('shows the channel’s subscriptions, schedule, last alert, problems, pause and sources', async () => {
    const f = await commandFixture(); // 2026-12-07, Korea time 10:00
    const kst = (time: string) => new Date(`2026-12-07T${time}:00+09:00`);
    await f.answer('구독 탄소 -해외');
    await f.answer('구독 korea');
    await f.answer('요약 09:00');
    await f.answer('방해금지 22:00-07:00');
    const log = f.stores.deliveryLog;
    await log.recordDelivered({ sourceId: 'esg', boardNo: 1650, channel: C1 }, kst('09:30'));
    await log.recordUndeliverable(
      { sourceId: 'esg', boardNo: 1649, channel: C1 },
      'refused',
      'Slack: msg_too_long',
      kst('09:40'),
    );
    await f.stores.platformStatus.markUnauthorized('slack', kst('09:50'), 'Slack: invalid_auth');
    await f.stores.states.advanceCursor('esg', 1652);
    await f.stores.states.recordFailure('esg', kst('09:45'), 'TIMEOUT: no answer in 10 s');
    await f.stores.states.recordSuccess('esg', kst('09:55'), {});

    expect(await f.answer('상태')).toEqual(
      privateText(
        [
          '*이 채널*',
          '• 구독: ESG 정책뉴스 (`esg`) 키워드: 탄소 · 제외: 해외',
          '• 구독: 정책브리핑 (`korea`) 모든 새 글',
          '• 받는 방식: 요약: 매일 09:00 · 방해금지: 22:00–07:00 (한국 시간)',
          '• 마지막 알림: esg 1650번 (2026-12-07 09:30)',
          '• ⚠️ 알림 전송 중단: 2026-12-07 09:50부터 이 플랫폼이 봇의 토큰을 거부하고 있습니다. 구독과 보낼 글은 그대로 두었다가 운영자가 토큰을 고치면 이어서 보내 드립니다.',
          '• 보내지 못한 알림: 플랫폼이 거부한 글 1건 (마지막: 1649번, 2026-12-07 09:40, Slack: msg_too_long)',
          '*소스 ESG 정책뉴스 (`esg`)*',
          '• 주소: https://k-esg.org/post',
          '• 확인 주기: 평일 08:00–20:00 1분마다, 그 밖에는 5분마다 (지금 1분마다)',
          '• 마지막 정상 확인: 2026-12-07 09:55',
          '• 최신 번호: 1652',
          '• 최근 오류: 2026-12-07 09:45 TIMEOUT: no answer in 10 s (이후 정상)',
          '*소스 정책브리핑 (`korea`)*',
          '• 주소: https://www.korea.kr/rss/pressrelease.xml',
          '• 확인 주기: 평일 08:00–20:00 1분마다, 그 밖에는 5분마다 (지금 1분마다)',
          '• 마지막 정상 확인: 아직 없음',
          '• 최신 번호: 아직 없음',
          '• 최근 오류: 없음',
          '(시각은 한국 시간)',
        ].join('\n'),
      ),
    );
  });

  it('shows the default source to a channel that follows nothing', async () => {
    const f = await commandFixture();
    const text = (await f.answer('status')).text.split('\n');
    expect(text.slice(0, 4)).toEqual([
      '*이 채널*',
      '• 구독: 안 함 (`/news 구독`으로 시작)',
      '• 받는 방식: 새 글이 나오는 대로 바로',
      '• 마지막 알림: 아직 없음',
    ]);
    expect(text[4]).toBe('*소스 ESG 정책뉴스 (`esg`)*');
    expect(text.filter((line) => line.startsWith('*소스'))).toHaveLength(1);
  });
});
