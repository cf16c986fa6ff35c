import type { Post } from './post.js';

/**
 * Hosts of 정책브리핑 (korea.kr), where every ministry's press release has its `newsId`: the
 * board's "원문 보도자료" link, a korea.kr feed item's link and the 정책브리핑 API's
 * `NewsItemId` all name a release by it.
 */
const KOREA_KR_HOSTS = new Set(['korea.kr', 'www.korea.kr', 'm.korea.kr']);

/** The korea.kr `newsId` a link names (`…/pressReleaseView.do?newsId=156605000`), or `null`. */
export function newsIdOf(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!KOREA_KR_HOSTS.has(parsed.hostname.toLowerCase())) return null;
  const id = parsed.searchParams.get('newsId');
  return id && /^\d{1,15}$/.test(id) ? String(Number(id)) : null;
}

/**
 * The press release a post is a copy of, whichever source carried it: the `releaseId` its
 * reader set (the API's `NewsItemId`), else the `newsId` of its original link, else of its own
 * link. `null` for posts that name no korea.kr release (most generic feeds): those are never
 * merged with anything.
 */
export function releaseIdOf(post: Pick<Post, 'releaseId' | 'originalUrl' | 'url'>): string | null {
  return post.releaseId ?? newsIdOf(post.originalUrl) ?? newsIdOf(post.url);
}
