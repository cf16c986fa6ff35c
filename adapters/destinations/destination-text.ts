import {
  cutText,
  LABELS,
  moreAttachmentsText,
  type DisplayPost,
} from '../../src/model/news-message.js';

/**
 * Text helpers the webhook formats share (Teams, JANDI, Dooray!): each platform renders a
 * subset of Markdown whose escaping rules it does not document, so post text is made inert
 * with look-alike characters instead of backslashes a renderer might show or ignore.
 */

/**
 * Characters that open markup in the Markdown these platforms render: emphasis (`*`, `_`,
 * `~`), code (`` ` ``) and tags (`<`, `>`; Teams mentions are `<at>…</at>`). Each becomes its
 * full-width form, which reads the same and is markup nowhere.
 */
const MARKUP: Readonly<Record<string, string>> = {
  '*': '＊',
  _: '＿',
  '~': '～',
  '`': '｀',
  '<': '＜',
  '>': '＞',
};
const MARKUP_CHARS = /[*_~`<>]/g;
/**
 * A `]` that ends a link's text: before `(` (an inline link or image), `[` (a reference) or
 * `:` (a link definition). Brackets elsewhere are text (`[정정]`, `[보도자료]`): a bracket pair
 * alone is a link only where a definition names it, and no definition survives this.
 */
const LINK_CLOSE = /\](?=[([:])/g;
/** At the start of a line: a heading, a list item or a numbered item. */
const LINE_MARKER = /^(\s*)(#|[-+]\s|\d+[.)]\s)/;

/**
 * `text` (one line) with nothing a Markdown renderer would turn into emphasis, code, a link,
 * a mention, a heading or a list: what a post's author wrote, shown as written, never as the
 * bot's markup. The length in UTF-16 units is unchanged (each replacement is one unit), so a
 * text cut to a length stays within it.
 */
export function inertText(text: string): string {
  const replaced = text
    .replace(MARKUP_CHARS, (char) => MARKUP[char] ?? char)
    .replace(LINK_CLOSE, '］');
  return replaced.replace(LINE_MARKER, (_whole, space: string, marker: string) => {
    const first = marker[0]!;
    const wide = first === '#' ? '＃' : first === '-' ? '－' : first === '+' ? '＋' : null;
    // A number's `.` or `)` becomes full-width: `1. ` would start a numbered list.
    if (wide === null) return `${space}${marker.replace(/[.)]/, (c) => (c === '.' ? '．' : '）'))}`;
    return `${space}${wide}${marker.slice(1)}`;
  });
}

/**
 * Inert text as the label of a link the bot makes, `[label](url)`: brackets that do not pair
 * up would end the label early or leave it open, so then every bracket is made full-width.
 */
export function linkLabel(text: string): string {
  const inert = inertText(text);
  let depth = 0;
  for (const char of inert) {
    if (char === '[') depth++;
    else if (char === ']' && --depth < 0) break;
  }
  return depth === 0 ? inert : inert.replace(/\[/g, '［').replace(/\]/g, '］');
}

/**
 * An http(s) URL as the target of `[label](url)`: parentheses and spaces would end the target
 * early (the URL parser already percent-encoded spaces and `<>`, see `httpUrl`).
 */
export function markdownTarget(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** The bytes `value` takes as the JSON body the notifier sends. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * The entries of a list (a digest's posts) that fit `budget` bytes of JSON in all, in order,
 * each counted with the comma that joins it to the others; `leftOut` holds the index of each
 * one that did not fit (a later, smaller one may still fit).
 */
export function keepWithin<T>(
  entries: readonly T[],
  budget: number,
): { kept: T[]; leftOut: number[] } {
  const kept: T[] = [];
  const leftOut: number[] = [];
  let used = 0;
  entries.forEach((entry, index) => {
    const size = jsonBytes(entry) + 1;
    if (used + size > budget) {
      leftOut.push(index);
      return;
    }
    kept.push(entry);
    used += size;
  });
  return { kept, leftOut };
}

/** An attachment's name and the other carriers, as the webhook formats show them at most. */
export const ATTACHMENT_NAME_MAX = 100;
export const CARRIERS_MAX = 300;
/**
 * Characters the links of a post's files may take in all. Real download links are ~100
 * characters; three of 2,000 would take a third of a 16,000-byte message, so a link past this
 * leaves its file shown by name alone.
 */
export const ATTACHMENT_LINKS_MAX = 2_500;

/** The files a post shows, each link kept while all kept take at most `budget` characters. */
export function filesWithin(
  post: DisplayPost,
  budget = ATTACHMENT_LINKS_MAX,
): DisplayPost['attachments'] {
  let used = 0;
  return post.attachments.map((file) => {
    // Counted as a Markdown link's target, the longest form any of these formats sends.
    const size = file.url === null ? 0 : markdownTarget(file.url).length;
    if (file.url === null || used + size > budget) return { ...file, url: null };
    used += size;
    return file;
  });
}

/**
 * A post's files and other carriers as inert plain lines, for the plainest forms: `첨부: 이름
 * url` a file (the link bare, as the post's own is there), `외 첨부 n건`, `함께 실린 곳: …`.
 */
export function plainExtraLines(post: DisplayPost): string[] {
  const lines = filesWithin(post).map((file) => {
    const name = `${LABELS.attachments}: ${inertText(cutText(file.name, ATTACHMENT_NAME_MAX))}`;
    return file.url ? `${name} ${file.url}` : name;
  });
  if (post.moreAttachments > 0) lines.push(moreAttachmentsText(post.moreAttachments));
  if (post.alsoCarriedBy) {
    lines.push(`${LABELS.alsoCarriedBy}: ${inertText(cutText(post.alsoCarriedBy, CARRIERS_MAX))}`);
  }
  return lines;
}
