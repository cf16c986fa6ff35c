import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoardList } from '../../../adapters/sources/board-parser.js';
import { parseFeed } from '../../../adapters/sources/feed-parser.js';
import { httpLink, MAX_LINK_LENGTH } from '../../../adapters/sources/http-link.js';
import {
  capText,
  compact,
  fieldText,
  htmlLines,
  MAX_MINISTRY,
  MAX_POST_TITLE,
} from '../../../adapters/sources/text.js';
import { newestOf } from '../../../src/model/feed-order.js';

/** What `htmlLines` did with regular expressions before it became a scanner. */
function htmlLinesByRegex(html: string): string[] {
  const skipped =
    /<(script|style|noscript|template|figcaption|table|iframe|svg|button|select|textarea|form)\b[\s\S]*?<\/\1\s*>/gi;
  const block =
    /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|section|article|aside|blockquote|header|footer|figure|dl|dt|dd|pre|hr|center|main|nav)\b[^>]*>/gi;
  const tag = /<\/?[a-z][^>]*>|<!--[\s\S]*?-->|<[!?][^>]*>/gi;
  return decodeHTML(html.replace(skipped, '\n').replace(block, '\n').replace(tag, ''))
    .split('\n')
    .map(compact)
    .filter((line) => line.length > 0);
}

/** Pieces of the markup feeds and boards carry, well-formed. */
const PIECES = [
  '<p>',
  '</p>',
  '<br/>',
  '<BR>',
  '<script>var a = "<p>";</script>',
  '<table><tr><td>셀</td></tr></table>',
  '<b>',
  '</b>',
  '<!-- 주석 <p> -->',
  '&amp;',
  '&lt;p&gt;',
  ' 환경부는 ',
  '발표했다.',
  '\n',
  '<div class="x">',
  '</div>',
  '<h2 id="t">',
  '</h2>',
  'a < b',
  '<SCRIPT >x</script >',
  '<!DOCTYPE html>',
  '<?xml version="1.0"?>',
  '<pre>',
  '<p-x>',
  '<section>',
  '<figcaption>사진</figcaption>',
  '<img src="a.png">',
];

describe('the text of an HTML fragment', () => {
  it('is what the regular expressions gave, on well-formed markup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
        const html = pieces.join('');
        expect(htmlLines(html)).toEqual(htmlLinesByRegex(html));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps as text a `<` that opens nothing, however many there are', () => {
    const lines = htmlLines(`<p>요약입니다.</p>${'<p '.repeat(20_000)}`);
    expect(lines[0]).toBe('요약입니다.');
    expect(lines[1]).toMatch(/^<p <p <p/);
  });

  it('drops a closed script, and keeps the text after one never closed, as before', () => {
    expect(htmlLines('<p>앞</p><script>x()</script><p>뒤</p>')).toEqual(['앞', '뒤']);
    const unclosed = `<p>앞</p>${'<script>x '.repeat(5_000)}`;
    expect(htmlLines(unclosed)).toEqual(htmlLinesByRegex(unclosed.slice(0, 50_000)));
  });

  it('reads only the first 50,000 characters', () => {
    const lines = htmlLines(`<p>첫 문단.</p>${'가'.repeat(60_000)}<p>끝에 있는 문단.</p>`);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toHaveLength(50_000 - '<p>첫 문단.</p>'.length);
  });
});

describe('short fields', () => {
  it('are cut with an ellipsis, never inside a surrogate pair', () => {
    expect(capText('가'.repeat(10), 5)).toBe('가가가가…');
    expect(capText(`abc${'😀'.repeat(3)}`, 5)).toBe('abc…');
    expect(capText('짧다', 5)).toBe('짧다');
  });

  it('are read from a bounded stretch of the source, decoded and collapsed', () => {
    expect(fieldText(' 환경부 &amp; 기후부 ', 50, true)).toBe('환경부 & 기후부');
    expect(fieldText(`${' '.repeat(20_000)}환경부`, 50)).toBe('');
  });
});

describe('links', () => {
  it('are no links past 4,096 characters, and say so briefly', () => {
    const long = `https://example.org/p?${'a'.repeat(MAX_LINK_LENGTH)}`;
    const refused = httpLink(long);
    expect(refused).toEqual({
      ok: false,
      reason: `link ${JSON.stringify(`${long.slice(0, 60)}…`)} is longer than 4096 characters`,
    });
    expect(httpLink(`https://example.org/p?${'a'.repeat(4_000)}`).ok).toBe(true);
  });
});

