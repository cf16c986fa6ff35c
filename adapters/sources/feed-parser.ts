import { createRequire } from 'node:module';
import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { newestOf } from '../../src/model/feed-order.js';
import { itemIdentity, ownNumberOf } from '../../src/model/item-identity.js';
import { leadSummary } from '../../src/model/lead-summary.js';
import { koreaDate } from '../../src/model/post.js';
import type { FeedItem } from '../../src/ports/news-source.js';
import { httpLink } from './http-link.js';
import { feedTitle } from './source-title.js';
import {
  capText,
  compact,
  fieldText,
  htmlLines,
  MAX_FIELD_INPUT,
  MAX_MINISTRY,
  MAX_POST_TITLE,
} from './text.js';

interface ExtraItemFields {
  /** Atom `<category term>` (rss-parser only maps RSS categories itself). */
  category?: unknown;
  id?: unknown;
  /** RSS 1.0's item URI. */
  'rdf:about'?: unknown;
  /** RSS's full body, when the feed carries one besides its description. */
  'content:encoded'?: unknown;
}

const parser: Parser<Record<string, never>, ExtraItemFields> = new Parser({
  customFields: { item: ['category', 'id'] },
});

/**
 * rss-parser gives every item a `contentSnippet`, its content without tags, made by a lazy
 * regular expression (`utils.stripHtml`) that takes quadratic time on an unclosed `<`: a
 * 60 KB description of `<p <p <p …` costs seconds, a 5 MB one hours. The bot never reads the
 * snippet (the lead comes from `htmlLines`, which is linear), so rss-parser is given one that
 * costs nothing. Its parser calls `utils.getSnippet` through the module object, so replacing
 * the property is enough; nothing else in the bot uses rss-parser.
 */
const rssParserUtils = createRequire(import.meta.url)('rss-parser/lib/utils.js') as {
  getSnippet: (html: string) => string;
};
rssParserUtils.getSnippet = () => '';

/** A feed's own title, its items, and the items left out because they cannot be posts. */
export interface FeedRead {
  /** The feed's title, cleaned for chat (see `feedTitle`); `null` when it has none. */
  title: string | null;
  /** In feed order. */
  items: FeedItem[];
  /**
   * One short description per item left out (`item 77: link "javascript:…" is not an
   * http(s) URL`, `item "제목": no title`).
   */
  skipped: string[];
}

/**
 * Parses RSS 2.0, RSS 1.0 or Atom into items, in feed order, each with its identity (see
 * `itemIdentity`) and the number it carries, if any. Any item can be tracked now, numbered or
 * not. Items whose link is not http(s) (with no http(s) guid to fall back on) or that have no
 * title are left out and reported; an item with no link at all links to the feed's site.
 * Only the newest `maxItems` items are considered (see `newestOf`), the rest dropped before
 * anything is made of them; every text kept is bounded. Throws on XML that is not a feed.
 */
