import type { BoardListPage, BoardPostDetails } from './board-parser.js';
import type { FeedRead } from './feed-parser.js';
import type { PressReleaseAnswer } from './press-release-api/press-release-parser.js';

/**
 * What crosses into the parse worker and back (plain data only: structured clone), and the
 * port sources parse through with its errors. Nothing here loads the parsers.
 */

/**
 * A document as fetched: its bytes, decoded in the worker (see `decodeDocument`), since
 * decoding megabytes, and copying them across as a string, would cost the main thread time.
 */
export interface DocumentBody {
  bytes: Uint8Array;
  /** The `Content-Type` header, which may name the charset. */
  contentType: string | null;
  /** The document's URL after redirects: the base of relative links. */
  url: string;
}

/** An RSS/Atom document to read into items (see `parseFeed`). */
export interface FeedJob extends DocumentBody {
  kind: 'feed';
  sourceId: string;
  /** Items considered, newest first; the rest are dropped before anything is made of them. */
  maxItems: number;
  /** The reader's clock (epoch ms): undated items are dated by it. */
  now: number;
}

/** A board list page to read into rows (see `parseBoardList`). */
export interface BoardListJob extends DocumentBody {
  kind: 'board-list';
  page: number;
  /** Numbered rows read, from the top of the list (the newest). */
  maxRows: number;
  now: number;
}

/** A board post's own page, for its ministry, original link and lead (see `parseBoardPost`). */
export interface BoardPostJob extends DocumentBody {
  kind: 'board-post';
}

/** An answer of the 정책브리핑 보도자료 API (see `parsePressReleases`). */
export interface PressReleasesJob extends DocumentBody {
  kind: 'press-releases';
  /** `NewsItem`s read, in the answer's order; the rest are counted, not read. */
  maxItems: number;
}

export type ParseJob = FeedJob | BoardListJob | BoardPostJob | PressReleasesJob;

/** What each kind of job gives back. */
export interface ParseOutputs {
  feed: FeedRead;
  'board-list': BoardListPage | null;
  'board-post': BoardPostDetails;
  'press-releases': PressReleaseAnswer | null;
}

/** Main thread → worker. */
export interface ParseRequest {
  id: number;
  job: ParseJob;
}

/** Worker → main thread: the worker has loaded the parsers and takes jobs. */
export interface WorkerReady {
  type: 'ready';
}

/**
 * Worker → main thread: a job's result, or why it failed. `stack` is a stack overflow, which
 * the worker survives but the document caused; `error` is the parser refusing the document
 * (invalid XML) or a bug, passed on as a message.
 */
export type ParseAnswer =
  | { type: 'answer'; id: number; ok: true; value: ParseOutputs[ParseJob['kind']] }
  | { type: 'answer'; id: number; ok: false; failure: 'stack' | 'error'; message: string };

/**
 * Port: where a source's documents are parsed. `ParseSandbox` does it in a worker thread
 * within a deadline, so no document, however hostile, blocks the event loop for long. Every
 * method rejects with `ParseRefusedError` when the document cost too much to parse, with
 * `DocumentParseError` when the parser refused it, and with another error when the parsing
 * itself failed (the worker could not start, the sandbox is closed).
 */
export interface DocumentParser {
  parseFeed(job: Omit<FeedJob, 'kind'>): Promise<FeedRead>;
  parseBoardList(job: Omit<BoardListJob, 'kind'>): Promise<BoardListPage | null>;
  parseBoardPost(job: Omit<BoardPostJob, 'kind'>): Promise<BoardPostDetails>;
  parsePressReleases(job: Omit<PressReleasesJob, 'kind'>): Promise<PressReleaseAnswer | null>;
}

/** Why a document was refused: what parsing it would have cost. */
export type ParseRefusal = 'deadline' | 'memory' | 'stack' | 'crash';

/**
 * A document the sandbox refused to finish parsing: it ran past the deadline, ran out of
 * memory, nested too deeply for the stack or brought the worker down. `detail` says which, in
 * words that follow the document's URL (`took more than 5 s to parse`).
 */
export class ParseRefusedError extends Error {
  constructor(
    readonly refusal: ParseRefusal,
    readonly detail: string,
  ) {
    super(`the document ${detail}`);
    this.name = 'ParseRefusedError';
  }
}

/**
 * The parser refused the document itself (XML that is not well-formed, not a feed): what it
 * said, passed on from the worker. Not a cost: the read is refused as unreadable.
 */
export class DocumentParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentParseError';
  }
}
