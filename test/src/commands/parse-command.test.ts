import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

describe('parseCommand', () => {
  it.each([
    ['1645', { kind: 'lookup', source: null, boardNo: 1645 }],
    ['  #1645 ', { kind: 'lookup', source: null, boardNo: 1645 }],
    ['korea 156581997', { kind: 'lookup', source: 'korea', boardNo: 156581997 }],
    ['ESG #12', { kind: 'lookup', source: 'esg', boardNo: 12 }],
    ['latest', { kind: 'latest', source: null, count: 5 }],
    ['LATEST 10', { kind: 'latest', source: null, count: 10 }],
    ['최신 1', { kind: 'latest', source: null, count: 1 }],
    ['최신 korea', { kind: 'latest', source: 'korea', count: 5 }],
    ['최신 korea 3', { kind: 'latest', source: 'korea', count: 3 }],
    // Chat-added sources may be named from a host that starts with a digit.
    ['최신 3m-com', { kind: 'latest', source: '3m-com', count: 5 }],
    ['최신 127-0-0-1 2', { kind: 'latest', source: '127-0-0-1', count: 2 }],
    ['search 탄소 중립', { kind: 'search', words: ['탄소', '중립'] }],
    ['검색 ESG', { kind: 'search', words: ['ESG'] }],
    ['subscribe', { kind: 'subscribe', words: [] }],
    ['구독 탄소, 환경부 탄소', { kind: 'subscribe', words: ['탄소', '환경부'] }],
    ['구독 korea 탄소', { kind: 'subscribe', words: ['korea', '탄소'] }],
    [
      '구독 https://me.go.kr/rss 탄소',
      { kind: 'subscribe', words: ['https://me.go.kr/rss', '탄소'] },
    ],
    ['구독 탄소 -해외', { kind: 'subscribe', words: ['탄소', '-해외'] }],
    ['구독 "탄소 중립" 환경부', { kind: 'subscribe', words: ['탄소 중립', '환경부'] }],
    [
      '구독 korea “탄소 중립” -"해외 사업"',
      { kind: 'subscribe', words: ['korea', '탄소 중립', '-해외 사업'] },
    ],
    ['구독 -해외', { kind: 'subscribe', words: ['-해외'] }],
    // An invisible character inside a word is dropped, never read as a space.
    ['구독 -광\u200b고 탄소', { kind: 'subscribe', words: ['-광고', '탄소'] }],
    ['구독 탄\ufeff소\u00ad -해\u2060외', { kind: 'subscribe', words: ['탄소', '-해외'] }],
    ['검색 탄\u200b소', { kind: 'search', words: ['탄소'] }],
    ['구독 esg ESG', { kind: 'subscribe', words: ['esg', 'ESG'] }],
    [
      '구독 https://me.go.kr/rss "탄소 중립" -해외',
      { kind: 'subscribe', words: ['https://me.go.kr/rss', '탄소 중립', '-해외'] },
    ],
    // A source name may come first: ten keywords after it are fine.
    [
      '구독 korea 1 2 3 4 5 6 7 8 9 -10',
      { kind: 'subscribe', words: ['korea', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-10'] },
    ],
    ['unsubscribe', { kind: 'unsubscribe', source: null }],
    ['구독해지', { kind: 'unsubscribe', source: null }],
    ['구독해지 korea', { kind: 'unsubscribe', source: 'korea' }],
    ['소스', { kind: 'sources' }],
    ['sources', { kind: 'sources' }],
    ['status', { kind: 'status' }],
    ['상태', { kind: 'status' }],
    ['help', { kind: 'help' }],
    ['도움말', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['\u0000\u0007  ', { kind: 'help' }],
  ])('reads %j', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each([
    ['-5', '1 이상'],
    ['0', '1 이상'],
    ['99999999999999999999', '1 이상'],
    ['latest 0', '1에서 10'],
    ['latest 11', '1에서 10'],
    ['latest 2.5', '1에서 10'],
    ['latest a b', '1에서 10'],
    ['search', '검색어를'],
    ['search a b c d e f', '5개까지'],
    ['구독 1 2 3 4 5 6 7 8 9 10 11 12', '10개까지'],
    ['구독해지 a b', '하나만'],
    ['최신 korea 0', '1에서 10'],
    ['korea 1 2', '알 수 없는 명령'],
    ['구독 ftp://files.example.org/feed.xml', 'http 또는 https 주소만'],
    ['구독 FILE:///etc/passwd', 'http 또는 https 주소만'],
    [`구독 ${'가'.repeat(31)}`, '30자 이내'],
    [`구독 "${'가 '.repeat(16)}"`, '30자 이내'],
    [`구독 -${'가'.repeat(31)}`, '30자 이내'],
    ['구독 탄소 -', '`-` 바로 뒤에'],
    ['구독 탄소 - 해외', '`-` 바로 뒤에'],
    ['구독 ""', '따옴표 안에'],
    ['구독 "탄소 중립', '따옴표가 닫히지 않았습니다'],
    ['구독 탄소 -탄소', '같은 말(‘탄소’)을 함께 쓸 수 없습니다'],
    ['구독 korea ESG -esg', '같은 말(‘ESG’)을 함께 쓸 수 없습니다'],
    ['구독 가 나 다 라 마 바 사 아 자 차 -카', '10개까지'],
    ['상태 보여줘', '아무것도 붙이지'],
    ['hello', '알 수 없는 명령'],
    ['x'.repeat(301), '너무 깁니다'],
  ])('explains what is wrong with %j', (text, hint) => {
    const command = parseCommand(text);
    expect(command.kind).toBe('invalid');
    expect(command.kind === 'invalid' && command.problem).toContain(hint);
  });
});
