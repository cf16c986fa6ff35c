import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

describe('/news 요약 and /news 방해금지', () => {
  it('reads digest times, several, weekdays only, and off, in Korean and English', () => {
    expect(parseCommand('요약 09:00')).toEqual({
      kind: 'digest',
      times: ['09:00'],
      weekdaysOnly: false,
    });
    expect(parseCommand('요약 18:00 9:00 18:00')).toEqual({
      kind: 'digest',
      times: ['09:00', '18:00'],
      weekdaysOnly: false,
    });
    expect(parseCommand('digest weekdays 08:30')).toEqual({
      kind: 'digest',
      times: ['08:30'],
      weekdaysOnly: true,
    });
    expect(parseCommand('요약 평일 09:00')).toMatchObject({ weekdaysOnly: true });
    expect(parseCommand('요약 끄기')).toEqual({ kind: 'digest', times: null, weekdaysOnly: false });
    expect(parseCommand('digest off')).toEqual({
      kind: 'digest',
      times: null,
      weekdaysOnly: false,
    });
  });

  it('explains a wrong digest command in Korean', () => {
    for (const text of [
      '요약',
      '요약 평일',
      '요약 9시',
      '요약 25:00',
      '요약 1:00 2:00 3:00 4:00 5:00 6:00 7:00',
    ]) {
      const command = parseCommand(text);
      expect(command.kind, text).toBe('invalid');
      expect((command as { problem: string }).problem, text).toMatch(/[가-힣]/);
    }
  });

  it('reads quiet hours written in several ways, and off', () => {
    const window = { kind: 'quiet', window: { start: '22:00', end: '07:00' } };
    expect(parseCommand('방해금지 22:00-07:00')).toEqual(window);
    expect(parseCommand('방해금지 22:00 - 07:00')).toEqual(window);
    expect(parseCommand('quiet 22:00~7:00')).toEqual(window);
    expect(parseCommand('방해금지 22:00 07:00')).toEqual(window);
    expect(parseCommand('방해금지 끄기')).toEqual({ kind: 'quiet', window: null });
    expect(parseCommand('quiet off')).toEqual({ kind: 'quiet', window: null });
  });

  it('explains wrong quiet hours in Korean', () => {
    for (const text of ['방해금지', '방해금지 22:00', '방해금지 밤', '방해금지 07:00-07:00']) {
      const command = parseCommand(text);
      expect(command.kind, text).toBe('invalid');
    }
  });
});
