/**
 * A process that parses one page in a `ParseSandbox` and never closes it: it must still exit
 * on its own, the idle worker keeping nothing alive. Prints the ministry it read.
 */
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';

const sandbox = new ParseSandbox();
const details = await sandbox.parseBoardPost({
  bytes: Buffer.from('<div class="post-content"><p>(환경부, 2026.11.20)</p></div>'),
  contentType: 'text/html; charset=utf-8',
  url: 'https://example.org/post/1',
});
process.stdout.write(`${details.ministry}\n`);
