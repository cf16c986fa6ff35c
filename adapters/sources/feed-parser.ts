import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { koreaDate, type Post } from '../../src/post.js';
import { compact } from './text.js';

interface ExtraItemFields {
  /** Atom `<category term>` (rss-parser only maps RSS categories itself). */
  category?: unknown;
  id?: string;
}

const parser: Parser<Record<string, never>, ExtraItemFields> = new Parser({
  customFields: { item: ['category', 'id'] },
});

/** Query parameters that boards and press-release systems put the post number in. */
const NUMBER_PARAMS = ['newsId', 'no', 'wr_id', 'idx', 'seq'];

/**
 * Parses RSS 2.0, RSS 1.0 or Atom into posts, in feed order. Items whose link or guid holds no
 * number cannot be tracked by number and are left out. Throws on XML that is not a feed.
 */
export async function parseFeed(xml: string, sourceId: string, feedUrl: string): Promise<Post[]> {
  const feed = await parser.parseString(xml);
  const now = new Date();
  const posts: Post[] = [];
  for (const item of feed.items) {
    const link = absolute(item.link ?? item.guid ?? item.id, feedUrl);
    const boardNo = boardNumberOf(item.link) ?? boardNumberOf(item.guid) ?? boardNumberOf(item.id);
    const rawTitle = compact(decodeHTML(item.title ?? ''));
    if (boardNo === undefined || !link || !rawTitle) continue;
    const prefixed = /^\[([^\]]+)\]\s*(.+)$/.exec(rawTitle);
    const title = prefixed ? prefixed[2]! : rawTitle;
    const ministry =
      prefixed?.[1]?.trim() ??
      firstCategory(item.categories) ??
      firstCategory(item.category) ??
      (item.creator ? compact(item.creator) : null);
    const published = item.isoDate ? new Date(item.isoDate) : undefined;
    posts.push({
      sourceId,
      boardNo,
      title,
      ministry: ministry || null,
      date: koreaDate(published && !Number.isNaN(published.getTime()) ? published : now),
      url: link,
      originalUrl: null,
    });
  }
  return posts;
}

/** The post number in a link or guid: a known query parameter, else the last number in the path. */
export function boardNumberOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const trailing = /(\d+)\D*$/.exec(value)?.[1];
    return trailing ? Number(trailing) : undefined;
  }
  for (const name of NUMBER_PARAMS) {
    const param = url.searchParams.get(name);
    if (param && /^\d+$/.test(param)) return Number(param);
  }
  const inPath = /(\d+)(?!.*\d)/.exec(url.pathname)?.[1];
  return inPath ? Number(inPath) : undefined;
}

function firstCategory(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return compact(first) || null;
  if (first && typeof first === 'object') {
    const node = first as { _?: unknown; $?: { term?: unknown } };
    if (typeof node._ === 'string') return compact(node._) || null;
    if (typeof node.$?.term === 'string') return compact(node.$.term) || null;
  }
  return null;
}

function absolute(href: string | undefined, base: string): string | null {
  if (!href) return null;
  try {
    return new URL(href.trim(), base).toString();
  } catch {
    return null;
  }
}
