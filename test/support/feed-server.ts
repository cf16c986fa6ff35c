import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startHttpServer, type LocalServer } from './http-server.js';

/** One item of a {@link FeedServer} feed; left-out fields are left out of the XML. */
export interface TestFeedItem {
  title: string;
  /** RSS `<guid isPermaLink="false">`, Atom `<id>`. */
  guid?: string | undefined;
  link?: string | undefined;
  /** Written as RSS `pubDate` / Atom `updated`. */
  date?: Date | undefined;
}

/**
 * A local RSS 2.0 or Atom feed whose items the test edits between polls (add, insert,
 * drop, reorder), answering conditional GETs with an ETag of the body, and failing on demand.
 */
export class FeedServer {
  /** In feed order. */
  items: TestFeedItem[] = [];
  title = 'ESG 테스트 피드';
  format: 'rss' | 'atom' = 'rss';
  /** Answer every request with this status (and `Retry-After`, when set) instead of the feed. */
  fault: { status: number; retryAfter?: string } | null = null;
  /** Serve the feed cut off half-way, as a dropped connection or a full disk at the source does. */
  truncated = false;
  /** Every request's path, in order. */
  readonly requests: string[] = [];
  private server: LocalServer | null = null;

  constructor(readonly path = '/feed.xml') {}

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) => this.handle(req, res));
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  get url(): string {
    if (!this.server) throw new Error('feed server not started');
    return `${this.server.url}${this.path}`;
  }

  /** The feed as it is now. */
  xml(): string {
    return this.format === 'rss' ? this.rss() : this.atom();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '/');
    if (this.fault) {
      const headers = this.fault.retryAfter ? { 'retry-after': this.fault.retryAfter } : {};
      res.writeHead(this.fault.status, headers).end('unavailable');
      return;
    }
    const whole = this.xml();
    const body = this.truncated ? whole.slice(0, Math.floor(whole.length / 2)) : whole;
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const type = this.format === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, etag }).end(body);
  }

  private rss(): string {
    const items = this.items
      .map((item) =>
        [
          '<item>',
          `<title>${escape(item.title)}</title>`,
          item.link ? `<link>${escape(item.link)}</link>` : '',
          item.guid ? `<guid isPermaLink="false">${escape(item.guid)}</guid>` : '',
          item.date ? `<pubDate>${item.date.toUTCString()}</pubDate>` : '',
          '</item>',
        ].join(''),
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${escape(this.title)}</title><link>https://example.org/news</link>
${items}
</channel></rss>`;
  }

  private atom(): string {
    const entries = this.items
      .map((item) =>
        [
          '<entry>',
          `<title>${escape(item.title)}</title>`,
          item.link ? `<link href="${escape(item.link)}"/>` : '',
          item.guid ? `<id>${escape(item.guid)}</id>` : '',
          item.date ? `<updated>${item.date.toISOString()}</updated>` : '',
          '</entry>',
        ].join(''),
      )
      .join('\n');
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${escape(this.title)}</title><id>tag:example.org,2026:feed</id>
${entries}
</feed>`;
  }
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