export async function parseFeed(
  xml: string,
  sourceId: string,
  feedUrl: string,
  now = new Date(),
  maxItems = Infinity,
): Promise<FeedRead> {
  const feed = await parser.parseString(xml);
  const home = feedHome(feed.link, feedUrl);
  const items: FeedItem[] = [];
  const skipped: string[] = [];
  const dated = feed.items.map((item, index) => ({ item, index, publishedAt: timeOf(item) }));
  for (const { item, index, publishedAt } of newestOf(dated, maxItems)) {
    const guid = text(item.guid) ?? text(item.id) ?? text(item['rdf:about']);
    const link = itemLink(item.link, guid, feedUrl);
    const ownNumber = ownNumberOf((link.ok && link.url) || undefined) ?? ownNumberOf(guid);
    // Bounded before it is decoded; the identity is made of it, so it is cut only far past
    // any real title, and the title shown is cut again below.
    const rawTitle =
      typeof item.title === 'string'
        ? compact(decodeHTML(item.title.slice(0, MAX_FIELD_INPUT)))
        : '';
    const name = ownNumber ?? (rawTitle ? JSON.stringify(rawTitle.slice(0, 40)) : `#${index + 1}`);
    // A link that is not http(s) is no link: neither the post's URL nor where its number is.
    if (!link.ok) {
      skipped.push(`item ${name}: ${link.reason}`);
      continue;
    }
    if (!rawTitle) {
      skipped.push(`item ${name}: no title`);
      continue;
    }
    const prefixed = /^\[([^\]]+)\]\s*(.+)$/.exec(rawTitle);
    const title = capText(prefixed ? prefixed[2]! : rawTitle, MAX_POST_TITLE);
    const ministry =
      (prefixed ? capText(prefixed[1]!.trim(), MAX_MINISTRY) : null) ??
      firstCategory(item.categories) ??
      firstCategory(item.category) ??
      (typeof item.creator === 'string' ? fieldText(item.creator, MAX_MINISTRY) : null);
    const post: FeedItem['post'] = {
      sourceId,
      title,
      ministry: ministry || null,
      date: koreaDate(publishedAt === null ? now : new Date(publishedAt)),
      url: link.url ?? home,
      originalUrl: null,
    };
    const summary = itemSummary(item, title);
    if (summary) post.summary = summary;
    const key = itemIdentity({
      guid,
      link: link.url ?? undefined,
      title: rawTitle,
      date: item.isoDate ?? item.pubDate,
    });
    items.push({ key, ownNumber, publishedAt, post });
  }
  return { title: feedTitle(feed.title), items, skipped };
}

/** When the item was published (epoch ms), `null` when its date cannot be read. */
function timeOf(item: Parser.Item): number | null {
  const published = item.isoDate ? new Date(item.isoDate).getTime() : Number.NaN;
  return Number.isNaN(published) ? null : published;
}

/**
 * The item's http(s) link: `<link>` (relative to the feed), else a guid or Atom id that is an
 * absolute http(s) URL. A guid that is not a URL (`isPermaLink="false"`) is no link. An item
 * with no link at all is kept (`url: null`); one whose only link is not http(s) is not.
 */
function itemLink(
  link: string | undefined,
  guid: string | undefined,
  feedUrl: string,
): { ok: true; url: string | null } | { ok: false; reason: string } {
  const fromLink = link?.trim() ? httpLink(link, feedUrl) : null;
  if (fromLink?.ok) return { ok: true, url: fromLink.url.toString() };
  const fromGuid = guid ? httpLink(guid) : null;
  if (fromGuid?.ok) return { ok: true, url: fromGuid.url.toString() };
  return fromLink ? { ok: false, reason: fromLink.reason } : { ok: true, url: null };
}

/**
 * Where an item without a link points: the feed's own `<link>` to its site, else the feed
 * URL's origin. Never the feed URL itself, which may carry an access key into chat.
 */
function feedHome(link: string | undefined, feedUrl: string): string {
  const site = link?.trim() ? httpLink(link, feedUrl) : null;
  return site?.ok ? site.url.toString() : `${new URL(feedUrl).origin}/`;
}

/**
 * The item's lead (see `leadSummary`): from Atom's `<summary>`, else the RSS description or
 * Atom content, else RSS's `content:encoded`; the first that has one.
 */
function itemSummary(item: Parser.Item & ExtraItemFields, title: string): string | undefined {
  for (const html of [item.summary, item.content, item['content:encoded']]) {
    if (typeof html !== 'string' || html.trim() === '') continue;
    const summary = leadSummary(htmlLines(html), { title });
    if (summary) return summary;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function firstCategory(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return fieldText(first, MAX_MINISTRY) || null;
  if (first && typeof first === 'object') {
    const node = first as { _?: unknown; $?: { term?: unknown } };
    if (typeof node._ === 'string') return fieldText(node._, MAX_MINISTRY) || null;
    if (typeof node.$?.term === 'string') return fieldText(node.$.term, MAX_MINISTRY) || null;
  }
  return null;
}
