/**
 * Benchmark 5: what the bot keeps in Redis. 200 posts to 1,000 channels through the real
 * pipeline (poll, fan-out, delivery on BullMQ, in this process, alerts recorded in memory),
 * on a redis-server of its own so nothing else moves `used_memory`. Reports the growth per
 * archived post, per delivery while the delivery records are retained, and after the
 * retention has passed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { FakeBoard } from '../test/support/fake-board.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { PrivateRedis } from '../test/support/private-redis.js';
import { RecordingNotifier } from '../test/doubles/recording-notifier.js';
import { DEFAULTS } from './defaults.js';
import { listRuns, spoken, thousands, verdict } from './report-format.js';
import { median, round } from './stats.js';

const SENT_CLASS = 'sent alerts, for corrections (CORRECTION_WINDOW)';

export const MEMORY = { posts: 200, channels: 1_000, perPoll: 50, retentionSeconds: 15 } as const;

/** What the section checks, in bytes: per archived post, and per delivery record. */
export const MEMORY_AIMS = { perPost: 1_024, perRecord: 32 } as const;

/** A deployment to size the sent-alert memory for, at the default `CORRECTION_WINDOW`. */
export const CORRECTION_SCENARIO = { channels: 5_000, postsPerDay: 10 } as const;

/** Redis keys by what they hold, to show where the bytes are. */
const KEY_CLASSES: Array<[string, RegExp]> = [
  ['delivery records (settled bitmaps)', /:settled:/],
  [SENT_CLASS, /:sent:/],
  ['archive', /:(posts|post-numbers|post-text):/],
  ['per channel (subscription, number, last alert)', /:(subscriptions|channel-ids|channel-last)$/],
  ['queues (jobs, event streams)', /:(poll|fan-out|deliver-\w+|maintenance):/],
];

export interface MemoryRun {
  /** used_memory growth per archived post (archive only, no subscriber). */
  bytesPerPost: number;
  /** used_memory growth per delivery, archive growth taken out, while records are retained. */
  bytesPerRetainedDelivery: number;
  /**
   * What remembering where one alert went costs: MEMORY USAGE of the `sent` hashes still
   * there, over their fields (ids as long as Slack's `ts`).
   */
  bytesPerSentReference: number;
  /** The same once the retention has passed: what stays per delivery for good. */
  bytesPerDeliveryAfterRetention: number;
  /** MEMORY USAGE by class of key, while retained and after the retention. */
  keysRetained: Record<string, number>;
  keysAfterRetention: Record<string, number>;
  deliveries: number;
  /** `maxLen` of the queues' event streams, as the pipeline configures them. */
  eventStreamMaxLen: number | null;
  /** Alerts a channel got twice: must be 0. */
  duplicates: number;
  seconds: number;
}

