import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer, type LocalServer } from './http-server.js';

/**
 * Sources written to cost the bot as much as they can within `FETCH_MAX_BYTES` (5 MiB):
 * markup that makes regular expressions backtrack, parsers recurse or allocate, or a reader
 * consider far too many items. Each is a real board list page or feed around its payload, so
 * what a reader keeps of it can be checked. Shared by the tests and the benchmark.
 */
export interface HostileSource {
  /** Short and unique: test names, benchmark rows, URL paths. */
  name: string;
  kind: 'feed' | 'board';
  /** What is hostile about it. */
  description: string;
  /** The whole document, generated on demand (megabytes). */
  body(): string;
  /** A board's post pages, when they are what is hostile; benign ones otherwise. */
  postPage?(boardNo: number): string;
}

/** Payload budget: 5 MiB less room for the envelope around it. */
export const HOSTILE_BYTES = 5 * 1024 * 1024 - 64 * 1024;

/** `unit` repeated to fill `bytes` (UTF-8, ASCII units). */
function fill(unit: string, bytes = HOSTILE_BYTES): string {
  return unit.repeat(Math.floor(bytes / unit.length));
}

/** The date every item carries, one minute apart, newest the highest number. */
const BASE_DATE = Date.parse('2026-11-20T00:00:00Z');
const dateOf = (n: number) => new Date(BASE_DATE + n * 60_000).toUTCString();

/** One RSS item, its payload in the description (CDATA, as feeds commonly carry HTML). */
function rssItem(n: number, description = `<p>항목 ${n}의 본문입니다.</p>`, extra = ''): string {
  return `<item><title>적대적 항목 ${n}</title><link>https://news.example.org/item/${n}</link><guid isPermaLink="false">hostile-${n}</guid><pubDate>${dateOf(n)}</pubDate>${extra}<description><![CDATA[${description}]]></description></item>`;
}

function rss(items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>적대적 피드</title><link>https://news.example.org/</link>${items}</channel></rss>`;
}

/** A board list page: `rows` numbered from `rows` down, then `payload` after the table. */
function board(rows: number, payload = ''): string {
  const lines: string[] = [];
  for (let n = rows; n >= 1; n--) {
    lines.push(
      `<tr><td>${n}</td><td><a href="post/${n}">적대적 글 ${n}</a></td><td>2026-11-20</td></tr>`,
    );
  }
  return `<!DOCTYPE html><html><head><title>적대적 게시판 | 테스트</title></head><body><table><thead><tr><th>번호</th><th>제목</th><th>등록일</th></tr></thead><tbody>${lines.join('')}</tbody></table>${payload}</body></html>`;
}

/** A post page a board links to; `body` goes where the post's text is. */
export function postPage(
  body = '<p>환경부가 오늘 새 정책을 발표했습니다.</p><p>(환경부, 2026.11.20)</p>',
): string {
  return `<!DOCTYPE html><html><head><title>글 | 테스트</title></head><body><div class="post-content">${body}</div></body></html>`;
}

/** Nested elements: `depth` opening tags, the text, then the closing ones. */
function nested(open: string, close: string, depth: number, inner: string): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

const DEEP = 100_000;
/** Items of `feed-unclosed-tags`, and the bytes of each one's description. */
const UNCLOSED_ITEMS = { count: 1_000, bytes: 5_000 } as const;
/** Items or rows of the long feed and the long board. */
const MANY_ENTRIES = 50_000;
/** The one huge attribute's length. */
const HUGE_ATTRIBUTE = 4 << 20;

/** The descriptions say the sizes the generators use, from the same constants. */
const mib = (bytes: number) => `${Number((bytes / 2 ** 20).toFixed(2))} MiB`;
const count = (n: number) => n.toLocaleString('en');

/** Distinct attributes ` a0 a1 …` that fill `bytes`: what `board-many-attributes` holds. */
function manyAttributes(bytes = HOSTILE_BYTES): string[] {
  const attributes: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const attribute = ` a${i}`;
    attributes.push(attribute);
    size += attribute.length;
  }
  return attributes;
}

/** How many {@link manyAttributes} makes, counted without building the strings. */
function manyAttributesCount(bytes = HOSTILE_BYTES): number {
  let n = 0;
  for (let size = 0; size < bytes; n++) size += ` a${n}`.length;
  return n;
}

