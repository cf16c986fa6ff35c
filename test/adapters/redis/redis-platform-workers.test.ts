import { describe, expect, it } from 'vitest';
import { platformWorkerStoreContract } from '../../contracts/platform-worker-store.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';

platformWorkerStoreContract('RedisPlatformWorkerStore', openRedisStores);

describe('platform workers in Redis', () => {
  it('keeps them in one small hash under the deployment’s prefix', async () => {
    const stores = await openRedisStores();
    try {
      const at = new Date('2026-11-20T00:00:00Z');
      await stores.platformWorkers.announce(['slack', 'discord'], at);
      expect(await stores.redis.redis.hgetall(`${stores.redis.prefix}:platform-workers`)).toEqual({
        slack: String(at.getTime()),
        discord: String(at.getTime()),
      });
    } finally {
      await stores.close();
    }
  });
});
