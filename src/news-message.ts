import type { Post } from './post.js';

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
