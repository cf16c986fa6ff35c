import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { startHttpServer, type LocalServer } from './http-server.js';

/** One request the bot made of a platform, and the platform's answer. */
export interface Exchange {
  method: string;
  /** The path and query, as the bot sent them. */
  path: string;
  /** The channel it is about: Slack's `channel` field, Discord's `/channels/{id}/…`. */
  channel: string | null;
  /** When the request reached the proxy (`Date.now()`, the bot's and BullMQ's clock). */
  arrivedAt: number;
  /** When the platform's answer was back at the proxy, just before the bot got it. */
  answeredAt: number;
  status: number;
  /** On a 429, the wait asked for in ms: Discord's exact `retry_after`, else `Retry-After`. */
  retryAfterMs: number | null;
}

/**
 * A local HTTP proxy in front of a fake platform: it forwards every request and answer
 * unchanged and records each exchange with its times, so a test can check that a retry came
 * no earlier than the wait the platform asked for, by the platform's side of the wire. The
 * fakes stay as they are: give the bot {@link via}(`fake.apiUrl`) instead of the fake's URL.
 */
export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  private server: LocalServer | null = null;

  /** `target`: the fake's origin or any URL on it (only its origin is used). */
  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = await startHttpServer((req, res) =>
      this.forward(req).then(({ status, headers, body }) => {
        res.writeHead(status, headers).end(body);
      }),
    );
    return this;
  }

  /** `url` of the fake, reached through this proxy (same path, the proxy's origin). */
  via(url: string): string {
    const proxied = new URL(url);
    const own = new URL(this.server!.url);
    proxied.host = own.host;
    return proxied.href;
  }

  /** The exchanges that posted a message (Slack `chat.postMessage`, Discord create message). */
  messagePosts(): Exchange[] {
    return this.exchanges.filter(
      (e) =>
        e.method === 'POST' &&
        (e.path.endsWith('/chat.postMessage') || /\/channels\/\d+\/messages$/.test(e.path)),
    );
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async forward(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const arrivedAt = Date.now();
    const body = await readAll(req);
    const origin = new URL(this.target);
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const upstream = request(
        {
          host: origin.hostname,
          port: origin.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: origin.host },
        },
        resolve,
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
    const answerBody = await readAll(answer);
    const status = answer.statusCode ?? 0;
    this.exchanges.push({
      method: req.method ?? '',
      path: req.url ?? '',
      channel: channelOf(req, body),
      arrivedAt,
      answeredAt: Date.now(),
      status,
      retryAfterMs: status === 429 ? retryAfterMs(answer.headers, answerBody) : null,
    });
    return { status, headers: answer.headers, body: answerBody };
  }
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function channelOf(req: IncomingMessage, body: Buffer): string | null {
  const discord = /\/channels\/(\d+)\//.exec(req.url ?? '');
  if (discord) return discord[1]!;
  if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body.toString('utf8')).get('channel');
  }
  return null;
}

/** Discord's body says the wait to the millisecond; its header, like Slack's, in whole seconds. */
function retryAfterMs(headers: IncomingHttpHeaders, body: Buffer): number | null {
  try {
    const exact = (JSON.parse(body.toString('utf8')) as { retry_after?: unknown }).retry_after;
    if (typeof exact === 'number') return exact * 1000;
  } catch {
    // Not JSON: the header says it.
  }
  const header = Number(headers['retry-after']);
  return Number.isFinite(header) ? header * 1000 : null;
}
