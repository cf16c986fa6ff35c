import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import { parseConfig } from '../../src/config/config.js';
import {
  DAILY_QUOTA,
  pollsPerDay,
  schedulerTick,
  type PollRhythm,
} from '../../src/model/poll-rhythm.js';
import { pollSource } from '../../src/pipeline/poll/poll-source.js';
import type { PollDeps, PollOutcome } from '../../src/pipeline/poll/poll-types.js';
import { FeedServer } from '../support/feed-server.js';
import { FakeClock } from '../doubles/fake-clock.js';
import { MemoryItemNumbers } from '../doubles/memory-item-numbers.js';
import { MemoryPostArchive } from '../doubles/memory-post-archive.js';
import { MemorySourceStateStore } from '../doubles/memory-source-state-store.js';

/**
 * The real `pollSource` over real HTTP against a local feed, on an injected clock stepped one
 * scheduler tick at a time as BullMQ's job scheduler would run the source's poll job.
 */

/** A Korea-time instant: 2026-12-07 is a Monday. */
const kst = (local: string) => new Date(`${local}+09:00`);
/** The rhythm the configuration gives by default: office hours every minute, else every 5. */
const DEFAULT_RHYTHM = parseConfig({}).pollRhythms.global;
const FIXED_5_MINUTES = parseConfig({ POLL_BUSY_HOURS: 'off' }).pollRhythms.global;

const parser = new ParseSandbox();
afterAll(() => parser.close());
const fetchOptions: SourceReadOptions = {
  parser,
  timeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  retries: 0,
  retryDelayMs: 0,
  userAgent: 'esg-news-bot/test',
};

let feed: FeedServer;
let clock: FakeClock;
let states: MemorySourceStateStore;
let announcedAt: Array<{ title: string; at: string }>;
let deps: PollDeps;

beforeEach(async () => {
  feed = await new FeedServer().start();
  feed.items = [{ title: '첫 보도자료', guid: 'g-0', date: kst('2026-12-06T09:00:00') }];
  clock = new FakeClock(kst('2026-12-07T00:00:00'));
  states = new MemorySourceStateStore();
  announcedAt = [];
  deps = {
    source: new UrlSource(feed.url, fetchOptions, 'me'),
    archive: new MemoryPostArchive(),
    states,
    itemNumbers: new MemoryItemNumbers(),
    announce: (posts) => {
      for (const post of posts) announcedAt.push({ title: post.title, at: koreaTime(clock.now()) });
      return Promise.resolve();
    },
    logger: pino({ level: 'silent' }),
    now: clock.now,
    rhythm: DEFAULT_RHYTHM,
  };
});

afterEach(() => feed.close());

function koreaTime(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(11, 16);
}

/**
 * Runs the source's poll job at every tick from `from` (included) to `to` (excluded), first
 * calling `before` at each; returns the Korea times of the polls that asked the source.
 */
async function runTicks(
  from: Date,
  to: Date,
  before: (at: Date) => void = () => undefined,
): Promise<{ asked: string[]; outcomes: PollOutcome['status'][] }> {
  const tick = schedulerTick(deps.rhythm!);
  const asked: string[] = [];
  const outcomes: PollOutcome['status'][] = [];
  for (let at = from.getTime(); at < to.getTime(); at += tick) {
    clock.set(at);
    before(clock.now());
    const requests = feed.requests.length;
    let outcome: PollOutcome['status'];
    try {
      outcome = (await pollSource(deps)).status;
    } catch {
      outcome = 'read'; // a failed read asked the source too; counted by its request below
    }
    outcomes.push(outcome);
    if (feed.requests.length > requests) asked.push(koreaTime(clock.now()));
  }
  return { asked, outcomes };
}

