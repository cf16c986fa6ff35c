import { createHash } from 'node:crypto';

/**
 * Query parameters that boards, press-release systems and CMSs put an item's own number in:
 * korea.kr (`newsId`), 전자정부 frameworks (`nttId`, `nttSn`), GNUBoard (`wr_id`), Korean
 * news CMSs (`idxno`), WordPress (`p`), XE/Rhymix (`document_srl`) and common generic ones.
 * `page`, `bbsId` and the like are left out on purpose: they name a list, not an item.
 */
export const NUMBER_PARAMS: readonly string[] = [
  'newsId',
  'nttId',
  'nttSn',
  'no',
  'wr_id',
  'idx',
  'idxno',
  'seq',
  'articleId',
  'articleNo',
  'article_id',
  'bbsIdx',
  'boardSeq',
  'postId',
  'post_id',
  'document_srl',
  'p',
];

/** Identities longer than this are kept as a hash: they are hash fields and sorted-set members. */
const MAX_KEY_LENGTH = 200;

/** What a feed says of an item that can identify it. */
export interface IdentityFields {
  /** RSS `<guid>` or Atom `<id>`. */
  guid?: string | undefined;
  /** The item's absolute http(s) link, when it has one. */
  link?: string | undefined;
  title: string;
  /** The date as the feed wrote it (or its ISO form), when it wrote one. */
  date?: string | undefined;
}

/**
 * The identity of a feed item in its source: its guid (or Atom id), else its link, else a
 * hash of its title and date. The kind is part of the key (`guid:`, `link:`, `hash:`) so a
 * guid that happens to equal another item's link is still another item.
 */
export function itemIdentity(fields: IdentityFields): string {
  const guid = fields.guid?.trim();
  if (guid) return bounded('guid', guid);
  const link = fields.link?.trim();
  if (link) return bounded('link', link);
  return `hash:${digest(`${fields.title.trim()}\n${fields.date?.trim() ?? ''}`)}`;
}

function bounded(kind: string, value: string): string {
  const key = `${kind}:${value}`;
  return key.length <= MAX_KEY_LENGTH ? key : `${kind}#${digest(value)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * The number an item carries itself in a link or guid, or `null`:
 * - a known query parameter ({@link NUMBER_PARAMS}) holding digits (`?newsId=156605000`);
 * - else a last path segment of at least three digits (`/post/4392`, `/news/12345.html`) that
 *   does not read as a year or a date (`/2026`, `/202611`, `/20261105` are shared by many items);
 * - for a guid that is no URL: all digits (`156700001`), or a word and digits at its end
 *   (`tag:k-esg.org,2023:post-4391`), never the last group of a UUID.
 *
 * A month (`/news/2026/11/green-taxonomy`) is never a number: it is not the last segment, and
 * a two-digit one would be too short anyway.
 */
export function ownNumberOf(value: string | undefined): number | null {
  const text = value?.trim();
  if (!text) return null;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // Not a URL: a bare guid.
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return numberInUrl(url);
  return numberInGuid(text);
}

function numberInUrl(url: URL): number | null {
  for (const name of NUMBER_PARAMS) {
    const param = url.searchParams.get(name);
    if (param && /^\d{1,15}$/.test(param)) return positive(param);
  }
  const last = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  const digits = /^(\d{3,15})(?:\.[A-Za-z]{2,5})?$/.exec(last)?.[1];
  return digits && !looksLikeDate(digits) ? positive(digits) : null;
}

function numberInGuid(guid: string): number | null {
  if (/^\d{1,15}$/.test(guid)) return positive(guid);
  const last = guid.split(/[:/,]/).at(-1) ?? '';
  const digits = /^[A-Za-z]+[-_]?(\d{1,15})$/.exec(last)?.[1];
  return digits ? positive(digits) : null;
}

/** `2026`, `202611`, `20261105`: a year, a month or a day that many items share. */
function looksLikeDate(digits: string): boolean {
  return /^(19|20)\d\d((0[1-9]|1[0-2])((0[1-9]|[12]\d|3[01]))?)?$/.test(digits);
}

function positive(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
