/**
 * A day of government press releases at realistic times, drawn from a seeded generator so that
 * every run of the working-day benchmark replays the same day: when each release is approved
 * on the 정책브리핑 API, when its embargo (보도시점) lifts, whether the followed ministry's
 * korea.kr feed carries it, and when the ESG board reposts it.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const KST = 9 * HOUR;

/** The assumptions, stated in the benchmark's section. */
export const RELEASE_DAY = {
  releases: 120,
  /** Approval windows (Korea time, hours) and the share of the day's releases in each. */
  approvals: [
    { from: 7, to: 8, share: 0.05 },
    { from: 9, to: 11.5, share: 0.45 },
    { from: 13.5, to: 18, share: 0.44 },
    { from: 20, to: 23, share: 0.06 },
  ],
  /** Of the releases approved before noon: 석간, embargoed to 12:00 that day. */
  eveningPaperShare: 0.3,
  /** Of those approved from noon on: 조간, embargoed to 06:00 the next day. */
  morningPaperShare: 0.08,
  /** The ministry whose korea.kr feed is followed, and its share of the releases. */
  followedMinistry: '기후에너지환경부',
  followedShare: 1 / 8,
  /** Releases the ESG board reposts, any ministry's. */
  boardShare: 1 / 8,
  /** The board reposts this many minutes after publication, within its office hours. */
  repostDelayMinutes: [20, 180] as const,
  officeHours: [9, 18] as const,
} as const;

const OTHER_MINISTRIES = [
  '산업통상부',
  '금융위원회',
  '고용노동부',
  '국토교통부',
  '교육부',
  '보건복지부',
  '행정안전부',
  '농림축산식품부',
  '해양수산부',
  '중소벤처기업부',
  '과학기술정보통신부',
  '재정경제부',
];

export interface DayRelease {
  title: string;
  ministry: string;
  approvedAt: number;
  /** 보도시점 (epoch ms), or null when published at approval. */
  embargoAt: number | null;
  /** When it becomes public: its approval, or its embargo's end. */
  publishedAt: number;
  /** Whether the followed ministry's korea.kr feed carries it (from `publishedAt`). */
  onFeed: boolean;
  /** When the ESG board reposts it, or null. */
  boardAt: number | null;
}

/**
 * The releases approved on the Korean day starting at `dayStart` (epoch ms of 00:00 Korea time,
 * a weekday followed by a weekday), oldest approval first.
 */
export function releaseDay(dayStart: number, seed: number): DayRelease[] {
  const random = mulberry32(seed);
  const releases: DayRelease[] = [];
  for (let i = 0; i < RELEASE_DAY.releases; i++) {
    // One draw of each kind per release, whatever is kept, so a change of one share does not
    // reshuffle the rest of the day.
    const [windowDraw, timeDraw, embargoDraw, ministryDraw, otherDraw, boardDraw, delayDraw] =
      Array.from({ length: 7 }, random) as [number, number, number, number, number, number, number];
    const window = pickWindow(windowDraw);
    const approvedAt =
      dayStart + Math.floor((window.from + timeDraw * (window.to - window.from)) * HOUR);
    const embargoAt = embargoOf(approvedAt - dayStart < 12 * HOUR, embargoDraw, dayStart);
    const ministry =
      ministryDraw < RELEASE_DAY.followedShare
        ? RELEASE_DAY.followedMinistry
        : OTHER_MINISTRIES[Math.floor(otherDraw * OTHER_MINISTRIES.length)]!;
    const publishedAt = Math.max(approvedAt, embargoAt ?? approvedAt);
    const [minDelay, maxDelay] = RELEASE_DAY.repostDelayMinutes;
    const delay = (minDelay + delayDraw * (maxDelay - minDelay)) * MINUTE;
    releases.push({
      title: `${ministry} 보도자료 ${koreaDay(dayStart)}-${String(i + 1).padStart(3, '0')}`,
      ministry,
      approvedAt,
      embargoAt,
      publishedAt,
      onFeed: ministry === RELEASE_DAY.followedMinistry,
      boardAt:
        boardDraw < RELEASE_DAY.boardShare ? inOfficeHours(publishedAt + delay, delay) : null,
    });
  }
  return releases.sort((a, b) => a.approvedAt - b.approvedAt);
}

function pickWindow(draw: number) {
  let below = 0;
  for (const window of RELEASE_DAY.approvals) {
    below += window.share;
    if (draw < below) return window;
  }
  return RELEASE_DAY.approvals.at(-1)!;
}

/** 석간 for a morning approval, 조간 for a later one, or none. */
function embargoOf(morning: boolean, draw: number, dayStart: number): number | null {
  if (morning) return draw < RELEASE_DAY.eveningPaperShare ? dayStart + 12 * HOUR : null;
  return draw < RELEASE_DAY.morningPaperShare ? dayStart + DAY + 6 * HOUR : null;
}

/**
 * `at` if the board's office is open then, else the next opening plus a third of the delay
 * (the morning's backlog is reposted within the first hour).
 */
function inOfficeHours(at: number, delay: number): number {
  const [open, close] = RELEASE_DAY.officeHours;
  const sinceMidnight = (at + KST) % DAY;
  const hour = sinceMidnight / HOUR;
  const dayStart = at - sinceMidnight;
  if (hour >= open && hour < close) return at;
  const opening = dayStart + (hour < open ? 0 : DAY) + open * HOUR;
  return opening + Math.floor(delay / 3);
}

/** `YYYYMMDD` of a Korean day. */
function koreaDay(at: number): string {
  return new Date(at + KST).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A small seeded generator of numbers in [0, 1) (mulberry32): the same seed, the same day. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
