import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBoardList, parseBoardPost } from '../../../adapters/sources/board-parser.js';
import { parseFeed } from '../../../adapters/sources/feed-parser.js';
import type { DocumentBody } from '../../../adapters/sources/parse-jobs.js';
import {
  DocumentParseError,
  ParseRefusedError,
  ParseSandbox,
  type ParseSandboxOptions,
} from '../../../adapters/sources/parse-sandbox.js';
import { fixture, fixtureText } from '../../support/fixtures.js';
import { hostileSource } from '../../support/hostile-sources.js';
import { startHttpServer } from '../../support/http-server.js';
import { waitFor } from '../../support/wait.js';

const NOW = Date.parse('2026-11-20T03:00:00Z');
const FEED_URL = 'https://www.korea.kr/rss/pressrelease.xml';

let sandboxes: ParseSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  sandboxes = [];
});

function sandbox(options: ParseSandboxOptions = {}): ParseSandbox {
  const created = new ParseSandbox(options);
  sandboxes.push(created);
  return created;
}

function body(text: string | Buffer, contentType = 'text/html; charset=utf-8'): DocumentBody {
  return { bytes: Buffer.from(text), contentType, url: 'https://example.org/board/list' };
}

/** A small post page, parsed in a moment whatever the machine's load. */
const POST = body('<div class="post-content"><p>(기후에너지환경부, 2026.11.20)</p></div>');

/** Markup whose parse costs far more than any deadline here (the board parser's HTML
 * tokenizer is quadratic in the attributes of one tag). */
const costly = () => body(hostileSource('board-many-attributes').body());

/** The refusal a promise ended in. */
async function refusal(parse: Promise<unknown>): Promise<ParseRefusedError> {
  const error: unknown = await parse.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParseRefusedError);
  return error as ParseRefusedError;
}

