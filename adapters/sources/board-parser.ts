import * as cheerio from 'cheerio';
import { hasChildren, isTag, isText, type AnyNode, type Element } from 'domhandler';
import { leadSummary } from '../../src/model/lead-summary.js';
import { koreaDate } from '../../src/model/post.js';
import type { Attachment } from '../../src/model/attachment.js';
import { httpLink } from './http-link.js';
import { postAttachments } from './post-attachments.js';
import { boardTitle } from './source-title.js';
import { capText, compact, fieldText, htmlLines, MAX_MINISTRY, MAX_POST_TITLE } from './text.js';

/** One row of the board's list: what the list knows of a post. */
export interface BoardRow {
  boardNo: number;
  title: string;
  date: string;
  url: string;
}

export interface BoardListPage {
  rows: BoardRow[];
  /**
   * Numbered rows left out because they cannot be read (a link that is not http(s), a date
   * that is not one), one short description each (`row 1652: link "http://" is not a valid
   * URL`). One broken row must not cost the rest of the page.
   */
  skipped: string[];
  /** The pagination links to a page after this one. */
  hasNextPage: boolean;
  /** The board table never ends: the page was cut off, and its last rows cannot be trusted. */
  truncated: boolean;
  /** The page's `<title>` without the site's name (see `boardTitle`); `null` when blank. */
  title: string | null;
}

/** What only the post's own page says. */
export interface BoardPostDetails {
  ministry: string | null;
  originalUrl: string | null;
  /** The body's lead (see `leadSummary`); absent when the page has no readable body. */
  summary?: string;
  /** The files the post page offers (see `postAttachments`); absent when it shows none. */
  attachments?: Attachment[];
}

const NUMBER_HEADERS = ['번호', 'no', 'no.', '순번'];
const TITLE_HEADERS = ['제목', '글제목', 'title', 'subject'];
const DATE_HEADERS = ['날짜', '등록일', '작성일', '게시일', '일자', '등록일자', 'date'];

/**
 * Parses a board list page. The table is found by its header cells (번호, 제목, 날짜), not by
 * CSS classes, which the site may change. Returns `null` when the page has no such table (a
 * login page, an error page, a redesign), so callers can refuse it instead of seeing "no posts".
 * Only the first `maxRows` numbered rows (the newest: boards list newest first) are read.
 */
export function parseBoardList(
  html: string,
  pageUrl: string,
  currentPage: number,
  now = new Date(),
  maxRows = Infinity,
): BoardListPage | null {
  const $ = cheerio.load(html);
  for (const table of $('table').toArray()) {
    const columns = boardColumns($, table);
    if (!columns) continue;
    const rows: BoardRow[] = [];
    const skipped: string[] = [];
    for (const tr of $(table).find('tr').toArray()) {
      if (rows.length + skipped.length >= maxRows) break;
      const row = parseRow($, tr, columns, pageUrl, now);
      if (row === null) continue;
      if ('skipped' in row) skipped.push(row.skipped);
      else rows.push(row);
    }
    return {
      rows,
      skipped,
      hasNextPage: linksToPage($, pageUrl, currentPage + 1),
      truncated: !endsAfter(html, $(table).find('tr').first().text()),
      title: boardTitle($('head title').first().text() || $('title').first().text()),
    };
  }
  return null;
}

/** Longest number cell read: longer is no board number, and is quoted in a report. */
const MAX_NUMBER_TEXT = 40;
/** Longest date cell read: longer is no date, and is quoted in a report. */
const MAX_DATE_TEXT = 60;

/** What a pinned notice shows where posts show their number (or nothing: an icon). */
const NOTICE_MARK = /^(|공지|공지사항|notice|알림|필독|중요|top|-)$/i;

interface Columns {
  number: number;
  title: number;
  date: number | undefined;
}

function boardColumns($: cheerio.CheerioAPI, table: Element): Columns | null {
  const headerRow = $(table).find('thead tr').first().length
    ? $(table).find('thead tr').first()
    : $(table).find('tr').has('th').first();
  const headers = headerRow
    .find('th, td')
    .toArray()
    .map((cell) => compact($(cell).text()).toLowerCase());
  const indexOf = (names: string[]) => headers.findIndex((h) => names.includes(h));
  const number = indexOf(NUMBER_HEADERS);
  const title = indexOf(TITLE_HEADERS);
  if (number < 0 || title < 0) return null;
  const date = indexOf(DATE_HEADERS);
  return { number, title, date: date < 0 ? undefined : date };
}

/**
 * One table row as a post, `null` for rows that are not posts, or why a numbered row had to
 * be left out.
 */
