/**
 * Benchmark 9: one new post to 5,000 Slack channels spread over 500 workspaces installed
 * through OAuth (each with its own token), against a fake Slack that enforces 10 messages/s
 * per workspace and 1/s per channel and answers every call after 100 ms. Run with
 * `npx tsx bench/workspaces.ts [workers] [concurrency]` alone, or as part of `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisSlackInstallations } from '../adapters/slack/redis-slack-installations.js';
import { TokenCipher } from '../src/shared/token-cipher.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { startBuiltBot, type BotProcess } from './bot-process.js';

export const WORKSPACES = {
  workspaces: 500,
  channelsPerWorkspace: 10,
  perWorkspacePerSecond: 10,
  latencyMs: 100,
};

/**
 * Deliveries in flight per worker (`DELIVERY_CONCURRENCY`): with 100 ms a call, it bounds
 * each worker's rate. 50 is the default; 200 lets one worker use its core.
 */
export const CONCURRENCIES = [50, 200] as const;

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
}

export async function runWorkspaces(workers: number, concurrency: number): Promise<WorkspacesRun> {
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
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: 'bench-client-secret',
      SLACK_STATE_SECRET: 'bench-state-secret-0123456789',
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      TOKEN_ENCRYPTION_KEY: key.toString('hex'),
      SLACK_API_URL: slack.apiUrl,
      SLACK_WORKSPACE_RATE_LIMIT: String(w.perWorkspacePerSecond),
      DELIVERY_CONCURRENCY: String(concurrency),
    };
    for (let i = 0; i < workers; i++) bots.push(await startBuiltBot('worker', env));
    await pipeline.pollOnce();
    board.publish('벤치마크: 500개 워크스페이스로 가는 새 글');
    await sleep(200);
    // Limits and latency from here on: the setup above is not measured.
    slack.limits = {
      perWorkspacePerSecond: w.perWorkspacePerSecond,
      perChannelPerSecond: 1,
      latencyMs: w.latencyMs,
    };

    const total = w.workspaces * w.channelsPerWorkspace;
    const started = Date.now();
    await pipeline.pollOnce();
    await waitFor('every delivery', () => slack.posted.length >= total, 600_000);
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
    };
  } finally {
    for (const bot of bots) await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), slack.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const workers = Number(process.argv[2] ?? 1);
  const concurrency = Number(process.argv[3] ?? 50);
  console.log(JSON.stringify(await runWorkspaces(workers, concurrency)));
  process.exit(0);
}
