/** Shorter runs are words, ids and dates; secrets people paste into URLs are longer. */
const MIN_TOKEN_LENGTH = 20;
/** Hex digests and keys (md5 is 32, sha1 40) are shorter than base64 tokens of as much entropy. */
const MIN_HEX_LENGTH = 16;
/**
 * At least one switch per this many letters and digits makes a token. Random base64url keys
 * of 32 characters switch about every two; of 500,000 only about 1 in 7,000 switched too
 * seldom (1 in 400 of 20 characters; lower-case base36 keys, 1 in 30). CamelCase names
 * (`selectBoardArticleList`: 3 in 22) and slugs (none) stay well below.
 */
const LETTERS_PER_SWITCH = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type CharClass = 'digit' | 'lower' | 'upper' | 'other';

function classOf(code: number): CharClass {
  if (code >= 48 && code <= 57) return 'digit';
  if (code >= 97 && code <= 122) return 'lower';
  if (code >= 65 && code <= 90) return 'upper';
  return 'other';
}

const isHexLetter = (code: number) => (code >= 97 && code <= 102) || (code >= 65 && code <= 70);

/**
 * Whether one piece of a URL (a path segment, decoded) looks like a secret rather than
 * something a person wrote: a UUID; a word of 16+ hex digits holding both letters and digits
 * (a digest, an API key); or 20+ characters of base64url's alphabet (letters, digits, `-`,
 * `_`) whose letters and digits switch class often: between a letter and a digit, from lower
 * to upper case, or from upper to lower case other than a capital starting a word or a hump
 * (`Board`). Words, slugs (`esg-report-2023-11-27`, `The-New-ESG-Law`), numbers (`156604392`),
 * dates and CamelCase names (`selectBoardArticleList.do`) stay readable. One pass, no
 * backtracking: linear in the text whatever it holds.
 */
export function looksLikeSecret(text: string): boolean {
  if (UUID.test(text)) return true;
  let alphanumerics = 0;
  /** Letters, digits, `-` and `_`: base64url's alphabet. */
  let tokenCharacters = 0;
  let switches = 0;
  let hexWord = false;
  // The current word (a run of ASCII letters and digits) and its run of capitals.
  let word = { length: 0, hex: true, digits: false, letters: false };
  let capitals = 0;
  let previous: CharClass = 'other';
  const endWord = () => {
    const { length, hex, digits, letters } = word;
    if (length >= MIN_HEX_LENGTH && hex && digits && letters) hexWord = true;
    word = { length: 0, hex: true, digits: false, letters: false };
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const current = classOf(code);
    if (current !== 'other' || code === 45 || code === 95) tokenCharacters++;
    if (current === 'other') {
      endWord();
      capitals = 0;
    } else {
      alphanumerics++;
      const capital = previous === 'upper' && current === 'lower' && capitals === 1;
      if (previous !== 'other' && previous !== current && !capital) switches++;
      capitals = current === 'upper' ? capitals + 1 : 0;
      word.length++;
      word.hex &&= current === 'digit' || isHexLetter(code);
      if (current === 'digit') word.digits = true;
      else word.letters = true;
    }
    previous = current;
  }
  endWord();
  if (hexWord) return true;
  return (
    tokenCharacters >= MIN_TOKEN_LENGTH &&
    alphanumerics >= MIN_HEX_LENGTH &&
    switches * LETTERS_PER_SWITCH >= alphanumerics
  );
}
