import type { IncomingMessage } from 'node:http';

/** What reading a request body under a limit came to. */
export type BodyOutcome =
  | { kind: 'read'; body: Buffer }
  /** The declared or streamed size passed the limit; reading stopped there. */
  | { kind: 'too-large' }
  /** The client went away (or the socket failed) before the body ended; nobody to answer. */
  | { kind: 'aborted' };

/** Whether `req` says a body follows its headers. */
export function carriesBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (declaredLength(req) ?? 0) > 0;
}

/**
 * The size a request declares in `Content-Length`, or `null` when it declares none (chunked or
 * no body). Node's parser has already refused a malformed or duplicated header with 400, and a
 * request carrying both `Content-Length` and `Transfer-Encoding`.
 */
function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  return header === undefined ? null : Number(header);
}

/**
 * Buffers `req`'s body, refusing it once it holds more than `limit` bytes. A declared
 * `Content-Length` over the limit is refused before a byte is read; a chunked body is counted
 * as it streams and reading stops (the request is paused, so Node stops reading the socket too)
 * at the first chunk past the limit, instead of buffering up to it and reading on.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) return Promise.resolve({ kind: 'too-large' });

  return new Promise<BodyOutcome>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyOutcome) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'read', body: Buffer.concat(chunks, size) });
    // 'close' before 'end' means the connection went away mid-body; 'error' is the same
    // ("aborted", ECONNRESET) seen by listeners of the request.
    const onAbort = () => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onAbort);
    req.once('close', onAbort);
  });
}
