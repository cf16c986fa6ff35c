import { SOURCE_KINDS, type SourceKind } from '../sources/source-kinds.js';
import type { SourceStateStore } from '../ports/source-state-store.js';
import { requireSource, type KnownSourcesDeps } from './known-sources.js';

export interface CursorDeps extends KnownSourcesDeps {
  states: Pick<SourceStateStore, 'get'>;
  /**
   * Puts a source's cursor at a number, up or down (the pipeline's own `advanceCursor` only
   * ever moves it up).
   */
  cursors: { set(sourceId: string, boardNo: number): Promise<void> };
}

export interface CursorResult {
  source: string;
  kind: SourceKind | null;
  cursor: number | null;
  /** After `set`: the cursor before it. */
  previous?: number | null;
}

export async function getCursor(deps: CursorDeps, sourceName: string): Promise<CursorResult> {
  const source = await requireSource(deps, sourceName);
  const { cursor } = await deps.states.get(source.name);
  return { source: source.name, kind: source.kind, cursor };
}

/**
 * Moves a source's cursor: the next poll of a board announces the posts above it (so a
 * lower cursor sends recent posts again, to channels whose record of them has expired; a
 * higher one skips posts). `boardNo` is checked to be a non-negative integer where the
 * command line is read.
 */
export async function setCursor(
  deps: CursorDeps,
  sourceName: string,
  boardNo: number,
): Promise<CursorResult> {
  const source = await requireSource(deps, sourceName);
  const { cursor: previous } = await deps.states.get(source.name);
  await deps.cursors.set(source.name, boardNo);
  return { source: source.name, kind: source.kind, cursor: boardNo, previous };
}

/**
 * A feed's items are new until seen, whatever their numbers: its cursor only records the
 * highest number given, so moving it changes no alert.
 */
export function cursorWarning(result: CursorResult): string | null {
  return result.kind !== null && !SOURCE_KINDS[result.kind].sequentialNumbers
    ? `${result.source} is a feed: its items are announced when first seen, whatever the cursor says`
    : null;
}

export function formatCursor(result: CursorResult): string {
  const now = result.cursor ?? 'not set (the source has not been read yet)';
  if (result.previous === undefined) return `${result.source}: cursor ${now}`;
  const moved = `${result.source}: cursor ${result.previous ?? 'not set'} → ${now}`;
  return result.kind !== null && !SOURCE_KINDS[result.kind].sequentialNumbers
    ? moved
    : `${moved}; the next poll announces what is above it`;
}
