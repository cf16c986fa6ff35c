import { describe, expect, it } from 'vitest';
import {
  conflictingTerm,
  matchesQuery,
  postSearchText,
  readKeywords,
  tokenizeKeywords,
  typedToken,
} from '../../src/model/keyword-filter.js';
import type { Post } from '../../src/model/post.js';
import { wantsPost } from '../../src/model/subscription.js';

const post = (title: string, ministry: string | null = '환경부', summary?: string): Post => ({
  sourceId: 'esg',
  boardNo: 1,
  title,
  ministry,
  date: '2023-11-27',
  url: 'https://k-esg.org/post/1',
  originalUrl: null,
  ...(summary === undefined ? {} : { summary }),
});

/** Which of `posts` (by title) a subscription typed as `typed` lets in. */
function letIn(typed: string, posts: Post[]): string[] {
  const read = tokenizeKeywords(typed);
  if (!read.ok) throw new Error(`cannot read ${typed}: ${read.error.code}`);
  return posts.filter((p) => wantsPost({ keywords: read.tokens }, p)).map((p) => p.title);
}

describe('reading typed keywords into stored tokens', () => {
  it.each([
    ['탄소', ['탄소']],
    ['탄소 환경부', ['탄소', '환경부']],
    ['탄소, 환경부,ESG', ['탄소', '환경부', 'ESG']],
    ['탄소 -해외', ['탄소', '-해외']],
    ['"탄소 중립"', ['탄소 중립']],
    ['"탄소   중립 "', ['탄소 중립']],
    ['“탄소 중립” ＂녹색 성장＂', ['탄소 중립', '녹색 성장']],
    ['”탄소 중립”', ['탄소 중립']],
    ['-"해외 사업" 탄소', ['-해외 사업', '탄소']],
    ['－해외 −수출', ['-해외', '-수출']],
    ['"1,443억 원"', ['1,443억 원']],
    ['"탄소"', ['탄소']],
    ['"-5%"', ['5%']],
    ['"탄소 중립"정책', ['탄소 중립', '정책']],
    ['탄"소', ['탄"소']],
    ['https://me.go.kr/rss?a=1,2 탄소', ['https://me.go.kr/rss?a=1,2', '탄소']],
    ['', []],
    ['  ,  ', []],
  ])('%j → %j', (typed, tokens) => {
    expect(tokenizeKeywords(typed)).toEqual({ ok: true, tokens });
  });

  it.each([
    ['탄소 -', 'lone-dash'],
    ['- 해외', 'lone-dash'],
    ['-,해외', 'lone-dash'],
    ['""', 'empty-phrase'],
    ['탄소 -" "', 'empty-phrase'],
    ['“”', 'empty-phrase'],
    ['"탄소 중립', 'unclosed-quote'],
    ['탄소 -"해외', 'unclosed-quote'],
  ])('refuses %j (%s)', (typed, code) => {
    const read = tokenizeKeywords(typed);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error.code).toBe(code);
  });

  it('reads stored tokens back as a query, and writes them as they are typed', () => {
    const stored = ['탄소', '탄소 중립', '-해외', '-해외 사업'];
    expect(readKeywords(stored)).toEqual({
      include: ['탄소', '탄소 중립'],
      exclude: ['해외', '해외 사업'],
    });
    expect(stored.map(typedToken)).toEqual(['탄소', '"탄소 중립"', '-해외', '-"해외 사업"']);
    // What an older release stored reads as it always did; a bare `-` says nothing.
    expect(readKeywords(['환경부', 'ESG'])).toEqual({ include: ['환경부', 'ESG'], exclude: [] });
    expect(readKeywords(['-', '탄소'])).toEqual({ include: ['탄소'], exclude: [] });
  });

  it('finds a term both wanted and excluded, in any case or spacing', () => {
    expect(conflictingTerm(readKeywords(['탄소', '-탄소']))).toBe('탄소');
    expect(conflictingTerm(readKeywords(['ESG', '-esg']))).toBe('ESG');
    expect(conflictingTerm(readKeywords(['탄소 중립', '-탄소  중립']))).toBe('탄소 중립');
    expect(conflictingTerm(readKeywords(['탄소', '-탄소중립']))).toBeNull();
    expect(conflictingTerm(readKeywords(['-해외']))).toBeNull();
  });
});

