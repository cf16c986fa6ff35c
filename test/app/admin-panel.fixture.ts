import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import type { DestinationFormat } from '../../adapters/destinations/destination-format.js';
import { destinationPlatform } from '../../adapters/destinations/destination-platform.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import type { PlatformModule } from '../../adapters/platform-module.js';
import { RedisChannelScheduleStore } from '../../adapters/redis/redis-channel-schedules.js';
import { RedisDeliveryLog } from '../../adapters/redis/redis-delivery-log.js';
import { RedisDestinationStore } from '../../adapters/redis/redis-destination-store.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPlatformStatusStore } from '../../adapters/redis/redis-platform-status.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisSourceRegistry } from '../../adapters/redis/redis-source-registry.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../../adapters/redis/redis-subscription-store.js';
import { PipelineQueues } from '../../jobs/queues.js';
import { adminPanel } from '../../src/app/admin-panel.js';
import { parseConfig, type Config } from '../../src/config/config.js';
import type { NewsMessage } from '../../src/model/news-message.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { readBody, startHttpServer, type LocalServer } from '../support/http-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { connectTestRedis, type TestRedis } from '../support/redis.js';

export const ADMIN_TOKEN = 'panel-admin-token-for-tests-0123456789';

/** The deployment's two configured sources; the first is the default. */
export const SOURCES = 'esg=https://k-esg.org/post,moe=https://me.go.kr/home/web/board/list.do';

/**
 * A webhook receiver as a destination platform's endpoint is: a JSON POST answered with a
 * status and a short body, here the one the test sets (`answer`). It refuses anything but a
 * JSON POST, as the platforms do, and keeps what it took.
 */
export interface FakeReceiver {
  url: string;
  answer: { status: number; body: string };
  received: Array<{ text: string }>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<FakeReceiver> {
  const receiver = {
    answer: { status: 200, body: '{"ok":true}' },
    received: [] as Array<{ text: string }>,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = null;
    }
    const text = (parsed as { text?: unknown } | null)?.text;
    if (req.method !== 'POST' || !type.startsWith('application/json') || typeof text !== 'string') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('expected a JSON POST with text');
      return;
    }
    if (receiver.answer.status < 300) receiver.received.push({ text });
    res.writeHead(receiver.answer.status, { 'content-type': 'text/plain' });
    res.end(receiver.answer.body);
  };
  const server: LocalServer = await startHttpServer(handle);
  return Object.assign(receiver, {
    url: `${server.url}/hooks/T0123/secret-path-0123456789`,
    close: () => server.close(),
  });
}

/**
 * The receiver's format: the alert as one line of text. The signed webhook's own module
 * (`adapters/webhook/`) is another helper's; the panel's tests need a module whose answers
 * they control, posted through the real `DestinationNotifier` (sealed URL, address check).
 */
const TEXT_FORMAT: DestinationFormat = {
  maxBytes: 32 * 1024,
  alert: (message: NewsMessage) => ({ text: `${message.title} ${message.url}` }),
  correction: (message: NewsMessage) => ({ text: message.title }),
  digest: (digest) => ({ text: `digest of ${digest.posts.length}` }),
  notice: (notice) => ({ text: notice.kind }),
};

/** Every destination platform's module, as far as a test alert goes. */
function testModule(): PlatformModule<unknown> {
  const base = destinationPlatform('webhook', TEXT_FORMAT) as PlatformModule<unknown>;
  return {
    // No spacing between two test alerts: the test sends them as fast as its clicks go.
    open: (context) =>
      base.open({ ...context, config: { ...(context.config as object), spacingMs: 0 } }),
  };
}

/** The control panel on a real HTTP server and real Redis stores under a unique prefix. */
export interface PanelFixture {
  origin: string;
  config: Config;
  redis: TestRedis;
  keys: RedisKeys;
  clock: ManualClock;
  stores: {
    registry: RedisSourceRegistry;
    states: RedisSourceStateStore;
    archive: RedisPostArchive;
    subscriptions: RedisSubscriptionStore;
    schedules: RedisChannelScheduleStore;
    deliveryLog: RedisDeliveryLog;
    platformStates: RedisPlatformStatusStore;
    destinations: RedisDestinationStore;
  };
  queues: PipelineQueues;
  /** Errors the panel answered with its error page. */
  errors: unknown[];
  close(): Promise<void>;
}

export async function startPanel(env: Record<string, string> = {}): Promise<PanelFixture> {
  const redis = await connectTestRedis();
  const keys = new RedisKeys(redis.prefix);
  const config = parseConfig({
    QUEUE_PREFIX: redis.prefix,
    SOURCES,
    ADMIN_TOKEN,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ALLOW_PRIVATE_DESTINATIONS: 'true',
    ...env,
  });
  const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
  const stores = {
    registry: new RedisSourceRegistry(redis.redis, keys),
    states: new RedisSourceStateStore(redis.redis, keys),
    archive: new RedisPostArchive(redis.redis, keys),
    subscriptions: new RedisSubscriptionStore(redis.redis, keys),
    schedules: new RedisChannelScheduleStore(redis.redis, keys),
    deliveryLog: new RedisDeliveryLog(redis.redis, keys, {
      retentionMs: config.delivery.recordRetentionMs,
    }),
    platformStates: new RedisPlatformStatusStore(redis.redis, keys),
    destinations: new RedisDestinationStore(
      redis.redis,
      keys,
      new TokenCipher(config.encryptionKey!),
    ),
  };
  await stores.registry.syncConfigured(config.sources);
  const queues = new PipelineQueues(redis.redis, redis.prefix, {
    attempts: 1,
    backoffMs: 10,
    maxBackoffMs: 10,
  });
  const errors: unknown[] = [];
  const routes = adminPanel({
    config,
    token: ADMIN_TOKEN,
    redis: redis.redis,
    keys,
    registry: stores.registry,
    subscriptions: stores.subscriptions,
    schedules: stores.schedules,
    deliveryLog: stores.deliveryLog,
    readers: {
      states: stores.states,
      archive: stores.archive,
      platformStates: stores.platformStates,
      scheduledPolls: () => queues.scheduledPolls(),
    },
    now: clock.now,
    logger: pino({ level: 'silent' }),
    onError: (error) => errors.push(error),
    loadPlatform: () => Promise.resolve(testModule()),
  });
  const server = new HttpServer(routes, (error) => errors.push(error));
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    origin: `http://127.0.0.1:${port}`,
    config,
    redis,
    keys,
    clock,
    stores,
    queues,
    errors,
    async close() {
      await server.close();
      await queues.close();
      await redis.cleanup();
    },
  };
}
