import { releaseClaimsContract } from '../../contracts/release-claims.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';

releaseClaimsContract('RedisReleaseClaims', openRedisStores);
