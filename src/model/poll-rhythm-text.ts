import { clock, coversWholeWeek, type BusyWindow } from './poll-hours.js';
import type { PollRhythm } from './poll-rhythm.js';

/** How a rhythm reads in chat and on the control panel (Korean, Korea time). */

const DAY_NAMES = ['월', '화', '수', '목', '금', '토', '일'];

/** `평일 08:00–20:00 1분마다, 그 밖에는 5분마다`; `5분마다` without busy windows. */
export function rhythmText(rhythm: PollRhythm): string {
  // The API's pages: a read of several calls waits as many intervals (see `perRequest`).
  const perCall = rhythm.perRequest ? ' (호출 1회당)' : '';
  return `${intervalsText(rhythm)}${perCall}`;
}

function intervalsText({ windows, busyMs, quietMs }: PollRhythm): string {
  if (windows.length === 0 || busyMs === quietMs) return `${durationText(quietMs)}마다`;
  if (coversWholeWeek(windows)) return `${durationText(busyMs)}마다`;
  return `${windows.map(windowText).join(', ')} ${durationText(busyMs)}마다, 그 밖에는 ${durationText(quietMs)}마다`;
}

/** `평일 08:00–20:00`, `토요일 09:00–13:00`, `금–월요일 22:00–02:00`. */
export function windowText(window: BusyWindow): string {
  return `${daysText(window.firstDay, window.lastDay)} ${clock(window.start)}–${clock(window.end)}`;
}

function daysText(first: number, last: number): string {
  if (first === 0 && last === 4) return '평일';
  if (first === 5 && last === 6) return '주말';
  if ((last + 1) % 7 === first) return '매일';
  if (first === last) return `${DAY_NAMES[first]}요일`;
  return `${DAY_NAMES[first]}–${DAY_NAMES[last]}요일`;
}

/** `1분`, `30초`, `1시간 30분`, `1.5초`. */
export function durationText(ms: number): string {
  const parts: string[] = [];
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  if (hours > 0) parts.push(`${hours}시간`);
  if (minutes > 0) parts.push(`${minutes}분`);
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds}초`);
  return parts.join(' ');
}
