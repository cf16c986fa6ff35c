import { describe, expect, it } from 'vitest';
import { itemIdentity, ownNumberOf } from '../../src/model/item-identity.js';

describe("an item's own number", () => {
  it.each([
    [
      'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156605000&call_from=rsslink',
      156605000,
    ],
    [
      'https://www.me.go.kr/home/web/board/read.do?boardMasterId=1&boardId=1661180&nttId=12345',
      12345,
    ],
    ['https://example.org/bbs/board.php?bo_table=esg&wr_id=1652', 1652],
    ['https://news.example.kr/news/articleView.html?idxno=301234', 301234],
    ['https://blog.example.org/?p=77', 77],
    ['https://k-esg.org/post/4392', 4392],
    ['https://k-esg.org/post/4392/', 4392],
    ['https://example.org/news/12345.html', 12345],
    ['156700001', 156700001],
    ['tag:k-esg.org,2023:post-4391', 4391],
  ])('%s → %d', (value, number) => {
    expect(ownNumberOf(value)).toBe(number);
  });

  it.each([
    ['a month in a dated permalink', 'https://example.org/news/2026/11/green-taxonomy'],
    ['a month as the last segment', 'https://example.org/news/2026/11'],
    ['a year', 'https://example.org/archive/2026'],
    ['a day written as digits', 'https://example.org/daily/20261105'],
    ['a short number', 'https://example.org/page/12'],
    ['the last group of a UUID', 'tag:example.org,2026:550e8400-e29b-41d4-a716-446655440000'],
    ['a urn:uuid', 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a'],
    ['a page parameter', 'https://example.org/list?page=3'],
    ['a number too large to be exact', 'https://example.org/view?no=12345678901234567890'],
    ['nothing', ''],
  ])('is none for %s', (_case, value) => {
    expect(ownNumberOf(value)).toBeNull();
  });
});

describe("an item's identity", () => {
  it('is its guid, else its link, else a hash of its title and date', () => {
    expect(itemIdentity({ guid: ' g-1 ', link: 'https://x.org/a', title: 't' })).toBe('guid:g-1');
    expect(itemIdentity({ link: 'https://x.org/a', title: 't' })).toBe('link:https://x.org/a');
    const hashed = itemIdentity({ title: '제목', date: '2026-11-05T00:00:00.000Z' });
    expect(hashed).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(itemIdentity({ title: ' 제목 ', date: '2026-11-05T00:00:00.000Z' })).toBe(hashed);
    expect(itemIdentity({ title: '제목', date: '2026-11-06T00:00:00.000Z' })).not.toBe(hashed);
  });

  it('keeps a very long guid short enough for a Redis field, and still its own', () => {
    const long = `https://example.org/${'a'.repeat(500)}`;
    const key = itemIdentity({ guid: long, title: 't' });
    expect(key.length).toBeLessThanOrEqual(200);
    expect(key).not.toBe(itemIdentity({ guid: `${long}b`, title: 't' }));
  });
});