describe('which posts a subscription lets in', () => {
  const posts = [
    post('탄소중립을 위한 산업 전환 전략', '산업통상자원부'),
    post('해외 탄소시장 진출 지원', '산업통상자원부'),
    post('국가재정 운용계획', '기획재정부'),
    post('중소기업 ESG 지원', '중소벤처기업부'),
    post('녹색 금융 확대', '금융위원회', '2030 탄소 중립 목표를 위해 녹색채권 발행을 늘린다.'),
    post('산림 보호 캠페인', '산림청', '해외 산림 협력과 국내 숲 가꾸기를 함께 추진한다.'),
  ];

  it('matches 탄소 inside 탄소중립을, in title, ministry and summary alike', () => {
    expect(letIn('탄소', posts)).toEqual([
      '탄소중립을 위한 산업 전환 전략',
      '해외 탄소시장 진출 지원',
      '녹색 금융 확대',
    ]);
    expect(letIn('기획재정부', posts)).toEqual(['국가재정 운용계획']);
    expect(letIn('esg', posts)).toEqual(['중소기업 ESG 지원']);
  });

  it('leaves out posts holding an exclusion, wherever it is', () => {
    expect(letIn('탄소 -해외', posts)).toEqual([
      '탄소중립을 위한 산업 전환 전략',
      '녹색 금융 확대',
    ]);
    // The exclusion is in the summary only.
    expect(letIn('-해외', posts)).toEqual([
      '탄소중립을 위한 산업 전환 전략',
      '국가재정 운용계획',
      '중소기업 ESG 지원',
      '녹색 금융 확대',
    ]);
    expect(letIn('탄소 -해외 -금융위원회', posts)).toEqual(['탄소중립을 위한 산업 전환 전략']);
    expect(letIn('-"탄소 중립"', posts).length).toBe(4);
  });

  it('matches a phrase with any spacing, but only its words in order', () => {
    expect(letIn('"탄소 중립"', posts)).toEqual([
      '탄소중립을 위한 산업 전환 전략',
      '녹색 금융 확대',
    ]);
    expect(letIn('"중립 탄소"', posts)).toEqual([]);
    expect(letIn('"녹색 채권"', posts)).toEqual(['녹색 금융 확대']);
    expect(letIn('"산업 전환 전략"', posts)).toEqual(['탄소중립을 위한 산업 전환 전략']);
    // Separate words are any of them; the phrase needs both together.
    expect(letIn('해외 지원', posts)).toHaveLength(3);
    expect(letIn('"해외 지원"', posts)).toEqual([]);
  });

  it('never matches a phrase across the title and the ministry', () => {
    const one = [post('탄소', '중립부')];
    expect(letIn('"탄소 중립"', one)).toEqual([]);
    expect(letIn('탄소 중립', one)).toEqual(['탄소']);
  });

  it('matches on title and ministry alone for posts archived without a summary', () => {
    const old = post('환경 정책 발표', '환경부');
    expect(wantsPost({ keywords: ['환경부'] }, old)).toBe(true);
    expect(wantsPost({ keywords: ['탄소'] }, old)).toBe(false);
    expect(wantsPost({ keywords: [] }, old)).toBe(true);
    expect(wantsPost({ keywords: ['-'] }, old)).toBe(true);
  });

  it('lets in everything for no keywords, and nothing excluded for exclusions alone', () => {
    expect(letIn('', posts)).toHaveLength(posts.length);
    expect(letIn('-재정 -산림', posts)).toHaveLength(4);
  });

  it('keeps a post out whose title hides an exclusion behind an invisible character', () => {
    const posts = [
      post('광\u200b고 없는 ESG 소식'),
      post('광\u00ad고 ESG'),
      post('광\u2060고\ufeff ESG'),
      post('광\u200c\u200d고 ESG'),
      post('ESG 경영 안내'),
    ];
    expect(letIn('ESG -광고', posts)).toEqual(['ESG 경영 안내']);
    // A phrase too: 탄소\u200b중립 is 탄소중립.
    expect(letIn('-"탄소 중립"', [post('탄소\u200b중립 정책'), post('녹색 성장')])).toEqual([
      '녹색 성장',
    ]);
  });

  it('matches full-width letters and plain ones both ways', () => {
    const fullWidth = post('ＥＳＧ 공시 의무화');
    const plain = post('esg 공시 의무화');
    expect(letIn('esg', [fullWidth, plain])).toHaveLength(2);
    expect(letIn('ＥＳＧ', [fullWidth, plain])).toHaveLength(2);
    expect(letIn('탄소 -esg', [post('탄소 ＥＳＧ')])).toEqual([]);
    expect(letIn('탄소 -ＥＳＧ', [post('탄소 esg')])).toEqual([]);
    // Compatibility forms fold too: ㈜ is (주), ㎏ is kg.
    expect(letIn('(주)', [post('㈜한국 ESG')])).toHaveLength(1);
  });

  it('reads a keyword typed with an invisible character as the keyword', () => {
    // The tokenizer keeps it one word (U+FEFF is \s to a regular expression).
    const read = tokenizeKeywords('-광\ufeff고 탄소');
    expect(read).toEqual({ ok: true, tokens: ['-광\ufeff고', '탄소'] });
    expect(letIn('-광\u200b고', [post('광고 안내'), post('탄소 안내')])).toEqual(['탄소 안내']);
    expect(letIn('ESＧ', [post('ESG 공시')])).toHaveLength(1);
    // Wanted and excluded in two spellings is still a conflict.
    expect(conflictingTerm(readKeywords(['ＥＳＧ', '-esg']))).toBe('ＥＳＧ');
    expect(conflictingTerm(readKeywords(['광고', '-광\u200b고']))).toBe('광고');
  });

  it('ignores a term of invisible characters only, instead of excluding everything', () => {
    expect(readKeywords(['-\u200b', '\ufeff', '탄소'])).toEqual({ include: ['탄소'], exclude: [] });
    const text = postSearchText(post('탄소 중립'));
    expect(matchesQuery({ include: [], exclude: ['\u200b'] }, text)).toBe(true);
    expect(matchesQuery({ include: ['\u00ad'], exclude: [] }, text)).toBe(false);
  });

  it('compares in one case and Unicode form, as search does', () => {
    const text = postSearchText(post('ＥＳＧ 아닌 ESG 경영', null, '탄소'.normalize('NFD')));
    expect(matchesQuery(readKeywords(['esg 경영']), text)).toBe(true);
    expect(matchesQuery(readKeywords(['탄소']), text)).toBe(true);
    expect(matchesQuery(readKeywords(['-ESG']), text)).toBe(false);
  });
});
