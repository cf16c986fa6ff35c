import { describe, expect, it } from 'vitest';
import { readScheduleForm } from '../../../../adapters/http/admin-panel/schedule-form.js';

const read = (fields: Record<string, string>) => readScheduleForm(new URLSearchParams(fields));

describe('the destination page’s schedule form', () => {
  it('reads digest times in any order and spelling, once each, and quiet hours across midnight', () => {
    expect(
      read({ digest: '18:00, 9:00 0900', weekdays: '1', quietStart: '22:00', quietEnd: '07:00' }),
    ).toEqual({
      ok: true,
      schedule: {
        digest: { times: ['09:00', '18:00'], weekdaysOnly: true },
        quiet: { start: '22:00', end: '07:00' },
      },
    });
  });

  it('turns both off when left empty', () => {
    expect(read({ digest: ' ', quietStart: '', quietEnd: '' })).toEqual({
      ok: true,
      schedule: { digest: null, quiet: null },
    });
  });

  it.each([
    [{ digest: '25:00' }, '‘25:00’는 시각이 아닙니다'],
    [{ digest: '1:00 2:00 3:00 4:00 5:00 6:00 7:00' }, '6개까지'],
    [{ quietStart: '22:00' }, '시작과 끝 시각을 모두'],
    [{ quietStart: '22:00', quietEnd: '22:00' }, '같습니다'],
  ])('refuses %j in Korean', (fields, text) => {
    const form = read(fields);
    expect(form.ok).toBe(false);
    expect(form.ok ? '' : form.text).toContain(text);
  });
});
