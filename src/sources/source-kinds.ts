import { z } from 'zod';

/** What the bot needs to know of one kind of source, whatever reads it. */
export interface SourceKindEntry {
  /** How `/news 상태` names the kind. */
  label: string;
  /**
   * Its numbers grow in publication order (a board's 번호): the cursor says what is new, and
   * the listing page of a number can be worked out. Otherwise (feeds) the bot numbers the items
   * by identity and a listing holds what it holds.
   */
  sequentialNumbers: boolean;
}

/**
 * The kinds of source, each named and described once. A new kind is an entry here, its poll
 * (`src/pipeline/poll/poll-by-kind.ts`) and its reader (`adapters/sources/kind-readers.ts`); the
 * compiler points at both.
 */
export const SOURCE_KINDS = {
  board: { label: '게시판', sequentialNumbers: true },
  feed: { label: '피드', sequentialNumbers: false },
} as const satisfies Record<string, SourceKindEntry>;

/** A kind of source: `board`, `feed`, … */
export type SourceKind = keyof typeof SOURCE_KINDS;

export const SOURCE_KIND_IDS = Object.keys(SOURCE_KINDS) as [SourceKind, ...SourceKind[]];

export const sourceKindSchema = z.enum(SOURCE_KIND_IDS);

export function isSourceKind(text: unknown): text is SourceKind {
  return typeof text === 'string' && Object.hasOwn(SOURCE_KINDS, text);
}
