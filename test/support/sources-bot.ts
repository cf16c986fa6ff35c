import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeBoard } from './fake-board.js';
import { FakeSlack, slashCommand } from './fake-slack.js';
import { startHttpServer, type LocalServer } from './http-server.js';
import { PipelineHarness, type HarnessOptions } from './pipeline-harness.js';
import { waitFor } from './wait.js';

/** Local RSS feeds, one per path, each a list of items the test can add to. */
export class LocalFeeds {
  readonly items = new Map<string, Array<{ id: number; title: string; date: Date }>>();
  server: LocalServer | null = null;

  async start(): Promise<this> {
    this.server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const items = this.items.get(path);
      if (!items) return res.writeHead(404).end('없음');
      const xml = items
        .map(
          (item) =>
            `<item><title>[환경부] ${item.title}</title><link>https://www.korea.kr/briefing/pressReleaseView.do?newsId=${item.id}</link><pubDate>${item.date.toUTCString()}</pubDate></item>`,
        )
        .join('');
      res
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>정책브리핑 보도자료 ${path}</title>${xml}</channel></rss>`,
        );
    });
    return this;
  }

  url(path: string): string {
    return `${this.server!.url}${path}`;
  }

  add(path: string, id: number, title: string): void {
    const list = this.items.get(path) ?? [];
    list.unshift({ id, title, date: new Date() });
    this.items.set(path, list);
  }
}

/**
 * A bot (role `all`, real Slack adapter against the fake) with the fake board and local
 * feeds, plus helpers to send signed `/news` commands and poll a source. `cleanup` collects
 * what the test must close.
 */
export async function sourcesBot(
  cleanup: Array<() => Promise<void>>,
  env: (servers: { board: FakeBoard; feeds: LocalFeeds }) => Record<string, string>,
  options: Partial<HarnessOptions> = {},
) {
  const board = await new FakeBoard().start();
  const feeds = await new LocalFeeds().start();
  const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-sources');
  cleanup.push(
    () => board.close(),
    () => feeds.server!.close(),
    () => slack.close(),
  );
  feeds.add('/korea', 156_500_001, '기존 보도자료');
  const bot = new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    ...options,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-sources',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      ...env({ board, feeds }),
    },
  });
  cleanup.push(() => bot.close());
  await bot.start();
  const command = (channel: string, text: string) =>
    slashCommand(bot.httpUrl, slack, channel, text);
  /** The answer that came later through response_url, for commands that read a source. */
  const later = (channel: string) =>
    waitFor(
      `the answer in ${channel}`,
      () => slack.responses.find((r) => r.id === channel)?.body as { text: string } | undefined,
    );
  const poll = (sourceId: string) => bot.pollOnce(sourceId);
  return { board, feeds, slack, bot, command, later, poll };
}
