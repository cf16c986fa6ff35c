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
      skipped: [],
      hasNextPage: false,
      truncated: false,
      title: null,
    });
  });

  it.each([
    ['ESG 정책뉴스 | K-ESG', 'ESG 정책뉴스'],
    ['  보도자료  -  환경부 ', '보도자료'],
    ['공지사항 :: 한국생산성본부', '공지사항'],
    ['탄소중립-녹색성장 뉴스', '탄소중립-녹색성장 뉴스'],
  ])('names the board from its page title %j as %j', (title, name) => {
    const html = `<html><head><title>${title}</title></head><body><table><tr><th>번호</th><th>제목</th></tr>
      <tr><td>1</td><td><a href="/view?id=1">글</a></td></tr></table></body></html>`;
    expect(parseBoardList(html, 'https://example.org/list', 1, NOW)?.title).toBe(name);
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

describe('rows that cannot be read', () => {
  const list = (rows: string) =>
    `<table><thead><tr><th>번호</th><th>제목</th><th>날짜</th></tr></thead><tbody>
      <tr><td>공지</td><td><a href="javascript:void(0)">공지는 글이 아니다</a></td><td>2026-01-01</td></tr>
      ${rows}
      <tr><td>100</td><td><a href="/p/100?page=1">멀쩡한 글</a></td><td>2026-03-04</td></tr>
    </tbody></table>`;
  const row = (no: number, href: string, date = '2026-03-05') =>
    `<tr><td>${no}</td><td><a href="${href}">깨진 글 ${no}</a></td><td>${date}</td></tr>`;

  it.each([
    ['an empty http:// link', 'http://', 'link "http://" is not a valid URL'],
    ['an empty https:// link', 'https://', 'link "https://" is not a valid URL'],
    ['an unparseable link', 'http://[::1/p/1', 'link "http://[::1/p/1" is not a valid URL'],
    ['a javascript: link', 'javascript:goView(101)', 'is not an http(s) URL'],
    ['a JavaScript: link in mixed case', 'JavaScript:void(0)', 'is not an http(s) URL'],
    [
      'a data: link',
      'data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;',
      'is not an http(s) URL',
    ],
    ['a mailto: link', 'mailto:press@example.org', 'is not an http(s) URL'],
    ['an ftp: link', 'ftp://example.org/p/101', 'is not an http(s) URL'],
  ])('skips a row with %s and keeps the rest of the page', (_case, href, reason) => {
    const page = parseBoardList(list(row(101, href)), 'https://x.org/list', 1, NOW)!;
    expect(page.rows).toEqual([
      { boardNo: 100, title: '멀쩡한 글', date: '2026-03-04', url: 'https://x.org/p/100' },
    ]);
    expect(page.skipped).toHaveLength(1);
    expect(page.skipped[0]).toMatch(/^row 101: link /);
    expect(page.skipped[0]).toContain(reason);
  });

  it('skips a row whose date cannot be read, and one without a link, naming each', () => {
    const rows = `${row(103, '/p/103', '어제')}
      <tr><td>102</td><td>링크 없는 글</td><td>2026-03-05</td></tr>`;
    const page = parseBoardList(list(rows), 'https://x.org/list', 1, NOW)!;
    expect(page.rows.map((r) => r.boardNo)).toEqual([100]);
    expect(page.skipped).toEqual([
      'row 103: date "어제" cannot be read',
      'row 102: no link in the title cell',
    ]);
  });

  it('says which linked rows have a number it cannot read, but not notices', () => {
    const rows = `<tr><td>공지</td><td><a href="/p/900">공지 글</a></td><td>2026-03-05</td></tr>
      <tr><td><img alt=""></td><td><a href="/p/901">고정 글</a></td><td>2026-03-05</td></tr>
      <tr><td>1,645</td><td><a href="/p/1645">쉼표 번호</a></td><td>2026-03-05</td></tr>
      <tr><td>12a</td><td><a href="/p/12">이상한 번호</a></td><td>2026-03-05</td></tr>
      ${row(101, '/p/101')}`;
    const page = parseBoardList(list(rows), 'https://x.org/list', 1, NOW)!;
    expect(page.rows.map((r) => r.boardNo)).toEqual([101, 100]);
    expect(page.skipped).toEqual([
      'row "1,645": the number cannot be read',
      'row "12a": the number cannot be read',
    ]);
  });

  it('still reads a page whose every row is broken, as a page with no posts', () => {
    const html = `<table><tr><th>번호</th><th>제목</th></tr>${row(2, 'http://')}${row(1, 'javascript:;')}</table>`;
    expect(parseBoardList(html, 'https://x.org/list', 1, NOW)).toMatchObject({
      rows: [],
      skipped: [expect.stringMatching(/^row 2: /), expect.stringMatching(/^row 1: /)],
      truncated: false,
    });
  });

  it('judges the scheme case-insensitively: keeps HTTPS:, skips HTTP:// without a host', () => {
    const html = `<table><tr><th>번호</th><th>제목</th></tr>
      <tr><td>8</td><td><a href="HTTP://">대문자 빈 링크</a></td></tr>
      <tr><td>7</td><td><a href="HTTPS://X.ORG/p/7?page=2">대문자 링크</a></td></tr></table>`;
    // Without a date column the list cannot date a row: today, as before.
    expect(parseBoardList(html, 'https://x.org/list', 1, NOW)).toMatchObject({
      rows: [{ boardNo: 7, title: '대문자 링크', date: '2026-03-05', url: 'https://x.org/p/7' }],
      skipped: ['row 8: link "HTTP://" is not a valid URL'],
    });
  });

  it('takes only an http(s) korea.kr link as the original release', () => {
    const html = `<p><a href="ftp://www.korea.kr/briefing/1">ftp</a>
      <a href="javascript:open('https://www.korea.kr/x')">js</a>
      <a href="HTTPS://www.korea.kr/briefing/pressReleaseView.do?newsId=1">원문</a></p>`;
    expect(parseBoardPost(html, 'https://x.org/p/1').originalUrl).toBe(
      'https://www.korea.kr/briefing/pressReleaseView.do?newsId=1',
    );
    expect(
      parseBoardPost('<a href="ftp://www.korea.kr/1">ftp</a>', 'https://x.org/').originalUrl,
    ).toBeNull();
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
