/**
 * The working-day benchmark: one simulated weekday of press releases at realistic times
 * against the three sources, polled with the default rhythm (busy office hours) and with a
 * fixed interval all day: requests per source per day, and how long a release waits from its
 * publication to its alert.
 */
import { parseConfig } from '../src/config/config.js';
import { rhythmOf } from '../src/config/config-polling.js';
import { formatWindow } from '../src/model/poll-hours.js';
import type { PollRhythm } from '../src/model/poll-rhythm.js';
import { PRESS_RELEASE_API_URL } from '../src/sources/press-release-api.js';
import { RELEASE_DAY, releaseDay } from './release-day.js';
import { spoken, thousands } from './report-format.js';
import { median, percentile, round } from './stats.js';
import {
  BOARD_NEWS_ID_BASE,
  nextBoardPostId,
  simulateDay,
  SIM_SOURCES,
  type DayRecord,
  type SimRelease,
  type SimSource,
} from './working-day-sim.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The simulated day: a Tuesday, so that the API's window (yesterday and today) holds a weekday's releases twice over by the evening, as on most weekdays. */
export const WORKING_DAY = {
  dayStart: Date.parse('2026-12-08T00:00:00+09:00'),
  seed: 20_261_208,
  yesterdaySeed: 20_261_207,
  /** Polls go on past midnight for this long, so that a late release is not cut off. */
  overrunMs: 30 * MINUTE,
};

/** The sources as configured: the rhythm each gets is the configuration's own answer. */
const SOURCES_ENV = {
  SOURCES: `esg=https://k-esg.org/post korea-mcee=https://www.korea.kr/rss/dept_mcee.xml briefing=${PRESS_RELEASE_API_URL}`,
  DATA_GO_KR_SERVICE_KEY: 'working-day-bench-placeholder',
};
const SOURCE_NAMES: Record<SimSource, string> = {
  api: 'briefing',
  feed: 'korea-mcee',
  board: 'esg',
};

interface Latency {
  /** Releases measured. */
  n: number;
  /** Minutes. */
  median: number;
  p95: number;
  max: number;
}

export interface RhythmDay {
  requests: Record<SimSource, number>;
  refusedApiCalls: number;
  failedPolls: Record<SimSource, number>;
  /** From publication to the first alert by any of the three sources. */
  first: Latency;
  /** Each source alone: the board's from its repost. */
  api: Latency;
  feed: Latency;
  board: Latency;
  /** Releases published in the day that no source announced by the end of the overrun. */
  unalerted: number;
  strays: number;
  wallMs: number;
}

export interface WorkingDayRun {
  /** Releases that became public in the day (approved, or their embargo lifting). */
  published: number;
  /** Approved in the day, held by a 조간 embargo past it. */
  heldPastDay: number;
  onFeed: number;
  onBoard: number;
  defaultRhythm: RhythmDay;
  fixed: RhythmDay;
}

export async function runWorkingDay(): Promise<WorkingDayRun> {
  const releases = workingDayReleases();
  const { dayStart } = WORKING_DAY;
  const inDay = (at: number | null) => at !== null && at >= dayStart && at < dayStart + DAY;
  return {
    published: releases.filter((r) => inDay(r.publishedAt)).length,
    heldPastDay: releases.filter((r) => inDay(r.approvedAt) && r.publishedAt >= dayStart + DAY)
      .length,
    onFeed: releases.filter((r) => r.onFeed && inDay(r.publishedAt)).length,
    onBoard: releases.filter((r) => inDay(r.boardAt)).length,
    defaultRhythm: await runRhythm(releases, {}),
    fixed: await runRhythm(releases, { POLL_BUSY_HOURS: 'off' }),
  };
}

/**
 * Yesterday's and today's releases, each with the newsId its sources name it by: the board's
 * reposts, in the order they are posted, get the ids the fake board's posts link to.
 */
function workingDayReleases(): SimRelease[] {
  const { dayStart, seed, yesterdaySeed } = WORKING_DAY;
  const releases = [...releaseDay(dayStart - DAY, yesterdaySeed), ...releaseDay(dayStart, seed)];
  const reposted = releases.filter((r) => r.boardAt !== null);
  reposted.sort((a, b) => a.boardAt! - b.boardAt!);
  const ids = new Map<(typeof releases)[number], string>();
  let postId = nextBoardPostId();
  for (const release of reposted) ids.set(release, String(BOARD_NEWS_ID_BASE + postId++));
  let otherId = BOARD_NEWS_ID_BASE + 100_000;
  return releases.map((r) => ({ ...r, newsId: ids.get(r) ?? String(otherId++) }));
}

