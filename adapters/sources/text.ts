import { decodeHTML } from 'entities';

/** Collapses runs of white space (including &nbsp;) to one space and trims. */
export function compact(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Longest text a source may give for one short field (a title, a category, a date cell),
 * taken before it is decoded or collapsed: enough for any real one, and a 5 MB "title" costs
 * no more than this to clean.
 */
export const MAX_FIELD_INPUT = 10_000;

/** Longest post title kept: alerts show a headline, not a paragraph. */
export const MAX_POST_TITLE = 300;

/** Longest ministry (or feed category, or author) kept: a department's name. */
export const MAX_MINISTRY = 100;

/**
 * `text` within `max` UTF-16 units: whole when it fits, else cut with `…`, never inside a
 * surrogate pair.
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** A short field cleaned for chat: bounded input, entities decoded, white space collapsed. */
export function fieldText(raw: string, max: number, decode = false): string {
  const bounded = raw.slice(0, MAX_FIELD_INPUT);
  return capText(compact(decode ? decodeHTML(bounded) : bounded), max);
}

/** Elements whose text is never prose: scripts, captions under images, data tables, forms. */
const SKIPPED: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'figcaption',
  'table',
  'iframe',
  'svg',
  'button',
  'select',
  'textarea',
  'form',
]);
/** Tags that end a paragraph (and `<br>`): a line break in the text. */
const BLOCK: ReadonlySet<string> = new Set([
  ...['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr'],
  ...['section', 'article', 'aside', 'blockquote', 'header', 'footer', 'figure'],
  ...['dl', 'dt', 'dd', 'pre', 'hr', 'center', 'main', 'nav'],
]);
/** Longer than every name above: a longer tag name is only ever dropped. */
const LONGEST_NAME = 10;
/** Enough of a body for its first sentences; a huge page is not worth scanning to the end. */
const MAX_HTML = 50_000;

/**
 * The text of an HTML fragment (a post body, a feed item's description), one line per
 * paragraph, entities decoded, blank lines dropped. A scanner, not a DOM: feed descriptions
 * are read for every item on every poll, and only the lead is wanted. What comes out is only
 * ever shown as text, escaped by each chat renderer.
 *
 * Skipped elements ({@link SKIPPED}) go with their content when they are closed; block tags
 * become line breaks; any other tag, comment or declaration is dropped, its text kept; a `<`
 * that opens nothing (`a < b`, a tag never closed by `>`) is text.
 */
export function htmlLines(html: string): string[] {
  return decodeHTML(markupToText(html.slice(0, MAX_HTML)))
    .split('\n')
    .map(compact)
    .filter((line) => line.length > 0);
}

/**
 * Markup with its tags replaced (see {@link htmlLines}), in one pass over the text. Linear
 * on any input: regular expressions with lazy quantifiers, which this replaces, rescan the
 * rest of the text from every unclosed `<p` or `<script`, quadratic on a hostile feed; here
 * every search forward remembers where it ended (see {@link ForwardSearch}).
 */
function markupToText(html: string): string {
  const search = new ForwardSearch(html);
  const parts: string[] = [];
  let copied = 0;
  let at = html.indexOf('<');
  while (at >= 0) {
    const tag = readTag(html, at, search);
    if (tag === null) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    parts.push(html.slice(copied, at), tag.replacement);
    copied = tag.end;
    at = html.indexOf('<', copied);
  }
  parts.push(html.slice(copied));
  return parts.join('');
}

/** The markup starting at `at` (a `<`): where it ends and what stands for it, or `null` for a `<` that is text. */
function readTag(
  html: string,
  at: number,
  search: ForwardSearch,
): { end: number; replacement: string } | null {
  const next = html[at + 1];
  if (html.startsWith('<!--', at)) {
    const close = search.literal('-->', at + 4);
    if (close >= 0) return { end: close + 3, replacement: '' };
  }
  if (next === '!' || next === '?') {
    const close = search.literal('>', at + 2);
    return close >= 0 ? { end: close + 1, replacement: '' } : null;
  }
  const nameStart = next === '/' ? at + 2 : at + 1;
  if (!isLetter(html.charCodeAt(nameStart))) return null;
  let nameEnd = nameStart + 1;
  while (nameEnd - nameStart <= LONGEST_NAME && isWordChar(html.charCodeAt(nameEnd))) nameEnd++;
  const name = html.slice(nameStart, nameEnd).toLowerCase();
  if (next !== '/' && SKIPPED.has(name)) {
    const close = search.closingTag(name, nameEnd);
    if (close !== null) return { end: close, replacement: '\n' };
  }
  const close = search.literal('>', nameStart);
  if (close < 0) return null;
  return { end: close + 1, replacement: BLOCK.has(name) ? '\n' : '' };
}

/**
 * Searches forward in one text, remembering each search's answer: the first match at or
 * after `from` is also the first at or after any later start up to it, and when there is
 * none, there is none after any later start. So the searches of one kind scan disjoint
 * stretches of the text, and a thousand unclosed tags cost what one does.
 */
class ForwardSearch {
  private readonly last = new Map<string, { from: number; at: number }>();

  constructor(private readonly text: string) {}

  /** Where `needle` next occurs at or after `from`; -1 when it does not. */
  literal(needle: string, from: number): number {
    return this.remembered(needle, from, () => this.text.indexOf(needle, from));
  }

  /** The end of the first `</name>` (any case, white space before `>`) at or after `from`; `null` when there is none. */
  closingTag(name: string, from: number): number | null {
    let end = -1;
    const at = this.remembered(`</${name}`, from, () => {
      const pattern = new RegExp(`</${name}\\s*>`, 'gi');
      pattern.lastIndex = from;
      const match = pattern.exec(this.text);
      end = match ? match.index + match[0].length : -1;
      return match ? match.index : -1;
    });
    if (at < 0) return null;
    if (end >= 0) return end;
    // Remembered: the closing tag found before, whose end is found again from its start.
    const pattern = new RegExp(`</${name}\\s*>`, 'iy');
    pattern.lastIndex = at;
    const match = pattern.exec(this.text);
    return match ? at + match[0].length : null;
  }

  private remembered(key: string, from: number, search: () => number): number {
    const last = this.last.get(key);
    if (last && from >= last.from && (last.at < 0 || from <= last.at)) return last.at;
    const at = search();
    this.last.set(key, { from, at });
    return at;
  }
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isWordChar(code: number): boolean {
  return isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}