export const HOSTILE_SOURCES: readonly HostileSource[] = [
  {
    name: 'feed-p-description',
    kind: 'feed',
    description: `one item whose description is ${mib(HOSTILE_BYTES)} of \`<p <p <p …\` (unclosed tags)`,
    body: () => rss(rssItem(1, fill('<p '))),
  },
  {
    name: 'feed-unclosed-tags',
    kind: 'feed',
    description: `${count(UNCLOSED_ITEMS.count)} items, each description ${UNCLOSED_ITEMS.bytes / 1000} KB of unclosed tags of every kind`,
    body: () => {
      const payload = fill('<div <a href="x <span <!-- <b <![CDATA <?pi ', UNCLOSED_ITEMS.bytes);
      return rss(
        Array.from({ length: UNCLOSED_ITEMS.count }, (_, i) => rssItem(i + 1, payload)).join(''),
      );
    },
  },
  {
    name: 'feed-script-openings',
    kind: 'feed',
    description: `one description of ${mib(HOSTILE_BYTES)} of \`<script>\` openings never closed`,
    body: () => rss(rssItem(1, fill('<script>x '))),
  },
  {
    name: 'feed-50k-items',
    kind: 'feed',
    description: `${count(MANY_ENTRIES)} items`,
    body: () =>
      rss(
        Array.from(
          { length: MANY_ENTRIES },
          (_, i) =>
            `<item><title>t${i + 1}</title><guid>g${i + 1}</guid><pubDate>${dateOf(i + 1)}</pubDate></item>`,
        ).join(''),
      ),
  },
  {
    name: 'feed-huge-attribute',
    kind: 'feed',
    description: `an item carrying a ${mib(HUGE_ATTRIBUTE)} attribute`,
    body: () =>
      rss(
        rssItem(1, undefined, `<category domain="${fill('a', HUGE_ATTRIBUTE)}">환경부</category>`),
      ),
  },
  {
    name: 'feed-deep-nesting',
    kind: 'feed',
    description: `an item with ${DEEP.toLocaleString('en')} nested unknown elements`,
    body: () => rss(rssItem(1, undefined, nested('<x>', '</x>', DEEP, 'deep'))),
  },
  {
    name: 'atom-xhtml-deep',
    kind: 'feed',
    description: `an Atom entry whose xhtml content nests ${DEEP.toLocaleString('en')} \`<div>\`s`,
    body: () =>
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>적대적 Atom</title><id>tag:news.example.org,2026:feed</id><entry><title>깊은 항목</title><id>tag:news.example.org,2026:1</id><link href="https://news.example.org/item/1"/><updated>2026-11-20T00:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${nested('<div>', '</div>', DEEP, '본문')}</div></content></entry></feed>`,
  },
  {
    name: 'board-unclosed-tags',
    kind: 'board',
    description: `a board page followed by ${mib(HOSTILE_BYTES)} of \`<p <p <p …\``,
    body: () => board(20, fill('<p ')),
  },
  {
    name: 'board-deep-nesting',
    kind: 'board',
    description: `a board table inside ${DEEP.toLocaleString('en')} nested \`<div>\`s`,
    body: () => nested('<div>', '</div>', DEEP, board(20)),
  },
  {
    name: 'board-huge-attribute',
    kind: 'board',
    description: `a board whose newest row links through a ${mib(HUGE_ATTRIBUTE)} href`,
    body: () => board(20).replace('href="post/20"', `href="post/20?${fill('a', HUGE_ATTRIBUTE)}"`),
  },
  {
    name: 'board-many-attributes',
    kind: 'board',
    description: `a board followed by one tag with ${count(manyAttributesCount())} distinct attributes`,
    body: () => board(20, `<div${manyAttributes().join('')}>`),
  },
  {
    name: 'board-50k-rows',
    kind: 'board',
    description: `${count(MANY_ENTRIES)} rows on one list page`,
    body: () => board(MANY_ENTRIES),
  },
  {
    name: 'board-deep-post',
    kind: 'board',
    description: `a benign board whose post pages nest ${DEEP.toLocaleString('en')} \`<div>\`s`,
    body: () => board(5),
    postPage: () => postPage(nested('<div>', '</div>', DEEP, '<p>깊은 본문입니다.</p>')),
  },
];

/**
 * A well-behaved document of the kind: what a source served before it turned hostile. A feed
 * of one item (`적대적 항목 0`), or a board of rows 3 to 1.
 */
export function benignBody(kind: HostileSource['kind']): string {
  return kind === 'feed' ? rss(rssItem(0)) : board(3);
}

/** A hostile source by name. */
export function hostileSource(name: string): HostileSource {
  const source = HOSTILE_SOURCES.find((s) => s.name === name);
  if (!source) throw new Error(`no hostile source ${name}`);
  return source;
}

/**
 * Answers for hostile sources: each at `/<name>/index` (a feed, or a board list page whose
 * rows link to `/<name>/post/<n>`), its body generated once, on the first request.
 */
export function hostileHandler(
  sources: readonly HostileSource[],
  requests: string[] = [],
): (req: IncomingMessage, res: ServerResponse) => void {
  const bodies = new Map<string, Buffer>();
  return (req, res) => {
    requests.push(req.url ?? '/');
    const [, name = '', rest = ''] = /^\/([^/]+)\/(.*)$/.exec(req.url ?? '') ?? [];
    const source = sources.find((s) => s.name === name);
    if (!source) return res.writeHead(404).end();
    const post = /^post\/(\d+)/.exec(rest);
    if (post) {
      const page = source.postPage?.(Number(post[1])) ?? postPage();
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    }
    let body = bodies.get(name);
    if (!body) bodies.set(name, (body = Buffer.from(source.body(), 'utf8')));
    const type =
      source.kind === 'feed' ? 'application/xml; charset=utf-8' : 'text/html; charset=utf-8';
    return res.writeHead(200, { 'content-type': type }).end(body);
  };
}

/** The URL a hostile source is served at by a {@link hostileHandler} at `base`. */
export function hostileUrl(base: string, source: HostileSource): string {
  return `${base}/${source.name}/index`;
}

/** Serves one hostile source (see {@link hostileHandler}); `requests` records what was asked. */
export async function serveHostile(
  source: HostileSource,
): Promise<LocalServer & { sourceUrl: string; requests: string[] }> {
  const requests: string[] = [];
  const server = await startHttpServer(hostileHandler([source], requests));
  return { ...server, sourceUrl: hostileUrl(server.url, source), requests };
}
