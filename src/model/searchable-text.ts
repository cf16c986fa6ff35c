/** Format characters (Unicode category Cf): zero-width spaces and joiners, BOM, soft hyphen, bidi marks. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/**
 * The one form text is compared in, for keywords and posts and for search words and archived
 * posts alike: NFKC (full-width `ＥＳＧ` is `ESG`, compatibility forms fold), without format
 * characters (so `광\u200b고` is `광고`: an invisible character cannot slip a post past an
 * exclusion), lower-cased. NFKC again last: removing a character or lower-casing can leave text
 * that composes further (conjoining jamo that a zero-width space kept apart).
 */
export function searchableText(text: string): string {
  return text.normalize('NFKC').replace(FORMAT_CHARACTERS, '').toLowerCase().normalize('NFKC');
}
