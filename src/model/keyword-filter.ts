import { searchableText } from './searchable-text.js';
import type { Post } from './post.js';

/**
 * A subscription's keywords read as a query. A post passes when it holds at least one of
 * `include` (or `include` is empty) and none of `exclude`. Terms with a space are phrases.
 */
export interface KeywordQuery {
  include: string[];
  exclude: string[];
}

/**
 * Keywords are stored as the `string[]` subscriptions always had, one token each, so no
 * stored subscription needs migrating: `탄소` (a word), `탄소 중립` (a phrase, typed in
 * quotes), `-해외` (an exclusion), `-탄소 중립` (an excluded phrase).
 */
const EXCLUDE = '-';

/** What a user typed that cannot be read as keywords. */
export type KeywordSyntaxError =
  /** `-` with nothing after it (`/news 구독 탄소 -`, `- 해외`). */
  | { code: 'lone-dash' }
  /** `""` or `-" "`. */
  | { code: 'empty-phrase' }
  /** `"탄소 중립` with no closing quote. */
  | { code: 'unclosed-quote'; phrase: string };

export type KeywordTokens =
  { ok: true; tokens: string[] } | { ok: false; error: KeywordSyntaxError };

/** Straight, curly and full-width double quotes: phones and Slack's editor turn `"` into `“`. */
const OPENING_QUOTES = new Set(['"', '“', '”', '„', '＂']);
const CLOSING_QUOTES = new Set(['"', '”', '“', '＂']);
/** Dashes a Korean keyboard or a phone may send for `-`. */
const DASHES = new Set(['-', '－', '−']);
/**
 * Keywords are separated by white space or commas (`탄소, 환경부`). Not by U+FEFF, which `\s`
 * counts as space: it is an invisible format character, and `광\ufeff고` is one word.
 */
const SEPARATOR = /(?!\ufeff)[\s,，]/;

/**
 * Reads typed keywords into their stored tokens: `탄소 -해외 "탄소 중립"` →
 * `['탄소', '-해외', '탄소 중립']`. Quotes are special at the start of a token only, so
 * `1,443억` in quotes keeps its comma and a stray quote inside a word stays as typed. A
 * URL (`https://…`) ends at white space only, since commas are legal in it.
 */
export function tokenizeKeywords(text: string): KeywordTokens {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (SEPARATOR.test(text[i]!)) {
      i++;
      continue;
    }
    const excluded = DASHES.has(text[i]!);
    if (excluded) i++;
    const sign = excluded ? EXCLUDE : '';
    const next = text[i];
    if (excluded && (next === undefined || SEPARATOR.test(next))) {
      return { ok: false, error: { code: 'lone-dash' } };
    }
    if (next !== undefined && OPENING_QUOTES.has(next)) {
      let end = i + 1;
      while (end < text.length && !CLOSING_QUOTES.has(text[end]!)) end++;
      const phrase = normalizePhrase(text.slice(i + 1, end));
      if (end >= text.length) {
        return { ok: false, error: { code: 'unclosed-quote', phrase: text.slice(i, i + 20) } };
      }
      if (phrase === '') return { ok: false, error: { code: 'empty-phrase' } };
      tokens.push(sign + phrase);
      i = end + 1;
      continue;
    }
    let end = i;
    const isUrl = /^https?:\/\//i.test(text.slice(i, i + 8));
    while (end < text.length && !(isUrl ? /\s/ : SEPARATOR).test(text[end]!)) end++;
    tokens.push(sign + text.slice(i, end));
    i = end;
  }
  return { ok: true, tokens };
}

/**
 * A phrase as stored: single spaces, and no leading dash, which would read as an exclusion
 * once stored (`"-5%"` is kept as `5%`, which still finds it).
 */
function normalizePhrase(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[-－−\s]+/, '');
}

/** One stored token as a term of the query: `{ excluded, term }`, `null` when it says nothing. */
export function readToken(token: string): { excluded: boolean; term: string } | null {
  const excluded = token.startsWith(EXCLUDE);
  const term = (excluded ? token.slice(EXCLUDE.length) : token).replace(/\s+/g, ' ').trim();
  // A bare `-` stored by an older release was a keyword that matched any dash; today it
  // would exclude everything. Neither is what anyone meant: it is ignored. So is a term of
  // invisible characters only, which compares as empty (see `searchableText`).
  return term === '' || searchableText(term).trim() === '' ? null : { excluded, term };
}

/** The stored tokens as a query. */
export function readKeywords(stored: readonly string[]): KeywordQuery {
  const query: KeywordQuery = { include: [], exclude: [] };
  for (const token of stored) {
    const read = readToken(token);
    if (read) (read.excluded ? query.exclude : query.include).push(read.term);
  }
  return query;
}

/** A term as typed again: phrases in quotes, `탄소 중립` → `"탄소 중립"`. */
export function typedTerm(term: string): string {
  return term.includes(' ') ? `"${term}"` : term;
}

/** A token as the user would type it: `-탄소 중립` → `-"탄소 중립"`. */
export function typedToken(token: string): string {
  const read = readToken(token);
  if (!read) return token;
  return `${read.excluded ? EXCLUDE : ''}${typedTerm(read.term)}`;
}

/**
 * A term both wanted and excluded (`탄소 -탄소`): such a subscription could never match.
 * Compared in searchable form, so `ESG -esg` is caught too.
 */
export function conflictingTerm(query: KeywordQuery): string | null {
  const excluded = new Set(query.exclude.map(searchForm));
  return query.include.find((term) => excluded.has(searchForm(term))) ?? null;
}

/** The text of a post that keywords are matched against, in the forms the matcher needs. */
export interface PostSearchText {
  /** Title, ministry and summary in `searchableText` form, one field per line. */
  text: string;
  /** The same without white space, fields kept apart: where phrases are looked for. */
  joined: string;
}

/** Between fields of {@link PostSearchText.joined}: no phrase may run from a title into its ministry. */
const FIELD_BREAK = '\u0001';

/**
 * What keywords see of a post: its title, ministry and lead summary (absent on posts
 * archived before summaries were read: they match on title and ministry, as they always did).
 */
export function postSearchText(post: Pick<Post, 'title' | 'ministry' | 'summary'>): PostSearchText {
  const fields = [post.title, post.ministry ?? '', post.summary ?? ''].map(searchableText);
  return {
    text: fields.join('\n'),
    joined: fields.map((field) => field.replace(/\s+/g, '')).join(FIELD_BREAK),
  };
}

/**
 * Whether one term is in the text, both in `searchableText` form (NFKC, no format
 * characters, lower case), so `esg` finds `ＥＳＧ` and `광\u200b고` is `광고`. A word is a substring, as keywords always were (탄소
 * finds 탄소중립을). A phrase is its words in order with only white space between, or none:
 * Korean spacing varies from one release to the next, so `"탄소 중립"` also finds 탄소중립.
 */
export function hasTerm(text: PostSearchText, term: string): boolean {
  const needle = searchableText(term).trim();
  // Every text holds the empty string: an empty term would exclude every post.
  if (needle === '') return false;
  if (!/\s/.test(needle)) return text.text.includes(needle);
  return text.joined.includes(needle.replace(/\s+/g, ''));
}

/** Whether a post's text passes the query: any include (or none given), and no exclude. */
export function matchesQuery(query: KeywordQuery, text: PostSearchText): boolean {
  if (query.exclude.some((term) => hasTerm(text, term))) return false;
  return query.include.length === 0 || query.include.some((term) => hasTerm(text, term));
}

function searchForm(term: string): string {
  return searchableText(term).replace(/\s+/g, ' ');
}
