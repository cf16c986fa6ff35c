import {
  conflictingTerm,
  readKeywords,
  readToken,
  tokenizeKeywords,
  typedTerm,
  type KeywordSyntaxError,
} from '../model/keyword-filter.js';
import { parseDigest, parseQuiet } from './parse-schedule.js';

/**
 * What a user asked for with `/news …`, whatever platform it came from. Source names are
 * not known here: a word that may name a source is passed on, and the command service
 * checks it against the deployment's sources.
 */
export type Command =
  /** `source`: the word before the number (`/news esg 1645`), `null` for the default source. */
  | { kind: 'lookup'; source: string | null; boardNo: number }
  | { kind: 'latest'; source: string | null; count: number }
  | { kind: 'search'; words: string[] }
  /**
   * `words`: keyword tokens as stored (`탄소`, `탄소 중립` typed in quotes, `-해외`; see
   * `keyword-filter`); a source name or URL may come first, the service decides.
   */
  | { kind: 'subscribe'; words: string[] }
  | { kind: 'unsubscribe'; source: string | null }
  | { kind: 'sources' }
  | { kind: 'status' }
  | { kind: 'help' }
  /** `/news 요약 09:00` / `요약 끄기` (`times: null`). */
  | { kind: 'digest'; times: string[] | null; weekdaysOnly: boolean }
  /** `/news 방해금지 22:00-07:00` / `방해금지 끄기` (`window: null`). */
  | { kind: 'quiet'; window: { start: string; end: string } | null }
  /** Not a valid command; `problem` is the Korean explanation to show. */
  | { kind: 'invalid'; problem: string };

export const LIMITS = {
  textLength: 300,
  latestDefault: 5,
  latestMax: 10,
  searchResults: 10,
  searchWordsMax: 5,
  keywordsMax: 10,
  keywordLength: 30,
} as const;

type CommandWord = Exclude<Command['kind'], 'lookup' | 'invalid'>;

const ALIASES: Record<string, CommandWord> = {
  latest: 'latest',
  최신: 'latest',
  search: 'search',
  검색: 'search',
  subscribe: 'subscribe',
  구독: 'subscribe',
  unsubscribe: 'unsubscribe',
  구독해지: 'unsubscribe',
  구독취소: 'unsubscribe',
  sources: 'sources',
  소스: 'sources',
  status: 'status',
  상태: 'status',
  help: 'help',
  도움말: 'help',
  digest: 'digest',
  요약: 'digest',
  quiet: 'quiet',
  방해금지: 'quiet',
};

/**
 * Whether `word` is a command (`status`, `검색`, …): such a word cannot name a source, or
 * `/news status 5` could mean either.
 */
export function isCommandWord(word: string): boolean {
  return Object.hasOwn(ALIASES, word.toLowerCase());
}

/** Control characters and line separators carry no meaning in a command: read as a space. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/**
 * Invisible format characters (zero-width space and joiners, bidi marks, BOM, soft hyphen):
 * removed, not read as a space, so `-광\u200b고` stays the one exclusion `-광고` instead of
 * becoming `-광` and the keyword `고`.
 */
const FORMAT = /\p{Cf}/gu;

/** A word that may name a source: lower-case letters, digits and `-`, as source names are. */
const SOURCE_WORD = /^[a-z0-9-]{1,20}$/i;

/**
 * Parses the text after `/news`. Never throws: anything it cannot read becomes `invalid`
 * with a short Korean explanation, so a typo gets help instead of an error.
 */
