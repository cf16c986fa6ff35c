import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BoardListPage, BoardPostDetails } from './board-parser.js';
import type { FeedRead } from './feed-parser.js';
import type { PressReleaseAnswer } from './press-release-api/press-release-parser.js';
import {
  DocumentParseError,
  ParseRefusedError,
  type BoardListJob,
  type BoardPostJob,
  type DocumentParser,
  type FeedJob,
  type ParseAnswer,
  type ParseJob,
  type ParseOutputs,
  type ParseRequest,
  type PressReleasesJob,
  type WorkerReady,
} from './parse-jobs.js';

export { DocumentParseError, ParseRefusedError, type ParseRefusal } from './parse-jobs.js';

/** Default of {@link ParseSandboxOptions.deadlineMs}. */
export const DEFAULT_PARSE_DEADLINE_MS = 5_000;

/**
 * Default of {@link ParseSandboxOptions.resourceLimits}. The costliest 5 MiB documents of the
 * hostile corpus (a 4 MiB attribute, 50,000 board rows) need between 128 and 256 MB of heap;
 * a document that needs more is refused, not the process. The stack holds a few thousand
 * levels of the parsers' recursion: deeper markup is refused.
 */
export const DEFAULT_PARSE_LIMITS: Readonly<Required<Pick<ResourceLimits, LimitName>>> = {
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 16,
  stackSizeMb: 4,
};
type LimitName = 'maxOldGenerationSizeMb' | 'maxYoungGenerationSizeMb' | 'stackSizeMb';

/** Longest a fresh worker may take to load the parsers before the job waiting for it fails. */
const START_TIMEOUT_MS = 60_000;

/** Default of {@link ParseSandboxOptions.idleMs}. */
export const DEFAULT_PARSE_IDLE_MS = 30_000;

export interface ParseSandboxOptions {
  /**
   * Longest one parse may run, counted from when the worker starts it (not while it waits
   * its turn or the worker starts): past it the worker is ended and the read refused.
   */
  deadlineMs?: number;
  /** The worker's heap and stack; a document that needs more is refused. */
  resourceLimits?: ResourceLimits;
  /**
   * A worker with nothing to do this long is ended, and the next job starts a new one (a
   * few tens of ms): an idle thread holds some 30 MB, and sources are read minutes apart.
   */
  idleMs?: number;
}

interface Pending {
  job: ParseJob;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One worker thread and what the sandbox knows of it. */
interface Thread {
  worker: Worker;
  ready: boolean;
  /** Set while the worker loads the parsers. */
  startTimer: NodeJS.Timeout | null;
  /** The last error the worker reported before it exited (out of memory, a crash). */
  error: Error | null;
}

/**
 * Parses untrusted documents (feeds, board pages) in one long-lived worker thread, so no
 * source, however hostile, blocks the main thread's event loop, and with it every command,
 * health check and queue lock of the process, for more than a moment. Jobs run one at a time,
 * first come first served, each within a deadline from when the worker starts it; a job past
 * it, or one whose document exhausts the worker's memory or stack, is refused with
 * {@link ParseRefusedError}, and the next job gets a fresh worker. Only plain data crosses.
 *
 * The worker starts with the first job, never keeps the process alive while idle, and ends
 * after {@link ParseSandboxOptions.idleMs} with nothing to do. {@link close} ends it. Runs from the compiled `dist/` and from the TypeScript sources
 * (vitest, tsx) alike.
 */
export class ParseSandbox implements DocumentParser {
  readonly deadlineMs: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly queue: Pending[] = [];
  private running: (Pending & { id: number; timer: NodeJS.Timeout }) | null = null;
  private thread: Thread | null = null;
  private nextId = 1;
  private closed = false;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(options: ParseSandboxOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_PARSE_DEADLINE_MS;
    this.resourceLimits = { ...DEFAULT_PARSE_LIMITS, ...options.resourceLimits };
    this.idleMs = options.idleMs ?? DEFAULT_PARSE_IDLE_MS;
  }

  /** Whether a worker thread is up now (started by a job, ended idle, on refusal or close). */
  get alive(): boolean {
    return this.thread !== null;
  }

  parseFeed(job: Omit<FeedJob, 'kind'>): Promise<FeedRead> {
    return this.run({ kind: 'feed', ...job });
  }

  parseBoardList(job: Omit<BoardListJob, 'kind'>): Promise<BoardListPage | null> {
    return this.run({ kind: 'board-list', ...job });
  }

  parseBoardPost(job: Omit<BoardPostJob, 'kind'>): Promise<BoardPostDetails> {
    return this.run({ kind: 'board-post', ...job });
  }

  parsePressReleases(job: Omit<PressReleasesJob, 'kind'>): Promise<PressReleaseAnswer | null> {
    return this.run({ kind: 'press-releases', ...job });
  }