describe('the parse sandbox', () => {
  it('gives the same feed, board list and post page as the parsers in this thread, as plain data', async () => {
    const parser = sandbox();
    const xml = fixture('korea-kr/pressrelease.xml');
    expect(
      await parser.parseFeed({
        ...body(xml, 'application/rss+xml; charset=utf-8'),
        url: FEED_URL,
        sourceId: 'korea',
        maxItems: 1_000,
        now: NOW,
      }),
    ).toEqual(await parseFeed(xml.toString('utf8'), 'korea', FEED_URL, new Date(NOW)));

    const list = fixtureText('kpc-esg-board/list-page-1.html');
    expect(
      await parser.parseBoardList({ ...body(list), page: 1, maxRows: 1_000, now: NOW }),
    ).toEqual(parseBoardList(list, 'https://example.org/board/list', 1, new Date(NOW)));

    const post = fixtureText('kpc-esg-board/post-4391.html');
    expect(await parser.parseBoardPost(body(post))).toEqual(
      parseBoardPost(post, 'https://example.org/board/list'),
    );
  });

  it('decodes the bytes by the charset the document declares', async () => {
    const details = await sandbox().parseFeed({
      ...body(fixture('generic-feeds/pressrelease.euc-kr.xml'), 'text/xml'),
      sourceId: 'korea',
      maxItems: 100,
      now: NOW,
    });
    expect(details.items.length).toBeGreaterThan(0);
    for (const item of details.items) expect(item.post.title).toMatch(/[가-힣]/);
  });

  it('passes on the parser’s own refusal as what it is, not a cost', async () => {
    const parse = sandbox().parseFeed({
      ...body('<rss><channel><item><title>cut', 'application/xml'),
      sourceId: 's',
      maxItems: 10,
      now: NOW,
    });
    const error: unknown = await parse.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DocumentParseError);
    expect((error as Error).message).toMatch(/\S/);
  });

  it('refuses a parse past its deadline, and the next parse gets a fresh worker', async () => {
    const parser = sandbox({ deadlineMs: 500 });
    const refused = await refusal(
      parser.parseBoardList({ ...costly(), page: 1, maxRows: 10, now: NOW }),
    );
    expect(refused).toMatchObject({
      refusal: 'deadline',
      detail: 'took more than 500 ms to parse',
    });
    expect(await parser.parseBoardPost(POST)).toEqual({
      ministry: '기후에너지환경부',
      originalUrl: null,
    });
  });

  it('ends a worker left idle, and starts another for the next parse', async () => {
    const parser = sandbox({ idleMs: 20 });
    expect(parser.alive).toBe(false);
    await parser.parseBoardPost(POST);
    await waitFor('the idle worker to end', () => !parser.alive);
    expect(await parser.parseBoardPost(POST)).toEqual({
      ministry: '기후에너지환경부',
      originalUrl: null,
    });
  });

  it('refuses markup nested too deeply for the stack, and goes on parsing', async () => {
    const parser = sandbox({ deadlineMs: 60_000 });
    const atom = hostileSource('atom-xhtml-deep').body();
    const refused = await refusal(
      parser.parseFeed({
        ...body(atom, 'application/atom+xml'),
        sourceId: 's',
        maxItems: 10,
        now: NOW,
      }),
    );
    expect(refused).toMatchObject({ refusal: 'stack', detail: 'nests too deeply to parse' });
    expect((await parser.parseBoardPost(POST)).ministry).toBe('기후에너지환경부');
  });

  it('refuses a document that needs more memory than the worker has, and goes on parsing', async () => {
    // A 4 MiB attribute needs well over 128 MB of heap to parse.
    const parser = sandbox({ deadlineMs: 60_000, resourceLimits: { maxOldGenerationSizeMb: 96 } });
    const feed = hostileSource('feed-huge-attribute').body();
    const refused = await refusal(
      parser.parseFeed({ ...body(feed, 'application/xml'), sourceId: 's', maxItems: 10, now: NOW }),
    );
    expect(refused).toMatchObject({ refusal: 'memory', detail: 'needed more than 96 MB to parse' });
    expect((await parser.parseBoardPost(POST)).ministry).toBe('기후에너지환경부');
  });

  it('keeps this thread’s event loop answering while it parses', async () => {
    const parser = sandbox({ deadlineMs: 60_000 });
    // Started, and ready: what follows happens while the costly parse runs.
    await parser.parseBoardPost(POST);
    let settled = false;
    const outcome = parser.parseBoardList({ ...costly(), page: 1, maxRows: 10, now: NOW }).then(
      () => 'read',
      (error: Error) => error.message,
    );
    void outcome.finally(() => (settled = true));
    const server = await startHttpServer((_req, res) => res.end('pong'));
    try {
      expect(await (await fetch(server.url)).text()).toBe('pong');
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      await server.close();
    }
    expect(settled).toBe(false);
    await parser.close();
    expect(await outcome).toBe('the parse sandbox is closed');
  });

  it('runs the jobs one at a time, in the order they came', async () => {
    const parser = sandbox();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        parser
          .parseBoardPost(body(`<div class="post-content"><p>(부처${n}, 2026.11.20)</p></div>`))
          .then((details) => order.push(Number(details.ministry?.slice(2)))),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
  });

  it('closes once however often asked, refusing what waits and anything asked later', async () => {
    const parser = sandbox();
    const outcomes = Promise.all(
      [parser.parseBoardPost(POST), parser.parseBoardPost(POST)].map((parse) =>
        parse.then(
          () => 'read',
          (error: Error) => error.message,
        ),
      ),
    );
    await Promise.all([parser.close(), parser.close()]);
    expect(await outcomes).toEqual(['the parse sandbox is closed', 'the parse sandbox is closed']);
    await expect(parser.parseBoardPost(POST)).rejects.toThrow('the parse sandbox is closed');
  });

  it('does not keep a process alive once idle', async () => {
    const script = fileURLToPath(new URL('../../support/parse-once.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, output }).toEqual({ code: 0, output: '환경부\n' });
  });
});