export async function runMemory(): Promise<MemoryRun> {
  const redis = await PrivateRedis.start();
  const board = await new FakeBoard().start();
  const probe = new Redis(redis.url);
  const slack = new RecordingNotifier('slack');
  const pipeline = new PipelineHarness({
    feedUrl: board.url,
    redisUrl: redis.url,
    notifiers: [slack],
    env: {
      DELIVERY_GIVE_UP_AFTER: `${MEMORY.retentionSeconds}s`,
      DELIVERY_RECORD_TTL: `${MEMORY.retentionSeconds}s`,
      // 30 days by default; here as short as the records, so "after" shows what stays for good.
      CORRECTION_WINDOW: `${MEMORY.retentionSeconds}s`,
    },
  });
  const usedMemory = async () => {
    await sleep(300); // let the last replies and expiries settle
    return Number(/used_memory:(\d+)/.exec(await probe.info('memory'))?.[1]);
  };
  /** Bytes per remembered alert: MEMORY USAGE of the `sent` hashes over their fields. */
  const perSentReference = async () => {
    let bytes = 0;
    let fields = 0;
    for (const key of await probe.keys('*:sent:*')) {
      bytes += Number(await probe.memory('USAGE', key, 'SAMPLES', 0));
      fields += await probe.hlen(key);
    }
    return fields === 0 ? 0 : bytes / fields;
  };
  const byClass = async () => {
    const sizes: Record<string, number> = {};
    for (const key of await probe.keys('*')) {
      const name = KEY_CLASSES.find(([, pattern]) => pattern.test(key))?.[0] ?? 'other';
      sizes[name] = (sizes[name] ?? 0) + Number(await probe.memory('USAGE', key, 'SAMPLES', 0));
    }
    return sizes;
  };
  const publish = async (count: number) => {
    for (let done = 0; done < count; done += MEMORY.perPoll) {
      for (let i = 0; i < MEMORY.perPoll; i++) board.publish(`메모리 벤치마크 글 ${done + i}`);
      await pipeline.pollOnce();
      await pipeline.drain(600_000);
    }
  };
  try {
    await pipeline.start();
    await pipeline.pollOnce(); // the board's 40 saved posts: archived, nobody alerted
    // Warm-up: every script loaded, every queue's structures made, before anything is measured.
    await publish(MEMORY.perPoll);

    const archiveBefore = await usedMemory();
    await publish(MEMORY.posts);
    const bytesPerPost = ((await usedMemory()) - archiveBefore) / MEMORY.posts;

    // Per-channel state (the subscription, the channel's number, its last alert) is made by
    // the first alert each channel gets; it is per channel, not per delivery.
    for (let i = 0; i < MEMORY.channels; i++) {
      await pipeline.subscribe('slack', `C0${String(1_000_000 + i)}`);
    }
    await publish(1);
    await sleep(MEMORY.retentionSeconds * 1000 + 2_000);
    slack.sent.length = 0;
    const before = await usedMemory();
    const started = Date.now();
    await publish(MEMORY.posts);
    const seconds = (Date.now() - started) / 1000;
    const deliveries = slack.sent.length;
    const duplicates =
      deliveries - new Set(slack.sent.map((a) => `${a.channelId}/${a.boardNo}`)).size;
    const retained = (await usedMemory()) - before - MEMORY.posts * bytesPerPost;
    const keysRetained = await byClass();
    const bytesPerSentReference = await perSentReference();
    await sleep(MEMORY.retentionSeconds * 1000 + 2_000);
    const after = (await usedMemory()) - before - MEMORY.posts * bytesPerPost;
    return {
      bytesPerPost,
      bytesPerRetainedDelivery: retained / deliveries,
      bytesPerSentReference,
      bytesPerDeliveryAfterRetention: after / deliveries,
      keysRetained,
      keysAfterRetention: await byClass(),
      deliveries,
      eventStreamMaxLen: pipeline.queues.fanOut.opts.streams?.events.maxLen ?? null,
      duplicates,
      seconds,
    };
  } finally {
    await pipeline.close();
    probe.disconnect();
    await board.close();
    await redis.stop();
  }
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runMemory}. */
export function renderMemory(runs: MemoryRun[]): string {
  const keys = runs[0]!;
  const aims = MEMORY_AIMS;
  const perPost = median(runs.map((x) => x.bytesPerPost));
  const perReference = median(runs.map((x) => x.bytesPerSentReference));
  const perRecord = median(
    runs.map((x) => (x.keysRetained['delivery records (settled bitmaps)'] ?? 0) / x.deliveries),
  );
  const duplicates = Math.max(...runs.map((x) => x.duplicates));
  const kib = (bytes: number | undefined) => round((bytes ?? 0) / 1024, 0);
  const d = DEFAULTS.delivery;
  const window = d.sentMessageRetentionMs;
  const scenario = CORRECTION_SCENARIO;
  const scenarioMib =
    (perReference * scenario.channels * scenario.postsPerDay * (window / 86_400_000)) / 2 ** 20;
  const cap = keys.eventStreamMaxLen;
  return `## 5. Redis memory: ${MEMORY.posts} posts to ${thousands(MEMORY.channels)} channels

Through the real pipeline (poll, fan-out and delivery on BullMQ; alerts recorded in the
benchmark's process) on a redis-server of its own, so nothing else moves \`used_memory\`.
First ${MEMORY.posts} posts with no subscriber (the archive alone), then ${thousands(MEMORY.channels)} channels
subscribed and ${MEMORY.posts} more posts (${round(keys.deliveries / 1000, 0)}k deliveries, ${round(median(runs.map((x) => x.seconds)), 0)} s), with the delivery records kept
${MEMORY.retentionSeconds} s (\`DELIVERY_RECORD_TTL\`; by default \`DELIVERY_GIVE_UP_AFTER\` + ${spoken(d.recordRetentionMs - d.giveUpAfterMs)}, ${spoken(d.recordRetentionMs)}).

| \`used_memory\` growth | bytes | aim |
| --- | --- | --- |
| per archived post | **${round(perPost, 0)}** (runs: ${listRuns(
    runs.map((x) => x.bytesPerPost),
    0,
  )}) | ≤ ${thousands(aims.perPost)}: ${verdict(perPost <= aims.perPost)} |
| per delivery, records and sent alerts retained | ${round(median(runs.map((x) => x.bytesPerRetainedDelivery)), 2)} (runs: ${listRuns(
    runs.map((x) => x.bytesPerRetainedDelivery),
    2,
  )}) | |
| per sent alert remembered, for corrections (\`MEMORY USAGE\` of the hashes over their fields) | **${round(perReference, 1)}** (runs: ${listRuns(
    runs.map((x) => x.bytesPerSentReference),
    1,
  )}) | reported |
| delivery records alone (\`MEMORY USAGE\` of the bitmaps, per delivery) | **${round(perRecord, 2)}** | ≤ ${aims.perRecord}: ${verdict(perRecord <= aims.perRecord)} |
| per delivery, after the retention | ${round(median(runs.map((x) => x.bytesPerDeliveryAfterRetention)), 2)} (runs: ${listRuns(
    runs.map((x) => x.bytesPerDeliveryAfterRetention),
    2,
  )}) | back to the archive's size: ${verdict(!keys.keysAfterRetention['delivery records (settled bitmaps)'])} |

Where the bytes are (\`MEMORY USAGE\` of every key, first run, KiB):

| keys | records retained | after the retention |
| --- | --- | --- |
${Object.keys({ ...keys.keysRetained, ...keys.keysAfterRetention })
  .sort()
  .map(
    (name) =>
      `| ${name} | ${kib(keys.keysRetained[name])} | ${kib(keys.keysAfterRetention[name])} |`,
  )
  .join('\n')}

- A delivery is one bit in its post's \`settled\` bitmap (each channel has a small number), so
  ${thousands(MEMORY.channels)} channels cost ${round(MEMORY.channels / 8, 0)} bytes per post while retained, and nothing after.
  Completed delivery jobs are not kept; the per-channel state (subscription, channel number,
  last alert) is made by a channel's first alert and does not grow with deliveries${
    cap === null
      ? ''
      : `; queue event
  streams are capped at ${thousands(cap)} entries each (their \`maxLen\`)`
  }.
- Where each alert went (its channel and the platform's message id, one field of one hash
  per post) is kept for \`CORRECTION_WINDOW\` (${spoken(window)} by default) so a correction at the source can
  edit it: ${round(perReference, 0)} bytes per delivery, so ${thousands(scenario.channels)} channels getting ${scenario.postsPerDay} posts a day keep
  about ${round(scenarioMib, 0)} MiB for it. Here the window was ${MEMORY.retentionSeconds} s, like the records.
- A channel never got an alert twice: ${verdict(duplicates === 0)} (${duplicates} duplicates).
`;
}

if (process.argv[1]?.endsWith('memory.ts')) {
  console.log(JSON.stringify(await runMemory()));
  process.exit(0);
}
