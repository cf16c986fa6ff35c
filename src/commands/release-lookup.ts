import { newsMessage, type NewsMessage } from '../model/news-message.js';
import type { Post } from '../model/post.js';
import { releaseIdOf } from '../model/release-id.js';
import { bySourceId, mergeRelease } from '../model/release-merge.js';
import type { PostArchive } from '../ports/post-archive.js';
import { sourceLabel, type SourceRecord } from '../ports/source-registry.js';

/**
 * Lookups of a press release that several sources carried: the post with what the others know
 * and it lacks, naming the others (`함께 실린 곳`). Only sources the asking channel may see are
 * read or named: a tenant's own chat-added feeds never show in another's replies.
 */
export async function releaseMessages(
  archive: Pick<PostArchive, 'carriers'>,
  posts: readonly Post[],
  visible: readonly SourceRecord[],
): Promise<NewsMessage[]> {
  const byName = new Map(visible.map((source) => [source.name, source]));
  const seen = new Set<string>();
  const messages: NewsMessage[] = [];
  for (const post of posts) {
    const releaseId = releaseIdOf(post);
    const source = byName.get(post.sourceId) ?? null;
    if (releaseId === null) {
      messages.push(message(post, source));
      continue;
    }
    // A list (a search) shows each release once, under the first of its carriers listed.
    if (seen.has(releaseId)) continue;
    seen.add(releaseId);
    const others = (await archive.carriers(releaseId, post.sourceId))
      .filter((other) => byName.has(other.sourceId))
      .sort(bySourceId);
    const shown = message(mergeRelease(post, others), source);
    messages.push(
      others.length === 0
        ? shown
        : {
            ...shown,
            alsoCarriedBy: others.map(
              (other) => `${sourceLabel(byName.get(other.sourceId)!)} ${other.boardNo}번`,
            ),
          },
    );
  }
  return messages;
}

/** A post as a message labelled with its source. */
export function message(post: Post, source: SourceRecord | null): NewsMessage {
  return newsMessage(post, source ? { name: source.name, label: sourceLabel(source) } : null);
}
