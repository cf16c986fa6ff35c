/**
 * Every benchmark of `npm run bench`, in BENCHMARKS.md's order: its name for `--only`, how it
 * runs and renders its section, and, for those that run the built bot in processes of their
 * own, what an A/B comparison (`--against`) measures on either build.
 */
import type { Build } from './build.js';
import { renderChurn, runChurningFeed } from './churning-feed.js';
import { CONCURRENT, renderCommands, runCommands } from './commands.js';
import { renderDestinations, runDestinations } from './destinations.js';
import { renderFanOut, runFanOut } from './fan-out.js';
import { MANY, renderManySources, runManySources } from './many-sources.js';
import { renderMemory, runMemory } from './memory.js';
import { renderMetricsScrape, runMetricsScrape } from './metrics-scrape.js';
import { renderParseCost, runParseCost } from './parse-cost.js';
import { renderPolling, runPolling } from './polling.js';
import { renderRateLimited, runRateLimited } from './rate-limits.js';
import { renderStartUp, runStartUp, timeStartUp } from './start-up.js';
import { renderTelegramChats, runTelegramChats } from './telegram-chats.js';
import { renderWorkingDay, runWorkingDay } from './working-day.js';
import { CONCURRENCIES, renderWorkspaces, runWorkspaces, WORKSPACES } from './workspaces.js';

export type Say = (text: string) => void;

/** One figure an A/B comparison reports for both builds. */
export interface AbFigure {
  key: string;
  label: string;
  unit: string;
  digits: number;
  better: 'higher' | 'lower';
}

/** What `--against` runs once per build and pair, reduced to the figures it compares. */
export interface AbCase {
  /** The case as the A/B table names it. */
  title: string;
  once(build: Build): Promise<Record<string, number>>;
  figures: AbFigure[];
}

export interface Benchmark {
  /** Its name on the command line. */
  name: string;
  /** Runs it `times` times on this tree's build; resolves with its section of the report. */
  section(times: number, say: Say): Promise<string>;
  /** Only benchmarks that start the built bot can run another commit's build. */
  ab?: AbCase;
}

/** Runs `run` `times` times in a row, saying each result as it comes. */
export async function repeat<T>(
  say: Say,
  name: string,
  times: number,
  run: () => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  for (let i = 1; i <= times; i++) {
    const result = await run();
    say(`${name} ${i}/${times}: ${JSON.stringify(result)}`);
    results.push(result);
  }
  return results;
}

const higher = (key: string, label: string, unit: string, digits: number): AbFigure => ({
  key,
  label,
  unit,
  digits,
  better: 'higher',
});
const lower = (key: string, label: string, unit: string, digits: number): AbFigure => ({
  key,
  label,
  unit,
  digits,
  better: 'lower',
});

