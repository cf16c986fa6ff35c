import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';
import { helpText, keywordsSentence, keywordsText } from '../../../src/commands/replies.js';

describe('a channel’s keywords in `/news 상태`', () => {
  it.each([
    [[], '모든 새 글'],
    [['탄소', '환경부'], '키워드: 탄소, 환경부'],
    [['탄소', '탄소 중립', '-해외'], '키워드: 탄소, "탄소 중립" · 제외: 해외'],
    [['-해외', '-해외 사업'], '모든 새 글 · 제외: 해외, "해외 사업"'],
    // A bare `-` stored by an older release matches nothing and is not shown.
    [['-'], '모든 새 글'],
  ])('%j → %s', (keywords, text) => {
    expect(keywordsText(keywords)).toBe(text);
  });
});

describe('what `/news 구독` says it will send', () => {
  const label = '‘ESG 정책뉴스’ (`esg`)';

  it('names keywords and exclusions, and where they are looked for', () => {
    expect(keywordsSentence(label, [])).toBe(`${label}의 새 글을 모두 이 채널로 보내 드립니다.`);
    expect(keywordsSentence(label, ['탄소', '탄소 중립'])).toBe(
      `${label}의 새 글 중 제목·담당부서·요약에 ‘탄소’, ‘탄소 중립’ 중 하나가 들어간 글을 이 채널로 보내 드립니다.`,
    );
    expect(keywordsSentence(label, ['탄소', '-해외'])).toBe(
      `${label}의 새 글 중 제목·담당부서·요약에 ‘탄소’ 중 하나가 들어간 글을 이 채널로 보내 드립니다. 그중 제외어(‘해외’)가 들어간 글은 보내지 않습니다.`,
    );
    expect(keywordsSentence(label, ['-해외', '-수출'])).toBe(
      `${label}의 새 글을 이 채널로 보내 드립니다. 제목·담당부서·요약에 제외어(‘해외’, ‘수출’)가 들어간 글은 보내지 않습니다.`,
    );
  });
});

describe('`/news 도움말`', () => {
  const help = helpText();

  it('explains exclusions and phrases with examples that parse as they say', () => {
    expect(help).toContain('`-제외어`');
    expect(help).toContain('`"구 절"`');
    expect(help).toContain('‘탄소중립을’');
    const examples = [...help.matchAll(/`\/news (구독(?!해지)[^`]*)`/g)].map((m) => m[1]!);
    expect(examples).toEqual(
      expect.arrayContaining(['구독 탄소 -해외', '구독 "탄소 중립" -"해외 사업"']),
    );
    for (const example of examples) expect(parseCommand(example).kind).toBe('subscribe');
    expect(parseCommand('구독 탄소 -해외')).toEqual({
      kind: 'subscribe',
      words: ['탄소', '-해외'],
    });
    expect(parseCommand('구독 "탄소 중립" -"해외 사업"')).toEqual({
      kind: 'subscribe',
      words: ['탄소 중립', '-해외 사업'],
    });
  });

  it('still lists every command', () => {
    for (const word of ['/news 1645', '최신', '검색', '소스', '구독해지', '상태']) {
      expect(help).toContain(word);
    }
  });
});
