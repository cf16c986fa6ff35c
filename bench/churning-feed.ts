/**
 * Benchmark: what a hostile feed costs Redis over time. A chat-added feed of 5,000 items whose
 * ids all change on every read, polled through the real pipeline (BullMQ poll worker, the
 * production defaults for chat-added sources) on a redis-server of its own; `MEMORY USAGE` of
 * every key of the source after 10 reads and after 100.
 */
import { Redis } from 'ioredis';
import { median, round } from './stats.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FeedServer } from '../test/support/feed-server.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { PrivateRedis } from '../test/support/private-redis.js';
import { RecordingNotifier } from '../test/doubles/recording-notifier.js';

export const CHURN = { items: 5_000, early: 10, late: 100 } as const;

/** What the section checks: the source's keys after the late reads over the early ones. */
export const CHURN_AIMS = { growth: 1.1 } as const;

export interface ChurnRun {
  /** `MEMORY USAGE` summed over the source's keys after the early reads, in bytes. */
  bytesEarly: number;
  bytesLate: number;
  /** Posts archived and item ids remembered after the late reads. */
  posts: number;
  seen: number;
  /** Items in the feed over every read: what an unbounded archive would have kept. */
  itemsServed: number;
}

export async function runChurningFeed(): Promise<ChurnRun> {
  const redis = await PrivateRedis.start();
  const board = await new FakeBoard().start();
  const feed = await new FeedServer().start();
  const probe = new Redis(redis.url);
  const pipeline = new PipelineHarness({
    feedUrl: board.url,
    redisUrl: redis.url,
    notifiers: [new RecordingNotifier('slack')],
    env: { ALLOW_PRIVATE_SOURCES: 'true', LOG_LEVEL: 'silent' },
    fetchOptions: { timeoutMs: 30_000 },
  });
  let reads = 0;
  const churn = () => {
    reads++;
    feed.items = Array.from({ length: CHURN.items }, (_, i) => ({
      title: `매번 새 id를 받는 글 ${reads}-${i}`,
      guid: `churn-${reads}-${i}`,
      date: new Date(Date.now() - i * 1000),
    }));
  };
  try {
    await pipeline.start();
    // Followed with a keyword no item has: the source's own storage, without deliveries.
    await pipeline.subscriptions.follow(
      'churn',
      {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C1',
        keywords: ['없는말'],
        createdAt: '',
      },
      {
        register: {
          name: 'churn',
          url: feed.url,
          origin: 'chat',
          displayName: null,
          kind: 'feed',
          addedAt: new Date().toISOString(),
        },
      },
    );
    const bytes = async () => {
      let total = 0;
      for (const key of await probe.keys(`${pipeline.keyPrefix}:*:churn`)) {
        total += (await probe.memory('USAGE', key, 'SAMPLES', '0')) ?? 0;
      }
      return total;
    };
    for (let i = 0; i < CHURN.early; i++) {
      churn();
      await pipeline.pollOnce('churn');
    }
    const bytesEarly = await bytes();
    for (let i = CHURN.early; i < CHURN.late; i++) {
      churn();
      await pipeline.pollOnce('churn');
    }
    return {
      bytesEarly,
      bytesLate: await bytes(),
      posts: await probe.zcard(pipeline.keys.postNumbers('churn')),
      seen: await probe.zcard(pipeline.keys.itemsSeen('churn')),
      itemsServed: reads * CHURN.items,
    };
  } finally {
    probe.disconnect();
    await pipeline.close();
    await feed.close();
    await board.close();
    await redis.stop();
  }
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runChurningFeed}. */
export function renderChurn(runs: ChurnRun[]): string {
  const mib = (bytes: number) => round(bytes / 2 ** 20, 2);
  const early = median(runs.map((x) => x.bytesEarly));
  const late = median(runs.map((x) => x.bytesLate));
  const ratio = median(runs.map((x) => x.bytesLate / x.bytesEarly));
  const list = (values: number[]) => values.map(mib).join(', ');
  return `## 11. A feed whose ids change on every read

A chat-added feed of ${CHURN.items.toLocaleString('en')} items, every id new on every read (what a hostile or broken feed
can do), polled ${CHURN.late} times through the real pipeline with the defaults for chat-added sources, on a
redis-server of its own. \`MEMORY USAGE\` summed over every key of the source (archive, item ids,
state).

| after | source's keys | runs |
| --- | --- | --- |
| ${CHURN.early} reads | ${mib(early)} MiB | ${list(runs.map((x) => x.bytesEarly))} |
| ${CHURN.late} reads | **${mib(late)} MiB** | ${list(runs.map((x) => x.bytesLate))} |

- ${CHURN.late} reads against ${CHURN.early}: **×${round(ratio, 2)}** (aim: flat, ≤ ×${CHURN_AIMS.growth}: ${ratio <= CHURN_AIMS.growth ? 'met' : '**missed**'}). The feed served
  ${runs[0]!.itemsServed.toLocaleString('en')} items in all; the archive keeps ${runs[0]!.posts.toLocaleString('en')} posts (\`CHAT_ARCHIVE_MAX_POSTS\`) and
  ${runs[0]!.seen.toLocaleString('en')} item ids (what the feed shows now is never forgotten as seen, or it would come back as new).
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runChurningFeed()));
}
