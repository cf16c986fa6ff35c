import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fixtureText } from './fixtures.js';
import { startHttpServer, type LocalServer } from './http-server.js';

export interface BoardEntry {
  boardNo: number;
  postId: number;
  title: string;
  date: string;
  ministry: string;
  /** The title link as the list prints it, when a test breaks it (`http://`, `javascript:…`). */
  href?: string;
}

/** How the board misbehaves for the next requests, to test that nothing is lost. */
export type BoardFault =
  | 'http500'
  | 'login-page'
  | 'truncated'
  | 'post-page-500'
  /** Every request answered 503 or 429, with {@link FakeBoard.retryAfter} when set. */
  | 'http503'
  | 'http429';

/**
 * A local stand-in for the ESG 정책뉴스 board: starts with the 40 saved posts, renders list
 * and post pages in the saved markup, answers conditional GETs with ETags, and lets a test
 * publish posts, delete them and break pages.
 */
export class FakeBoard {
  readonly entries: BoardEntry[] = savedEntries();
  readonly requests: string[] = [];
  /** Body bytes sent, for the polling-cost benchmark. */
  bytesSent = 0;
  fault: BoardFault | null = null;
  /** `Retry-After` sent with the `http503` and `http429` faults (seconds or an HTTP date). */
  retryAfter: string | null = null;
  private server: LocalServer | null = null;

  constructor(readonly pageSize = 20) {}

  get url(): string {
    if (!this.server) throw new Error('board not started');
    return `${this.server.url}/post`;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Adds a post on top of the board, with the next board number. */
  publish(title: string, ministry = '환경부', date = '2023-11-28'): BoardEntry {
    const entry = {
      boardNo: Math.max(...this.entries.map((e) => e.boardNo)) + 1,
      postId: Math.max(...this.entries.map((e) => e.postId)) + 1,
      title,
      date,
      ministry,
    };
    this.entries.unshift(entry);
    return entry;
  }

  /** Corrects a published post (정정): its title, and its ministry when given. */
  correct(boardNo: number, title: string, ministry?: string): void {
    const entry = this.entries.find((e) => e.boardNo === boardNo);
    if (!entry) throw new Error(`no post ${boardNo} on the board`);
    entry.title = title;
    if (ministry !== undefined) entry.ministry = ministry;
  }

  /** Deletes a post, leaving a gap in the numbers as a deleted post does on the real board. */
  remove(boardNo: number): void {
    const index = this.entries.findIndex((e) => e.boardNo === boardNo);
    if (index >= 0) this.entries.splice(index, 1);
  }

  listRequests(): string[] {
    return this.requests.filter((r) => r.startsWith('/post?') || r === '/post');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '/');
    const url = new URL(req.url ?? '/', 'http://board');
    const post = /^\/post\/(\d+)$/.exec(url.pathname);
    if (this.fault === 'http500' || (post && this.fault === 'post-page-500')) {
      res.writeHead(500).end('서버 오류');
      return;
    }
    if (this.fault === 'http503' || this.fault === 'http429') {
      const headers = this.retryAfter === null ? {} : { 'retry-after': this.retryAfter };
      res.writeHead(this.fault === 'http503' ? 503 : 429, headers).end('잠시 후 다시 시도하세요');
      return;
    }
    let html: string | null = null;
    if (url.pathname === '/post') {
      html =
        this.fault === 'login-page'
          ? '<html><body><h1>로그인</h1><form><input name="id"></form></body></html>'
          : this.listPage(Number(url.searchParams.get('page') ?? '1'));
      if (this.fault === 'truncated') html = html.slice(0, html.indexOf('<tbody>') + 200);
    } else if (post) {
      const entry = this.entries.find((e) => e.postId === Number(post[1]));
      if (entry) html = postPage(entry, this.listPage(1));
    }
    if (html === null) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<p>없는 글</p>');
      return;
    }
    const etag = `"${createHash('sha1').update(html).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const body = Buffer.from(html);
    this.bytesSent += body.length;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag }).end(body);
  }

  private listPage(page: number): string {
    const rows = this.entries.slice((page - 1) * this.pageSize, page * this.pageSize);
    const lastPage = Math.max(1, Math.ceil(this.entries.length / this.pageSize));
    return listPage(rows, page, lastPage);
  }
}

/** The 40 posts of the saved list pages, with the ministries of their saved post pages. */
function savedEntries(): BoardEntry[] {
  const row =
    /<td class="num">(\d+)<\/td><td class="subject"><a href="\/post\/(\d+)\?page=\d+">(.*?)<\/a><\/td>.*?<td class="date">([\d-]+)<\/td>/g;
  const entries: BoardEntry[] = [];
  for (const page of [1, 2]) {
    for (const m of fixtureText(`kpc-esg-board/list-page-${page}.html`).matchAll(row)) {
      const postId = Number(m[2]);
      const ministry = /담당부서 : (\S+)</.exec(
        fixtureText(`kpc-esg-board/post-${postId}.html`),
      )?.[1];
      entries.push({
        boardNo: Number(m[1]),
        postId,
        title: m[3]!,
        date: m[4]!,
        ministry: ministry ?? '환경부',
      });
    }
  }
  return entries;
}

function listPage(rows: BoardEntry[], page: number, lastPage: number): string {
  const trs = rows
    .map(
      (e) =>
        `<tr><td class="num">${e.boardNo}</td><td class="subject"><a href="${e.href ?? `/post/${e.postId}?page=${page}`}">${e.title}</a></td><td class="writer">한국생산성본부</td><td class="date">${e.date}</td><td class="hit">0</td></tr>`,
    )
    .join('\n');
  const pages = Array.from({ length: Math.min(5, lastPage) }, (_, i) => i + 1)
    .map((n) => `<a href="?page=${n}"${n === page ? ' class="on"' : ''}>${n}</a>`)
    .join(' ');
  return `<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>ESG 정책뉴스 | K-ESG</title></head>
<body><main id="content"><div id="board" class="board">
<table class="board-list"><caption>ESG 정책뉴스 목록</caption>
<thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>날짜</th><th>조회수</th></tr></thead>
<tbody>
${trs}
</tbody></table>
<div class="pagination"><a href="?page=1" class="first">처음</a> ${pages} <a href="?page=${lastPage}" class="last">마지막</a></div>
</div></main></body></html>`;
}

function postPage(entry: BoardEntry, list: string): string {
  const newsId = 156_600_000 + entry.postId;
  const [year, month, day] = entry.date.split('-');
  return `<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>${entry.title} | K-ESG</title></head>
<body><main id="content"><div class="post-view">
<h3 class="post-title">${entry.title}</h3>
<p class="post-dept">담당부서 : ${entry.ministry}</p>
<ul class="post-info"><li class="writer">한국생산성본부</li><li class="date">${month}-${day}</li></ul>
<div class="post-content"><p>${entry.ministry}는 ${entry.title} 관련 내용을 발표하였습니다.</p>
<p>(${entry.ministry}, ${year}.${month}.${day})</p>
<p><a href="https://www.korea.kr/briefing/pressReleaseView.do?newsId=${newsId}" target="_blank">https://www.korea.kr/briefing/pressReleaseView.do?newsId=${newsId}</a></p>
</div></div>
${list.slice(list.indexOf('<div id="board"'), list.indexOf('</main>'))}
</main></body></html>`;
}
