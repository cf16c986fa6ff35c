import { afterEach, describe, expect, it } from 'vitest';
import { sourcesBot } from '../support/sources-bot.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

describe('two sources, channels choosing what they follow', () => {
  it('routes each new post to exactly the channels that chose it, once', async () => {
    const t = await sourcesBot(cleanup, ({ board, feeds }) => ({
      SOURCES: `esg=${board.url} korea=${feeds.url('/korea')}`,
    }));
    const both = t.bot;
    await t.poll('esg');
    await t.poll('korea');

    expect((await t.command('C-ESG', '구독')).text).toContain('구독했습니다');
    expect((await t.command('C-KOREA', '구독 korea')).text).toContain('korea');
    await t.command('C-BOTH', '구독 esg');
    await t.command('C-BOTH', '구독 korea');
    await t.command('C-KEYS', '구독 esg 탄소');
    await t.command('C-KEYS', '구독 korea 수소');

    t.board.publish('탄소중립 이행점검 결과 발표');
    t.feeds.add('/korea', 156_500_002, '수소 경제 활성화 방안');
    t.feeds.add('/korea', 156_500_003, '공공기관 경영평가 결과');
    await t.poll('esg');
    await t.poll('korea');
    await both.drain();

    const got = (channel: string) =>
      t.slack.posted
        .filter((p) => p.channel === channel)
        .map((p) => p.text.split('\n')[1])
        .sort();
    expect(got('C-ESG')).toEqual(['탄소중립 이행점검 결과 발표']);
    expect(got('C-KOREA')).toEqual(['공공기관 경영평가 결과', '수소 경제 활성화 방안']);
    expect(got('C-BOTH')).toEqual([
      '공공기관 경영평가 결과',
      '수소 경제 활성화 방안',
      '탄소중립 이행점검 결과 발표',
    ]);
    expect(got('C-KEYS')).toEqual(['수소 경제 활성화 방안', '탄소중립 이행점검 결과 발표']);

    // Lookups and lists answer from the source named.
    expect((await t.command('C-X', 'korea 156500002')).text).toContain('수소 경제 활성화 방안');
    const latest = await t.command('C-X', '최신 korea 2');
    expect(latest.text).toContain('공공기관 경영평가 결과');
    expect(latest.text).not.toContain('탄소중립 이행점검');
    const sources = await t.command('C-X', '소스');
    expect(sources.text).toContain('`esg`');
    expect(sources.text).toContain('`korea`');
    expect(sources.text).toContain('정책브리핑 보도자료');
    const status = await t.command('C-KEYS', '상태');
    expect(status.text).toContain('키워드: 탄소');
    expect(status.text).toContain('키워드: 수소');
    const search = await t.command('C-X', '검색 결과');
    expect(search.text).toContain('탄소중립 이행점검 결과 발표');
    expect(search.text).toContain('공공기관 경영평가 결과');

    // Unsubscribing from one source leaves the other.
    await t.command('C-BOTH', '구독해지 korea');
    expect(
      await both.subscriptions.get('korea', {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C-BOTH',
      }),
    ).toBeNull();
    expect(
      await both.subscriptions.get('esg', {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C-BOTH',
      }),
    ).not.toBeNull();
  }, 30_000);
});
