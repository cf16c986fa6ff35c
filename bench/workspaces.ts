/**
 * Benchmark 9: one new post to 5,000 Slack channels spread over 500 workspaces installed
 * through OAuth (each with its own token), against a fake Slack that enforces 10 messages/s
 * per workspace and 1/s per channel and answers every call after 100 ms. Run with
 * `npx tsx bench/workspaces.ts [workers] [concurrency]` alone, or as part of `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisSlackInstallations } from '../adapters/slack/redis-slack-installations.js';
import { TokenCipher } from '../src/util/token-cipher.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { cpus } from 'node:os';
import { startBuiltBot, type BotProcess } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { DEFAULTS } from './defaults.js';
import { idlePercent, machineTicks } from './process-stats.js';
import { thousands } from './report-format.js';
import { median, round } from './stats.js';

export const WORKSPACES = {
  workspaces: 500,
  channelsPerWorkspace: 10,
  perWorkspacePerSecond: 10,
  perChannelPerSecond: 1,
  latencyMs: 100,
};

/**
 * Deliveries in flight per worker (`DELIVERY_CONCURRENCY`): with 100 ms a call, it bounds
 * each worker's rate. The default, and 200, which lets one worker use its core.
 */
export const CONCURRENCIES = [DEFAULTS.deliveryConcurrency, 200] as const;

/** What the section checks: the best rate, time against the minimum, share of calls answered 429. */
export const WORKSPACES_AIMS = { perSecond: 1_000, ratio: 1.1, share429: 0.005 } as const;

export interface WorkspacesRun {
  workers: number;
  concurrency: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
  /** What Slack's limits and latency allow, however many calls are in flight. */
  platformMinimumSeconds: number;
  /** What `concurrency` calls in flight per worker allow at 100 ms a call. */
  concurrencyMinimumSeconds: number;
  /** seconds ÷ the larger of the two minimums. */
  ratio: number;
  calls: number;
  rejected429: number;
  share429: number;
  lost: number;
  peakRssMb: number;
  /** The workers' CPU time from the poll to the last delivery, over the deliveries. */
  cpuMsPerDelivery: number;
  /** The workers' CPU time over the same span, per worker, as a share of one core. */
  cpuPercentPerWorker: number;
  /** How much of all the machine's cores' time went unused over the span. */
  machineIdlePercent: number;
}

