import {
  cutText,
  displayPost,
  LABELS,
  oneLine,
  type DisplayPost,
  type NewsMessage,
} from './news-message.js';

/** Posts a digest lists; the rest are counted with how to see them. */
export const DIGEST_MAX_POSTS = 20;

/**
 * Several posts of one source in one message: a channel's daily digest, or what came out
 * during its quiet hours. Platform-neutral; each chat adapter renders it.
 */
export interface NewsDigest {
  /** `digest`: at the channel's digest time; `quiet`: when its quiet hours ended. */
  kind: 'digest' | 'quiet';
  source: { name: string; label: string } | null;
  /** At most {@link DIGEST_MAX_POSTS}, oldest first. */
  posts: NewsMessage[];
  /** Board numbers of the posts not listed, oldest first. */
  notListed: number[];
}

export function newsDigest(
  kind: NewsDigest['kind'],
  source: NewsDigest['source'],
  posts: readonly NewsMessage[],
): NewsDigest {
  return {
    kind,
    source,
    posts: posts.slice(0, DIGEST_MAX_POSTS),
    notListed: posts.slice(DIGEST_MAX_POSTS).map((post) => post.boardNo),
  };
}

/** `요약 · ESG 정책뉴스 · 새 글 3건` */
export function digestHeading(digest: NewsDigest): string {
  const label = digest.source ? oneLine(digest.source.label) || oneLine(digest.source.name) : '';
  const total = digest.posts.length + digest.notListed.length;
  const what = digest.kind === 'digest' ? '요약' : '방해금지 시간의 새 글';
  return [what, label, `새 글 ${total}건`].filter(Boolean).join(' · ');
}

/**
 * `외 N건 (번호 1660–1675): /news esg <번호>로 볼 수 있습니다`, for posts a rendering had to
 * leave out (`notListed`, plus any the platform's limits dropped); null for none. Where
 * nobody can type `/news` (webhook destinations), `commands: false` leaves the hint out.
 */
export function digestMoreText(
  digest: NewsDigest,
  leftOut: readonly number[],
  options: { commands?: boolean } = {},
): string | null {
  const numbers = [...leftOut, ...digest.notListed].sort((a, b) => a - b);
  if (numbers.length === 0) return null;
  const range =
    numbers.length === 1 ? `번호 ${numbers[0]}` : `번호 ${numbers[0]}–${numbers.at(-1)}`;
  if (options.commands === false) return `외 ${numbers.length}건 (${range})`;
  const command = digest.source ? `/news ${digest.source.name} <번호>` : '/news <번호>';
  return `외 ${numbers.length}건 (${range}): \`${command}\`로 볼 수 있습니다`;
}

/**
 * One listed post's facts on one line: `담당부서 환경부 · 날짜 2026-12-01 · 번호 1653`, then its
 * 보도시점 and how many files it has (`📎 첨부 2건`) when it has them. A digest lists posts
 * briefly: the files themselves are one `/news` lookup or one click away; the count says there
 * are some, and stays a few characters on every platform.
 */
export function digestFacts(post: DisplayPost): string {
  // Ministry and date cut here, so the whole stays within the 400 characters renderers allow
  // an entry's facts and a long ministry cannot push the marks after it out.
  const facts = [
    `${LABELS.ministry} ${cutText(post.ministry, 200)}`,
    `${LABELS.date} ${cutText(post.date, 60)}`,
    `${LABELS.boardNo} ${post.boardNo}`,
  ];
  if (post.embargo) facts.push(`${LABELS.embargo} ${post.embargo}`);
  const files = post.attachments.length + post.moreAttachments;
  if (files > 0) facts.push(`📎 ${LABELS.attachments} ${files}건`);
  return facts.join(' · ');
}

/** The digest as plain lines (the console and fallback texts): heading, then each post. */
export function digestPlainText(digest: NewsDigest): string {
  const lines = [digestHeading(digest)];
  for (const message of digest.posts) {
    const post = displayPost(message);
    lines.push(`• ${post.title}`, `  ${digestFacts(post)}`);
    if (post.url) lines.push(`  ${post.url}`);
  }
  const more = digestMoreText(digest, []);
  if (more) lines.push(more);
  return lines.join('\n');
}
