import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBoard } from '../support/fake-board.js';
import { fixture } from '../support/fixtures.js';
import { startHttpServer, type LocalServer } from '../support/http-server.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';

/** Serves whatever the test sets, at one URL: a good source first, then the bad input. */
class SwitchableSource {
  serve: (res: ServerResponse) => void = () => undefined;
  server: LocalServer | null = null;

  async start(): Promise<this> {
    this.server = await startHttpServer((_req, res) => this.serve(res));
    return this;
  }

  get url(): string {
    return `${this.server!.url}/feed`;
  }
}

const xml =
  (body: string | Buffer, type = 'application/rss+xml') =>
  (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': type }).end(body);

function feedOf(count: number, firstId: number): string {
  // Dated now: items first seen but older than SOURCE_MAX_AGE would be archived without alerts.
  const date = new Date().toUTCString();
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>[환경부]항목 ${firstId + i}</title><link>https://www.korea.kr/briefing/pressReleaseView.do?newsId=${firstId + i}</link><pubDate>${date}</pubDate></item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>${items}</channel></rss>`;
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function pipelineFor(
  url: string,
  notifier = new RecordingNotifier('slack'),
  env: Record<string, string> = {},
) {
  const pipeline = await new PipelineHarness({ feedUrl: url, notifiers: [notifier], env }).start();
  cleanup.push(() => pipeline.close());
  await pipeline.subscribe('slack', 'C1');
  return pipeline;
}

/** A pipeline that has read the good korea.kr feed once, from a source the test can then break. */
async function readGoodFeedFirst() {
  const source = await new SwitchableSource().start();
  cleanup.push(() => source.server!.close());
  source.serve = xml(fixture('korea-kr/pressrelease.xml'));
  const pipeline = await pipelineFor(source.url);
  await pipeline.pollOnce();
  const cursor = (await pipeline.states.get(pipeline.sourceId)).cursor!;
  return { source, pipeline, cursor };
}

async function expectRefused(pipeline: PipelineHarness, code: RegExp, cursor: number) {
  await expect(pipeline.pollOnce()).rejects.toThrow(/poll failed/);
  const state = await pipeline.states.get(pipeline.sourceId);
  expect(state.cursor).toBe(cursor);
  expect(state.lastError).toMatch(code);
}

describe('bad input never moves the cursor and never crashes the bot', () => {
  it('refuses a cut-off board page (truncated HTML)', async () => {
    const board = await new FakeBoard().start();
    cleanup.push(() => board.close());
    const pipeline = await pipelineFor(board.url);
    await pipeline.pollOnce();
    board.publish('잘린 페이지에 걸친 글');
    board.fault = 'truncated';
    await expectRefused(pipeline, /UNPARSEABLE.*cut off/, 1652);
    board.fault = null;
    expect(await pipeline.pollOnce()).toMatchObject({ announced: [1653] });
  });

  it('refuses a page with no board table', async () => {
    const source = await new SwitchableSource().start();
    cleanup.push(() => source.server!.close());
    source.serve = (res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(fixture('kpc-esg-board/list-page-1.html'));
    const pipeline = await pipelineFor(source.url);
    await pipeline.pollOnce();
    source.serve = (res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<html><body><h1>점검 중입니다</h1><table><tr><td>공지</td></tr></table></body></html>',
        );
    await expectRefused(pipeline, /NOT_A_SOURCE/, 1652);
  });

  it.each([
    [
      'invalid XML',
      '<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title></item>',
    ],
    [
      'an XML entity-expansion attack',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://x.org/?no=999999999</link></item></channel></rss>`,
    ],
  ])('refuses %s as UNPARSEABLE without expanding anything', async (_case, body) => {
    const { source, pipeline, cursor } = await readGoodFeedFirst();
    source.serve = xml(body);
    const before = process.memoryUsage().rss;
    await expectRefused(pipeline, /UNPARSEABLE/, cursor);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect(await pipeline.archive.get(pipeline.sourceId, 999_999_999)).toBeNull();
  });

  it('refuses a 50 MB body without reading it all', async () => {
    const { source, pipeline, cursor } = await readGoodFeedFirst();
    let sent = 0;
    source.serve = (res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(256 * 1024, ' ');
      const write = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('error', () => undefined);
      res.on('close', () => undefined);
      write();
    };
    await expectRefused(pipeline, /TOO_LARGE/, cursor);
    expect(sent).toBeLessThan(50 * 1024 * 1024);
  });

  it('reads a feed whose charset header is wrong by what its bytes are', async () => {
    const source = await new SwitchableSource().start();
    cleanup.push(() => source.server!.close());
    // EUC-KR bytes announced as UTF-8.
    source.serve = xml(
      fixture('generic-feeds/pressrelease.euc-kr.xml'),
      'application/rss+xml; charset=utf-8',
    );
    const pipeline = await pipelineFor(source.url);
    await pipeline.pollOnce();
    const newest = await pipeline.archive.newest(pipeline.sourceId, 10);
    expect(newest.map((p) => p.title)).toContain(
      '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다',
    );
    expect(newest.every((p) => !p.title.includes('\uFFFD'))).toBe(true);
  });

  it('archives a feed of 10,000 items and alerts only the newest 100 when they all appear at once', async () => {
    const source = await new SwitchableSource().start();
    cleanup.push(() => source.server!.close());
    source.serve = xml(feedOf(10_000, 100_000));
    const slack = new RecordingNotifier('slack');
    // Every item considered: the cap on items per read is tested with the hostile sources.
    const pipeline = await pipelineFor(source.url, slack, { SOURCE_MAX_ITEMS: '10000' });
    expect(await pipeline.pollOnce()).toMatchObject({ status: 'initialized', archived: 10_000 });

    source.serve = xml(feedOf(10_000, 200_000));
    expect(await pipeline.pollOnce()).toMatchObject({ status: 'read', archivedOnly: 9_900 });
    await pipeline.drain(60_000);
    expect(slack.sent).toHaveLength(100);
    expect(slack.sent[0]!.boardNo).toBe(209_900);
    expect(await pipeline.archive.get(pipeline.sourceId, 200_000)).not.toBeNull();
    expect((await pipeline.states.get(pipeline.sourceId)).cursor).toBe(209_999);
  }, 60_000);
});
