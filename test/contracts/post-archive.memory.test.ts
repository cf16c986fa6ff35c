import { postArchiveContract } from './post-archive.contract.js';
import { openMemoryStores } from './stores.js';

postArchiveContract('MemoryPostArchive', openMemoryStores);
