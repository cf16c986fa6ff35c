/**
 * What a Markdown-reading chat (Teams' TextBlocks and facts, JANDI, Dooray!) would make of a
 * text, written from what those platforms say they render (emphasis, code, `[text](url)`
 * links, `<…>` tags and Teams' `<at>` mentions) and not from the bot's renderers, so a
 * renderer cannot agree with itself by mistake. Each problem reads `path: what is wrong`.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * `[label](target)`, the label holding bracket pairs as CommonMark allows (JANDI's own example
 * is `[[PizzaHouse]](http://url_to_text)`); the third group is the closing parenthesis.
 */
const MASKED_LINK = /\[((?:[^[\]]|\[[^[\]]*\])*)\]\(([^)\s]*)(\))?/g;
/** A bare http(s) URL: the platforms link it by itself, and its characters are no markup. */
const BARE_URL = /https?:\/\/[^\s<>]+/g;
const TAG = /<[^<>\s][^<>]*>/;
const DOUBLE_MARKERS = /\*\*|__|~~|`/;
/** `*x*` or `_x_` around a word, as CommonMark reads emphasis (not inside a word for `_`). */
const SINGLE_EMPHASIS = /(^|[^\w*])\*(?=\S)[^*\n]*?\S\*(?![\w*])|(^|[^\w])_(?=\S)[^_\n]*?\S_(?!\w)/;

/** `https?://host…` with no raw whitespace, as a platform would follow it. */
export function isHttpUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The markup `text` holds for a platform that reads Markdown in it. A link is markup the bot
 * may mean only with an http(s) target and a plain label; anything else (a `javascript:`
 * target, a link cut open, a tag, emphasis, code) would be a post's text acting as markup.
 */
export function markdownHazards(text: string, path: string): string[] {
  const problems: string[] = [];
  for (const [whole, label = '', target = '', closed] of text.matchAll(MASKED_LINK)) {
    if (!closed || !isHttpUrl(target) || /\]\(/.test(label)) {
      problems.push(`${path}: link ${JSON.stringify(whole.slice(0, 60))}`);
    }
  }
  // What is left once links are taken out: bare URLs are links, not markup.
  const rest = text.replace(MASKED_LINK, (_whole, label: string) => label).replace(BARE_URL, ' ');
  const tag = TAG.exec(rest);
  if (tag) problems.push(`${path}: tag ${JSON.stringify(tag[0].slice(0, 60))}`);
  const marker = DOUBLE_MARKERS.exec(rest) ?? SINGLE_EMPHASIS.exec(rest);
  if (marker) problems.push(`${path}: markup ${JSON.stringify(marker[0].trim().slice(0, 60))}`);
  return problems;
}

/** Lone surrogates anywhere in a JSON value (platforms refuse or garble them). */
export function loneSurrogates(value: unknown, path = ''): string[] {
  if (typeof value === 'string')
    return LONE_SURROGATE.test(value) ? [`${path}: a lone surrogate`] : [];
  if (Array.isArray(value))
    return value.flatMap((item, i) => loneSurrogates(item, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    loneSurrogates(item, path ? `${path}.${key}` : key),
  );
}
