import { describe, expect, it } from 'vitest';
import { cutAtWord, leadSummary } from '../../src/model/lead-summary.js';

const lines = (text: string) => text.split('\n');

describe('the lead of a press release', () => {
  it('takes the first sentence and the second when both fit in 200 characters', () => {
    expect(
      leadSummary([
        '환경부는 오늘 계획을 발표했다. 계획은 내년부터 시행된다. 세 번째 문장은 빠진다.',
      ]),
    ).toBe('환경부는 오늘 계획을 발표했다. 계획은 내년부터 시행된다.');
    const long = `${'가나다 '.repeat(60)}끝났다.`;
    expect(leadSummary([`첫 문장이 여기 있습니다. ${long}`])).toBe('첫 문장이 여기 있습니다.');
    // Paragraphs count as sentences of their own.
    expect(leadSummary(['첫 문단의 문장입니다.', '둘째 문단의 문장입니다.'])).toBe(
      '첫 문단의 문장입니다. 둘째 문단의 문장입니다.',
    );
  });

  it.each([
    ['dates', '장 차관은 7.24.(월) 오전 통화를 가졌습니다. 둘째 문장.', null],
    ['spaced dates', '환경부는 2023. 11. 27. 회의를 열었다. 다음 문장입니다.', null],
    [
      'decimals',
      '배출량이 2.5% 줄었다. 목표는 3.0배이다.',
      '배출량이 2.5% 줄었다. 목표는 3.0배이다.',
    ],
    ['initials', '웬디 셔먼(Wendy R. Sherman) 부장관과 통화했다. 끝난 뒤 발표했다.', null],
    ['U.S.', 'U.S. 에너지부와 협의했습니다. 다음 회의는 12월입니다.', null],
    ['quoted speech', '장관은 “탄소중립은 필수다.”라고 강조했다. 이어 협력을 당부했다.', null],
    ['a quote ending a sentence', '“탄소중립은 필수다.” 장관은 이렇게 말했다.', null],
    ['questions', '무엇이 달라지나? 내년부터 바뀝니다.', null],
  ])('does not split at %s', (_case, text, expected) => {
    // A third sentence is never part of the lead: a wrong split shows as a lead cut short.
    expect(leadSummary([`${text} 셋째 문장은 빠집니다.`])).toBe(expected ?? text);
  });

  it('starts at the first sentence, past headings and a deck', () => {
    const body = lines(`정부, 탄소중립도시 공모 시작
- 국토부·환경부, 후보지 공모… 2.5조 원 투입
□ 국토교통부는 11월 27일부터 ‘탄소중립도시’ 후보지 공모를 시작한다고 밝혔다.
ㅇ 이번 공모는 온실가스를 줄이는 도시를 찾기 위해 추진된다.`);
    expect(leadSummary(body)).toBe(
      '국토교통부는 11월 27일부터 ‘탄소중립도시’ 후보지 공모를 시작한다고 밝혔다. 이번 공모는 온실가스를 줄이는 도시를 찾기 위해 추진된다.',
    );
  });

  it.each([
    ['a source line', '(외교부, 2023.07.24)'],
    ['a spaced source line', '(환경부, 2023. 11. 27.)'],
    ['담당부서', '담당부서 : 외교부'],
    [
      '담당 부서 with contacts',
      '담당 부서 국토교통부 도시정책과 책임자 과장 김철수 (044-201-3711)',
    ],
    ['a contact person', '담당자 사무관 이영희 (044-201-3712) younghee@korea.kr'],
    ['문의', '문의: 기후전략과 044-201-6600'],
    ['a telephone', '☎ 044-201-6600'],
    ['an e-mail', '이메일 press@me.go.kr'],
    ['a caption', '▲ 장관이 협약식에서 인사말을 하고 있다.'],
    ['a photo credit', '[사진] 협약식 모습'],
    ['a caption with credit', '협약식에서 기념 촬영을 하고 있다. (사진=환경부)'],
    ['a note', '※ 자세한 내용은 붙임 참고'],
    ['a footnote', '* 탄소중립: 온실가스 순배출을 0으로 만드는 것'],
    ['자료제공', '[자료제공 :]'],
    ['a credit', '자료제공: 정책브리핑'],
    ['a header', '[보도자료]'],
    ['a spaced header', '보 도 자 료'],
    ['보도시점', '보도시점 2023. 11. 27.(월) 12:00 / 배포 2023. 11. 26.(일) 10:00'],
    ['an embargo', '엠바고 없음'],
    ['copyright', '<저작권자 ⓒ 대한민국 정책브리핑 무단 전재 및 재배포 금지>'],
    ['an attachment', '붙임 1. 공모 안내서'],
    ['a link', 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156581997'],
    ['a lost character', '?'],
  ])('leaves out %s', (_case, boilerplate) => {
    const lead = '환경부는 오늘 새 계획을 발표했습니다.';
    expect(leadSummary([boilerplate, lead, boilerplate])).toBe(lead);
    expect(leadSummary([boilerplate])).toBeNull();
  });

  it('keeps ordinary sentences that mention credits or copyright', () => {
    for (const text of [
      '정부는 국민에게 자료 제공을 확대한다고 밝혔다.',
      '문화체육관광부는 저작권 보호를 강화한다고 밝혔다.',
      '전화 한 통으로 신청할 수 있도록 절차를 바꾼다고 밝혔다.',
    ]) {
      expect(leadSummary([text])).toBe(text);
    }
  });

  it('stops at the end mark, and drops it after the last sentence', () => {
    expect(leadSummary(['마지막 문장입니다.  끝.'])).toBe('마지막 문장입니다.');
    expect(leadSummary(['- 끝 -', '담당 과장의 이름입니다.'])).toBeNull();
  });

  it('cuts a first sentence over 200 characters at a word, with an ellipsis', () => {
    const words = `${'탄소중립 녹색성장 '.repeat(30)}추진한다.`;
    const lead = leadSummary([words])!;
    expect(lead.length).toBeLessThanOrEqual(200);
    expect(lead).toMatch(/(탄소중립|녹색성장)…$/);
    const solid = leadSummary(['가'.repeat(300)])!;
    expect(solid).toBe(`${'가'.repeat(199)}…`);
    expect(leadSummary(['가'.repeat(120)], { max: 100 })).toHaveLength(100);
  });

  it('falls back to the first line when no sentence ends', () => {
    expect(leadSummary(['탄소중립 이행 점검 결과 발표', '다음 줄'])).toBe(
      '탄소중립 이행 점검 결과 발표',
    );
  });

  it('gives nothing for no body, a too short one, or one that only repeats the title', () => {
    expect(leadSummary([])).toBeNull();
    expect(leadSummary(['', '  '])).toBeNull();
    expect(leadSummary(['본문'])).toBeNull();
    const title = '3국 환경장관, 황사개선 협력 등 공동합의문 서명';
    expect(leadSummary([title], { title })).toBeNull();
    expect(leadSummary([title, '환경부는 공동합의문에 서명했다.'], { title })).toBe(
      '환경부는 공동합의문에 서명했다.',
    );
  });
});

describe('cutting at a word', () => {
  it('never splits an emoji and never passes the limit', () => {
    for (const offset of [0, 1, 2]) {
      const cut = cutAtWord('a'.repeat(offset) + '😀'.repeat(150), 200);
      expect(cut.length).toBeLessThanOrEqual(200);
      expect(cut).toMatch(/^a*(😀)+…$/u);
    }
    expect(cutAtWord('짧은 글', 200)).toBe('짧은 글');
    expect(cutAtWord(`${'가'.repeat(170)} 나다라, ${'마'.repeat(40)}`, 200)).toBe(
      `${'가'.repeat(170)} 나다라…`,
    );
  });
});
