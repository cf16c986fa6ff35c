import { describe, expect, it } from 'vitest';
import { RedisDestinationStore } from '../../../adapters/redis/redis-destination-store.js';
import { DESTINATION_WORKSPACE } from '../../../src/model/destination.js';
import { DestinationKeyMissing } from '../../../src/ports/destination-store.js';
import { TokenCipher, WrongKeyError } from '../../../src/util/token-cipher.js';
import { destinationStoreContract } from '../../contracts/destination-store.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';
import { useStores } from '../../contracts/stores.js';

destinationStoreContract('RedisDestinationStore', openRedisStores);

const TEAMS = { platform: 'teams', workspaceId: DESTINATION_WORKSPACE, channelId: 'esg' } as const;
const URL_TEXT = 'https://hook.dooray.com/services/1234567890/0987654321/SeCrEtPaRt';

describe('RedisDestinationStore at rest', () => {
  const stores = useStores(openRedisStores);

  it('keeps neither the URL nor the secret in the clear anywhere in Redis', async () => {
    const { redis, destinations } = stores() as Awaited<ReturnType<typeof openRedisStores>>;
    await destinations.put(TEAMS, { url: URL_TEXT, secret: 'hmac-secret-123' }, new Date());
    const keys = await redis.redis.keys(`${redis.prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const dump = JSON.stringify(await redis.redis.hgetall(key));
      for (const secret of ['SeCrEtPaRt', '0987654321', 'hmac-secret-123']) {
        expect(dump).not.toContain(secret);
      }
    }
  });

  it('refuses to add without a key, and a wrong key opens nothing', async () => {
    const { redis, keys, destinations } = stores() as Awaited<ReturnType<typeof openRedisStores>>;
    await destinations.put(TEAMS, { url: URL_TEXT, secret: null }, new Date());
    const keyless = new RedisDestinationStore(redis.redis, keys, null);
    await expect(keyless.put(TEAMS, { url: URL_TEXT, secret: null }, new Date())).rejects.toThrow(
      DestinationKeyMissing,
    );
    await expect(keyless.secrets(TEAMS)).rejects.toThrow(DestinationKeyMissing);
    // Listing needs no key: it shows only the masked URL.
    expect((await keyless.list()).map((d) => d.channel)).toEqual([TEAMS]);
    const otherKey = new RedisDestinationStore(
      redis.redis,
      keys,
      new TokenCipher(Buffer.alloc(32, 9)),
    );
    await expect(otherKey.secrets(TEAMS)).rejects.toThrow(WrongKeyError);
  });
});
