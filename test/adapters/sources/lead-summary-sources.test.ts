import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBoardPost } from '../../../adapters/sources/board-parser.js';
import { decodeDocument } from '../../../adapters/sources/charset.js';
import { parseFeed } from '../../../adapters/sources/feed-parser.js';
import { fixture, fixtureText } from '../../support/fixtures.js';

/** The lead summary as the parsers read it from every saved page and feed. */

const BOARD = fileURLToPath(new URL('../../fixtures/kpc-esg-board/', import.meta.url));
const postPages = readdirSync(BOARD).filter((name) => /^post-\d+\.html$/.test(name));
const FEED_URL = 'https://www.korea.kr/rss/pressrelease.xml';

/** What a lead must never hold: the boilerplate around the saved bodies. */
function expectNoBoilerplate(summary: string): void {
  expect(summary).not.toMatch(/\([^()]+, \d{4}\.\d{2}\.\d{2}\)/); // the source line
  expect(summary).not.toMatch(/담당부서|자료제공|korea\.kr|https?:|끝\./);
  expect(summary).not.toMatch(/(^|\s)\?(\s|$)/); // a character the site lost
  expect(summary).not.toMatch(/[<>]/);
  expect(summary.length).toBeLessThanOrEqual(200);
}

describe('the lead of every saved post page', () => {
  it('has all 41 saved post pages to read', () => {
    expect(postPages).toHaveLength(41);
  });

  it('is the body’s first sentence on post 3419, cut within 200 characters', () => {
    const { summary, ministry } = parseBoardPost(
      fixtureText('kpc-esg-board/post-3419.html'),
      'https://k-esg.org/post/3419',
    );
    expect(ministry).toBe('외교부');
    // The second sentence would pass 200 characters, so the lead is the first alone.
    expect(summary).toBe(
      '장호진 외교부 1차관은 7.24.(월) 오전 웬디 셔먼(Wendy R. Sherman) 미국 국무부 부장관 및 모리 다케오(森 健良) 일본 외무성 사무차관과 통화를 갖고, 한미일 협력 강화 방안에 관해 협의하였습니다.',
    );
  });

  it.each(postPages.filter((name) => name !== 'post-3419.html'))(
    'starts at the body’s first paragraph and leaves the boilerplate out (%s)',
    (name) => {
      const html = fixtureText(`kpc-esg-board/${name}`);
      const { summary, ministry } = parseBoardPost(html, 'https://k-esg.org/post/1');
      const paragraphs = [...html.matchAll(/<p>([^<]+)<\/p>/g)]
        .map((m) => m[1]!)
        .filter((text) => /[가-힣]/.test(text)); // not `&nbsp;` or the lost `?`
      // Both short paragraphs fit: `<ministry>는 … 발표하였습니다. <ministry> 관계자는 “…”고 밝혔습니다.`
      expect(summary).toBe(`${paragraphs[0]} ${paragraphs[1]}`);
      expect(summary).toMatch(new RegExp(`^${ministry}는 `));
      expectNoBoilerplate(summary!);
    },
  );
});

describe('the lead of a post page in other shapes', () => {
  const page = (body: string) =>
    `<html><head><title>새 글 | K-ESG</title></head><body><h3>새 글</h3>${body}
      <table><tr><th>번호</th><th>제목</th></tr><tr><td>1</td><td><a href="/p/1">다른 글의 제목이 아주 길게 이어지는 경우에도 요약이 되지 않는다</a></td></tr></table></body></html>`;

  it('finds the body by its source line when it has no known class', () => {
    const html = page(`<section><p>산림청은 숲 가꾸기 사업을 시작했다.</p>
      <p>담당부서 : 산림청</p><p>(산림청, 2023.11.23)</p></section>`);
    expect(parseBoardPost(html, 'https://x.org/p/2')).toEqual({
      ministry: '산림청',
      originalUrl: null,
      summary: '산림청은 숲 가꾸기 사업을 시작했다.',
    });
  });

  it('finds the body by its longest paragraph outside tables, else has none', () => {
    const html = page(
      '<article><p>짧은 글</p><p>환경부는 오늘 새 정책을 발표하고 의견을 듣기로 했다.</p></article>',
    );
    expect(parseBoardPost(html, 'https://x.org/p/3').summary).toBe(
      '환경부는 오늘 새 정책을 발표하고 의견을 듣기로 했다.',
    );
    expect(parseBoardPost(page(''), 'https://x.org/p/4')).not.toHaveProperty('summary');
  });

  it('reads a full press release body, from its first sentence, without its boilerplate', () => {
    const html = page(`<div class="view-content">
      <p>보도자료</p><p>보도시점 2023. 11. 27.(월) 12:00</p>
      <p>새 글</p>
      <p>- 국토부·환경부, 후보지 공모… 2.5조 원 투입</p>
      <p>□ 국토교통부는 27일(월)부터 ‘탄소중립도시’ 후보지 공모를 시작한다고 밝혔다.</p>
      <figure><img src="a.png"><figcaption>▲ 탄소중립도시 조감도</figcaption></figure>
      <p>ㅇ 공모에는 온실가스를 2.5% 이상 줄이는 도시가 참여할 수 있다.<br>자세한 일정은 누리집에 올린다.</p>
      <p>※ 붙임 참조</p><p>담당자 사무관 이영희 (044-201-3712) younghee@korea.kr</p>
      <p>&lt;저작권자 ⓒ 대한민국 정책브리핑 무단 전재 및 재배포 금지&gt;</p></div>`);
    expect(parseBoardPost(html, 'https://x.org/p/5').summary).toBe(
      '국토교통부는 27일(월)부터 ‘탄소중립도시’ 후보지 공모를 시작한다고 밝혔다. 공모에는 온실가스를 2.5% 이상 줄이는 도시가 참여할 수 있다.',
    );
  });
});

