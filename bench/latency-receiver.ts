import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Webhook receivers for the destinations benchmark: every POST is read whole, held for
 * `latencyMs` (a far-away platform's round trip), then answered as each platform answers a
 * message it took (Teams 202, the others 200). Records when each destination's first message
 * arrived.
 */
export class LatencyReceiver {
  /** Destination path → when its first message was answered (ms since epoch). */
  readonly firstAnswered = new Map<string, number>();
  requests = 0;
  private server: Server | null = null;

  constructor(private readonly latencyMs: number) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests++;
        const path = req.url ?? '/';
        setTimeout(() => {
          if (!this.firstAnswered.has(path)) this.firstAnswered.set(path, Date.now());
          const teams = path.startsWith('/teams/');
          res.writeHead(teams ? 202 : 200, { 'content-type': 'application/json' });
          res.end(
            path.startsWith('/dooray/')
              ? '{"header":{"resultCode":0,"resultMessage":"","isSuccessful":true}}'
              : '{}',
          );
        }, this.latencyMs);
      });
    });
    // Every destination is its own URL but they share this server: as many sockets as asked.
    this.server.maxConnections = 10_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  lastAnswered(): number {
    return Math.max(...this.firstAnswered.values());
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
