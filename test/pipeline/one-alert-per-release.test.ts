import { afterEach, describe, expect, it } from 'vitest';
import { sourcesBot } from '../support/sources-bot.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** The newsId the fake board's post page links to as its 원문 보도자료 (see `FakeBoard`). */
const newsIdOfPost = (postId: number) => 156_600_000 + postId;

describe('a release carried by the board and a korea.kr feed', () => {
  it('reaches a channel following both once, in either order, and each single follower once', async () => {
    const t = await sourcesBot(cleanup, ({ board, feeds }) => {
      feeds.add('/mcee', 156_500_001, '이미 있던 보도자료');
      return { SOURCES: `esg=${board.url} mcee=${feeds.url('/mcee')}` };
    });
    await t.poll('esg');
    await t.poll('mcee');
    await t.command('C-BOTH', '구독 esg');
    await t.command('C-BOTH', '구독 mcee');
    await t.command('C-ESG', '구독 esg');
    await t.command('C-MCEE', '구독 mcee');

    // The feed first: its alert shows the release; the board's repost settles quietly.
    const first = t.board.publish('배출권거래제 4차 계획기간 할당계획 확정');
    t.feeds.add('/mcee', newsIdOfPost(first.postId), first.title);
    await t.poll('mcee');
    await t.bot.drain();
    await t.poll('esg');
    await t.bot.drain();
    // The board first, the feed later.
    const second = t.board.publish('녹색채권 가이드라인 개정');
    await t.poll('esg');
    await t.bot.drain();
    t.feeds.add('/mcee', newsIdOfPost(second.postId), second.title);
    await t.poll('mcee');
    await t.bot.drain();

    const alerts = (channel: string) =>
      t.slack.posted.filter((p) => p.channel === channel).map((p) => p.text.split('\n')[1]);
    expect(alerts('C-BOTH')).toEqual([first.title, second.title]);
    expect(alerts('C-ESG')).toEqual([first.title, second.title]);
    expect(alerts('C-MCEE')).toEqual([first.title, second.title]);
    // Which source told C-BOTH: the first to carry each release.
    const both = t.slack.posted.filter((p) => p.channel === 'C-BOTH');
    expect(both[0]!.text).toContain(String(newsIdOfPost(first.postId)));
    expect(both[1]!.text).toContain(`${second.boardNo}`);
  });
});
