import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { carriesBody, readBody } from './read-body.js';

/**
 * A request whose body the server has already read (within the route's limit). The stream is
 * consumed: read `rawBody`. Bolt's HTTPReceiver uses a `rawBody` Buffer it finds on the request
 * instead of reading the stream, so its signature check sees the same bytes.
 */
export interface BufferedRequest extends IncomingMessage {
  rawBody: Buffer;
}

export type RouteHandler = (req: BufferedRequest, res: ServerResponse) => void | Promise<void>;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  /** The method, or methods, the route answers; another is answered 405. */
  method: HttpMethod | readonly HttpMethod[];
  /** The exact path the route answers (the query string aside). */
  path: string;
  /**
   * Also answer every path below `path` (`path/…`): for a mounted application with routes of
   * its own, such as the queue dashboard. `path` itself is still matched exactly, so
   * `/admin/queues-old` is not under `/admin/queues`.
   */
  prefix?: boolean | undefined;
  handler: RouteHandler;
  /**
   * The largest body this route accepts, in bytes; a bigger one is answered 413 and the
   * connection closed. Default: none for GET and HEAD, {@link DEFAULT_MAX_BODY_BYTES} otherwise.
   */
  maxBodyBytes?: number | undefined;
}

/** A POST route's body limit when it sets none; routes with larger payloads say so. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Time and connection limits of {@link HttpServer}; each defaults to the production value. */
export interface HttpServerOptions {
  /** Time a client has to send the complete request headers, from connecting (default 10 s). */
  headersTimeoutMs?: number | undefined;
  /** Time a client has to send the whole request, body included (default 30 s). */
  requestTimeoutMs?: number | undefined;
  /** How long an idle keep-alive connection stays open between requests (default 5 s). */
  keepAliveTimeoutMs?: number | undefined;
  /**
   * How often Node looks for connections past the two timeouts above (default 1 s). They are
   * enforced only then, and Node's own default of 30 s would let a stalled client stay ~40 s.
   */
  connectionsCheckingIntervalMs?: number | undefined;
  /** Connections held at once; more are dropped (default 1,000). */
  maxConnections?: number | undefined;
}

const DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConnections: 1_000,
} satisfies Record<keyof HttpServerOptions, number>;

/**
 * The bot's one HTTP server: health checks, metrics, the chat platforms' webhooks and the queue
 * dashboard share it. It is reachable from the internet, so it defends itself before any route
 * runs: every route's body is read here under the route's limit, and slow or idle clients are
 * cut off by the timeouts, which (not the connection cap) is what keeps idle sockets from using
 * up the cap.
 */
export class HttpServer {
  private readonly server: Server;

  constructor(
    private readonly routes: Route[],
    private readonly onError: (error: unknown) => void,
    options: HttpServerOptions = {},
  ) {
    this.server = createServer(
      {
        headersTimeout: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
        requestTimeout: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
        connectionsCheckingInterval:
          options.connectionsCheckingIntervalMs ?? DEFAULTS.connectionsCheckingIntervalMs,
      },
      (req, res) => this.dispatch(req, res),
    );
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs ?? DEFAULTS.keepAliveTimeoutMs;
    this.server.maxConnections = options.maxConnections ?? DEFAULTS.maxConnections;
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
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.find((r) => servesPath(r, path));
    const methods = route ? methodsOf(route) : [];
    if (!route || !methods.some((method) => method === req.method)) {
      // Left unread, a body would be read to its end by Node to keep the connection alive:
      // whatever its size, for a request nobody handles.
      if (carriesBody(req)) res.setHeader('connection', 'close');
      if (!route) return reply(res, 404, { error: 'not found' });
      res.setHeader('allow', methods.join(', '));
      return reply(res, 405, { error: 'method not allowed' });
    }
    const bodiless = req.method === 'GET' || req.method === 'HEAD';
    const limit = route.maxBodyBytes ?? (bodiless ? 0 : DEFAULT_MAX_BODY_BYTES);
    this.handle(route, limit, req, res).catch((error: unknown) => {
      this.onError(error);
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.end();
    });
  }

  private async handle(
    route: Route,
    limit: number,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const outcome = await readBody(req, limit);
    if (outcome.kind === 'aborted') return;
    if (outcome.kind === 'too-large') {
      // `connection: close` makes Node end the socket once the answer is out instead of
      // reading (and discarding) the rest of the body to keep the connection alive.
      res.setHeader('connection', 'close');
      return reply(res, 413, { error: 'body too large', limit });
    }
    const buffered = Object.assign(req, { rawBody: outcome.body });
    await route.handler(buffered, res);
  }
}

function servesPath(route: Route, path: string): boolean {
  return path === route.path || (route.prefix === true && path.startsWith(`${route.path}/`));
}

function methodsOf(route: Route): readonly HttpMethod[] {
  return typeof route.method === 'string' ? [route.method] : route.method;
}

/** Answers with `status` and `body` as JSON; headers set before (e.g. `connection`) are kept. */
export function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
