import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { koreaDate, type Post } from '../../src/post.js';
import { httpLink } from './http-link.js';
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

/** A feed's posts, and the items left out because they cannot be posts. */
export interface FeedRead {
  /** In feed order. */
  posts: Post[];
  /** One short description per numbered item left out (`item 77: link "javascript:…" is not an http(s) URL`). */
  skipped: string[];
}

/**
 * Parses RSS 2.0, RSS 1.0 or Atom into posts, in feed order. Items whose link or guid holds no
 * number cannot be tracked by number and are left out silently; numbered items without an
 * http(s) link or a title are left out and reported. Throws on XML that is not a feed.
 */
export async function parseFeed(xml: string, sourceId: string, feedUrl: string): Promise<FeedRead> {
  const feed = await parser.parseString(xml);
  const now = new Date();
  const posts: Post[] = [];
  const skipped: string[] = [];
  for (const item of feed.items) {
    const link = itemLink(item, feedUrl);
    // A link that is not http(s) is no link: neither the post's URL nor where its number is.
    const boardNo =
      boardNumberOf(link.ok ? link.url : undefined) ??
      boardNumberOf(item.guid) ??
      boardNumberOf(item.id);
    if (boardNo === undefined) continue;
    if (!link.ok) {
      skipped.push(`item ${boardNo}: ${link.reason}`);
      continue;
    }
    const rawTitle = compact(decodeHTML(item.title ?? ''));
    if (!rawTitle) {
      skipped.push(`item ${boardNo}: no title`);
      continue;
    }
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
      url: link.url,
      originalUrl: null,
    });
  }
  return { posts, skipped };
}

/**
 * The item's http(s) link: `<link>` (relative to the feed), else a guid or Atom id that is an
 * absolute http(s) URL. A guid that is not a URL (`isPermaLink="false"`) is no link.
 */
function itemLink(
  item: { link?: string; guid?: string; id?: string },
  feedUrl: string,
): { ok: true; url: string } | { ok: false; reason: string } {
  const fromLink = item.link?.trim() ? httpLink(item.link, feedUrl) : null;
  if (fromLink?.ok) return { ok: true, url: fromLink.url.toString() };
  for (const value of [item.guid, item.id]) {
    const candidate = value?.trim() ? httpLink(value) : null;
    if (candidate?.ok) return { ok: true, url: candidate.url.toString() };
  }
  return { ok: false, reason: fromLink?.reason ?? 'no http(s) link, guid or id' };
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
