import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app/app.js';
import { parseConfig } from '../../src/config/config.js';
import { PrivateRedis } from '../support/private-redis.js';
import { waitFor } from '../support/wait.js';

let redis: PrivateRedis | null = null;
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  await redis?.stop();
});

describe('GET /healthz', () => {
  it('answers 200 while Redis answers, 503 while it is down, and 200 again once it is back', async () => {
    redis = await PrivateRedis.start();
    app = await startApp({
      config: parseConfig({
        REDIS_URL: redis.url,
        HOST: '127.0.0.1',
        PORT: '0',
        FEED_URL: 'http://127.0.0.1:9/post',
      }),
      logger: pino({ level: 'silent' }),
      role: 'web',
    });
    const health = () =>
      fetch(`http://127.0.0.1:${app!.address!.port}/healthz`).then((r) => r.status);

    expect(await health()).toBe(200);
    await redis.stop();
    await waitFor('503', async () => (await health()) === 503);
    await redis.start();
    await waitFor('200 after Redis is back', async () => (await health()) === 200, 20_000);
  }, 40_000);

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    redis = await PrivateRedis.start();
    app = await startApp({
      config: parseConfig({ REDIS_URL: redis.url, HOST: '127.0.0.1', PORT: '0' }),
      logger: pino({ level: 'silent' }),
      role: 'web',
    });
    const base = `http://127.0.0.1:${app.address!.port}`;
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