export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'fan-out',
    section: async (times, say) =>
      renderFanOut(
        await repeat(say, 'fan-out, 1 worker', times, () => runFanOut(1)),
        await repeat(say, 'fan-out, 2 workers', times, () => runFanOut(2)),
      ),
    ab: {
      title: 'fan-out, 1 worker',
      once: async (build) => ({ ...(await runFanOut(1, build)) }),
      figures: [
        higher('perSecond', 'deliveries/s', '', 0),
        lower('cpuMsPerDelivery', 'worker CPU per delivery', ' ms', 3),
        lower('peakRssMb', 'peak RSS', ' MB', 0),
      ],
    },
  },
  {
    name: 'rate-limits',
    section: async (times, say) =>
      renderRateLimited(await repeat(say, 'under rate limits', times, () => runRateLimited())),
    ab: {
      title: 'under rate limits',
      once: async (build) => {
        const run = await runRateLimited(build);
        return { ratio: run.ratio, share429: 100 * run.share429, lost: run.lost };
      },
      figures: [
        lower('ratio', 'time against the minimum', '', 3),
        lower('share429', 'requests answered 429', ' %', 2),
        lower('lost', 'lost', '', 0),
      ],
    },
  },
  {
    name: 'destinations',
    section: async (times, say) =>
      renderDestinations(
        await repeat(say, '1,000 webhook destinations', times, () => runDestinations()),
      ),
  },
  {
    name: 'telegram',
    section: async (times, say) =>
      renderTelegramChats(
        await repeat(say, '1,000 Telegram chats', times, () => runTelegramChats()),
      ),
  },
  {
    name: 'commands',
    section: async (times, say) => {
      const result = await runCommands(times);
      result.rounds.forEach((run, i) => say(`commands ${i + 1}/${times}: ${JSON.stringify(run)}`));
      return renderCommands(result);
    },
    ab: {
      title: '`/news` commands',
      // One measured round per process: each pair starts both builds' bots afresh.
      once: async (build) => {
        const { cold, rounds } = await runCommands(1, build);
        return { ...rounds[0]!, coldP99: cold.p99 };
      },
      figures: [
        lower('p99', `p99, ${CONCURRENT} at once`, ' ms', 1),
        lower('p50', `p50, ${CONCURRENT} at once`, ' ms', 1),
        lower('sequentialP50', 'p50, one at a time', ' ms', 2),
        lower('cpuMsPerCommand', 'bot CPU per command', ' ms', 3),
        lower('coldP99', 'p99 of the cold round', ' ms', 1),
        lower('errors', 'errors', '', 0),
      ],
    },
  },
  {
    name: 'polling',
    section: async (times, say) =>
      renderPolling(await repeat(say, 'polling cost', times, () => runPolling())),
  },
  {
    name: 'working-day',
    section: async (times, say) =>
      renderWorkingDay(await repeat(say, 'a working day', times, () => runWorkingDay())),
  },
  {
    name: 'memory',
    section: async (times, say) =>
      renderMemory(await repeat(say, 'Redis memory', times, () => runMemory())),
  },
  {
    name: 'many-sources',
    section: async (times, say) =>
      renderManySources(
        await repeat(say, `${MANY.sources} idle sources`, times, () => runManySources()),
      ),
    ab: {
      title: 'idle sources',
      once: async (build) => {
        const run = await runManySources(build);
        return {
          redisCommandsPerPoll: run.redisCommandsPerPoll,
          idleCpuPercent: run.idleCpuPercent,
        };
      },
      figures: [
        lower('redisCommandsPerPoll', 'Redis commands per poll', '', 0),
        lower('idleCpuPercent', 'worker CPU while idle', ' %', 1),
      ],
    },
  },
  {
    name: 'start-up',
    // Start-up is short and noisy: more runs for a steadier median.
    section: async (times, say) =>
      renderStartUp(await repeat(say, 'start-to-healthy', Math.max(times, 5), () => runStartUp())),
    ab: {
      title: 'start-to-healthy',
      once: async (build) => ({
        npmStartMs: await timeStartUp('npmStartMs', build),
        nodeMs: await timeStartUp('nodeMs', build),
      }),
      figures: [lower('npmStartMs', '`npm start`', ' ms', 0), lower('nodeMs', '`node`', ' ms', 0)],
    },
  },
  {
    name: 'metrics-scrape',
    section: async (times, say) =>
      renderMetricsScrape(await repeat(say, 'metrics scrape', times, () => runMetricsScrape())),
    ab: {
      title: '`/metrics` scrape',
      once: async (build) => ({ ...(await runMetricsScrape(build)) }),
      figures: [
        lower('p50Ms', 'latency p50', ' ms', 1),
        lower('cpuMsPerScrape', 'bot CPU', ' ms', 1),
        lower('redisCommandsPerScrape', 'Redis commands', '', 0),
      ],
    },
  },
  {
    name: 'workspaces',
    section: async (times, say) => {
      const groups = [];
      for (const concurrency of CONCURRENCIES) {
        for (const workers of [1, 2]) {
          const name = `${WORKSPACES.workspaces} workspaces, ${workers} worker(s), concurrency ${concurrency}`;
          groups.push(await repeat(say, name, times, () => runWorkspaces(workers, concurrency)));
        }
      }
      return renderWorkspaces(groups);
    },
    ab: {
      title: `OAuth workspaces, 1 worker, concurrency ${CONCURRENCIES[0]}`,
      once: async (build) => ({ ...(await runWorkspaces(1, CONCURRENCIES[0], build)) }),
      figures: [
        higher('perSecond', 'deliveries/s', '', 0),
        lower('cpuMsPerDelivery', 'worker CPU per delivery', ' ms', 3),
      ],
    },
  },
  {
    name: 'parse-cost',
    section: async (times, say) =>
      renderParseCost(await repeat(say, 'hostile sources', times, () => runParseCost())),
  },
  {
    name: 'churning-feed',
    section: async (times, say) =>
      renderChurn(await repeat(say, 'churning feed', times, () => runChurningFeed())),
  },
];

export const BENCHMARK_NAMES = BENCHMARKS.map((b) => b.name);
