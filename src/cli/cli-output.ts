/**
 * A failure the operator can act on: the CLI prints its message as one line on stderr and
 * exits with `exitCode` (1: the request cannot be done; 2: the command line is wrong).
 */
export class CliError extends Error {
  readonly code = 'CLI_FAILED';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command's result goes: readable text by default, JSON with `--json`. */
export interface Output {
  readonly json: boolean;
  /** Writes to stdout as is. */
  write(text: string): void;
  /** Writes a warning line to stderr (never mixed into JSON on stdout). */
  warn(text: string): void;
  /**
   * Hides the configuration's secret values in text that may quote them (a source's last
   * error, a job's failure reason).
   */
  redact(text: string): string;
}

/** Prints `data` as JSON, or the text `readable` makes of it. */
export function printResult<T>(out: Output, data: T, readable: (data: T) => string): void {
  out.write(out.json ? `${JSON.stringify(data, null, 2)}\n` : ensureNewline(readable(data)));
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * A plain text table, columns padded to their widest cell. Hangul and other wide characters
 * take two columns in a terminal: source titles are Korean, so they are counted as such.
 */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, i) =>
    Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** East Asian wide and full-width ranges (Hangul, CJK, full-width forms) take two columns. */
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/** A time for people: ISO 8601 in UTC to the second, `-` when there is none. */
export function formatTime(at: Date | number | string | null | undefined): string {
  if (at === null || at === undefined || at === '') return '-';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : `${date.toISOString().slice(0, 19)}Z`;
}

/** Cuts a long cell (an error message) to fit a table line. */
export function shorten(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
