import { describe, expect, it } from 'vitest';
import {
  normalizeBoardDate,
  parseBoardList,
  parseBoardPost,
} from '../../../adapters/sources/board-parser.js';

const NOW = new Date('2026-03-05T03:00:00Z'); // 12:00 in Korea

describe('board dates', () => {
  it.each([
    ['2023-11-27', '2023-11-27'],
    ['2023.1.5', '2023-01-05'],
    ['23-11-27', '2023-11-27'],
    ['03-04', '2026-03-04'],
    ['11-27', '2025-11-27'], // later than today: last year
    ['14:32', '2026-03-05'],
    ['어제', null],
  ])('%s → %s', (text, date) => {
    expect(normalizeBoardDate(text, NOW)).toBe(date);
  });
});

describe('board list markup', () => {
  it('finds the table by its headers in any column order and skips notice rows', () => {
    const html = `<table><tr><th>제목</th><th>등록일</th><th>No</th></tr>
      <tr><td><a href="/view?id=9">공지사항</a></td><td>2026-01-01</td><td>공지</td></tr>
      <tr><td><a href="/view?id=8&page=3">새 글</a></td><td>09:10</td><td>12</td></tr>
      <tr><td colspan="3">등록된 글이 없습니다</td></tr></table>`;
    expect(parseBoardList(html, 'https://example.org/board/list?page=3', 3, NOW)).toEqual({
      rows: [
        { boardNo: 12, title: '새 글', date: '2026-03-05', url: 'https://example.org/view?id=8' },
      ],
      hasNextPage: false,
      truncated: false,
    });
  });

  it('returns null for a page without a board table', () => {
    expect(parseBoardList('<table><tr><th>이름</th></tr></table>', 'https://x.org/', 1)).toBeNull();
  });

  it('takes the ministry from a 담당부서 table cell or the source line', () => {
    const cell = '<table><tr><th>담당부서</th><td>기후에너지환경부</td></tr></table>';
    expect(parseBoardPost(cell, 'https://x.org/').ministry).toBe('기후에너지환경부');
    const line = '<div><p>본문</p><p>(산림청, 2023.11.23)</p></div>';
    expect(parseBoardPost(line, 'https://x.org/')).toEqual({
      ministry: '산림청',
      originalUrl: null,
    });
  });
});

describe('cut-off pages', () => {
  it('flags a list whose board table never closes', () => {
    const page = `<table><thead><tr><th>번호</th><th>제목</th></tr></thead><tbody>
      <tr><td>5</td><td><a href="/p/5">다섯</a></td></tr><tr><td>4</td><td><a href="/p/4">네`;
    expect(parseBoardList(page, 'https://x.org/', 1)?.truncated).toBe(true);
    expect(
      parseBoardList(`${page}</a></td></tr></tbody></table>`, 'https://x.org/', 1)?.truncated,
    ).toBe(false);
  });
});
