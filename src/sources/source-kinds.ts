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
 * The kinds of source, each named and described once. A new kind is an entry here and its
 * reader (`adapters/sources/url-source-readers.ts` chooses it by URL or by what the URL
 * serves); the poll follows `sequentialNumbers` (`pollSource`: a board's strategy, or the
 * feed's, which knows items by identity), and the pages' types follow it too (see
 * `NumberedKind`).
 */
export const SOURCE_KINDS = {
  board: { label: '게시판', sequentialNumbers: true },
  feed: { label: '피드', sequentialNumbers: false },
  /** The 정책브리핑 보도자료 API of data.go.kr, read with the operator's service key. */
  api: { label: '정책브리핑 API', sequentialNumbers: false },
} as const satisfies Record<string, SourceKindEntry>;

/** A kind of source: `board`, `feed`, `api`… */
export type SourceKind = keyof typeof SOURCE_KINDS;

/** The kinds whose numbers grow in publication order: their pages are numbered rows. */
export type NumberedKind = {
  [K in SourceKind]: (typeof SOURCE_KINDS)[K]['sequentialNumbers'] extends true ? K : never;
}[SourceKind];

/** The kinds whose items are known by identity, numbered by the bot. */
export type IdentityKind = Exclude<SourceKind, NumberedKind>;

export const SOURCE_KIND_IDS = Object.keys(SOURCE_KINDS) as [SourceKind, ...SourceKind[]];

export const sourceKindSchema = z.enum(SOURCE_KIND_IDS);

export function isSourceKind(text: unknown): text is SourceKind {
  return typeof text === 'string' && Object.hasOwn(SOURCE_KINDS, text);
}
