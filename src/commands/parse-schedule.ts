import { MAX_DIGEST_TIMES, parseTimeOfDay } from '../model/channel-schedule.js';

/** `/news 요약 …` and `/news 방해금지 …`, read; `null` turns the setting off. */
export type ScheduleCommand =
  | { kind: 'digest'; times: string[] | null; weekdaysOnly: boolean }
  | { kind: 'quiet'; window: { start: string; end: string } | null }
  | { kind: 'invalid'; problem: string };

const OFF = new Set(['끄기', '해제', 'off']);
const WEEKDAYS = new Set(['평일', 'weekdays']);

const DIGEST_EXAMPLE = '예: `/news 요약 09:00`, `/news 요약 평일 09:00 18:00`, `/news 요약 끄기`';
const QUIET_EXAMPLE = '예: `/news 방해금지 22:00-07:00`, `/news 방해금지 끄기`';

/** `09:00`, `평일 09:00 18:00`, `끄기`. */
export function parseDigest(args: readonly string[]): ScheduleCommand {
  const words = args.map((word) => word.toLowerCase());
  if (words.length === 1 && OFF.has(words[0]!)) {
    return { kind: 'digest', times: null, weekdaysOnly: false };
  }
  const weekdaysOnly = words[0] !== undefined && WEEKDAYS.has(words[0]);
  const timeWords = weekdaysOnly ? words.slice(1) : words;
  if (timeWords.length === 0) {
    return { kind: 'invalid', problem: `요약을 받을 시각을 적어 주세요. ${DIGEST_EXAMPLE}` };
  }
  const times: string[] = [];
  for (const word of timeWords) {
    const time = parseTimeOfDay(word);
    if (time === null) {
      return {
        kind: 'invalid',
        problem: `‘${word}’는 시각이 아닙니다. 24시간제 HH:MM으로 적어 주세요. ${DIGEST_EXAMPLE}`,
      };
    }
    if (!times.includes(time)) times.push(time);
  }
  if (times.length > MAX_DIGEST_TIMES) {
    return { kind: 'invalid', problem: `요약 시각은 ${MAX_DIGEST_TIMES}개까지 정할 수 있습니다.` };
  }
  return { kind: 'digest', times: times.sort(), weekdaysOnly };
}

/** `22:00-07:00` (also `22:00 07:00`, `22:00~07:00`), `끄기`. */
export function parseQuiet(args: readonly string[]): ScheduleCommand {
  const text = args.join(' ').toLowerCase();
  if (OFF.has(text)) return { kind: 'quiet', window: null };
  const match = /^(\S+?)\s*[-~–]\s*(\S+)$|^(\S+)\s+(\S+)$/.exec(text);
  const start = parseTimeOfDay(match?.[1] ?? match?.[3] ?? '');
  const end = parseTimeOfDay(match?.[2] ?? match?.[4] ?? '');
  if (start === null || end === null) {
    return {
      kind: 'invalid',
      problem: `방해금지 시간은 시작-끝 시각으로 적어 주세요 (한국 시간, 24시간제). ${QUIET_EXAMPLE}`,
    };
  }
  if (start === end) {
    return { kind: 'invalid', problem: `시작과 끝 시각이 같습니다. ${QUIET_EXAMPLE}` };
  }
  return { kind: 'quiet', window: { start, end } };
}