describe('the due check of a poll', () => {
  it('polls at every tick in busy hours', async () => {
    const { asked } = await runTicks(kst('2026-12-07T10:00:00'), kst('2026-12-07T10:05:00'));
    expect(asked).toEqual(['10:00', '10:01', '10:02', '10:03', '10:04']);
  });

  it('skips ticks as not due until the quiet interval has passed, asking nothing', async () => {
    const { asked, outcomes } = await runTicks(
      kst('2026-12-07T06:00:00'),
      kst('2026-12-07T06:11:00'),
    );
    expect(asked).toEqual(['06:00', '06:05', '06:10']);
    expect(outcomes.filter((status) => status === 'not-due')).toHaveLength(8);
    // A skipped tick records nothing: the last read is the 06:10 one.
    expect((await states.get('me')).lastSuccessAt).toEqual(kst('2026-12-07T06:10:00'));
    clock.set(kst('2026-12-07T06:12:00'));
    expect(await pollSource(deps)).toEqual({
      status: 'not-due',
      dueAt: kst('2026-12-07T06:14:30').toISOString(),
    });
  });

  it('speeds up at once when a window opens and slows down when it closes', async () => {
    const morning = await runTicks(kst('2026-12-07T07:52:00'), kst('2026-12-07T08:03:00'));
    expect(morning.asked).toEqual(['07:52', '07:57', '08:00', '08:01', '08:02']);
    // Friday evening: the last busy poll at 19:59, then every five minutes from it.
    const evening = await runTicks(kst('2026-12-11T19:57:00'), kst('2026-12-11T20:10:00'));
    expect(evening.asked).toEqual(['19:57', '19:58', '19:59', '20:04', '20:09']);
  });

  it('backs a failing source off from the interval in force', async () => {
    await runTicks(kst('2026-12-07T10:00:00'), kst('2026-12-07T10:01:00'));
    feed.fault = { status: 503 };
    const { asked } = await runTicks(kst('2026-12-07T10:01:00'), kst('2026-12-07T10:12:00'));
    // The back-off lasts as long as the failures have, from one busy minute (quiet hours would
    // start at five): reads one, one, two, four minutes apart.
    expect(asked).toEqual(['10:01', '10:02', '10:03', '10:05', '10:09']);
  });
});

describe('a whole simulated day', () => {
  it('asks the source as often as the default rhythm implies, within the daily quota', async () => {
    const published = (title: string, guid: string, at: Date) => () =>
      feed.items.unshift({ title, guid, date: at });
    const news = [
      { at: kst('2026-12-07T14:00:30'), add: published('오후 보도자료', 'g-1', new Date()) },
      { at: kst('2026-12-07T21:00:30'), add: published('저녁 보도자료', 'g-2', new Date()) },
    ];
    const { asked, outcomes } = await runTicks(
      kst('2026-12-07T00:00:00'),
      kst('2026-12-08T00:00:00'),
      (at) => {
        while (news[0] && news[0].at <= at) news.shift()!.add();
      },
    );
    // 8 h before 08:00 and 4 h after 20:00 every 5 minutes, 12 h every minute: 96 + 720 + 48.
    expect(asked).toHaveLength(864);
    expect(asked).toHaveLength(pollsPerDay(DEFAULT_RHYTHM));
    expect(asked.length).toBeLessThan(DAILY_QUOTA);
    expect(feed.requests).toHaveLength(864);
    expect(outcomes).toHaveLength(1_440);
    expect(outcomes.filter((status) => status === 'not-due')).toHaveLength(1_440 - 864);
    // News in office hours is out within the minute; in the evening within five.
    expect(announcedAt).toEqual([
      { title: '오후 보도자료', at: '14:01' },
      { title: '저녁 보도자료', at: '21:04' },
    ]);
  });

  it('asks every five minutes all day with a fixed interval', async () => {
    deps.rhythm = FIXED_5_MINUTES;
    const { asked, outcomes } = await runTicks(
      kst('2026-12-07T00:00:00'),
      kst('2026-12-08T00:00:00'),
    );
    expect(asked).toHaveLength(288);
    expect(asked).toHaveLength(pollsPerDay(FIXED_5_MINUTES));
    expect(outcomes).not.toContain('not-due');
  });

  it('asks every five minutes on a Saturday with the default rhythm', async () => {
    const { asked } = await runTicks(kst('2026-12-12T00:00:00'), kst('2026-12-13T00:00:00'));
    expect(asked).toHaveLength(288);
  });
});

describe('a rhythm with explicit intervals', () => {
  it('obeys them, whatever the budget', async () => {
    const rhythm: PollRhythm = { ...DEFAULT_RHYTHM, busyMs: 30_000 };
    deps.rhythm = rhythm;
    const { asked } = await runTicks(kst('2026-12-07T10:00:00'), kst('2026-12-07T10:02:00'));
    expect(asked).toEqual(['10:00', '10:00', '10:01', '10:01']);
    expect(pollsPerDay(rhythm)).toBe(1_440 + 144);
  });
});
