/**
 * The parse worker's entry (see `ParseSandbox`): loads the parsers, says it is ready, then
 * answers one job at a time. Runs only in a worker thread; whatever a document costs here,
 * the main thread's event loop goes on, and the sandbox ends the thread at the deadline.
 */
import { parentPort } from 'node:worker_threads';
import { parseBoardList, parseBoardPost } from './board-parser.js';
import { decodeDocument } from './charset.js';
import { parseFeed } from './feed-parser.js';
import { parsePressReleases } from './press-release-api/press-release-parser.js';
import type {
  ParseAnswer,
  ParseJob,
  ParseOutputs,
  ParseRequest,
  WorkerReady,
} from './parse-jobs.js';

const port = parentPort;
if (!port) throw new Error('parse-worker runs in a worker thread started by ParseSandbox');

port.on('message', (request: ParseRequest) => {
  void answer(request).then((reply) => port.postMessage(reply));
});
port.postMessage({ type: 'ready' } satisfies WorkerReady);

async function answer({ id, job }: ParseRequest): Promise<ParseAnswer> {
  try {
    return { type: 'answer', id, ok: true, value: await run(job) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8's own words for it; the thread survives, the document is what nests too deeply.
    const stack = error instanceof RangeError && /call stack size/i.test(message);
    return { type: 'answer', id, ok: false, failure: stack ? 'stack' : 'error', message };
  }
}

async function run(job: ParseJob): Promise<ParseOutputs[ParseJob['kind']]> {
  const { text } = decodeDocument(job.contentType, job.bytes);
  switch (job.kind) {
    case 'feed':
      return parseFeed(text, job.sourceId, job.url, new Date(job.now), job.maxItems);
    case 'board-list':
      return parseBoardList(text, job.url, job.page, new Date(job.now), job.maxRows);
    case 'board-post':
      return parseBoardPost(text, job.url);
    case 'press-releases':
      return parsePressReleases(text, job.maxItems);
  }
}
