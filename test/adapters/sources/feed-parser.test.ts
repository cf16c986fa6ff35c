import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../adapters/sources/feed-parser.js';

const FEED_URL = 'https://example.org/rss/news.xml?serviceKey=SECRET';

function rss(items: string, channel = '<title>t</title>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>${channel}${items}</channel></rss>`;
}

function item(title: string, fields: string, date = 'Mon, 27 Nov 2023 09:00:00 GMT'): string {
  return `<item><title>${title}</title>${fields}<pubDate>${date}</pubDate></item>`;
}

describe('feed item links', () => {
  it('never makes a post of a javascript:, data: or mailto: link, in any case', async () => {
    const xml = rss(
      [
        item('[환경부]자바스크립트 링크', '<link>javascript:view(101)</link><guid>101</guid>'),
        item('대문자 스킴', '<link>JavaScript:void(0)</link><guid isPermaLink="false">102</guid>'),
        item('데이터 링크', '<link>data:text/html,hi</link><guid>news-103</guid>'),
        item('메일 링크', '<link>mailto:press@example.org?no=104</link>'),
        item('멀쩡한 글', '<link>https://example.org/view?no=105</link>'),
      ].join(''),
    );
    const { items, skipped } = await parseFeed(xml, 's', FEED_URL);
    expect(items.map((i) => [i.ownNumber, i.post.url])).toEqual([
      [105, 'https://example.org/view?no=105'],
    ]);
    expect(skipped).toEqual([
      'item 101: link "javascript:view(101)" is not an http(s) URL',
      'item 102: link "JavaScript:void(0)" is not an http(s) URL',
      'item 103: link "data:text/html,hi" is not an http(s) URL',
      'item "메일 링크": link "mailto:press@example.org?no=104" is not an http(s) URL',
    ]);
  });

  it('falls back to a guid or Atom id that is an http(s) URL when the link is not', async () => {
    const xml = rss(
      item(
        '가이드 링크',
        '<link>javascript:void(0)</link><guid>https://example.org/view?no=77</guid>',
      ),
    );
    const { items, skipped } = await parseFeed(xml, 's', FEED_URL);
    expect(items).toMatchObject([
      { ownNumber: 77, post: { url: 'https://example.org/view?no=77' } },
    ]);
    expect(skipped).toEqual([]);

    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>아톰</title><link href="javascript:void(0)"/><id>https://example.org/post/4391</id><updated>2023-11-27T09:00:00+09:00</updated></entry></feed>`;
    expect((await parseFeed(atom, 's', FEED_URL)).items).toMatchObject([
      { ownNumber: 4391, post: { url: 'https://example.org/post/4391' } },
    ]);
  });

  it('resolves a relative link against the feed, and reports an item without a title', async () => {
    const xml = rss(
      item('상대 링크', '<link>/view?no=9</link>') + item('', '<link>/view?no=8</link>'),
    );
    const { items, skipped } = await parseFeed(xml, 's', FEED_URL);
    expect(items.map((i) => i.post.url)).toEqual(['https://example.org/view?no=9']);
    expect(skipped).toEqual(['item 8: no title']);
  });
});

describe('feed item identity', () => {
  it('knows Atom entries with tag: UUID ids and dated permalinks apart, with no number of their own', async () => {
    const entry = (id: string, slug: string, updated: string) =>
      `<entry><title>${slug}</title><link href="https://example.org/news/2026/11/${slug}"/><id>tag:example.org,2026:${id}</id><updated>${updated}</updated></entry>`;
    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>  Example   News </title>
      ${entry('550e8400-e29b-41d4-a716-446655440000', 'green-taxonomy', '2026-11-20T09:00:00Z')}
      ${entry('6fa459ea-ee8a-3ca4-894e-db77e160355e', 'carbon-border', '2026-11-19T09:00:00Z')}</feed>`;
    const read = await parseFeed(atom, 's', FEED_URL);
    expect(read.title).toBe('Example News');
    expect(read.items.map((i) => [i.key, i.ownNumber, i.publishedAt])).toEqual([
      [
        'guid:tag:example.org,2026:550e8400-e29b-41d4-a716-446655440000',
        null,
        Date.parse('2026-11-20T09:00:00Z'),
      ],
      [
        'guid:tag:example.org,2026:6fa459ea-ee8a-3ca4-894e-db77e160355e',
        null,
        Date.parse('2026-11-19T09:00:00Z'),
      ],
    ]);
  });

  it('identifies an item by its guid, else its link, else its title and date', async () => {
    const xml = rss(
      [
        item(
          '가이드',
          '<link>https://example.org/a</link><guid isPermaLink="false">abc-xyz</guid>',
        ),
        item('링크만', '<link>https://example.org/b</link>'),
        item('둘 다 없음', ''),
        item('둘 다 없음', '', 'Tue, 28 Nov 2023 09:00:00 GMT'),
      ].join(''),
    );
    const { items } = await parseFeed(xml, 's', FEED_URL);
    const keys = items.map((i) => i.key);
    expect(keys.slice(0, 2)).toEqual(['guid:abc-xyz', 'link:https://example.org/b']);
    expect(keys[2]).toMatch(/^hash:[0-9a-f]{32}$/);
    // Same title, another date: another item.
    expect(keys[3]).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(keys[3]).not.toBe(keys[2]);
    // The same item read again has the same identity.
    expect((await parseFeed(xml, 's', FEED_URL)).items.map((i) => i.key)).toEqual(keys);
  });

  it("links an item that has no link to the feed's site, never to the feed URL with its key", async () => {
    const withSite = rss(
      item('링크 없음', ''),
      '<title>t</title><link>https://example.org/news</link>',
    );
    expect((await parseFeed(withSite, 's', FEED_URL)).items[0]?.post.url).toBe(
      'https://example.org/news',
    );
    const withoutSite = rss(item('링크 없음', ''));
    expect((await parseFeed(withoutSite, 's', FEED_URL)).items[0]?.post.url).toBe(
      'https://example.org/',
    );
  });

  it('keeps two items with one guid as the feed has them (the poll counts them once)', async () => {
    const xml = rss(
      item('첫 판', '<link>https://example.org/a</link><guid isPermaLink="false">same</guid>') +
        item('고친 판', '<link>https://example.org/a2</link><guid isPermaLink="false">same</guid>'),
    );
    const { items } = await parseFeed(xml, 's', FEED_URL);
    expect(items.map((i) => i.key)).toEqual(['guid:same', 'guid:same']);
  });

  it('dates an item without a readable date today and says it has none', async () => {
    const xml = rss('<item><title>날짜 없음</title><link>https://example.org/c</link></item>');
    const now = new Date('2026-11-05T03:00:00Z');
    const [only] = (await parseFeed(xml, 's', FEED_URL, now)).items;
    expect(only).toMatchObject({ publishedAt: null, post: { date: '2026-11-05' } });
  });
});
