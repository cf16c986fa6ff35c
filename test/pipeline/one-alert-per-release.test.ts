import { afterEach, describe, expect, it } from 'vitest';
import { FakePressReleaseApi } from '../support/fake-press-release-api.js';
import { sourcesBot } from '../support/sources-bot.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** The newsId the fake board's post page links to as its 원문 보도자료 (see `FakeBoard`). */
const newsIdOfPost = (postId: number) => 156_600_000 + postId;
const KEY = 'pipeline-key';
const FILES = [
  { name: '보도자료.hwpx', url: 'https://www.korea.kr/common/download.do?fileId=11' },
  { name: '붙임.pdf', url: 'https://www.korea.kr/common/download.do?fileId=12' },
];

/**
 * The bot reading the fake board, a korea.kr-style ministry feed and the fake 정책브리핑 API,
 * with channels following all three, the board alone and the API alone.
 */
async function threeCarriers() {
  const api = await new FakePressReleaseApi().start();
  api.issueKey(KEY);
  cleanup.push(() => api.close());
  const t = await sourcesBot(cleanup, ({ board, feeds }) => {
    feeds.add('/mcee', 156_500_001, '이미 있던 보도자료');
    return {
      SOURCES: `esg=${board.url} mcee=${feeds.url('/mcee')} briefing=${api.url}`,
      DATA_GO_KR_SERVICE_KEY: KEY,
    };
  });
  for (const source of ['esg', 'mcee', 'briefing']) await t.poll(source);
  for (const source of ['esg', 'mcee', 'briefing']) await t.command('C-ALL', `구독 ${source}`);
  await t.command('C-ESG', '구독 esg');
  await t.command('C-API', '구독 briefing');
  /** One release on the three: the board's repost names it by its 원문 link's newsId. */
  const release = (title: string) => {
    const post = t.board.publish(title);
    const newsId = newsIdOfPost(post.postId);
    return {
      post,
      newsId,
      toFeed: () => t.feeds.add('/mcee', newsId, title),
      toApi: () =>
        api.publish(title, {
          newsId: String(newsId),
          approvedAt: Date.now() - 60_000,
          files: FILES,
        }),
    };
  };
  const arrive = async (source: string) => {
    await t.poll(source);
    await t.bot.drain();
  };
  const alerts = (channel: string) => t.slack.posted.filter((p) => p.channel === channel);
  return { t, api, release, arrive, alerts };
}

describe('a release carried by the board, a korea.kr feed and the 정책브리핑 API', () => {
  it('reaches a channel following all three once, in any order, enriched by the API’s details', async () => {
    const { t, release, arrive, alerts } = await threeCarriers();
    // The board first, then the API (its files edit the alert in), then the feed.
    const a = release('배출권거래제 4차 계획기간 할당계획 확정');
    await arrive('esg');
    a.toApi();
    await arrive('briefing');
    a.toFeed();
    await arrive('mcee');
    // The feed first, then the board, then the API.
    const b = release('녹색채권 가이드라인 개정');
    b.toFeed();
    await arrive('mcee');
    await arrive('esg');
    b.toApi();
    await arrive('briefing');
    // The API first, then the feed and the board at once.
    const c = release('순환경제 활성화 방안');
    c.toApi();
    await arrive('briefing');
    c.toFeed();
    await Promise.all([t.poll('mcee'), t.poll('esg')]);
    await t.bot.drain();

    const titles = (channel: string) => alerts(channel).map((p) => p.text.split('\n')[1]);
    expect(titles('C-ALL')).toEqual([a.post.title, b.post.title, c.post.title]);
    expect(titles('C-ESG')).toEqual([a.post.title, b.post.title, c.post.title]);
    expect(titles('C-API')).toEqual([a.post.title, b.post.title, c.post.title]);

    // Release a: the board's alert in C-ALL was edited to show the API's files, unmarked.
    const first = alerts('C-ALL')[0]!;
    const edits = t.slack.updates.filter((u) => u.channel === 'C-ALL' && u.ts === first.ts);
    expect(edits).toHaveLength(1);
    // The fake keeps the message as edited.
    expect(JSON.stringify(first.blocks)).toContain('보도자료.hwpx');
    expect(edits[0]!.text).not.toContain('[정정]');
    // The board-only channel's alert is the board's own: no files, never edited.
    const boardOnly = alerts('C-ESG')[0]!;
    expect(JSON.stringify(boardOnly.blocks)).not.toContain('보도자료.hwpx');
    expect(t.slack.updates.filter((u) => u.channel === 'C-ESG')).toEqual([]);
    // Release c: the API's alert had the files from the start.
    expect(JSON.stringify(alerts('C-ALL')[2]!.blocks)).toContain('붙임.pdf');

    // A lookup shows the release once and names the other carriers.
    const lookup = await t.command('C-X', String(a.post.boardNo));
    expect(lookup.text).toContain('함께 실린 곳');
    expect(lookup.text).toContain(`${a.newsId}번`);
  });
});
