/**
 * Benchmark: one new post to 1,000 Telegram chats (half supergroups, half private chats) in
 * one built worker with the default settings, against the fake Bot API that answers 429
 * beyond Telegram's limits (about 30 messages a second per bot, 20 a minute per group, one a
 * second per private chat). Each chat takes one message, so the bot's overall limit binds:
 * the least time is 1,000 / 30 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig } from '../src/config/config.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { TELEGRAM_LIMITS } from '../test/support/fake-telegram-limits.js';
import { FakeTelegram } from '../test/support/fake-telegram.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { startBuiltBot } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { listRuns, verdict } from './report-format.js';
import { median, round } from './stats.js';

const TOKEN = '7000000001:AAbenchmarkTokenOfTelegramBot_012345';
export const TELEGRAM_CHATS = { groups: 500, private: 500 };
/** The bot's default overall rate, from this tree's configuration. */
const DEFAULT_RATE = parseConfig({ TELEGRAM_BOT_TOKEN: TOKEN }).telegram!.rateLimit;

export interface TelegramRun {
  seconds: number;
  minimumSeconds: number;
  ratio: number;
  requests: number;
  rejected: number;
  share429: number;
  lost: number;
}

export async function runTelegramChats(build: Build = THIS_BUILD): Promise<TelegramRun> {
  const board = await new FakeBoard().start();
  const telegram = (await new FakeTelegram().start()).addBot(TOKEN, 'esg_bench_bot');
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  const chats: string[] = [];
  for (let i = 0; i < TELEGRAM_CHATS.groups; i++) {
    const id = -1_001_000_000_000 - i;
    telegram.addChat(id, 'supergroup');
    chats.push(String(id));
  }
  for (let i = 0; i < TELEGRAM_CHATS.private; i++) {
    const id = 500_000_000 + i;
    telegram.addChat(id, 'private');
    chats.push(String(id));
  }
  for (const chatId of chats) {
    await pipeline.subscriptions.subscribe(pipeline.sourceId, {
      platform: 'telegram',
      workspaceId: 'chat',
      channelId: chatId,
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
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_URL: telegram.apiUrl,
    },
    build,
  );
  try {
    await pipeline.pollOnce();
    board.publish('벤치마크: 텔레그램 대화방 1,000곳에 보내는 새 글');
    await sleep(200);
    const started = Date.now();
    await pipeline.pollOnce();
    const reached = () => chats.filter((id) => telegram.chats.in(id).length > 0).length;
    await waitFor('every chat', () => reached() >= chats.length, 600_000);
    await pipeline.drain(60_000);
    const sends = telegram.requests.filter((call) => call.method === 'sendMessage');
    const accepted = sends.filter((call) => call.status === 200);
    const seconds = (Math.max(...accepted.map((call) => call.at)) - started) / 1000;
    const minimumSeconds = chats.length / TELEGRAM_LIMITS.globalPerSecond;
    const rejected = sends.filter((call) => call.status === 429).length;
    return {
      seconds,
      minimumSeconds,
      ratio: seconds / minimumSeconds,
      requests: sends.length,
      rejected,
      share429: rejected / sends.length,
      lost: chats.length - reached(),
    };
  } finally {
    await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), telegram.close()]);
  }
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runTelegramChats}. */
export function renderTelegramChats(runs: TelegramRun[]): string {
  const c = TELEGRAM_CHATS;
  const total = c.groups + c.private;
  const minimum = runs[0]!.minimumSeconds;
  const ratio = median(runs.map((r) => r.ratio));
  const own = total / DEFAULT_RATE;
  return `## Telegram chats under Telegram's limits

One post to ${total.toLocaleString('en')} Telegram chats (${c.groups} supergroups, ${c.private} private chats), one worker with the default
settings (\`TELEGRAM_RATE_LIMIT=${DEFAULT_RATE}\`), against a fake Bot API that answers 429 beyond ${TELEGRAM_LIMITS.globalPerSecond} messages a
second per bot, ${TELEGRAM_LIMITS.groupPerMinute} a minute per group and ${TELEGRAM_LIMITS.privatePerWindow} in ${TELEGRAM_LIMITS.privateWindowMs / 1000} s per private chat. Each chat takes one message,
so the overall limit binds: the least time is ${round(minimum, 1)} s; at the bot's own rate it is ${round(own, 1)} s
(×${round(own / minimum, 3)}).

| total time | against the minimum | requests answered 429 | lost |
| --- | --- | --- | --- |
| ${round(median(runs.map((r) => r.seconds)), 1)} s | **×${round(ratio, 3)}** (runs: ${listRuns(
    runs.map((r) => r.ratio),
    3,
  )}) | ${round(median(runs.map((r) => r.share429)) * 100, 2)} % | ${Math.max(...runs.map((r) => r.lost))} |

- Nothing lost: ${verdict(Math.max(...runs.map((r) => r.lost)) === 0)}. Within the bot's own rate plus 15 %: ${verdict(
    ratio <= (own / minimum) * 1.15,
  )}.
`;
}
