import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../adapters/sources/feed-parser.js';

const FEED_URL = 'https://example.org/rss/news.xml';

function rss(items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>${items}</channel></rss>`;
}

function item(title: string, fields: string): string {
  return `<item><title>${title}</title>${fields}<pubDate>Mon, 27 Nov 2023 09:00:00 GMT</pubDate></item>`;
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
    const { posts, skipped } = await parseFeed(xml, 's', FEED_URL);
    expect(posts.map((p) => [p.boardNo, p.url])).toEqual([
      [105, 'https://example.org/view?no=105'],
    ]);
    expect(skipped).toEqual([
      'item 101: link "javascript:view(101)" is not an http(s) URL',
      'item 102: link "JavaScript:void(0)" is not an http(s) URL',
      'item 103: link "data:text/html,hi" is not an http(s) URL',
    ]);
  });

  it('falls back to a guid or Atom id that is an http(s) URL when the link is not', async () => {
    const xml = rss(
      item(
        '가이드 링크',
        '<link>javascript:void(0)</link><guid>https://example.org/view?no=77</guid>',
      ),
    );
    const { posts, skipped } = await parseFeed(xml, 's', FEED_URL);
    expect(posts).toMatchObject([{ boardNo: 77, url: 'https://example.org/view?no=77' }]);
    expect(skipped).toEqual([]);

    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>아톰</title><link href="javascript:void(0)"/><id>https://example.org/post/4391</id><updated>2023-11-27T09:00:00+09:00</updated></entry></feed>`;
    expect((await parseFeed(atom, 's', FEED_URL)).posts).toMatchObject([
      { boardNo: 4391, url: 'https://example.org/post/4391' },
    ]);
  });

  it('resolves a relative link against the feed, and reports a numbered item without a title', async () => {
    const xml = rss(
      item('상대 링크', '<link>/view?no=9</link>') + item('', '<link>/view?no=8</link>'),
    );
    const { posts, skipped } = await parseFeed(xml, 's', FEED_URL);
    expect(posts.map((p) => p.url)).toEqual(['https://example.org/view?no=9']);
    expect(skipped).toEqual(['item 8: no title']);
  });
});
