import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationFormat } from '../../../adapters/destinations/destination-format.js';
import { DestinationNotifier } from '../../../adapters/destinations/destination-notifier.js';
import { inertText, linkLabel } from '../../../adapters/destinations/destination-text.js';
import { doorayFormat } from '../../../adapters/dooray/dooray-format.js';
import { jandiFormat } from '../../../adapters/jandi/jandi-format.js';
import { teamsFormat } from '../../../adapters/teams/teams-format.js';
import { DESTINATION_WORKSPACE } from '../../../src/model/destination.js';
import { DIGEST_MAX_POSTS, newsDigest } from '../../../src/model/news-digest.js';
import type { NewsMessage } from '../../../src/model/news-message.js';
import type { Platform } from '../../../src/platforms/platform-registry.js';
import { MemoryDestinationStore } from '../../doubles/memory-destination-store.js';
import { FakeDooray } from '../../support/fake-dooray.js';
import { FakeJandi } from '../../support/fake-jandi.js';
import { FakeTeams, TEAMS_LIMIT_BYTES } from '../../support/fake-teams.js';
import type { FakeWebhookServer } from '../../support/fake-webhook-server.js';

const SOURCE = { name: 'esg', label: 'ESG 정책뉴스' };

const post = (boardNo: number, extra: Partial<NewsMessage> = {}): NewsMessage => ({
  source: SOURCE,
  title: `${boardNo}번 탄소중립 이행 점검 결과 발표`,
  url: `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${boardNo}`,
  ministry: '기후에너지환경부',
  date: '2026-12-01',
  boardNo,
  originalUrl: null,
  summary: '기후에너지환경부는 2026년 탄소중립 이행 점검 결과를 발표하였습니다.',
  ...extra,
});

/** A post at every field's extreme: what an archived or hostile source could hold. */
const huge = (boardNo: number): NewsMessage =>
  post(boardNo, {
    title: `${boardNo} ${'탄소중립 "이행" 점검\\'.repeat(400)}`,
    url: `https://www.korea.kr/briefing/${boardNo}/${'가'.repeat(180)}?q=${'x'.repeat(200)}`,
    ministry: '기후에너지환경부'.repeat(300),
    summary: '요약'.repeat(5_000),
    originalUrl: `https://www.korea.kr/files/${'b'.repeat(1_900)}.pdf`,
  });

/** A link as the bot sends it: the URL parser's form, non-ASCII percent-encoded. */
const href = (url: string) => new URL(url).href;

const PLATFORMS: Array<{
  platform: Platform;
  format: DestinationFormat;
  fake: () => FakeWebhookServer<unknown>;
}> = [
  { platform: 'teams', format: teamsFormat, fake: () => new FakeTeams() },
  { platform: 'jandi', format: jandiFormat, fake: () => new FakeJandi() },
  { platform: 'dooray', format: doorayFormat, fake: () => new FakeDooray() },
];

