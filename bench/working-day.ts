/**
 * The working-day benchmark: one simulated weekday of press releases at realistic times
 * against the three sources, polled with the default rhythm (busy office hours) and with a
 * fixed interval all day: requests per source per day, and how long a release waits from its
 * publication to its alert.
 */
import { parseConfig } from '../src/config/config.js';
import { rhythmOf } from '../src/config/config-polling.js';
import { formatWindow, isBusyAt } from '../src/model/poll-hours.js';
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
  /** Korea time (HH:MM) of the API's first refused call in the day, or null. */
  firstRefusal: string | null;
  /** Korea time (HH:MM) the API was next asked after it, or null (not by 00:30). */
  askedAgain: string | null;
  reads: Record<SimSource, number>;
  failedPolls: Record<SimSource, number>;
  /** From publication to the first alert by any of the three sources. */
  first: Latency;
  /** The same, for releases published inside the default busy hours, and outside them. */
  firstBusy: Latency;
  firstQuiet: Latency;
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
  /** Approved yesterday, public at 06:00 today (조간). */
  fromYesterday: number;
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
    fromYesterday: releases.filter((r) => r.approvedAt < dayStart && inDay(r.publishedAt)).length,
    onFeed: releases.filter((r) => r.onFeed && inDay(r.publishedAt)).length,
    onBoard: releases.filter((r) => inDay(r.boardAt)).length,
    defaultRhythm: await runRhythm(releases, 'default'),
    fixed: await runRhythm(releases, 'fixed'),
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

type Plan = 'default' | 'fixed';

/**
 * The rhythms compared. `default`: each source's as the configuration gives it with no polling
 * variable set (the API's may space its calls rather than its reads). `fixed`: the bot before
 * busy hours, every source read every `POLL_INTERVAL` whatever a read costs: the global rhythm
 * with `POLL_BUSY_HOURS=off`, for all three.
 */
function rhythmsOf(plan: Plan) {
  const config = parseConfig(plan === 'default' ? SOURCES_ENV : { POLL_BUSY_HOURS: 'off' });
  const rhythmOfSource = (s: SimSource) =>
    plan === 'default'
      ? rhythmOf(config.pollRhythms, SOURCE_NAMES[s], 'config')
      : config.pollRhythms.global;
  const rhythms = Object.fromEntries(SIM_SOURCES.map((s) => [s, rhythmOfSource(s)])) as Record<
    SimSource,
    PollRhythm
  >;
  return { config, rhythms };
}

