/**
 * Benchmark: one new post to 1,000 webhook destinations spread over Teams, JANDI, Dooray! and
 * signed webhooks, each answering after 100 ms, in one built worker with the default
 * settings. Each destination takes one message, so no platform's per-URL limit binds: the
 * least time is the receivers' latency, and the bot's own concurrency sets a floor of its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisDestinationStore } from '../adapters/redis/redis-destination-store.js';
import { DESTINATION_WORKSPACE } from '../src/model/destination.js';
import type { Platform } from '../src/platforms/platform-registry.js';
import { TokenCipher } from '../src/util/token-cipher.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { startBuiltBot } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { DEFAULTS } from './defaults.js';
import { LatencyReceiver } from './latency-receiver.js';
import { listRuns } from './report-format.js';
import { median, round } from './stats.js';

export const DESTINATIONS = {
  count: 1_000,
  platforms: ['teams', 'jandi', 'dooray', 'webhook'] as const satisfies readonly Platform[],
  latencyMs: 100,
};

const KEY = Buffer.alloc(32, 0x5a);

export interface DestinationsRun {
  seconds: number;
  /** The receivers' latency: no faster is possible. */
  minimumSeconds: number;
  ratio: number;
  /** At the bot's delivery concurrency per platform queue, one process. */
  concurrencyFloorSeconds: number;
  requests: number;
  lost: number;
  peakRssMb: number;
}

export async function runDestinations(build: Build = THIS_BUILD): Promise<DestinationsRun> {
  const board = await new FakeBoard().start();
  const receiver = await new LatencyReceiver(DESTINATIONS.latencyMs).start();
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  const store = new RedisDestinationStore(pipeline.redis, pipeline.keys, new TokenCipher(KEY));
  const paths: string[] = [];
  for (let i = 0; i < DESTINATIONS.count; i++) {
    const platform = DESTINATIONS.platforms[i % DESTINATIONS.platforms.length]!;
    const name = `d${i}`;
    const path = `/${platform}/${name}`;
    paths.push(path);
    const channel = { platform, workspaceId: DESTINATION_WORKSPACE, channelId: name };
    await store.put(
      channel,
      {
        url: receiver.url(path),
        secret: platform === 'webhook' ? `bench-secret-${i}-0123456789` : null,
      },
      new Date(),
    );
    await pipeline.subscriptions.subscribe(pipeline.sourceId, {
      ...channel,
      keywords: [],
      createdAt: new Date().toISOString(),
    });
  }
  const bot = await startBuiltBot(
    'worker',
    {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: pipeline.prefix,
      FEED_URL: board.url,
      HOST: '127.0.0.1',
      PORT: '0',
      POLL_INTERVAL: '1h',
      // The same polling at any hour (no busy hours), so runs compare.
      POLL_BUSY_HOURS: 'off',
      TOKEN_ENCRYPTION_KEY: KEY.toString('hex'),
      // The receivers are on this machine.
      ALLOW_PRIVATE_DESTINATIONS: 'true',
    },
    build,
  );
  try {
    await pipeline.pollOnce();
    board.publish('벤치마크: 웹훅 목적지 1,000곳에 보내는 새 글');
    await sleep(200);
    const started = Date.now();
    await pipeline.pollOnce();
    await waitFor('every destination', () => receiver.firstAnswered.size >= paths.length, 300_000);
    await pipeline.drain(60_000);
    const seconds = (receiver.lastAnswered() - started) / 1000;
    const minimumSeconds = DESTINATIONS.latencyMs / 1000;
    const queues = DESTINATIONS.platforms.length;
    return {
      seconds,
      minimumSeconds,
      ratio: seconds / minimumSeconds,
      concurrencyFloorSeconds:
        (Math.ceil(DESTINATIONS.count / (queues * DEFAULTS.deliveryConcurrency)) *
          DESTINATIONS.latencyMs) /
        1000,
      requests: receiver.requests,
      lost: paths.length - receiver.firstAnswered.size,
      peakRssMb: bot.peakRssMb(),
    };
  } finally {
    await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), receiver.close()]);
  }
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runDestinations}. */
export function renderDestinations(runs: DestinationsRun[]): string {
  const d = DESTINATIONS;
  const seconds = median(runs.map((r) => r.seconds));
  const floor = runs[0]!.concurrencyFloorSeconds;
  return `## Webhook destinations

One post to ${d.count.toLocaleString('en')} webhook destinations, ${d.count / d.platforms.length} each on ${d.platforms.join(', ')}, every
one answering after ${d.latencyMs} ms, one worker with the default settings (\`DELIVERY_CONCURRENCY=${DEFAULTS.deliveryConcurrency}\` per
platform queue). Each destination takes one message, so no platform's per-URL limit binds: the
least time is one round trip, ${round(runs[0]!.minimumSeconds, 2)} s; the bot's concurrency alone allows ${round(floor, 2)} s
(${d.count.toLocaleString('en')} / (${d.platforms.length} queues × ${DEFAULTS.deliveryConcurrency}) round trips).

| total time | against the round trip | against the concurrency floor | requests | lost | worker peak RSS |
| --- | --- | --- | --- | --- | --- |
| ${round(seconds, 2)} s (runs: ${listRuns(
    runs.map((r) => r.seconds),
    2,
  )}) | ×${round(median(runs.map((r) => r.ratio)), 1)} | ×${round(seconds / floor, 2)} | ${median(
    runs.map((r) => r.requests),
  )} | ${Math.max(...runs.map((r) => r.lost))} | ${round(median(runs.map((r) => r.peakRssMb)), 0)} MB |
`;
}
