/** What a user asked for with `/news …`, whatever platform it came from. */
export type Command =
  | { kind: 'lookup'; boardNo: number }
  | { kind: 'latest'; count: number }
  | { kind: 'search'; words: string[] }
  | { kind: 'subscribe'; keywords: string[] }
  | { kind: 'unsubscribe' }
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

const ALIASES: Record<string, Exclude<Command['kind'], 'lookup' | 'invalid'>> = {
  latest: 'latest',
  최신: 'latest',
  search: 'search',
  검색: 'search',
  subscribe: 'subscribe',
  구독: 'subscribe',
  unsubscribe: 'unsubscribe',
  구독해지: 'unsubscribe',
  구독취소: 'unsubscribe',
  status: 'status',
  상태: 'status',
  help: 'help',
  도움말: 'help',
};

/** Control and invisible formatting characters carry no meaning in a command. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]/g;

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
  if (/^[-+]?\d+$/.test(head) && rest.length === 0) return lookup(head);
  if (/^#\d+$/.test(head) && rest.length === 0) return lookup(head.slice(1));

  const kind = ALIASES[head.toLowerCase()];
  switch (kind) {
    case 'latest':
      return latest(rest);
    case 'search':
      return search(rest);
    case 'subscribe':
      return subscribe(rest);
    case 'unsubscribe':
    case 'status':
    case 'help':
      return rest.length === 0 ? { kind } : invalid(`\`${head}\` 뒤에는 아무것도 붙이지 않습니다.`);
    default:
      return invalid('알 수 없는 명령입니다.');
  }
}

function lookup(digits: string): Command {
  const boardNo = Number(digits);
  if (!Number.isSafeInteger(boardNo) || boardNo < 1) {
    return invalid('게시글 번호는 1 이상의 숫자로 입력해 주세요. 예: `/news 1645`');
  }
  return { kind: 'lookup', boardNo };
}

function latest(args: string[]): Command {
  if (args.length === 0) return { kind: 'latest', count: LIMITS.latestDefault };
  const count = Number(args[0]);
  if (args.length > 1 || !Number.isInteger(count) || count < 1 || count > LIMITS.latestMax) {
    return invalid(
      `최신 글은 1에서 ${LIMITS.latestMax} 사이의 개수로 볼 수 있습니다. 예: \`/news 최신 5\``,
    );
  }
  return { kind: 'latest', count };
}

function search(words: string[]): Command {
  if (words.length === 0) return invalid('검색어를 입력해 주세요. 예: `/news 검색 탄소중립`');
  if (words.length > LIMITS.searchWordsMax) {
    return invalid(`검색어는 ${LIMITS.searchWordsMax}개까지 입력할 수 있습니다.`);
  }
  return { kind: 'search', words };
}

function subscribe(args: string[]): Command {
  const keywords = [
    ...new Set(
      args
        .join(' ')
        .split(/[\s,]+/)
        .filter((k) => k.length > 0),
    ),
  ];
  if (keywords.length > LIMITS.keywordsMax) {
    return invalid(`키워드는 ${LIMITS.keywordsMax}개까지 등록할 수 있습니다.`);
  }
  if (keywords.some((k) => k.length > LIMITS.keywordLength)) {
    return invalid(`키워드는 ${LIMITS.keywordLength}자 이내로 입력해 주세요.`);
  }
  return { kind: 'subscribe', keywords };
}

function invalid(problem: string): Command {
  return { kind: 'invalid', problem };
}