async function runRhythm(releases: SimRelease[], plan: Plan): Promise<RhythmDay> {
  const { config, rhythms } = rhythmsOf(plan);
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
  const firstAlerts = (list: SimRelease[]) =>
    list.flatMap((r) => {
      const times = SIM_SOURCES.flatMap((s) => record.announced[s].get(r.newsId) ?? []);
      return times.length === 0 ? [] : [Math.min(...times) - r.publishedAt];
    });
  const first = firstAlerts(published);
  const busyHours = parseConfig({}).pollRhythms.global.windows;
  const busy = (r: SimRelease) => isBusyAt(busyHours, new Date(r.publishedAt));
  return {
    requests: record.requests,
    refusedApiCalls: record.refusedApiCalls,
    firstRefusal: koreaClock(record.firstRefusalAt),
    askedAgain: koreaClock(record.askedAgainAt),
    reads: record.reads,
    failedPolls: record.failedPolls,
    first: summary(first),
    firstBusy: summary(firstAlerts(published.filter(busy))),
    firstQuiet: summary(firstAlerts(published.filter((r) => !busy(r)))),
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

const koreaClock = (at: number | null) =>
  at === null ? null : new Date(at + 9 * 3_600_000).toISOString().slice(11, 16);

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
  const ratio = (a: number, b: number) =>
    b === 0 || Number.isNaN(a) || Number.isNaN(b) ? '–' : `×${round(a / b, 2)}`;
  const min = (n: number) => (Number.isNaN(n) ? '–' : `${round(n, 1)} min`);
  const requestRow = (s: SimSource) =>
    `| requests a day, ${LABELS[s]} | **${thousands(d.requests[s])}** | ${thousands(f.requests[s])} | ${ratio(d.requests[s], f.requests[s])} |`;
  const latencyRows = (key: 'first' | 'firstBusy' | 'firstQuiet' | SimSource, label: string) =>
    [
      `| ${label}, median (${d[key].n} releases) | **${min(d[key].median)}** | ${min(f[key].median)} | ${ratio(d[key].median, f[key].median)} |`,
      `| ${label}, p95 | **${min(d[key].p95)}** | ${min(f[key].p95)} | ${ratio(d[key].p95, f[key].p95)} |`,
    ].join('\n');
  const both = (pick: (day: RhythmDay) => Record<SimSource, number>) =>
    SIM_SOURCES.map((s) => `${LABELS[s]} ${pick(d)[s]} / ${pick(f)[s]}`).join(', ');
  const [minDelay, maxDelay] = RELEASE_DAY.repostDelayMinutes;
  const [open, close] = RELEASE_DAY.officeHours;
  const [early, morning, afternoon, late] = RELEASE_DAY.approvals;
  const day = new Date(WORKING_DAY.dayStart + 9 * 3_600_000).toISOString().slice(0, 10);
  return `## A working day of releases: the default rhythm against a fixed interval

One simulated Tuesday (${day}, Korea time) on a virtual clock: the real readers and \`pollSource\`
(Redis stores under a prefix of their own) read local fakes of the 정책브리핑 API, one ministry's
korea.kr feed and the ESG board at every scheduler tick, aligned to multiples of the tick as
BullMQ's \`every\` runs a poll job. Default rhythm (no polling variable set): ${rhythmsText('default')}.
Fixed, as before busy hours (\`POLL_BUSY_HOURS=off\`, every read whatever its pages): ${rhythmsText('fixed')}.

The day, from a seeded generator (the same in every run): ${RELEASE_DAY.releases} releases approved on the API, ${pct(morning.share)}
of them 09:00–11:30, ${pct(afternoon.share)} 13:30–18:00, ${pct(early.share)} 07:00–08:00 and ${pct(late.share)} 20:00–23:00; ${pct(RELEASE_DAY.eveningPaperShare)} of the
morning's are 석간 (held to 12:00), ${pct(RELEASE_DAY.morningPaperShare)} of the later ones 조간 (held to 06:00 the next day: ${run.heldPastDay} of
today's are held all day and not measured). Yesterday was a weekday like it: its releases fill
the API's window (yesterday and today), and its ${run.fromYesterday} 조간 come out at 06:00. ${run.published} releases became
public in the day; ${run.onFeed} of them are ${RELEASE_DAY.followedMinistry}'s, on its feed from publication; the board
reposted ${run.onBoard}, ${minDelay}–${maxDelay} minutes after publication and only ${open}:00–${close}:00. A poll takes no virtual time: a
release waits only for the next poll that reads it.

| a working day | default rhythm | fixed | default / fixed |
| --- | --- | --- | --- |
${SIM_SOURCES.map(requestRow).join('\n')}
${latencyRows('first', 'publication to alert')}
${latencyRows('firstBusy', 'published in busy hours')}
${latencyRows('firstQuiet', 'published outside them')}
${latencyRows('api', 'the API alone')}
${latencyRows('feed', 'the feed alone')}
${latencyRows('board', 'the board alone, from its repost')}

- Requests are what each fake received from 00:00 to 24:00 (the API's: the calls its gateway
  counted that day, refused ones included); the board's include each new post's own page.
  Reads (polls that asked the source), default / fixed: ${both((r) => r.reads)}.
  Failed polls: ${both((r) => r.failedPolls)}.
- ${quotaLine('default rhythm', d)} ${quotaLine('fixed', f)}
- "Publication to alert" is what a channel following all three sees: the bot sends one alert
  per release, when the first source announces it (the API carries every release at once, the
  feed the ministry's as early, the board later). Releases public in the day not alerted by
  00:30: ${d.unalerted} default, ${f.unalerted} fixed.
- The simulation took ${round(d.wallMs / 1000, 1)} s (default) and ${round(f.wallMs / 1000, 1)} s (fixed) of wall-clock time. The same
  figures in every run: ${same ? 'yes' : 'no'}.
`;
}

const LABELS: Record<SimSource, string> = {
  api: 'the API',
  feed: 'the feed',
  board: 'the board',
};

/** Each source's rhythm, the sources that share one named together. */
function rhythmsText(plan: Plan): string {
  const { rhythms } = rhythmsOf(plan);
  const bySource = new Map<string, SimSource[]>();
  for (const s of SIM_SOURCES) {
    const text = describe(rhythms[s]);
    bySource.set(text, [...(bySource.get(text) ?? []), s]);
  }
  if (bySource.size === 1) return `${[...bySource.keys()][0]}, for all three`;
  return [...bySource]
    .map(([text, sources]) => `${sources.map((s) => LABELS[s]).join(' and ')} ${text}`)
    .join('; ');
}

function quotaLine(label: string, day: RhythmDay): string {
  if (day.firstRefusal === null) return `${capitalized(label)}: the API's daily quota held.`;
  const again =
    day.askedAgain === null ? 'not asked again by 00:30' : `asked again at ${day.askedAgain}`;
  const calls = day.refusedApiCalls === 1 ? 'call' : 'calls';
  return `${capitalized(label)}: the API's key ran out of its daily quota at ${day.firstRefusal} (${day.refusedApiCalls} ${calls} refused), ${again}; a release published in between waited for that read unless the feed or the board had it.`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function withoutWall(run: WorkingDayRun) {
  return {
    ...run,
    defaultRhythm: { ...run.defaultRhythm, wallMs: 0 },
    fixed: { ...run.fixed, wallMs: 0 },
  };
}

function describe(rhythm: PollRhythm): string {
  const unit = rhythm.perRequest
    ? ', counted in requests (a read of n pages waits n intervals)'
    : '';
  if (rhythm.windows.length === 0 || rhythm.busyMs === rhythm.quietMs) {
    return `every ${spoken(rhythm.quietMs)}${unit}`;
  }
  return `every ${spoken(rhythm.busyMs)} ${rhythm.windows.map(formatWindow).join(', ')}, else ${spoken(rhythm.quietMs)}${unit}`;
}

const pct = (share: number) => `${Math.round(share * 100)} %`;
