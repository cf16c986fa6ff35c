import { describe, expect, it } from 'vitest';
import { isCorrection } from '../../src/pipeline/poll/find-corrections.js';

describe('isCorrection', () => {
  const archived = { title: '탄소중립 기본계획 발표', ministry: '환경부' };

  it.each([
    ['another title', { title: '탄소중립 기본계획(정정) 발표', ministry: '환경부' }, true],
    ['another ministry', { title: '탄소중립 기본계획 발표', ministry: '기후에너지환경부' }, true],
    [
      'the same words re-spaced',
      { title: ' 탄소중립  기본계획\n발표 ', ministry: '환경부' },
      false,
    ],
    [
      'no ministry shown (a board list row)',
      { title: '탄소중립 기본계획 발표', ministry: null },
      false,
    ],
    ['an empty title (a broken row)', { title: '  ', ministry: '환경부' }, false],
  ])('%s → %s', (_case, shown, expected) => {
    expect(isCorrection(archived, shown)).toBe(expected);
  });
});
