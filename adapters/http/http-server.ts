import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: RouteHandler;
}

/** The bot's one HTTP server: health checks and the chat platforms' webhooks share it. */
export class HttpServer {
  private readonly server: Server;

  constructor(
    private readonly routes: Route[],
    private readonly onError: (error: unknown) => void,
  ) {
    this.server = createServer((req, res) => this.dispatch(req, res));
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.routes.find((r) => r.path === path);
    if (!route) return reply(res, 404, { error: 'not found' });
    if (route.method !== req.method) return reply(res, 405, { error: 'method not allowed' });
    Promise.resolve(route.handler(req, res)).catch((error: unknown) => {
      this.onError(error);
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.end();
    });
  }
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** `GET /healthz`: 200 while Redis answers a PING within a second, 503 otherwise. */
export function healthRoute(ping: () => Promise<unknown>): Route {
  return {
    method: 'GET',
    path: '/healthz',
    handler: async (_req, res) => {
      try {
        await withTimeout(ping(), 1_000);
        reply(res, 200, { status: 'ok', redis: 'up' });
      } catch {
        reply(res, 503, { status: 'unavailable', redis: 'down' });
      }
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
