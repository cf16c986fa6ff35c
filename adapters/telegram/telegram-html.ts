import { cutText, wellFormed } from '../../src/model/news-message.js';

/**
 * Telegram's `parse_mode: 'HTML'` (Bot API, "Formatting options", HTML style): only its own
 * tags (b, i, u, s, a href, code, pre, blockquote, …); every `<`, `>` and `&` that is not
 * markup must be written `&lt;`, `&gt;`, `&amp;`, and only those and `&quot;` are known named
 * entities. The message's length limit (4,096) counts the text after parsing: tags do not
 * count, an entity counts as the one character it stands for.
 *
 * Every message the bot builds is made of {@link Html} pieces, each knowing how long it is once
 * parsed, so a limit is kept without parsing the result, and a cut never falls inside a tag.
 */
export interface Html {
  html: string;
  /** Characters Telegram counts once the entities are parsed (UTF-16 units, see `cutText`). */
  length: number;
}

/** `sendMessage`'s `text`: "1-4096 characters after entities parsing" (Bot API, sendMessage). */
export const MESSAGE_LIMIT = 4096;

/** Escapes text for Telegram's HTML: `&`, `<` and `>` (the only characters it reads as markup). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value written in double quotes (`href="…"`). */
function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/**
 * Telegram finds `@username` mentions in any message text, parsed or not, and a mention of a
 * group's member notifies them. A word joiner (U+2060) after each `@` keeps a post's `@name`
 * from being read as one while it still reads the same.
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_])/g, '@\u2060');
}

/** Text the bot did not write, as shown: well-formed, mentions defused; `max`: cut to it. */
export function plain(text: string, max = Number.POSITIVE_INFINITY): string {
  return cutText(defuseMentions(wellFormed(text)), max);
}

/** Untrusted text as a piece: defused, cut to `max` characters as shown, escaped. */
export function text(raw: string, max = Number.POSITIVE_INFINITY): Html {
  const shown = plain(raw, max);
  return { html: escapeHtml(shown), length: shown.length };
}

export function bold(inner: Html): Html {
  return { html: `<b>${inner.html}</b>`, length: inner.length };
}

export function code(inner: Html): Html {
  return { html: `<code>${inner.html}</code>`, length: inner.length };
}

/**
 * A link around `inner`. `url` must be a vetted http(s) URL (`httpUrl`): Telegram shows the
 * target before opening it, and the URL does not count toward the length.
 */
export function link(url: string, inner: Html): Html {
  return { html: `<a href="${escapeAttribute(url)}">${inner.html}</a>`, length: inner.length };
}

export function join(parts: readonly Html[], separator = '\n'): Html {
  return {
    html: parts.map((part) => part.html).join(separator),
    length:
      parts.reduce((sum, part) => sum + part.length, 0) +
      separator.length * Math.max(0, parts.length - 1),
  };
}

/**
 * The bot's own chat texts (command replies) are written in the markdown Slack and Discord
 * share: `*bold*` and `` `code` ``. As Telegram HTML: `*…*` pairs become bold and code spans
 * code, a code span inside bold staying code only (Telegram lets no entity hold code), and
 * everything else is escaped. The text may echo what a user typed, but it can only ever
 * become bold or code, never a link or a mention.
 */
export function fromMarkdownLine(line: string): Html {
  const parts: Html[] = [];
  for (const [i, segment] of line.split(/\*([^*\s][^*]*)\*/).entries()) {
    // A code span: a backtick, at least one other character, a backtick.
    for (const [j, piece] of segment.split(/`([^`]+)`/).entries()) {
      if (piece === '') continue;
      if (j % 2 === 1) parts.push(code(text(piece)));
      else parts.push(i % 2 === 1 ? bold(text(piece)) : text(piece));
    }
  }
  return join(parts, '');
}

/**
 * As many of `lines` as fit in `max` characters, whole; a first line longer than `max` is
 * replaced by its plain text cut to fit (never a tag cut in half).
 */
export function fitLines(lines: readonly Html[], raw: readonly string[], max: number): Html {
  const kept: Html[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const extra = line.length + (kept.length > 0 ? 1 : 0);
    if (used + extra <= max) {
      kept.push(line);
      used += extra;
      continue;
    }
    const room = max - used - (kept.length > 0 ? 1 : 0);
    // A line that does not fit is shown cut, as plain text, when there is room worth using.
    if (room >= 20) kept.push(text(raw[i] ?? '', room));
    break;
  }
  return join(kept);
}