describe('the lead of feed items', () => {
  it('is each korea.kr description’s sentence, without its view button and 자료제공 footer', async () => {
    const xml = fixtureText('korea-kr/pressrelease.xml');
    const { items } = await parseFeed(xml, 'korea', FEED_URL);
    const sentences = [...xml.matchAll(/<p><span>([^<]+)<\/span><\/p>/g)].map((m) => m[1]!);
    expect(items).toHaveLength(10);
    expect(items.map((item) => item.post.summary)).toEqual(sentences);
    for (const item of items) {
      expect(item.post.summary).toMatch(/^[가-힣]+는 .+ 관련 내용을 발표하였습니다\.$/);
      expectNoBoilerplate(item.post.summary!);
    }
  });

  it('reads the same leads from the EUC-KR twin of that feed', async () => {
    const { text } = decodeDocument('text/xml', fixture('generic-feeds/pressrelease.euc-kr.xml'));
    const eucKr = await parseFeed(text, 'korea', FEED_URL);
    const utf8 = await parseFeed(fixtureText('korea-kr/pressrelease.xml'), 'korea', FEED_URL);
    expect(eucKr.items.map((i) => i.post.summary)).toEqual(utf8.items.map((i) => i.post.summary));
  });

  it.each(['generic-feeds/esg-news.atom.xml', 'generic-feeds/esg-news.rss1.xml'])(
    'has none for items without a description (%s)',
    async (path) => {
      const { items } = await parseFeed(fixtureText(path), 'esg', 'https://k-esg.org/feed');
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item.post).not.toHaveProperty('summary');
    },
  );

  const rss = (item: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><item><link>https://x.org/1</link>${item}</item></channel></rss>`;

  it.each([
    [
      'an escaped HTML description',
      '<title>새 지침</title><description>&lt;p&gt;환경부는 새 지침을 냈다. &amp;lt;세부&amp;gt; 내용은 붙임과 같다.&lt;/p&gt;&lt;p&gt;문의: 044-201-6600&lt;/p&gt;</description>',
      '환경부는 새 지침을 냈다. <세부> 내용은 붙임과 같다.',
    ],
    [
      'content:encoded alone',
      '<title>새 지침</title><content:encoded><![CDATA[<p>[보도자료]</p><p>산림청은 숲길을 넓힌다고 밝혔다.</p>]]></content:encoded>',
      '산림청은 숲길을 넓힌다고 밝혔다.',
    ],
    [
      'a description that only repeats the title',
      '<title>[환경부]탄소중립 이행 점검 결과</title><description>탄소중립 이행 점검 결과</description>',
      undefined,
    ],
    ['a blank description', '<title>제목</title><description>  </description>', undefined],
  ])('reads %s', async (_case, item, summary) => {
    const [only] = (await parseFeed(rss(item), 's', 'https://x.org/rss')).items;
    expect(only?.post.summary).toBe(summary);
  });

  it('prefers an Atom summary to its content', async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>아톰 글</title><link href="https://x.org/2"/><id>https://x.org/2</id><updated>2023-11-27T09:00:00+09:00</updated>
      <summary type="html">&lt;p&gt;요약문의 첫 문장입니다.&lt;/p&gt;</summary>
      <content type="html">&lt;p&gt;본문의 첫 문장입니다.&lt;/p&gt;</content></entry></feed>`;
    const [entry] = (await parseFeed(atom, 's', 'https://x.org/atom')).items;
    expect(entry?.post.summary).toBe('요약문의 첫 문장입니다.');
  });
});
