import { afterAll } from 'vitest';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import { PressReleaseApiSource } from '../../adapters/sources/press-release-api/press-release-source.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakePressReleaseApi } from '../support/fake-press-release-api.js';
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
    conditional: true,
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
      conditional: true,
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

/** The 정책브리핑 API: releases known by their newsId, read with the operator's key. */
function apiHarness(): SourceKindHarness {
  const api = new FakePressReleaseApi();
  api.issueKey('contract-key+/=');
  // Published a minute apart, so "newest" is never a tie.
  let at = Date.now() - 3_600_000;
  const publish = (title: string, fields = {}) =>
    api.publish(title, { approvedAt: (at += 60_000), ...fields });
  publish('기존 보도자료 1');
  publish('기존 보도자료 2');
  return {
    kind: 'api',
    completesFromPostPage: false,
    conditional: false,
    start: async () => void (await api.start()),
    close: () => api.close(),
    source: () =>
      new PressReleaseApiSource('briefing', api.url, {
        ...readOptions,
        serviceKey: 'contract-key+/=',
      }),
    publish: (title) => void publish(title),
    retitleNewest: (title) => {
      const newest = api.releases.reduce((a, b) => (b.approvedAt > a.approvedAt ? b : a));
      api.update(newest.newsId, { title });
    },
    publishMalformed: (title) => void publish(title, { withoutId: true }),
    cutOff: (on) => {
      api.truncated = on;
    },
  };
}

const KINDS: Array<[string, () => SourceKindHarness]> = [
  ['board (the KPC board, saved markup)', boardHarness],
  ['feed (RSS 2.0)', feedHarness('rss')],
  ['feed (Atom)', feedHarness('atom')],
  ['api (정책브리핑 보도자료, data.go.kr)', apiHarness],
];

for (const [name, harness] of KINDS) newsSourceContract(name, harness);