function rhythmsOf(extraEnv: Record<string, string>) {
  const config = parseConfig({ ...SOURCES_ENV, ...extraEnv });
  const rhythms = Object.fromEntries(
    SIM_SOURCES.map((s) => [s, rhythmOf(config.pollRhythms, SOURCE_NAMES[s], 'config')]),
  ) as Record<SimSource, PollRhythm>;
  return { config, rhythms };
}

async function runRhythm(
  releases: SimRelease[],
  extraEnv: Record<string, string>,
): Promise<RhythmDay> {
  const { config, rhythms } = rhythmsOf(extraEnv);
  const started = performance.now();
  const record = await simulateDay({
    dayStart: WORKING_DAY.dayStart,
    releases,
    rhythms,
    pollIntervalMs: config.pollIntervalMs,
    maxAgeMs: config.sourceMaxAgeMs,
    overrunMs: WORKING_DAY.overrunMs,
  });
  return { ...latencies(releases, record), wallMs: Math.round(performance.now() - started) };
}

function latencies(releases: SimRelease[], record: DayRecord): Omit<RhythmDay, 'wallMs'> {
  const { dayStart } = WORKING_DAY;
  const inDay = (at: number | null): at is number =>
    at !== null && at >= dayStart && at < dayStart + DAY;
  const published = releases.filter((r) => inDay(r.publishedAt));
  const waits = (list: SimRelease[], source: SimSource, from: (r: SimRelease) => number) =>
    list.flatMap((r) => {
      const at = record.announced[source].get(r.newsId);
      return at === undefined ? [] : [at - from(r)];
    });
  const first = published.flatMap((r) => {
    const times = SIM_SOURCES.flatMap((s) => record.announced[s].get(r.newsId) ?? []);
    return times.length === 0 ? [] : [Math.min(...times) - r.publishedAt];
  });
  return {
    requests: record.requests,
    refusedApiCalls: record.refusedApiCalls,
    failedPolls: record.failedPolls,
    first: summary(first),
    api: summary(waits(published, 'api', (r) => r.publishedAt)),
    feed: summary(
      waits(
        published.filter((r) => r.onFeed),
        'feed',
        (r) => r.publishedAt,
      ),
    ),
    board: summary(
      waits(
        releases.filter((r) => inDay(r.boardAt)),
        'board',
        (r) => r.boardAt!,
      ),
    ),
    unalerted: published.length - first.length,
    strays: record.strays,
  };
}

function summary(waitsMs: number[]): Latency {
  if (waitsMs.length === 0) return { n: 0, median: NaN, p95: NaN, max: NaN };
  const minutes = waitsMs.map((ms) => ms / MINUTE);
  return {
    n: minutes.length,
    median: round(median(minutes), 2),
    p95: round(percentile(minutes, 95), 2),
    max: round(Math.max(...minutes), 2),
  };
}

