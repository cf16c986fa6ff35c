import { decodeHTML } from 'entities';

/** Collapses runs of white space (including &nbsp;) to one space and trims. */
export function compact(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Elements whose text is never prose: scripts, captions under images, data tables, forms. */
const SKIPPED =
  /<(script|style|noscript|template|figcaption|table|iframe|svg|button|select|textarea|form)\b[\s\S]*?<\/\1\s*>/gi;
/** Tags that end a paragraph (and `<br>`): a line break in the text. */
const BLOCK =
  /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|section|article|aside|blockquote|header|footer|figure|dl|dt|dd|pre|hr|center|main|nav)\b[^>]*>/gi;
/** Any other tag, a comment or a declaration: dropped, its text kept. */
const TAG = /<\/?[a-z][^>]*>|<!--[\s\S]*?-->|<[!?][^>]*>/gi;
/** Enough of a body for its first sentences; a huge page is not worth scanning to the end. */
const MAX_HTML = 50_000;

/**
 * The text of an HTML fragment (a post body, a feed item's description), one line per
 * paragraph, entities decoded, blank lines dropped. Regular expressions, not a DOM: feed
 * descriptions are read for every item on every poll, and only the lead is wanted. What
 * comes out is only ever shown as text, escaped by each chat renderer.
 */
export function htmlLines(html: string): string[] {
  return decodeHTML(
    html.slice(0, MAX_HTML).replace(SKIPPED, '\n').replace(BLOCK, '\n').replace(TAG, ''),
  )
    .split('\n')
    .map(compact)
    .filter((line) => line.length > 0);
}
