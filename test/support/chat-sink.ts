import { setTimeout as sleep } from 'node:timers/promises';
import { readBody, startHttpServer, type LocalServer } from './http-server.js';

/** Receives alerts posted by {@link HttpRecordingNotifier} and counts them per channel. */
export class ChatSink {
  readonly received = new Map<string, number>();
  total = 0;
  private server: LocalServer | null = null;

  constructor(private readonly delayMs = 0) {}

  get url(): string {
    return `${this.server!.url}/alerts`;
  }

  async start(): Promise<this> {
    this.server = await startHttpServer(async (req, res) => {
      const body = JSON.parse(await readBody(req)) as { channelId: string };
      // Counted on arrival: a sender killed before the answer has still delivered.
      this.received.set(body.channelId, (this.received.get(body.channelId) ?? 0) + 1);
      this.total++;
      if (this.delayMs) await sleep(this.delayMs);
      res.writeHead(200).end('{"ok":true}');
    });
    return this;
  }

  get duplicates(): number {
    return this.total - this.received.size;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
