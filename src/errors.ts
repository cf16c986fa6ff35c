/** Why reading a source failed; stable strings for logs, metrics and the `status` command. */
export type SourceErrorCode =
  'TIMEOUT' | 'NETWORK' | 'HTTP_STATUS' | 'TOO_LARGE' | 'NOT_A_SOURCE' | 'UNPARSEABLE';

const RETRYABLE: ReadonlySet<SourceErrorCode> = new Set(['TIMEOUT', 'NETWORK']);

/**
 * A failed read of a board or feed. The URL is kept without credentials or query secrets'
 * values so the error can be logged as is.
 */
export class SourceError extends Error {
  readonly url: string;
  readonly status: number | undefined;

  constructor(
    readonly code: SourceErrorCode,
    message: string,
    context: { url: string; status?: number; cause?: unknown },
  ) {
    super(message, { cause: context.cause });
    this.name = 'SourceError';
    this.url = redactUrl(context.url);
    this.status = context.status;
  }

  /** Network trouble and server errors are worth another try; the rest will fail the same way. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code) || (this.code === 'HTTP_STATUS' && (this.status ?? 0) >= 500);
  }
}

/** Drops user info from a URL so it can appear in logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** A short, single-line description of any thrown value, for logs and status. */
export function describeError(error: unknown): string {
  if (error instanceof SourceError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
