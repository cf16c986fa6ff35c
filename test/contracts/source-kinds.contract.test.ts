import { afterAll } from 'vitest';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import { FakeBoard } from '../support/fake-board.js';
import { FeedServer } from '../support/feed-server.js';
import { newsSourceContract, type SourceKindHarness } from './news-source.contract.js';

/** Every source kind through the same contract: one line each in `KINDS`. */

const parser = new ParseSandbox();
afterAll(() => parser.close());

const readOptions: SourceReadOptions = {
  parser,
  timeoutMs: 5_000,
  maxBytes: 5 * 1024 * 1024,
  retries: 0,
  retryDelayMs: 0,
  userAgent: 'esg-news-bot/test',
};

/** The KPC board: a list page of numbered rows, and each post's own page for its ministry. */
function boardHarness(): SourceKindHarness {
  const board = new FakeBoard();
  return {
    kind: 'board',
    completesFromPostPage: true,
    start: async () => void (await board.start()),
    close: () => board.close(),
    source: () => new UrlSource(board.url, readOptions, 'esg'),
    publish: (title) => void board.publish(title),
    retitleNewest: (title) => board.correct(board.entries[0]!.boardNo, title),
    publishMalformed: (title) => {
      board.publish(title).href = 'javascript:alert(1)';
    },
    cutOff: (on) => {
      board.fault = on ? 'truncated' : null;
    },
  };
}

/** An RSS feed whose items carry their own number in the link (korea.kr's `newsId`). */
function feedHarness(format: 'rss' | 'atom'): () => SourceKindHarness {
  return () => {
    const feed = new FeedServer();
    feed.format = format;
    let next = 156_600_000;
    const item = (title: string, link?: string) => {
      next += 1;
      return {
        title,
        guid: `item-${next}`,
        link: link ?? `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${next}`,
        date: new Date(Date.UTC(2026, 11, 1) + next),
      };
    };
    feed.items = [item('기존 보도자료 1'), item('기존 보도자료 2')];
    return {
      kind: 'feed',
      completesFromPostPage: false,
      start: async () => void (await feed.start()),
      close: () => feed.close(),
      source: () => new UrlSource(feed.url, readOptions, 'feed'),
      publish: (title) => feed.items.unshift(item(title)),
      retitleNewest: (title) => {
        feed.items[0] = { ...feed.items[0]!, title };
      },
      publishMalformed: (title) => feed.items.unshift(item(title, 'javascript:alert(1)')),
      cutOff: (on) => {
        feed.truncated = on;
      },
    };
  };
}

const KINDS: Array<[string, () => SourceKindHarness]> = [
  ['board (the KPC board, saved markup)', boardHarness],
  ['feed (RSS 2.0)', feedHarness('rss')],
  ['feed (Atom)', feedHarness('atom')],
];

for (const [name, harness] of KINDS) newsSourceContract(name, harness);
