import { describe, expect, it } from 'vitest';
import { parseBoardPost } from '../../../adapters/sources/board-parser.js';
import { ParseSandbox } from '../../../adapters/sources/parse-sandbox.js';
import { UrlSource } from '../../../adapters/sources/url-source.js';
import { MAX_ATTACHMENT_NAME, MAX_ATTACHMENTS_KEPT } from '../../../src/model/attachment.js';
import { startHttpServer } from '../../support/http-server.js';

/** A board post page's files: synthetic pages (the saved ones carry none). */

const PAGE_URL = 'https://k-esg.org/post/4401';

function postPage(files: string, body = ''): string {
  return `<!doctype html><html><head><title>탄소중립 보도자료 | K-ESG</title></head><body>
<h1 class="post-title">탄소중립 보도자료</h1>
<div class="post-content">
  <p>담당부서 : 기후에너지환경부</p>
  <p>정부는 탄소중립 이행 계획을 발표했다.</p>
  ${body}
  <p><a href="https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700001">원문 보도자료</a></p>
</div>
<div class="file-list">${files}</div>
<table><tr><th>번호</th><th>제목</th></tr>
<tr><td>1652</td><td><a href="/post/4400">다른 글.pdf 안내</a></td></tr></table>
</body></html>`;
}

describe('attachments of a board post page', () => {
  it('reads document links and download links, named by their text or file name', () => {
    const details = parseBoardPost(
      postPage(
        [
          '<a href="/files/%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.hwpx"></a>',
          '<a href="/cmm/fms/FileDown.do?atchFileId=FILE_01&fileSn=0">붙임 1. 계획(안).hwp</a>',
          '<a href="https://cdn.k-esg.org/a/plan.PDF">계획 전문</a>',
          '<a href="https://k-esg.org/download?id=7">참고자료</a>',
          '<a href="javascript:fnDown(3)">붙임 2.pdf</a>',
          '<a href="/files/%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.hwpx">보도자료 (again)</a>',
          '<a href="https://k-esg.org/post/4399">이전 글</a>',
        ].join(''),
        '<p><a href="/upload/table.xlsx">통계표.xlsx</a></p>',
      ),
      PAGE_URL,
    );
    expect(details.attachments).toEqual([
      { name: '통계표.xlsx', url: 'https://k-esg.org/upload/table.xlsx' },
      {
        name: '보도자료.hwpx',
        url: 'https://k-esg.org/files/%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.hwpx',
      },
      {
        name: '붙임 1. 계획(안).hwp',
        url: 'https://k-esg.org/cmm/fms/FileDown.do?atchFileId=FILE_01&fileSn=0',
      },
      { name: '계획 전문', url: 'https://cdn.k-esg.org/a/plan.PDF' },
      { name: '참고자료', url: 'https://k-esg.org/download?id=7' },
    ]);
    expect(details.ministry).toBe('기후에너지환경부');
  });

  it('gives none for a page without files, and keeps within the bounds on a page of thousands', () => {
    expect(parseBoardPost(postPage(''), PAGE_URL).attachments).toBeUndefined();
    const many = Array.from(
      { length: 3_000 },
      (_, i) => `<a href="/f/${i}.pdf">${'아주 긴 파일 이름 '.repeat(40)}${i}.pdf</a>`,
    ).join('');
    const { attachments } = parseBoardPost(postPage(many), PAGE_URL);
    expect(attachments).toHaveLength(MAX_ATTACHMENTS_KEPT);
    for (const file of attachments!)
      expect(file.name.length).toBeLessThanOrEqual(MAX_ATTACHMENT_NAME);
  });

  it('are passed on to the post by UrlSource.complete', async () => {
    const parser = new ParseSandbox();
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(postPage('<a href="/files/plan.hwp">계획.hwp</a>'));
    });
    try {
      const source = new UrlSource(`${server.url}/post`, {
        parser,
        timeoutMs: 5_000,
        maxBytes: 1024 * 1024,
        retries: 0,
        retryDelayMs: 0,
        userAgent: 'esg-news-bot/test',
      });
      const completed = await source.complete({
        sourceId: 'esg',
        boardNo: 1653,
        title: '탄소중립 보도자료',
        ministry: null,
        date: '2026-12-08',
        url: `${server.url}/post/4401`,
        originalUrl: null,
      });
      expect(completed.attachments).toEqual([
        { name: '계획.hwp', url: `${server.url}/files/plan.hwp` },
      ]);
      expect(completed.ministry).toBe('기후에너지환경부');
    } finally {
      await server.close();
      await parser.close();
    }
  });
});
