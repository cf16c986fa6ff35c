import { describe, expect, it } from 'vitest';
import type { Post } from '../../../../src/model/post.js';
import type { ChannelRef } from '../../../../src/model/subscription.js';
import { deliver } from '../../../../src/pipeline/deliver/deliver.js';
import type { ReleaseDeps } from '../../../../src/pipeline/deliver/release-turn.js';
import { editAlert, type EditTarget } from '../../../../src/pipeline/fan-out/correct-alerts.js';
import { channel, pipelineFixture, post, silentLogger } from '../pipeline-fixture.js';

const NEWS_ID = 156712345;
const VIEW = `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${NEWS_ID}`;
const TITLE = '2035 국가 온실가스 감축목표 이행점검 결과 발표';

/** The same release as the board reposts it: a board number, 담당부서, the 원문 link. */
const boardPost = (): Post =>
  post(1645, TITLE, { ministry: '환경부', originalUrl: VIEW, summary: '게시판 요약.' });
/** As a ministry's korea.kr feed carries it: its newsId as number, `[부처]` as ministry. */
const feedPost = (): Post => ({
  sourceId: 'korea-mcee',
  boardNo: NEWS_ID,
  title: TITLE,
  ministry: '기후에너지환경부',
  date: '2026-12-07',
  url: `${VIEW}&call_from=rsslink`,
  originalUrl: null,
});
/** As the 정책브리핑 API gives it: the release id, 보도시점 and the attachments. */
const apiPost = (): Post => ({
  sourceId: 'briefing',
  boardNo: NEWS_ID,
  releaseId: String(NEWS_ID),
  title: TITLE,
  ministry: '기후에너지환경부',
  date: '2026-12-07',
  url: VIEW,
  originalUrl: null,
  summary: '기후에너지환경부는 7일 이행점검 결과를 발표했다.',
  embargoAt: Date.parse('2026-12-07T12:00:00+09:00'),
  attachments: [
    { name: '보도자료.hwpx', url: 'https://www.korea.kr/common/download.do?fileId=1&tblKey=GMN' },
    { name: '보도자료.pdf', url: 'https://www.korea.kr/common/download.do?fileId=2&tblKey=GMN' },
  ],
});

const CARRIERS = { esg: boardPost, 'korea-mcee': feedPost, briefing: apiPost } as const;
type Carrier = keyof typeof CARRIERS;

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** A deployment following the three carriers, with one alert per release turned on. */
async function releaseFixture() {
  const f = await pipelineFixture();
  const enrichments: Array<{ edit: EditTarget; version: string }> = [];
  const releases: ReleaseDeps = {
    claims: f.stores.releaseClaims,
    archive: f.stores.archive,
    follows: async (ch, sourceId) => (await f.stores.subscriptions.get(sourceId, ch)) !== null,
    sentMessages: f.stores.sentMessages,
    enqueueEnrichments: (edits, version) => {
      for (const edit of edits)
        enrichments.push({ edit: { ...edit, reason: 'enrichment' }, version });
      return Promise.resolve();
    },
    logger: silentLogger,
  };
  const deps = { ...f.deps, releases };
  const editDeps = {
    archive: f.stores.archive,
    notifiers: f.deps.notifiers,
    platforms: f.stores.platforms,
    sentMessages: f.stores.sentMessages,
    sourceLabel: f.deps.sourceLabel,
    logger: silentLogger,
    releases,
  };
  /** One carrier's post arrives: archived, fanned out, each delivery run, then the edits queued. */
  const arrive = async (post: Post) => {
    f.queued.length = 0;
    await f.announce(post);
    const outcomes = [];
    for (const target of [...f.queued]) outcomes.push(await deliver(deps, target));
    const edits = enrichments.splice(0);
    for (const { edit } of edits) expect(await editAlert(editDeps, edit)).toBe('edited');
    return { outcomes, edits };
  };
  const followAll = async (ch: ChannelRef) => {
    for (const source of Object.keys(CARRIERS)) await f.follow(ch, [], source);
  };
  return { f, deps, arrive, followAll, enrichments };
}

