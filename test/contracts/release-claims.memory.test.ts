import { releaseClaimsContract } from './release-claims.contract.js';
import { openMemoryStores } from './stores.js';

releaseClaimsContract('MemoryReleaseClaims', openMemoryStores);
