/**
 * The hostile corpus served from a process of its own, for benchmark 10: serving megabytes
 * is work the benchmark's event loop must not do, as a source's server is not the bot's.
 * Prints its base URL, then serves until killed.
 */
import { HOSTILE_SOURCES, hostileHandler } from '../test/support/hostile-sources.js';
import { startHttpServer } from '../test/support/http-server.js';

const server = await startHttpServer(hostileHandler(HOSTILE_SOURCES));
process.stdout.write(`${server.url}\n`);
