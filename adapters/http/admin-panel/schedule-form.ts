import {
  MAX_DIGEST_TIMES,
  parseTimeOfDay,
  type ChannelSchedule,
} from '../../../src/model/channel-schedule.js';

/** The schedule form read: the whole schedule (a field left empty turns that part off). */
export type ScheduleForm = { ok: true; schedule: ChannelSchedule } | { ok: false; text: string };

/**
 * Reads the destination page's schedule form: digest times (`09:00 18:00`, also with commas),
 * weekdays only, and quiet hours as two times (what `<input type="time">` sends, `HH:MM`).
 * The rules are `/news 요약` and `/news 방해금지`'s, said in the panel's words.
 */
export function readScheduleForm(form: URLSearchParams): ScheduleForm {
  const words = (form.get('digest') ?? '').split(/[\s,，]+/).filter(Boolean);
  const times: string[] = [];
  for (const word of words) {
    const time = parseTimeOfDay(word);
    if (time === null) {
      return {
        ok: false,
        text: `‘${word}’는 시각이 아닙니다. 요약 시각은 24시간제 HH:MM으로 적어 주세요 (예: 09:00 18:00).`,
      };
    }
    if (!times.includes(time)) times.push(time);
  }
  if (times.length > MAX_DIGEST_TIMES) {
    return { ok: false, text: `요약 시각은 ${MAX_DIGEST_TIMES}개까지 정할 수 있습니다.` };
  }
  const start = (form.get('quietStart') ?? '').trim();
  const end = (form.get('quietEnd') ?? '').trim();
  let quiet: ChannelSchedule['quiet'] = null;
  if (start !== '' || end !== '') {
    const from = parseTimeOfDay(start);
    const to = parseTimeOfDay(end);
    if (from === null || to === null) {
      return {
        ok: false,
        text: '방해금지는 시작과 끝 시각을 모두 적어 주세요 (둘 다 비우면 끕니다).',
      };
    }
    if (from === to) return { ok: false, text: '방해금지의 시작과 끝 시각이 같습니다.' };
    quiet = { start: from, end: to };
  }
  return {
    ok: true,
    schedule: {
      digest:
        times.length > 0
          ? { times: times.sort(), weekdaysOnly: form.get('weekdays') === '1' }
          : null,
      quiet,
    },
  };
}
