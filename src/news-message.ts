import { koreaDateTime, type Post } from './post.js';

/**
 * The platform-neutral message for one post, used for alerts and lookups alike. Each chat
 * adapter renders it in its own format (Block Kit, embed, console text).
 */
export interface NewsMessage {
  title: string;
  url: string;
  ministry: string | null;
  date: string;
  boardNo: number;
  originalUrl: string | null;
}

export function newsMessage(post: Post): NewsMessage {
  return {
    title: post.title,
    url: post.url,
    ministry: post.ministry,
    date: post.date,
    boardNo: post.boardNo,
    originalUrl: post.originalUrl,
  };
}

/** Korean field labels, shared by every renderer so all platforms read the same. */
export const LABELS = {
  ministry: '담당부서',
  date: '날짜',
  boardNo: '번호',
  original: '원문 보도자료',
  unknownMinistry: '미상',
} as const;

/** Every field on plain lines: the console output and the fallback text of rich messages. */
export function plainText(message: NewsMessage): string {
  const lines = [
    message.title,
    `${LABELS.ministry}: ${message.ministry ?? LABELS.unknownMinistry} · ${LABELS.date}: ${message.date} · ${LABELS.boardNo}: ${message.boardNo}`,
    message.url,
  ];
  if (message.originalUrl) lines.push(`${LABELS.original}: ${message.originalUrl}`);
  return lines.join('\n');
}

/** A notice to subscribed channels that the source stopped (or started again) answering. */
export interface SourceNotice {
  kind: 'down' | 'recovered';
  sourceId: string;
  sourceUrl: string;
  /** When the failed reads began (ISO 8601). */
  since: string;
  /** The last error, for `down`. */
  error: string | null;
}

/** The notice in Korean, the same words on every platform. */
export function noticeText(notice: SourceNotice): string {
  const since = `${koreaDateTime(new Date(notice.since))} (한국 시간)`;
  if (notice.kind === 'down') {
    return [
      `⚠️ ESG 정책뉴스 게시판을 ${since}부터 읽지 못하고 있습니다.`,
      `원인: ${notice.error ?? '알 수 없음'}`,
      '계속 다시 시도하고 있으며, 복구되면 알려 드리고 그동안 올라온 글도 빠짐없이 보내 드립니다.',
    ].join('\n');
  }
  return `✅ ESG 정책뉴스 게시판을 다시 읽고 있습니다 (${since}부터 끊겼던 확인이 복구됨). 그동안 올라온 글을 이어서 보내 드립니다.`;
}
