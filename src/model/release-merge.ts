import { createHash } from 'node:crypto';
import type { Post } from './post.js';
import { newsIdOf } from './release-id.js';

/**
 * A post as its alert shows it when other sources carried the same release: its own title,
 * number and link, plus what it lacks and another carrier knows (the ministry, the lead, the
 * 보도시점, the attachments, the link to korea.kr). `others` are the other carriers in a stable
 * order (the caller's); the first that knows a field gives it.
 */
export function mergeRelease(post: Post, others: readonly Post[]): Post {
  const merged: Post = { ...post };
  const first = <T>(pick: (p: Post) => T | null | undefined): T | undefined => {
    for (const other of others) {
      const value = pick(other);
      if (value !== null && value !== undefined) return value;
    }
    return undefined;
  };
  merged.ministry = post.ministry ?? first((p) => p.ministry) ?? null;
  const summary = post.summary ?? first((p) => p.summary);
  if (summary !== undefined) merged.summary = summary;
  const embargoAt = post.embargoAt ?? first((p) => p.embargoAt);
  if (embargoAt !== undefined) merged.embargoAt = embargoAt;
  const attachments = post.attachments?.length
    ? post.attachments
    : first((p) => (p.attachments?.length ? p.attachments : undefined));
  if (attachments !== undefined) merged.attachments = attachments;
  // A post that is itself the korea.kr release needs no link to it.
  if (post.originalUrl === null && newsIdOf(post.url) === null) {
    merged.originalUrl =
      first((p) => p.originalUrl) ?? first((p) => (newsIdOf(p.url) ? p.url : null)) ?? null;
  }
  return merged;
}

/** Carriers in a stable order, by source id: the first that knows a field gives it. */
export function bySourceId(a: Pick<Post, 'sourceId'>, b: Pick<Post, 'sourceId'>): number {
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

/**
 * A short hash of what other carriers can add to an alert: two views of a post with the same
 * hash say the same of it, and an alert edited to one view need not be edited again for it.
 */
export function enrichmentVersion(post: Post): string {
  const files = (post.attachments ?? []).map((file) => `${file.name}\t${file.url}`).join('\n');
  return createHash('sha256')
    .update(
      [
        post.ministry ?? '',
        post.summary ?? '',
        String(post.embargoAt ?? ''),
        post.originalUrl ?? '',
        files,
      ].join('\n\u0000'),
    )
    .digest('base64url')
    .slice(0, 12);
}
