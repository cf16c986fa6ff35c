import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { PressReleaseApiSource } from '../../adapters/sources/press-release-api/press-release-source.js';
import { pollSource } from '../../src/pipeline/poll/poll-source.js';
import { parseConfig } from '../../src/config/config.js';
import { DAILY_POLL_BUDGET, schedulerTick } from '../../src/model/poll-rhythm.js';
import type { PollDeps } from '../../src/pipeline/poll/poll-types.js';
import type { Post } from '../../src/model/post.js';
import { MemoryItemNumbers } from '../doubles/memory-item-numbers.js';
import { MemoryPostArchive } from '../doubles/memory-post-archive.js';
import { MemorySourceStateStore } from '../doubles/memory-source-state-store.js';
import { FakePressReleaseApi } from '../support/fake-press-release-api.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * The 정책브리핑 API through `pollSource`, on one injected clock for the fake, the reader and
 * the poll: releases under embargo are held until their 보도시점, and an updated release (`U`)
 * edits the alert of the one announced.
 */

const parser = new ParseSandbox();
afterAll(() => parser.close());

const KEY = 'poll-key+/==';
const SOURCE = 'briefing';
/** 2026-12-08 10:00 in Korea. */
const NOW = Date.parse('2026-12-08T01:00:00Z');
const HOUR = 3_600_000;

