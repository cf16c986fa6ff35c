/**
 * Telegram's `parse_mode: 'HTML'` as the Bot API reads it ("Formatting options", HTML style):
 * - Only these tags: b/strong, i/em, u/ins, s/strike/del, span class="tg-spoiler",
 *   tg-spoiler, a href, tg-emoji, code, pre, blockquote (optionally `expandable`). Any other
 *   is refused: `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset N`.
 * - Every `<`, `>` and `&` that is not markup must be escaped; the only named entities are
 *   `&lt;`, `&gt;`, `&amp;` and `&quot;`, numeric ones (`&#123;`, `&#x7B;`) all work.
 * - Tags must be closed in order (entities nest only wholly inside one another); pre and code
 *   hold no other entity (but `<pre><code class="language-…">`), blockquotes do not nest,
 *   and a link holds no other link.
 * - The 4,096-character limit counts the text after parsing (sendMessage: "1-4096 characters
 *   after entities parsing").
 * What this cannot be sure of, it refuses, so that passing here means passing Telegram.
 */

/** An entity as the message shows it: its kind, and a link's target. */
export interface ParsedEntity {
  type: string;
  url?: string;
}

export interface ParsedText {
  /** The text as shown, entities decoded and tags gone. */
  text: string;
  entities: ParsedEntity[];
}

export class HtmlParseError extends Error {}

const TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  'tg-emoji': 'custom_emoji',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Parses Telegram HTML, or throws {@link HtmlParseError} with Telegram's words. */
export function parseTelegramHtml(html: string): ParsedText {
  const open: Array<{ name: string; entity: ParsedEntity }> = [];
  const entities: ParsedEntity[] = [];
  let text = '';
  let i = 0;
  const offset = () => Buffer.byteLength(html.slice(0, i), 'utf8');
  while (i < html.length) {
    const char = html[i]!;
    if (char === '&') {
      const entity = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/.exec(html.slice(i));
      if (!entity) throw new HtmlParseError(`Unsupported HTML entity at byte offset ${offset()}`);
      const name = entity[1]!;
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        if (code > 0x10ffff)
          throw new HtmlParseError(`Wrong character code at byte offset ${offset()}`);
        text += String.fromCodePoint(code);
      } else {
        const decoded = NAMED[name];
        if (decoded === undefined) {
          throw new HtmlParseError(
            `Unsupported HTML entity "&${name};" at byte offset ${offset()}`,
          );
        }
        text += decoded;
      }
      i += entity[0].length;
      continue;
    }
    if (char !== '<') {
      text += char;
      i++;
      continue;
    }
    const end = html.indexOf('>', i);
    if (end < 0) throw new HtmlParseError(`Unclosed start tag at byte offset ${offset()}`);
    const tag = html.slice(i + 1, end);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top || top.name !== name) {
        throw new HtmlParseError(
          `Unmatched end tag at byte offset ${offset()}, expected "</${top?.name ?? ''}>", found "</${name}>"`,
        );
      }
    } else {
      const match = /^([a-zA-Z][a-zA-Z-]*)((?:\s+[a-zA-Z-]+(?:="[^"]*"|='[^']*')?)*)\s*$/.exec(tag);
      const name = match?.[1]?.toLowerCase() ?? tag.split(/\s/)[0]!;
      const type = match ? TAGS[name] : undefined;
      if (!match || type === undefined) {
        throw new HtmlParseError(`Unsupported start tag "${name}" at byte offset ${offset()}`);
      }
      const attributes = readAttributes(match[2] ?? '');
      checkNesting(
        name,
        open.map((o) => o.name),
        offset(),
      );
      const entity: ParsedEntity = { type };
      if (name === 'a') {
        const href = attributes.get('href');
        if (href === undefined) throw new HtmlParseError(`Missing href at byte offset ${offset()}`);
        entity.url = decodeAttribute(href);
      }
      if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
        throw new HtmlParseError(`Unsupported start tag "span" at byte offset ${offset()}`);
      }
      open.push({ name, entity });
      entities.push(entity);
    }
    i = end + 1;
  }
  const unclosed = open.pop();
  if (unclosed) {
    throw new HtmlParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }
  return { text, entities };
}

function readAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, , double, single] of source.matchAll(
    /([a-zA-Z-]+)(=(?:"([^"]*)"|'([^']*)'))?/g,
  )) {
    attributes.set(name!.toLowerCase(), double ?? single ?? '');
  }
  return attributes;
}

function decodeAttribute(value: string): string {
  return parseTelegramHtml(value).text;
}

/** What Telegram lets nest (ParseMode: "entities can be nested, providing …"). */
function checkNesting(name: string, outer: string[], at: number): void {
  const inside = outer.at(-1);
  if (inside === 'code' || (inside === 'pre' && name !== 'code')) {
    throw new HtmlParseError(`Can't use tag "${name}" inside "${inside}" at byte offset ${at}`);
  }
  if ((name === 'code' || name === 'pre') && outer.some((o) => o !== 'pre' && o !== 'blockquote')) {
    throw new HtmlParseError(`Can't use tag "${name}" inside other entities at byte offset ${at}`);
  }
  if (name === 'a' && outer.includes('a')) {
    throw new HtmlParseError(`Nested links are not allowed at byte offset ${at}`);
  }
  if (name === 'blockquote' && outer.includes('blockquote')) {
    throw new HtmlParseError(`Blockquotes can't be nested at byte offset ${at}`);
  }
}

/**
 * Telegram finds `@username` mentions in any text (usernames: 5–32 letters, digits and `_`,
 * starting with a letter), and a mention notifies a member of the chat. `tg://user?id=` links
 * mention by id.
 */
const MENTION = /(?<![A-Za-z0-9_@])@[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_])/g;

/** What a message could do that the bot did not mean: mention someone, link off http(s). */
export function telegramSafetyProblems(shown: ParsedText): string[] {
  const problems: string[] = [];
  for (const [mention] of shown.text.matchAll(MENTION)) problems.push(`mention ${mention}`);
  for (const entity of shown.entities) {
    if (entity.url !== undefined && !/^https?:\/\//i.test(entity.url)) {
      problems.push(`link to ${JSON.stringify(entity.url.slice(0, 60))}`);
    }
  }
  return problems;
}