describe('items considered per read', () => {
  const dated = (publishedAt: number | null, name: string) => ({ publishedAt, name });

  it('are the newest by date, kept in their own order', () => {
    const items = [dated(3, 'c'), dated(1, 'a'), dated(5, 'e'), dated(2, 'b'), dated(4, 'd')];
    expect(newestOf(items, 2).map((i) => i.name)).toEqual(['e', 'd']);
    expect(newestOf(items, 10)).toEqual(items);
  });

  it('count undated items as the newest, and ties in the feed’s own direction', () => {
    const oldestFirstFeed = [dated(1, 'a'), dated(1, 'b'), dated(null, 'undated')];
    expect(newestOf(oldestFirstFeed, 2).map((i) => i.name)).toEqual(['b', 'undated']);
    const newestFirstFeed = [dated(9, 'x'), dated(5, 'y'), dated(5, 'z'), dated(1, 'w')];
    expect(newestOf(newestFirstFeed, 2).map((i) => i.name)).toEqual(['x', 'y']);
  });

  it('are the newest items of a feed, before anything is made of the rest', async () => {
    const items = Array.from(
      { length: 30 },
      (_, i) =>
        `<item><title>항목 ${i}</title><guid>g${i}</guid><pubDate>${new Date(Date.UTC(2026, 10, 1 + i)).toUTCString()}</pubDate></item>`,
    );
    // Oldest last in the feed, as many feeds list them.
    const xml = `<rss version="2.0"><channel><title>t</title>${items.reverse().join('')}</channel></rss>`;
    const read = await parseFeed(xml, 's', 'https://example.org/rss', new Date(), 3);
    expect(read.items.map((i) => i.post.title)).toEqual(['항목 29', '항목 28', '항목 27']);
  });

  it('are the top rows of a board page', () => {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `<tr><td>${50 - i}</td><td><a href="/p/${50 - i}">글 ${50 - i}</a></td></tr>`,
    ).join('');
    const html = `<table><tr><th>번호</th><th>제목</th></tr>${rows}</table>`;
    const page = parseBoardList(html, 'https://x.org/list', 1, new Date(), 5)!;
    expect(page.rows.map((r) => r.boardNo)).toEqual([50, 49, 48, 47, 46]);
  });
});

describe('what is kept of an item', () => {
  it('bounds a feed item’s title and ministry, and keeps its identity', async () => {
    const title = '가'.repeat(5_000);
    const xml = `<rss version="2.0"><channel><title>${'피드'.repeat(10_000)}</title><item><title>[${'부'.repeat(500)}] ${title}</title><link>https://example.org/p/1</link></item><item><title>분류가 긴 글</title><link>https://example.org/p/2</link><category>${'분류'.repeat(5_000)}</category></item></channel></rss>`;
    const read = await parseFeed(xml, 's', 'https://example.org/rss');
    const [first, second] = read.items;
    expect(first?.post.title).toHaveLength(MAX_POST_TITLE);
    expect(first?.post.title.endsWith('…')).toBe(true);
    expect(first?.post.ministry).toHaveLength(MAX_MINISTRY);
    expect(first?.key).toBe('link:https://example.org/p/1');
    expect(second?.post.ministry).toHaveLength(MAX_MINISTRY);
    expect(read.title).toHaveLength(80);
  });

  it('bounds a board row’s title and quotes a long cell briefly', () => {
    const html = `<table><tr><th>번호</th><th>제목</th><th>날짜</th></tr>
      <tr><td>2</td><td><a href="/p/2">${'제목'.repeat(1_000)}</a></td><td>2026-03-05</td></tr>
      <tr><td>1</td><td><a href="/p/1">날짜가 긴 글</a></td><td>${'어제'.repeat(1_000)}</td></tr>
      <tr><td>${'9'.repeat(1_000)}x</td><td><a href="/p/0">번호가 긴 글</a></td></tr></table>`;
    const page = parseBoardList(html, 'https://x.org/list', 1)!;
    expect(page.rows.map((r) => r.title.length)).toEqual([MAX_POST_TITLE]);
    expect(page.skipped).toHaveLength(2);
    for (const skipped of page.skipped) expect(skipped.length).toBeLessThan(120);
  });
});