/** The benchmark's section of BENCHMARKS.md: the first run, and whether every run matched it. */
export function renderWorkingDay(runs: WorkingDayRun[]): string {
  const run = runs[0]!;
  const { defaultRhythm: d, fixed: f } = run;
  const same = runs.every(
    (r) => JSON.stringify(withoutWall(r)) === JSON.stringify(withoutWall(run)),
  );
  const { rhythms: defaults } = rhythmsOf({});
  const { rhythms: fixedRhythms } = rhythmsOf({ POLL_BUSY_HOURS: 'off' });
  const ratio = (a: number, b: number) => (b === 0 ? '–' : `×${round(a / b, 2)}`);
  const min = (n: number) => (Number.isNaN(n) ? '–' : `${round(n, 1)} min`);
  const requestRow = (s: SimSource, label: string) =>
    `| requests a day, ${label} | **${thousands(d.requests[s])}** | ${thousands(f.requests[s])} | ${ratio(d.requests[s], f.requests[s])} |`;
  const latencyRows = (key: 'first' | SimSource, label: string) =>
    [
      `| ${label}, median (${d[key].n} releases) | **${min(d[key].median)}** | ${min(f[key].median)} | ${ratio(d[key].median, f[key].median)} |`,
      `| ${label}, p95 | **${min(d[key].p95)}** | ${min(f[key].p95)} | ${ratio(d[key].p95, f[key].p95)} |`,
    ].join('\n');
  const [minDelay, maxDelay] = RELEASE_DAY.repostDelayMinutes;
  const [open, close] = RELEASE_DAY.officeHours;
  return `## A working day of releases: the default rhythm against a fixed interval

One simulated Tuesday (${new Date(WORKING_DAY.dayStart + 9 * 3_600_000).toISOString().slice(0, 10)}, Korea time) on a virtual clock: the real readers and \`pollSource\`
(Redis stores under a prefix of their own) read the local fakes of the three sources at every
scheduler tick, aligned to multiples of the tick as BullMQ's \`every\` runs a poll job, with
${describe(defaults.api)} (the default, for all three) and with ${describe(fixedRhythms.api)} (\`POLL_BUSY_HOURS=off\`).
The day (a seeded generator, the same in every run): ${RELEASE_DAY.releases} releases approved on the 정책브리핑 API,
${pct(RELEASE_DAY.approvals[1].share)} of them 09:00–11:30, ${pct(RELEASE_DAY.approvals[2].share)} 13:30–18:00, ${pct(RELEASE_DAY.approvals[0].share)} 07:00–08:00 and ${pct(RELEASE_DAY.approvals[3].share)} 20:00–23:00;
${pct(RELEASE_DAY.eveningPaperShare)} of the morning's are 석간 (held to 12:00) and ${pct(RELEASE_DAY.morningPaperShare)} of the later ones 조간 (held to 06:00 the
next day: ${run.heldPastDay} of today's are held all day and not measured, while yesterday's ${RELEASE_DAY.releases} bring their 조간
out at 06:00). ${run.published} releases became public in the day; ${run.onFeed} of them are ${RELEASE_DAY.followedMinistry}'s, also on its
korea.kr feed when published, and the ESG board reposted ${run.onBoard} releases ${minDelay}–${maxDelay} minutes after publication,
${open}:00–${close}:00 only. A poll takes no virtual time: a release waits only for the next poll that reads it.

| a working day | ${describe(defaults.api)} | ${describe(fixedRhythms.api)} | default / fixed |
| --- | --- | --- | --- |
${requestRow('api', 'the 정책브리핑 API')}
${requestRow('feed', 'the korea.kr feed')}
${requestRow('board', 'the ESG board')}
${latencyRows('first', 'publication to alert')}
${latencyRows('api', 'the API alone')}
${latencyRows('feed', 'the feed alone')}
${latencyRows('board', 'the board alone, from its repost')}

- Requests are what each fake received from 00:00 to 24:00 (the API's: its calls counted that
  day, refused ones included: ${d.refusedApiCalls} with the default rhythm, ${f.refusedApiCalls} fixed); the board's include
  each new post's own page. Failed polls (default / fixed): the API ${d.failedPolls.api} / ${f.failedPolls.api}, the feed ${d.failedPolls.feed} / ${f.failedPolls.feed}, the board ${d.failedPolls.board} / ${f.failedPolls.board}.
- "Publication to alert" is what a channel following all three sees: the bot sends one alert per
  release, when the first source announces it (the API carries every release, the feed some as
  early, the board later). Releases public in the day never alerted by 00:30: ${d.unalerted} default, ${f.unalerted} fixed.
- The simulation took ${round(d.wallMs / 1000, 1)} s (default) and ${round(f.wallMs / 1000, 1)} s (fixed) of wall-clock time. The same
  figures in every run: ${same ? 'yes' : 'no'}.
`;
}

function withoutWall(run: WorkingDayRun) {
  return {
    ...run,
    defaultRhythm: { ...run.defaultRhythm, wallMs: 0 },
    fixed: { ...run.fixed, wallMs: 0 },
  };
}

function describe(rhythm: PollRhythm): string {
  if (rhythm.windows.length === 0 || rhythm.busyMs === rhythm.quietMs) {
    return `every ${spoken(rhythm.quietMs)}`;
  }
  return `every ${spoken(rhythm.busyMs)} ${rhythm.windows.map(formatWindow).join(', ')}, else ${spoken(rhythm.quietMs)}`;
}

const pct = (share: number) => `${Math.round(share * 100)} %`;
