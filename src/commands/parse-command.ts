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
  /** `words`: a source name or URL may come first; the service decides. */
  | { kind: 'subscribe'; words: string[] }
  | { kind: 'unsubscribe'; source: string | null }
  | { kind: 'sources' }
  | { kind: 'status' }
  | { kind: 'help' }
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
};

/** Control and invisible formatting characters carry no meaning in a command. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]/g;

/** A word that may name a source: lower-case letters, digits and `-`, as source names are. */
const SOURCE_WORD = /^[a-z0-9-]{1,20}$/i;

/**
 * Parses the text after `/news`. Never throws: anything it cannot read becomes `invalid`
 * with a short Korean explanation, so a typo gets help instead of an error.
 */
export function parseCommand(raw: string): Command {
  const text = raw.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
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
  if (rest[0] !== undefined && !/^\d/.test(rest[0]) && SOURCE_WORD.test(rest[0])) {
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
  const words = [
    ...new Set(
      args
        .join(' ')
        .split(/[\s,]+/)
        .filter((k) => k.length > 0),
    ),
  ];
  // A URL or a source name may come before the keywords, so one word more is let through
  // here; the service checks the keywords exactly once it knows which words they are.
  const keywords = /^https?:\/\//i.test(words[0] ?? '') ? words.slice(1) : words;
  const problem =
    keywordProblem(keywords.slice(0, LIMITS.keywordsMax)) ??
    (keywords.length > LIMITS.keywordsMax + 1 ? keywordProblem(keywords) : null) ??
    keywordProblem(keywords.slice(LIMITS.keywordsMax));
  return problem ? invalid(problem) : { kind: 'subscribe', words };
}

/** What is wrong with a subscription's keywords, in Korean, or `null`. */
export function keywordProblem(keywords: readonly string[]): string | null {
  if (keywords.length > LIMITS.keywordsMax) {
    return `키워드는 ${LIMITS.keywordsMax}개까지 등록할 수 있습니다.`;
  }
  if (keywords.some((k) => k.length > LIMITS.keywordLength)) {
    return `키워드는 ${LIMITS.keywordLength}자 이내로 입력해 주세요.`;
  }
  return null;
}

function invalid(problem: string): Command {
  return { kind: 'invalid', problem };
}