function parseRow(
  $: cheerio.CheerioAPI,
  tr: Element,
  columns: Columns,
  pageUrl: string,
  now: Date,
): BoardRow | { skipped: string } | null {
  const cells = $(tr).children('td').toArray();
  const numberText = fieldText(cellText($, cells[columns.number]), MAX_NUMBER_TEXT);
  const titleCell = cells[columns.title];
  const anchor = titleCell ? $(titleCell).find('a[href]').first() : null;
  if (!/^\d+$/.test(numberText)) {
    // Notices (공지, or an icon in place of the number), headers and "no posts" rows carry
    // no board number: they are not posts. A linked row with some other text there is a
    // post whose number cannot be read: left out, but said.
    if (!anchor?.length || NOTICE_MARK.test(numberText)) return null;
    return { skipped: `row ${JSON.stringify(numberText)}: the number cannot be read` };
  }
  const skip = (reason: string) => ({ skipped: `row ${numberText}: ${reason}` });

  const href = anchor?.attr('href');
  if (!titleCell || !anchor || !href) return skip('no link in the title cell');
  const link = httpLink(href, pageUrl);
  if (!link.ok) return skip(link.reason);

  const title =
    fieldText(anchor.text(), MAX_POST_TITLE) || fieldText($(titleCell).text(), MAX_POST_TITLE);
  if (!title) return skip('no title');

  let date = koreaDate(now);
  if (columns.date !== undefined) {
    const dateText = fieldText(cellText($, cells[columns.date]), MAX_DATE_TEXT);
    const read = normalizeBoardDate(dateText, now);
    // Today's date in place of an unreadable one would misdate the post in every alert.
    if (read === null) return skip(`date ${JSON.stringify(dateText)} cannot be read`);
    date = read;
  }
  return { boardNo: Number(numberText), title, date, url: canonicalPostUrl(link.url) };
}

/** Whether the table closes somewhere after its header row: HTML parsers close what a cut-off page leaves open. */
function endsAfter(html: string, headerText: string): boolean {
  const firstHeader = headerText.trim().split(/\s+/)[0] ?? '';
  const at = firstHeader ? html.indexOf(firstHeader) : 0;
  return /<\/table\s*>/i.test(html.slice(Math.max(at, 0)));
}

/**
 * Reads the date forms boards print: `2023-11-27`, `2023.11.27`, `23-11-27`, `11-27` (this
 * year, in Korea) and `14:32` (today). Returns `null` for anything else.
 */