export async function runWorkspaces(
  workers: number,
  concurrency: number,
  build: Build = THIS_BUILD,
): Promise<WorkspacesRun> {
  const w = WORKSPACES;
  const board = await new FakeBoard().start();
  const slack = await new FakeSlack().start();
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  const key = randomBytes(32);
  const installations = new RedisSlackInstallations(
    pipeline.redis,
    pipeline.keys,
    new TokenCipher(key),
  );
  const bots: BotProcess[] = [];
  try {
    const teams = Array.from({ length: w.workspaces }, (_, i) => `T${String(i).padStart(5, '0')}`);
    await Promise.all(
      teams.map(async (team) => {
        const token = `xoxb-${team}-${randomBytes(8).toString('hex')}`;
        slack.addTeam(team, token);
        await installations.storeInstallation({
          team: { id: team, name: team },
          enterprise: undefined,
          bot: { token, scopes: ['chat:write'], id: 'BBOT', userId: 'UBOT' },
          user: { token: undefined, scopes: undefined, id: 'U-installer' },
          isEnterpriseInstall: false,
          authVersion: 'v2',
        });
        for (let c = 0; c < w.channelsPerWorkspace; c++) {
          slack.addChannel(team, `C${team}-${c}`);
          await pipeline.subscriptions.subscribe(pipeline.sourceId, {
            platform: 'slack',
            workspaceId: team,
            channelId: `C${team}-${c}`,
            keywords: [],
            createdAt: new Date().toISOString(),
          });
        }
      }),
    );
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: pipeline.prefix,
      FEED_URL: board.url,
      HOST: '127.0.0.1',
      PORT: '0',
      POLL_INTERVAL: '1h',
      // The same polling at any hour (no busy hours), so runs compare.
      POLL_BUSY_HOURS: 'off',
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: 'bench-client-secret',
      SLACK_STATE_SECRET: 'bench-state-secret-0123456789',
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      TOKEN_ENCRYPTION_KEY: key.toString('hex'),
      SLACK_API_URL: slack.apiUrl,
      SLACK_WORKSPACE_RATE_LIMIT: String(w.perWorkspacePerSecond),
      DELIVERY_CONCURRENCY: String(concurrency),
    };
    for (let i = 0; i < workers; i++) bots.push(await startBuiltBot('worker', env, build));
    await pipeline.pollOnce();
    board.publish('벤치마크: 500개 워크스페이스로 가는 새 글');
    await sleep(200);
    // Limits and latency from here on: the setup above is not measured.
    slack.limits = {
      perWorkspacePerSecond: w.perWorkspacePerSecond,
      perChannelPerSecond: w.perChannelPerSecond,
      latencyMs: w.latencyMs,
    };

    const total = w.workspaces * w.channelsPerWorkspace;
    const cpuBefore = bots.map((b) => b.cpuSeconds());
    const ticksBefore = machineTicks();
    const started = Date.now();
    await pipeline.pollOnce();
    await waitFor('every delivery', () => slack.posted.length >= total, 600_000);
    const ticksAfter = machineTicks();
    const cpu = bots.reduce((sum, b, i) => sum + b.cpuSeconds() - cpuBefore[i]!, 0);
    const seconds = (slack.lastPostAt - started) / 1000;
    await pipeline.drain(60_000);
    // Each workspace's messages fit its window at once, so the limits cost one window at most
    // when a workspace has more channels than its rate; latency adds one call's time.
    const perWorkspaceWindows = Math.ceil(w.channelsPerWorkspace / w.perWorkspacePerSecond) - 1;
    const platformMinimumSeconds = perWorkspaceWindows + w.latencyMs / 1000;
    const concurrencyMinimumSeconds = (total * w.latencyMs) / 1000 / (concurrency * workers);
    const calls = slack.callCount('chat.postMessage');
    return {
      workers,
      concurrency,
      deliveries: slack.posted.length,
      seconds,
      perSecond: total / seconds,
      platformMinimumSeconds,
      concurrencyMinimumSeconds,
      ratio: seconds / Math.max(platformMinimumSeconds, concurrencyMinimumSeconds),
      calls,
      rejected429: slack.rejected429,
      share429: slack.rejected429 / calls,
      lost: total - new Set(slack.posted.map((p) => p.channel)).size,
      peakRssMb: Math.max(...bots.map((b) => b.peakRssMb())),
      cpuMsPerDelivery: (cpu * 1000) / slack.posted.length,
      cpuPercentPerWorker: (100 * cpu) / seconds / workers,
      machineIdlePercent: idlePercent(ticksBefore, ticksAfter),
    };
  } finally {
    for (const bot of bots) await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), slack.close()]);
  }
}

