import { decodeHTML } from 'entities';
import { compact, MAX_FIELD_INPUT } from './text.js';

/** Longest title kept for chat: a source's title is a name, not a paragraph. */
const MAX_TITLE_LENGTH = 80;

/**
 * A board's name from its page's `<title>`: collapsed, and cut before the site's name the
 * way sites append it (`ESG 정책뉴스 | K-ESG` → `ESG 정책뉴스`; also ` - `, ` – `, ` — `,
 * ` :: `, ` · `). `null` for a blank title.
 */
export function boardTitle(text: string): string | null {
  const name = compact(text.slice(0, MAX_FIELD_INPUT))
    .split(/\s+(?:\||-|–|—|::|·)\s+/)
    .map((part) => part.trim())
    .find(Boolean);
  return name ? cut(name) : null;
}

/**
 * A feed's name from its `<title>`, kept whole (`환경부 - 보도자료` is the name): entities
 * some feeds escape twice decoded, white space collapsed. `null` for a blank title.
 */
export function feedTitle(text: string | undefined): string | null {
  const name = compact(decodeHTML((text ?? '').slice(0, MAX_FIELD_INPUT)));
  return name ? cut(name) : null;
}

/** At most {@link MAX_TITLE_LENGTH} code points, never half a surrogate pair. */
function cut(text: string): string {
  const points = [...text];
  return points.length > MAX_TITLE_LENGTH
    ? `${points
        .slice(0, MAX_TITLE_LENGTH - 1)
        .join('')
        .trimEnd()}…`
    : text;
}