describe('one alert per press release, whichever sources carry it', () => {
  for (const order of permutations(Object.keys(CARRIERS) as Carrier[])) {
    it(`alerts once and shows everything the carriers know, arriving ${order.join(' → ')}`, async () => {
      const { f, arrive, followAll } = await releaseFixture();
      const first = CARRIERS[order[0]!];
      const all = channel('C-ALL');
      const onlyFirst = channel('C-ONE');
      await followAll(all);
      await f.follow(onlyFirst, [], order[0]);
      for (const source of order) await arrive(CARRIERS[source]());

      const shown = f.slack.shownIn('C-ALL');
      expect(shown).toHaveLength(1);
      const [alert] = shown;
      // From whichever source was delivered first: its number and link.
      expect(alert!.boardNo).toBe(first().boardNo);
      expect(alert!.title).toBe(TITLE);
      // What the API alone knows reached it, by the alert itself or by its edit.
      expect(alert!.attachments?.map((a) => a.name)).toEqual(['보도자료.hwpx', '보도자료.pdf']);
      expect(alert!.embargoAt).toBe(apiPost().embargoAt);
      expect(alert!.ministry).toBe(order[0] === 'esg' ? '환경부' : '기후에너지환경부');
      expect(alert!.title.startsWith('[정정]')).toBe(false);

      // A channel following one of them gets that source's alert, as that source tells it.
      const single = f.slack.shownIn('C-ONE');
      expect(single).toHaveLength(1);
      expect(single[0]!.boardNo).toBe(first().boardNo);
      expect(single[0]!.attachments ?? []).toEqual(first().attachments ?? []);
    });
  }

  it('edits the first alert only when a later carrier adds something to it', async () => {
    const { f, arrive, followAll } = await releaseFixture();
    await followAll(channel('C1'));
    expect((await arrive(apiPost())).outcomes).toEqual(['sent']);
    // The board and the feed know nothing the API's alert lacks (it has a lead, a ministry,
    // and is the korea.kr release itself): settled, no edit.
    const board = await arrive(boardPost());
    expect(board.outcomes).toEqual(['merged']);
    expect(board.edits).toEqual([]);
    expect((await arrive(feedPost())).edits).toEqual([]);
    expect(f.slack.edits).toEqual([]);
    expect(f.slack.sent).toHaveLength(1);
  });

  it('lets another carrier alert when the first one’s alert was refused', async () => {
    const { f, arrive, followAll } = await releaseFixture();
    await followAll(channel('C1'));
    f.slack.failures.set('C1', [
      { kind: 'rejected', code: 'invalid_blocks' },
      { kind: 'rejected', code: 'invalid_blocks' },
    ]);
    expect((await arrive(feedPost())).outcomes).toEqual(['refused']);
    expect((await arrive(boardPost())).outcomes).toEqual(['sent']);
    expect(f.slack.shownIn('C1').map((m) => m.boardNo)).toEqual([1645]);
    expect((await arrive(apiPost())).outcomes).toEqual(['merged']);
  });

  it('keeps other releases, posts naming no release and other channels apart', async () => {
    const { f, arrive, followAll } = await releaseFixture();
    await followAll(channel('C1'));
    await followAll(channel('D1', 'G1', 'discord'));
    const other = { ...apiPost(), boardNo: NEWS_ID + 1, releaseId: String(NEWS_ID + 1) };
    const plain = post(1646, '보도자료 아닌 공지', { originalUrl: null });
    await arrive(boardPost());
    await arrive(apiPost());
    await arrive(other);
    await arrive(plain);
    expect(f.slack.byChannel()).toEqual({ C1: [1645, NEWS_ID + 1, 1646] });
    expect(f.discord.byChannel()).toEqual({ D1: [1645, NEWS_ID + 1, 1646] });
  });

  it('never enriches an alert from a source the channel does not follow', async () => {
    const { f, arrive } = await releaseFixture();
    const ch = channel('C1');
    await f.follow(ch, [], 'esg');
    await f.follow(ch, [], 'korea-mcee');
    await f.follow(channel('C2'), [], 'briefing');
    await arrive(boardPost());
    await arrive(apiPost());
    await arrive(feedPost());
    const [alert] = f.slack.shownIn('C1');
    expect(f.slack.shownIn('C1')).toHaveLength(1);
    expect(alert!.attachments ?? []).toEqual([]);
    expect(alert!.embargoAt ?? null).toBeNull();
  });

  it('counts a release once in digests: the second source’s digest leaves it out', async () => {
    const { f, deps, arrive, followAll } = await releaseFixture();
    const ch = channel('C1');
    await followAll(ch);
    await f.stores.schedules.set(ch, {
      digest: { times: ['09:00'], weekdaysOnly: false },
      quiet: null,
    });
    const notice = post(1650, '게시판 공지', { originalUrl: null });
    expect((await arrive(boardPost())).outcomes).toEqual(['held']);
    expect((await arrive(notice)).outcomes).toEqual(['held']);
    expect((await arrive(apiPost())).outcomes).toEqual(['held']);
    f.clock.set('2026-12-08T00:00:00Z'); // Tuesday 09:00 KST
    const run = (sourceId: string, boardNo: number) =>
      deliver(deps, { sourceId, boardNo, channel: ch });
    expect(await run('esg', 1650)).toBe('sent');
    expect(await run('briefing', NEWS_ID)).toBe('merged');
    expect(f.slack.digestsOf('C1')).toEqual([[1645, 1650]]);
    expect(f.slack.sent).toEqual([]);
    expect(await f.stores.deliveryLog.newestOwed('briefing', ch)).toBeNull();
  });
});