/** The benchmark's section of BENCHMARKS.md: runs per concurrency and number of workers. */
export function renderWorkspaces(groups: WorkspacesRun[][]): string {
  const w = WORKSPACES;
  const aims = WORKSPACES_AIMS;
  const rows = groups.map((runs) => {
    const first = runs[0]!;
    const at = (pick: (x: WorkspacesRun) => number) => median(runs.map(pick));
    return {
      first,
      rate: at((x) => x.perSecond),
      cpuPercent: at((x) => x.cpuPercentPerWorker),
      idle: at((x) => x.machineIdlePercent),
      line: `| ${first.concurrency} | ${first.workers} | **${round(
        at((x) => x.perSecond),
        0,
      )}** | ${round(
        at((x) => x.seconds),
        2,
      )} s | ${round(Math.max(first.platformMinimumSeconds, first.concurrencyMinimumSeconds), 2)} s | ×${round(
        at((x) => x.ratio),
        2,
      )} | ${round(100 * at((x) => x.share429), 2)} % | ${Math.max(...runs.map((x) => x.lost))} | ${round(
        at((x) => x.peakRssMb),
        0,
      )} MB | ${round(
        at((x) => x.cpuMsPerDelivery),
        2,
      )} ms | ${round(
        at((x) => x.cpuPercentPerWorker),
        0,
      )} % | ${runs.map((x) => round(x.perSecond, 0)).join(', ')} |`,
    };
  });
  const find = (concurrency: number, workers: number) =>
    rows.find((x) => x.first.concurrency === concurrency && x.first.workers === workers);
  const scaling = (concurrency: number) => {
    const one = find(concurrency, 1);
    const two = find(concurrency, 2);
    return one && two ? round(two.rate / one.rate, 2) : NaN;
  };
  const [usual, high] = CONCURRENCIES;
  const usualOne = find(usual, 1)?.first;
  const callsBound =
    usualOne && usualOne.concurrencyMinimumSeconds > usualOne.platformMinimumSeconds
      ? ', where the calls in flight bound each worker'
      : '';
  const best = Math.max(...rows.map((x) => x.rate));
  const bestRatio = Math.min(...groups.map((runs) => median(runs.map((x) => x.ratio))));
  const share = Math.max(...groups.flat().map((x) => x.share429));
  return `## 9. One post to ${thousands(w.workspaces * w.channelsPerWorkspace)} Slack channels over ${w.workspaces} workspaces (OAuth mode)

Each workspace installed through OAuth with its own bot token (stored encrypted), ${w.channelsPerWorkspace} channels each.
The fake Slack enforces ${w.perWorkspacePerSecond} messages/s per workspace and ${w.perChannelPerSecond}/s per channel (429 with Retry-After
beyond), and answers every call after ${w.latencyMs} ms. The workers keep the limits themselves, in Redis
(\`SLACK_WORKSPACE_RATE_LIMIT=${w.perWorkspacePerSecond}\`). "Minimum" is the larger of what Slack's limits and latency allow
(${w.latencyMs} ms: each workspace's ${w.channelsPerWorkspace} messages fit one window) and what the calls in flight allow
(${thousands(w.workspaces * w.channelsPerWorkspace)} calls × ${w.latencyMs} ms ÷ workers × \`DELIVERY_CONCURRENCY\`). CPU is the workers' own (\`/proc\`), from
the poll to the last delivery: per delivery, and per worker as a share of one core.

| concurrency | workers | deliveries/s | time | minimum | ratio | 429s | lost | peak RSS | CPU per delivery | CPU per worker | runs (deliveries/s) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.map((x) => x.line).join('\n')}

- 2 workers against 1: **×${scaling(usual)}** at the default concurrency ${usual}${callsBound};
  **×${scaling(high)}** at ${high}, where one worker was on a core ${round(find(high, 1)?.cpuPercent ?? NaN, 0)} % of the time and
  the second shares the machine's ${cpus().length} cores with Redis and the fake Slack (idle ${round(find(high, 2)?.idle ?? NaN, 0)} % of
  the time during those runs).
- Aim ≥ ${thousands(aims.perSecond)} deliveries/s: ${best >= aims.perSecond ? 'met' : `**missed** (best median ${round(best, 0)}/s)`}. Aim within ${aims.ratio}× of the minimum:
  ${bestRatio <= aims.ratio ? 'met' : `**missed** (×${round(bestRatio, 2)} at best)`}. Aim < ${round(aims.share429 * 100, 2)} % of calls answered 429: ${share < aims.share429 ? 'met' : '**missed**'} (${round(100 * share, 2)} % at most).
- What is left above the minimum is the workers' own CPU (the table's CPU columns; the limiter
  adds one Redis script per message) on cores they share with Redis and the fake Slack.
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const workers = Number(process.argv[2] ?? 1);
  const concurrency = Number(process.argv[3] ?? 50);
  console.log(JSON.stringify(await runWorkspaces(workers, concurrency)));
  process.exit(0);
}