describe('the 정책브리핑 API polled', () => {
  let clock: ManualClock;
  let api: FakePressReleaseApi;
  let archive: MemoryPostArchive;
  let announced: Post[][];
  let corrected: Post[][];
  let deps: PollDeps;

  beforeEach(async () => {
    clock = new ManualClock(NOW);
    api = await new FakePressReleaseApi(() => clock.ms).start();
    api.issueKey(KEY);
    archive = new MemoryPostArchive();
    announced = [];
    corrected = [];
    deps = {
      source: new PressReleaseApiSource(SOURCE, api.url, {
        parser,
        timeoutMs: 5_000,
        maxBytes: 5 * 1024 * 1024,
        retries: 0,
        retryDelayMs: 0,
        userAgent: 'esg-news-bot/test',
        serviceKey: KEY,
        now: () => clock.ms,
      }),
      archive,
      states: new MemorySourceStateStore(),
      itemNumbers: new MemoryItemNumbers(),
      // As the fan-out does: an announced post is archived with when it was handed on.
      announce: async (posts) => {
        announced.push(posts);
        await archive.save(posts.map((post) => ({ ...post, announcedAt: clock.ms })));
      },
      announceCorrections: (posts) => {
        corrected.push(posts);
        return Promise.resolve();
      },
      logger: pino({ level: 'silent' }),
      now: clock.now,
    };
  });
  afterEach(() => api.close());

  const poll = () => pollSource(deps);
  const announcedTitles = () => announced.flat().map((p) => p.title);

  it('holds a release under embargo, unarchived, and announces it once when the embargo lifts', async () => {
    api.publish('이미 나온 보도자료', { approvedAt: NOW - HOUR });
    expect(await poll()).toMatchObject({ status: 'initialized', archived: 1 });

    const embargoAt = NOW + 3 * HOUR;
    const release = api.publish('엠바고 보도자료', { approvedAt: NOW + 10 * 60_000, embargoAt });
    clock.advance(HOUR);
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    expect(await archive.get(SOURCE, Number(release.newsId))).toBeNull();
    expect(await archive.search(SOURCE, ['엠바고'], 5)).toEqual([]);

    clock.set(embargoAt);
    expect(await poll()).toMatchObject({ status: 'read', announced: [Number(release.newsId)] });
    expect(announced.flat()).toEqual([
      expect.objectContaining({
        title: '엠바고 보도자료',
        boardNo: Number(release.newsId),
        releaseId: release.newsId,
        embargoAt,
      }),
    ]);
    expect(await archive.get(SOURCE, Number(release.newsId))).toMatchObject({ embargoAt });

    clock.advance(5 * 60_000);
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    expect(announcedTitles()).toEqual(['엠바고 보도자료']);
  });

  it('announces a release held over a weekend on Monday, reaching back to the day it was approved', async () => {
    const kst = (local: string) => Date.parse(`${local}+09:00`);
    clock.set(kst('2026-12-11T10:00:00')); // Friday
    api.publish('이미 나온 보도자료', { approvedAt: kst('2026-12-11T09:00:00') });
    expect(await poll()).toMatchObject({ status: 'initialized' });
    const monday = api.publish('월요일 조간 보도자료', {
      approvedAt: kst('2026-12-11T15:00:00'),
      embargoAt: kst('2026-12-14T06:00:00'),
    });
    for (const at of ['2026-12-11T16:00:00', '2026-12-12T10:00:00', '2026-12-13T10:00:00']) {
      clock.set(kst(at));
      expect(await poll()).toMatchObject({ status: 'read', announced: [] });
      expect((await deps.states.get(SOURCE)).heldFrom).toBe('20261211');
    }
    clock.set(kst('2026-12-14T06:01:00')); // Monday: Friday is out of the usual two days
    const before = api.requests.length;
    expect(await poll()).toMatchObject({ status: 'read', announced: [Number(monday.newsId)] });
    const windows = api.requests
      .slice(before)
      .map((r) => `${r.params.startDate}-${r.params.endDate}`);
    expect(windows).toEqual(['20261213-20261214', '20261211-20261212']);
    expect((await deps.states.get(SOURCE)).heldFrom).toBeUndefined();
    // Nothing held any more: back to the usual two days, one call.
    clock.set(kst('2026-12-14T06:10:00'));
    const after = api.requests.length;
    await poll();
    expect(api.requests.length - after).toBe(1);
  });

  it('keeps a release’s identity from I to U: the update edits its alert, and is no new alert', async () => {
    api.publish('첫 보도자료', { approvedAt: NOW - HOUR });
    await poll();
    const release = api.publish('오타 있는 제목', { approvedAt: NOW });
    clock.advance(5 * 60_000);
    await poll();
    expect(announcedTitles()).toEqual(['오타 있는 제목']);

    clock.advance(30 * 60_000);
    api.update(release.newsId, { title: '오타 고친 제목', ministry: '산업통상부' });
    clock.advance(5 * 60_000);
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    expect(announcedTitles()).toEqual(['오타 있는 제목']);
    expect(corrected.flat()).toEqual([
      expect.objectContaining({
        boardNo: Number(release.newsId),
        title: '오타 고친 제목',
        ministry: '산업통상부',
      }),
    ]);
    expect(await archive.get(SOURCE, Number(release.newsId))).toMatchObject({
      title: '오타 고친 제목',
    });
  });

  it('defers the source until midnight in Korea once the day’s calls are spent', async () => {
    api.dailyQuota = 1;
    await poll();
    clock.advance(5 * 60_000);
    await expect(poll()).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    const state = await deps.states.get(SOURCE);
    expect(state.notBefore?.toISOString()).toBe('2026-12-08T15:00:00.000Z');
    expect(state.lastError).toMatch(/^QUOTA_EXCEEDED: .*serviceKey=\*\*\*/);
    expect(state.lastError).not.toContain('poll-key');
    clock.set(Date.parse('2026-12-08T14:00:00Z'));
    expect(await poll()).toMatchObject({ status: 'deferred' });
    clock.set(Date.parse('2026-12-08T15:00:00Z'));
    expect(await poll()).toMatchObject({ status: 'read' });
  });

  it('spaces its calls, not its reads, when a read takes several pages: the day stays within the key’s quota', async () => {
    const rhythm = parseConfig({
      SOURCES: `briefing=${api.url}`,
      DATA_GO_KR_SERVICE_KEY: KEY,
    }).pollRhythms.bySource.get('briefing')!;
    expect(rhythm.perRequest).toBe(true);
    deps = { ...deps, rhythm };
    // 250 releases in the window: three pages of 100 each read.
    for (let i = 0; i < 250; i++) api.publish(`보도자료 ${i}`, { approvedAt: NOW - HOUR + i });
    // A weekday from midnight, one scheduler tick (a minute) at a time, as BullMQ runs it.
    const day = Date.parse('2026-12-07T15:00:00Z'); // Tuesday 2026-12-08 00:00 KST
    clock.set(day);
    const tick = schedulerTick(rhythm);
    for (let at = day; at < day + 24 * HOUR; at += tick) {
      clock.set(at);
      await poll();
    }
    const calls = api.callsOn('20261208');
    expect(api.requests.filter((r) => r.day === '20261208').every((r) => r.answered === '00')).toBe(
      true,
    );
    // Three calls a read: a third of the reads a one-page day would make, calls within budget.
    expect(calls).toBeLessThanOrEqual(DAILY_POLL_BUDGET);
    expect(calls).toBeGreaterThan(DAILY_POLL_BUDGET * 0.8);
    expect(calls % 3).toBe(0);
  });

  it('obeys a busy interval the operator chose, whatever it costs', () => {
    const rhythm = parseConfig({
      SOURCES: `briefing=${api.url}#busy=1m`,
      DATA_GO_KR_SERVICE_KEY: KEY,
    }).pollRhythms.bySource.get('briefing')!;
    expect(rhythm.perRequest).toBeUndefined();
    const global = parseConfig({
      SOURCES: `briefing=${api.url}`,
      DATA_GO_KR_SERVICE_KEY: KEY,
      POLL_BUSY_INTERVAL: '2m',
    }).pollRhythms.bySource.get('briefing')!;
    expect(global.perRequest).toBeUndefined();
  });
});