describe.each(PLATFORMS)(
  '$platform messages within the platform’s size',
  ({ platform, format, fake: makeFake }) => {
    let fake: FakeWebhookServer<unknown>;
    let clock = Date.UTC(2026, 11, 7);

    afterEach(async () => {
      await fake.close();
    });

    /** The real notifier and a new hook on the platform's fake; each request a second apart. */
    async function start() {
      fake = await makeFake().start();
      fake.now = () => (clock += 1_000);
      const store = new MemoryDestinationStore();
      const url = fake.addHook();
      const channel = { platform, workspaceId: DESTINATION_WORKSPACE, channelId: 'room' };
      await store.put(channel, { url, secret: null }, new Date());
      const notifier = new DestinationNotifier({
        platform,
        format,
        store,
        timeoutMs: 5_000,
        allowPrivate: true,
      });
      return { notifier, channel, url };
    }

    it('lists twenty ordinary posts whole in one digest, rich and plain', async () => {
      const { notifier, channel, url } = await start();
      const posts = Array.from({ length: DIGEST_MAX_POSTS }, (_, i) => post(1_650 + i));
      for (const plain of [false, true]) {
        await notifier.sendDigest(channel, newsDigest('digest', SOURCE, posts), `d-${plain}`, {
          plain,
        });
      }
      for (const shown of fake.shown(url)) {
        for (const listed of posts) {
          expect(shown.text).toContain(listed.title);
          expect(shown.text).toContain(listed.url);
        }
        expect(shown.text).not.toContain('외 ');
      }
    });

    it('cuts a digest that would break the limit: posts left out whole, named with how to see them', async () => {
      const { notifier, channel, url } = await start();
      const posts = Array.from({ length: DIGEST_MAX_POSTS }, (_, i) => huge(1_700 + i));
      const raw = Buffer.byteLength(JSON.stringify(posts));
      expect(raw).toBeGreaterThan(5 * TEAMS_LIMIT_BYTES);
      for (const plain of [false, true]) {
        await notifier.sendDigest(
          channel,
          newsDigest('digest', SOURCE, [...posts, post(1_720)]),
          `d-${plain}`,
          {
            plain,
          },
        );
      }
      // The fake took both: each within the platform's limit.
      for (const request of fake.requests(url)) {
        expect(request.answer).toBeLessThan(300);
        expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(format.maxBytes);
      }
      for (const shown of fake.shown(url)) {
        const listed = posts.filter((p) => shown.text.includes(href(p.url)));
        expect(listed.length).toBeGreaterThan(0);
        expect(listed.length).toBeLessThan(posts.length);
        // The rest are counted, the 21st among them, with their numbers.
        const left = posts.length + 1 - listed.length;
        expect(shown.text).toContain(`외 ${left}건 (번호 `);
        expect(shown.text).toContain('1720');
      }
    });

    it('sends an alert at every field’s extreme within the limit, rich, plain and as a correction', async () => {
      const { notifier, channel, url } = await start();
      const message = huge(1_800);
      await notifier.send(channel, message, 'a-1');
      await notifier.send(channel, message, 'a-2', { plain: true });
      await notifier.edit(channel, 'a-1', {
        ...message,
        title: `[정정] ${message.title}`,
        corrected: true,
      });
      expect(fake.requests(url).map((r) => r.answer)).toEqual([
        expect.any(Number),
        expect.any(Number),
        expect.any(Number),
      ]);
      for (const request of fake.requests(url)) {
        expect(request.answer).toBeLessThan(300);
        // Every field is capped, so no post's content can push an alert over the limit.
        expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(format.maxBytes);
      }
      expect(fake.shown(url).every((shown) => shown.text.includes(href(message.url)))).toBe(true);
    });
  },
);

describe('inert text', () => {
  it('keeps what a post wrote readable and makes none of it markup', () => {
    expect(inertText('**굵게** _기울임_ ~~취소~~ `코드` <at>전체</at>')).toBe(
      '＊＊굵게＊＊ ＿기울임＿ ～～취소～～ ｀코드｀ ＜at＞전체＜/at＞',
    );
    expect(inertText('[여기](javascript:alert(1)) [참고][1] [1]: https://evil.example')).toBe(
      '[여기］(javascript:alert(1)) [참고］[1] [1］: https://evil.example',
    );
    expect(inertText('# 제목')).toBe('＃ 제목');
    expect(inertText('- 목록')).toBe('－ 목록');
    expect(inertText('1. 번호')).toBe('1． 번호');
  });

  it('leaves a bracketed mark alone, and every length as it was', () => {
    const title = '[정정] [보도자료] 2026년 ESG 공시 기준 안내';
    expect(inertText(title)).toBe(title);
    const hostile = '*'.repeat(10) + '[x](y)' + '<'.repeat(10);
    expect(inertText(hostile)).toHaveLength(hostile.length);
  });

  it('makes every bracket of a link label full-width when they do not pair up', () => {
    expect(linkLabel('[정정] 새 기준')).toBe('[정정] 새 기준');
    expect(linkLabel('닫히지 않은 [괄호')).toBe('닫히지 않은 ［괄호');
    expect(linkLabel('끝난 ] 괄호 [다시')).toBe('끝난 ］ 괄호 ［다시');
  });
});