export function normalizeBoardDate(text: string, now = new Date()): string | null {
  const today = koreaDate(now);
  const pad = (n: string) => n.padStart(2, '0');
  let m = /(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})/.exec(text);
  if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  m = /^(\d{2})[-./](\d{1,2})[-./](\d{1,2})$/.exec(text);
  if (m) return `20${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  m = /^(\d{1,2})[-./](\d{1,2})$/.exec(text);
  if (m) {
    const year = Number(today.slice(0, 4));
    const candidate = `${year}-${pad(m[1]!)}-${pad(m[2]!)}`;
    // A month-day later than today can only be from last year.
    return candidate > today ? `${year - 1}-${pad(m[1]!)}-${pad(m[2]!)}` : candidate;
  }
  if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(text)) return today;
  return null;
}

/** Absolute link to a post, without the list's `page` parameter so the same post has one URL. */
function canonicalPostUrl(link: URL): string {
  const url = new URL(link);
  url.searchParams.delete('page');
  return url.toString();
}

function linksToPage($: cheerio.CheerioAPI, pageUrl: string, page: number): boolean {
  return $('a[href]')
    .toArray()
    .some((a) => {
      try {
        return new URL($(a).attr('href') ?? '', pageUrl).searchParams.get('page') === String(page);
      } catch {
        return false;
      }
    });
}

/**
 * Parses a post's own page for the responsible ministry — the `담당부서 : 환경부` line, else
 * the `(환경부, 2023.11.27)` source line at the end of the body — the korea.kr link, and
 * the lead of the body.
 */
export function parseBoardPost(html: string, pageUrl: string): BoardPostDetails {
  const $ = cheerio.load(html);
  const details: BoardPostDetails = {
    ministry: departmentLine($) ?? sourceLine($),
    originalUrl: originalLink($, pageUrl),
  };
  const body = postBody($);
  const summary = body ? leadSummary(htmlLines($.html(body)), { title: pageTitle($) }) : null;
  if (summary) details.summary = summary;
  const attachments = postAttachments($, body, pageUrl);
  if (attachments.length > 0) details.attachments = attachments;
  return details;
}

/** Where boards commonly keep a post's body; the saved board uses `.post-content`. */
const BODY_SELECTORS = [
  '.post-content',
  '.view-content',
  '.view_content',
  '.view-con',
  '.view_con',
  '.board-view-content',
  '.bbs-view-content',
  '#bo_v_con',
  '.article-body',
  '[itemprop="articleBody"]',
];

/**
 * The post's body: a known body container, else the element holding the source line, else
 * the one holding the longest paragraph outside tables and page chrome (the list of posts
 * under the post is a table). Classes may change with a redesign; the fallbacks do not
 * depend on them.
 */
function postBody($: cheerio.CheerioAPI): Element | null {
  for (const selector of BODY_SELECTORS) {
    const found = $(selector)
      .toArray()
      .find((el) => compact($(el).text()) !== '');
    if (found && isTag(found)) return found;
  }
  const source = sourceLineElement($);
  if (source?.parent && isTag(source.parent)) return source.parent;
  let longest: Element | null = null;
  let length = 0;
  for (const p of $('p').toArray()) {
    if ($(p).closest('table, header, footer, nav').length > 0) continue;
    const text = compact($(p).text());
    if (text.length > length) [longest, length] = [p, text.length];
  }
  return longest?.parent && isTag(longest.parent) ? longest.parent : longest;
}

/** The post's title, to tell a body that only repeats it: the heading, else `<title>`. */
function pageTitle($: cheerio.CheerioAPI): string | null {
  const heading = fieldText($('.post-title').first().text(), MAX_POST_TITLE);
  return heading || boardTitle($('title').first().text());
}

function departmentLine($: cheerio.CheerioAPI): string | null {
  for (const el of leafElementsContaining($, '담당부서')) {
    const own = fieldText($(el).text(), MAX_SHORT_TEXT);
    const inline = /담당부서\s*[:：]?\s*(.*)$/.exec(own)?.[1]?.trim();
    // `<th>담당부서</th><td>환경부</td>` puts the value in the next cell.
    const value = inline || fieldText($(el).next().text(), MAX_MINISTRY);
    if (value) return capText(value, MAX_MINISTRY);
  }
  return null;
}

const SOURCE_LINE = /^\(([^,()]+),\s*\d{4}\.\s*\d{1,2}\.\s*\d{1,2}\.?\)$/;

function sourceLine($: cheerio.CheerioAPI): string | null {
  const el = sourceLineElement($);
  const text = el ? compact(shortText(el) ?? '') : '';
  const ministry = SOURCE_LINE.exec(text)?.[1]?.trim();
  return ministry ? capText(ministry, MAX_MINISTRY) : null;
}

/** The last element whose whole text is the source line `(환경부, 2023.11.27)`. */
function sourceLineElement($: cheerio.CheerioAPI): Element | null {
  return (
    $('p, div, span')
      .toArray()
      .reverse()
      .find((el) => SOURCE_LINE.test(compact(shortText(el) ?? ''))) ?? null
  );
}

/** Longest text of an element read for a line (a source line, a 담당부서 line). */
const MAX_SHORT_TEXT = 500;
/** Most nodes looked at for one element's short text. */
const MAX_SHORT_TEXT_NODES = 64;

/**
 * The element's text when it is a line's worth (at most {@link MAX_SHORT_TEXT} characters
 * in at most {@link MAX_SHORT_TEXT_NODES} nodes), else `null`. Looking at each of a page's
 * elements costs a bounded amount this way; the whole text of each of 100,000 nested
 * `<div>`s would cost the square of that.
 */
function shortText(el: Element): string | null {
  let text = '';
  let visited = 0;
  const stack: AnyNode[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (++visited > MAX_SHORT_TEXT_NODES) return null;
    if (isText(node)) {
      text += node.data;
      if (text.length > MAX_SHORT_TEXT) return null;
    } else if (hasChildren(node)) {
      if (stack.length + node.children.length > MAX_SHORT_TEXT_NODES) return null;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return text;
}

/** The first http(s) link to korea.kr, where the original press releases are. */
function originalLink($: cheerio.CheerioAPI, pageUrl: string): string | null {
  for (const a of $('a[href]').toArray()) {
    // Anything else (an unparseable href, `javascript:`, `ftp://www.korea.kr`) is not the link.
    const link = httpLink($(a).attr('href') ?? '', pageUrl);
    if (!link.ok) continue;
    const host = link.url.hostname;
    if (host === 'korea.kr' || host.endsWith('.korea.kr')) return link.url.toString();
  }
  return null;
}

function leafElementsContaining($: cheerio.CheerioAPI, text: string): Element[] {
  return $('body *')
    .toArray()
    .filter((el) => $(el).children().length === 0 && $(el).text().includes(text));
}

function cellText($: cheerio.CheerioAPI, cell: AnyNode | undefined): string {
  return cell ? $(cell).text() : '';
}