  /** Ends the worker; jobs not finished are rejected. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const closedError = () => new Error('the parse sandbox is closed');
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.reject(closedError());
      this.running = null;
    }
    for (const pending of this.queue.splice(0)) pending.reject(closedError());
    const thread = this.thread;
    this.thread = null;
    if (thread) {
      if (thread.startTimer) clearTimeout(thread.startTimer);
      await thread.worker.terminate();
    }
  }

  private run<K extends ParseJob['kind']>(
    job: Extract<ParseJob, { kind: K }>,
  ): Promise<ParseOutputs[K]> {
    if (this.closed) return Promise.reject(new Error('the parse sandbox is closed'));
    return new Promise<ParseOutputs[K]>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  /** Starts the next job when the worker is free and ready, starting a worker if needed. */
  private pump(): void {
    if (this.closed || this.running) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.queue.length === 0) {
      // Idle: the thread must not keep the process alive, nor its memory for long.
      const idle = this.thread;
      if (idle) {
        idle.worker.unref();
        this.idleTimer = setTimeout(() => {
          this.idleTimer = null;
          if (this.thread === idle && !this.running && this.queue.length === 0) {
            this.discard(idle);
          }
        }, this.idleMs);
        this.idleTimer.unref();
      }
      return;
    }
    const thread = this.thread ?? this.startThread();
    if (!thread.ready) return; // its `ready` pumps again
    const pending = this.queue.shift()!;
    const id = this.nextId++;
    const timer = setTimeout(() => this.refuseRunning(thread), this.deadlineMs);
    this.running = { ...pending, id, timer };
    thread.worker.ref();
    thread.worker.postMessage({ id, job: pending.job } satisfies ParseRequest);
  }

  private startThread(): Thread {
    const worker = startWorker(this.resourceLimits);
    const thread: Thread = { worker, ready: false, startTimer: null, error: null };
    thread.startTimer = setTimeout(() => {
      this.discard(thread);
      this.queue
        .shift()
        ?.reject(new Error(`the parse worker did not start within ${seconds(START_TIMEOUT_MS)}`));
      this.pump();
    }, START_TIMEOUT_MS);
    worker.on('message', (message: WorkerReady | ParseAnswer) => this.onMessage(thread, message));
    worker.on('error', (error) => {
      thread.error = error;
    });
    worker.on('exit', () => this.onExit(thread));
    this.thread = thread;
    return thread;
  }

  private onMessage(thread: Thread, message: WorkerReady | ParseAnswer): void {
    if (thread !== this.thread) return;
    if (message.type === 'ready') {
      if (thread.startTimer) clearTimeout(thread.startTimer);
      thread.startTimer = null;
      thread.ready = true;
      this.pump();
      return;
    }
    const running = this.running;
    if (!running || running.id !== message.id) return;
    clearTimeout(running.timer);
    this.running = null;
    if (message.ok) running.resolve(message.value);
    else if (message.failure === 'stack') {
      running.reject(new ParseRefusedError('stack', 'nests too deeply to parse'));
    } else running.reject(new DocumentParseError(message.message));
    this.pump();
  }

  /** The worker died on its own: out of memory, a crash, or it could not load the parsers. */
  private onExit(thread: Thread): void {
    if (thread !== this.thread) return; // ended by the sandbox, which has dealt with it
    this.thread = null;
    if (thread.startTimer) clearTimeout(thread.startTimer);
    if (this.running) {
      const outOfMemory =
        (thread.error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.settleRunning(
        outOfMemory
          ? new ParseRefusedError(
              'memory',
              `needed more than ${this.resourceLimits.maxOldGenerationSizeMb ?? '?'} MB to parse`,
            )
          : new ParseRefusedError('crash', `stopped the parser (${describe(thread.error)})`),
      );
    } else if (!thread.ready) {
      // Nothing ran: the worker could not start, which no document caused.
      this.queue
        .shift()
        ?.reject(new Error(`the parse worker could not start: ${describe(thread.error)}`));
    }
    this.pump();
  }

  /** The running job took too long: its worker is ended and the job refused. */
  private refuseRunning(thread: Thread): void {
    this.discard(thread);
    this.settleRunning(
      new ParseRefusedError('deadline', `took more than ${seconds(this.deadlineMs)} to parse`),
    );
    this.pump();
  }

  private settleRunning(error: Error): void {
    const running = this.running;
    if (!running) return;
    clearTimeout(running.timer);
    this.running = null;
    running.reject(error);
  }

  /** Ends a worker the sandbox gives up on; the next job starts a fresh one. */
  private discard(thread: Thread): void {
    if (thread.startTimer) clearTimeout(thread.startTimer);
    if (this.thread === thread) this.thread = null;
    void thread.worker.terminate();
  }
}

/**
 * The worker, from the compiled `parse-worker.js` next to this file, or, when this file runs
 * as TypeScript (vitest, tsx), from `parse-worker.ts` through tsx. Node 20 does not apply
 * `--import tsx` in a worker's `execArgv` to the worker's own entry, so a bootstrap module
 * registers tsx's hooks inside the worker (its `tsx/esm/api`) and then imports the entry.
 * The bootstrap is a `data:` module, which imports only absolute URLs: both are resolved
 * here (`require.resolve` finds the API's CommonJS build; the ES module sits beside it).
 */
function startWorker(resourceLimits: ResourceLimits): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) {
    return new Worker(new URL('./parse-worker.js', self), { resourceLimits });
  }
  const api = pathToFileURL(createRequire(self).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const entry = new URL('./parse-worker.ts', self).href;
  const bootstrap = [
    `import { register } from ${JSON.stringify(api)};`,
    'register();',
    `await import(${JSON.stringify(entry)});`,
  ].join('\n');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    resourceLimits,
  });
}

function seconds(ms: number): string {
  return ms >= 1_000 && ms % 1_000 === 0 ? `${ms / 1_000} s` : `${ms} ms`;
}

function describe(error: Error | null): string {
  return error ? error.message.split('\n')[0]! : 'it exited';
}