export function parseCommand(raw: string): Command {
  const text = raw.replace(FORMAT, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (text.length > LIMITS.textLength) {
    return invalid(`명령이 너무 깁니다. ${LIMITS.textLength}자 이내로 입력해 주세요.`);
  }
  if (text === '') return { kind: 'help' };

  const [head = '', ...rest] = text.split(' ');
  const number = (word: string) => (/^#?[-+]?\d+$/.test(word) ? word.replace(/^#/, '') : null);
  if (number(head) !== null && rest.length === 0) return lookup(null, number(head)!);

  const kind = ALIASES[head.toLowerCase()];
  switch (kind) {
    case 'latest':
      return latest(rest);
    case 'search':
      return search(rest);
    case 'subscribe':
      return subscribe(rest);
    case 'unsubscribe':
      if (rest.length > 1) return invalid('구독해지 뒤에는 소스 이름 하나만 붙일 수 있습니다.');
      return { kind, source: rest[0]?.toLowerCase() ?? null };
    case 'digest':
      return parseDigest(rest);
    case 'quiet':
      return parseQuiet(rest);
    case 'sources':
    case 'status':
    case 'help':
      return rest.length === 0 ? { kind } : invalid(`\`${head}\` 뒤에는 아무것도 붙이지 않습니다.`);
    default:
      // `/news esg 1645`: a source name, then a number.
      if (rest.length === 1 && SOURCE_WORD.test(head) && number(rest[0]!) !== null) {
        return lookup(head.toLowerCase(), number(rest[0]!)!);
      }
      return invalid('알 수 없는 명령입니다.');
  }
}

function lookup(source: string | null, digits: string): Command {
  const boardNo = Number(digits);
  if (!Number.isSafeInteger(boardNo) || boardNo < 1) {
    return invalid('게시글 번호는 1 이상의 숫자로 입력해 주세요. 예: `/news 1645`');
  }
  return { kind: 'lookup', source, boardNo };
}

/** `최신`, `최신 5`, `최신 esg`, `최신 esg 5`. */
function latest(args: string[]): Command {
  const tooMany = invalid(
    `최신 글은 1에서 ${LIMITS.latestMax} 사이의 개수로 볼 수 있습니다. 예: \`/news 최신 5\`, \`/news 최신 esg 3\``,
  );
  let source: string | null = null;
  let rest = args;
  // A count is digits only; a name may start with one (`127-0-0-1`, `3m-com`).
  if (rest[0] !== undefined && !/^\d+$/.test(rest[0]) && SOURCE_WORD.test(rest[0])) {
    source = rest[0].toLowerCase();
    rest = rest.slice(1);
  }
  if (rest.length === 0) return { kind: 'latest', source, count: LIMITS.latestDefault };
  const count = Number(rest[0]);
  if (rest.length > 1 || !Number.isInteger(count) || count < 1 || count > LIMITS.latestMax) {
    return tooMany;
  }
  return { kind: 'latest', source, count };
}

function search(words: string[]): Command {
  if (words.length === 0) return invalid('검색어를 입력해 주세요. 예: `/news 검색 탄소중립`');
  if (words.length > LIMITS.searchWordsMax) {
    return invalid(`검색어는 ${LIMITS.searchWordsMax}개까지 입력할 수 있습니다.`);
  }
  return { kind: 'search', words };
}

function subscribe(args: string[]): Command {
  const read = tokenizeKeywords(args.join(' '));
  if (!read.ok) return invalid(syntaxProblem(read.error));
  const words = unique(read.tokens);
  const first = words[0];
  // `ftp://…` and the like must not become a keyword: only web feeds can be read.
  if (first !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(first) && !/^https?:/i.test(first)) {
    return invalid(
      'http 또는 https 주소만 소스로 추가할 수 있습니다. 예: `/news 구독 https://…/rss`',
    );
  }
  const keywords = first !== undefined && /^https?:\/\//i.test(first) ? words.slice(1) : words;
  // A source name may come before the keywords, so the first word may also be let through
  // here; the service checks the keywords exactly once it knows which words they are.
  const strict = keywordProblem(keywords);
  if (strict === null) return { kind: 'subscribe', words };
  if (keywords[0] === undefined || !SOURCE_WORD.test(keywords[0])) return invalid(strict);
  const lenient = keywordProblem(keywords.slice(1));
  return lenient === null ? { kind: 'subscribe', words } : invalid(lenient);
}

/**
 * Tokens in typed order, each once. Exact spelling only: in `/news 구독 esg ESG` the first is
 * the source and the second a keyword.
 */
function unique(tokens: readonly string[]): string[] {
  return [...new Set(tokens.map((token) => token.normalize('NFC')))];
}

const KEYWORD_EXAMPLE = '예: `/news 구독 탄소 "탄소 중립" -해외`';

function syntaxProblem(error: KeywordSyntaxError): string {
  switch (error.code) {
    case 'lone-dash':
      return `제외할 단어는 \`-\` 바로 뒤에 붙여 써 주세요. ${KEYWORD_EXAMPLE}`;
    case 'empty-phrase':
      return `따옴표 안에 찾을 구절을 넣어 주세요. ${KEYWORD_EXAMPLE}`;
    case 'unclosed-quote':
      return `따옴표가 닫히지 않았습니다 (${error.phrase}…). 구절은 큰따옴표로 감싸 주세요. ${KEYWORD_EXAMPLE}`;
  }
}

/**
 * What is wrong with a subscription's keyword tokens, in Korean, or `null`: too many, too
 * long, or one word both wanted and excluded (`탄소 -탄소`, which nothing could match).
 */
export function keywordProblem(keywords: readonly string[]): string | null {
  if (keywords.length > LIMITS.keywordsMax) {
    return `키워드와 제외어는 합쳐서 ${LIMITS.keywordsMax}개까지 등록할 수 있습니다.`;
  }
  const terms = keywords.map(readToken);
  if (terms.some((term) => term === null)) {
    return `제외할 단어는 \`-\` 바로 뒤에 붙여 써 주세요. ${KEYWORD_EXAMPLE}`;
  }
  if (terms.some((term) => term!.term.length > LIMITS.keywordLength)) {
    return `키워드는 하나에 ${LIMITS.keywordLength}자 이내로 입력해 주세요.`;
  }
  const conflict = conflictingTerm(readKeywords(keywords));
  if (conflict !== null) {
    return `키워드와 제외어에 같은 말(‘${typedTerm(conflict)}’)을 함께 쓸 수 없습니다.`;
  }
  return null;
}

function invalid(problem: string): Command {
  return { kind: 'invalid', problem };
}
