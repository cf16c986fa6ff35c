/**
 * Benchmark 1: one new post to 5,000 channels (2,500 Slack, 2,500 Discord) through the real
 * adapters, in built worker processes, against local fake APIs without latency or limits.
 */
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord } from '../test/support/fake-discord.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { subscribeChannels, workerEnv } from './bot-env.js';
import { startBuiltBot, type BotProcess } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { DEFAULTS } from './defaults.js';
import { idlePercent, machineTicks } from './process-stats.js';
import { listRuns, thousands, verdict } from './report-format.js';
import { median, round } from './stats.js';

export const FAN_OUT = { slack: 2_500, discord: 2_500 } as const;

/** What the section checks; the verdicts and the prose read the same numbers. */
export const FAN_OUT_AIMS = { perSecond: 1_000, peakRssMb: 250 } as const;

export interface FanOutRun {
  workers: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
  /** The largest peak RSS of the workers. */
  peakRssMb: number;
  /** The largest RSS of the workers just before the post: started, the board read once. */
  rssBeforeMb: number;
  /** The workers' CPU time from the poll to the last delivery, over the deliveries. */
  cpuMsPerDelivery: number;
  /** The workers' CPU time over the same span, as a share of one core. */
  workersCpuPercent: number;
  /** How much of all the machine's cores' time went unused over the span. */
  machineIdlePercent: number;
}

export async function runFanOut(workers: number, build: Build = THIS_BUILD): Promise<FanOutRun> {
  const board = await new FakeBoard().start();
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscord().start();
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  const bots: BotProcess[] = [];
  try {
    await subscribeChannels(pipeline, FAN_OUT);
    const env = {
      ...workerEnv({
        redisUrl: TEST_REDIS_URL,
        prefix: pipeline.prefix,
        boardUrl: board.url,
        slackApiUrl: slack.apiUrl,
        discordApiUrl: discord.apiUrl,
      }),
      SLACK_RATE_LIMIT: '0',
      DISCORD_RATE_LIMIT: '0',
    };
    for (let i = 0; i < workers; i++) bots.push(await startBuiltBot('worker', env, build));
    await pipeline.pollOnce();
    board.publish('벤치마크: 5,000개 채널로 가는 새 글');
    await sleep(200);

    const total = FAN_OUT.slack + FAN_OUT.discord;
    const delivered = () => slack.posted.length + discord.messages.size;
    const rssBeforeMb = Math.max(...bots.map((b) => b.rssMb()));
    const cpuBefore = bots.map((b) => b.cpuSeconds());
    const ticksBefore = machineTicks();
    const started = Date.now();
    await pipeline.pollOnce();
    await waitFor('every delivery', () => delivered() >= total, 300_000);
    const ticksAfter = machineTicks();
    const cpu = bots.reduce((sum, b, i) => sum + b.cpuSeconds() - cpuBefore[i]!, 0);
    const seconds = (Math.max(slack.lastPostAt, discord.lastPostAt) - started) / 1000;
    return {
      workers,
      deliveries: delivered(),
      seconds,
      perSecond: total / seconds,
      peakRssMb: Math.max(...bots.map((b) => b.peakRssMb())),
      rssBeforeMb,
      cpuMsPerDelivery: (cpu * 1000) / delivered(),
      workersCpuPercent: (100 * cpu) / seconds,
      machineIdlePercent: idlePercent(ticksBefore, ticksAfter),
    };
  } finally {
    for (const bot of bots) await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), slack.close(), discord.close()]);
  }
}

/** The benchmark's section of BENCHMARKS.md, from runs with one worker and with two. */
export function renderFanOut(one: FanOutRun[], two: FanOutRun[]): string {
  const aims = FAN_OUT_AIMS;
  const at = (runs: FanOutRun[], pick: (x: FanOutRun) => number) => median(runs.map(pick));
  const rate1 = at(one, (x) => x.perSecond);
  const rate2 = at(two, (x) => x.perSecond);
  const rss1 = at(one, (x) => x.peakRssMb);
  const idle2 = at(two, (x) => x.machineIdlePercent);
  const slowest = Math.min(...one.map((x) => x.perSecond));
  const fastest = Math.max(...one.map((x) => x.perSecond));
  const row = (runs: FanOutRun[], bold: boolean) => {
    const b = (text: string) => (bold ? `**${text}**` : text);
    return `| ${runs[0]!.workers} | ${b(
      String(
        round(
          at(runs, (x) => x.perSecond),
          0,
        ),
      ),
    )} | ${b(
      `${round(
        at(runs, (x) => x.peakRssMb),
        0,
      )} MB`,
    )} | ${round(
      at(runs, (x) => x.rssBeforeMb),
      0,
    )} MB | ${round(
      at(runs, (x) => x.cpuMsPerDelivery),
      2,
    )} ms | ${listRuns(
      runs.map((x) => x.perSecond),
      0,
    )} |`;
  };
  return `## 1. Fan-out: one new post to ${thousands(FAN_OUT.slack + FAN_OUT.discord)} channels (${thousands(FAN_OUT.slack)} Slack, ${thousands(FAN_OUT.discord)} Discord)

From the poll that found the post to the last delivery, through the real Slack and Discord
adapters against fakes with no latency and no rate limits (\`SLACK_RATE_LIMIT=0\`,
\`DISCORD_RATE_LIMIT=0\`: benchmark 2 measures the limits), \`DELIVERY_CONCURRENCY\` ${DEFAULTS.deliveryConcurrency} (the default).
RSS before the post is the worker's once started and the board read once; CPU is the
workers' own (\`/proc\`), from the poll to the last delivery, over the deliveries.

| workers | deliveries/s | peak RSS per worker | RSS before the post | workers' CPU per delivery | runs (deliveries/s) |
| --- | --- | --- | --- | --- | --- |
${row(one, true)}
${row(two, false)}

- Aim ≥ ${thousands(aims.perSecond)} deliveries/s: ${verdict(rate1 >= aims.perSecond)}${rate1 >= aims.perSecond ? '' : ` by ${round(aims.perSecond - rate1, 0)}/s (${round(100 - (100 * rate1) / aims.perSecond, 0)} %)`}. Aim peak RSS < ${aims.peakRssMb} MB: ${verdict(rss1 < aims.peakRssMb)}${rss1 < aims.peakRssMb ? '' : ` by ${round(rss1 - aims.peakRssMb, 0)} MB`}.
- One worker's runs went from ${round(slowest, 0)} to ${round(fastest, 0)}/s, ${round((100 * (fastest - slowest)) / rate1, 0)} % of their median apart.
- One worker was on a core ${round(
    at(one, (x) => x.workersCpuPercent),
    0,
  )} % of the fan-out's time (100 % is one core kept busy);
  the machine's ${cpus().length} cores were idle ${round(
    at(one, (x) => x.machineIdlePercent),
    0,
  )} % of it.
- Two workers against one: **×${round(rate2 / rate1, 2)}**. The workers share the machine's ${cpus().length} cores with
  Redis and with the benchmark's own fake Slack and Discord, which handle every request too;
  during the two-worker runs the cores were idle ${round(idle2, 0)} % of the time, so the figure measures
  how the workers fare against that contention, not what a second machine would add. On
  separate machines each worker adds its own cores; BullMQ spreads jobs across them and the
  per-channel turn keeps each channel's order.
- The peak RSS is the RSS before the post plus the heap of the deliveries in flight
  (\`DELIVERY_CONCURRENCY\` per worker).
`;
}
