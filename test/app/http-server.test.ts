import { generateKeyPairSync, sign } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoute } from '../../adapters/http/health-route.js';
import { DEFAULT_MAX_BODY_BYTES, HttpServer, reply } from '../../adapters/http/http-server.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeSlack } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const MiB = 1024 * 1024;
const UPLOAD_BYTES = 64 * MiB;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

const keys = generateKeyPairSync('ed25519');
const PUBLIC_KEY_HEX = keys.publicKey
  .export({ format: 'der', type: 'spki' })
  .subarray(12)
  .toString('hex');

/** What a client uploading a big body saw. */
interface Upload {
  status: number | null;
  head: string;
  /** Body bytes the client had written when the first byte of the answer arrived. */
  sentWhenAnswered: number | null;
  /** Body bytes written in all, until the server hung up. */
  sent: number;
}

/**
 * Resolves as `promise` does; fails naming `what` when it has not after 15 s, so a server that
 * never does what the test waits for fails with that, not with vitest's timeout.
 */
async function eventually<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Uploads 64 MiB of unsigned junk to `path` over a raw socket, as fast as the server reads
 * it, until the server closes the connection. With `content-length` it sends no body at all
 * until the server has answered: a server that waits for the body before answering never
 * answers, and the upload fails saying so.
 */
async function upload(
  port: number,
  path: string,
  framing: 'content-length' | 'chunked',
): Promise<Upload> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let sent = 0;
  let response = '';
  let sentWhenAnswered: number | null = null;
  let hungUp = false;
  // EPIPE / ECONNRESET once the server has closed: expected, and seen through 'close'.
  socket.on('error', () => undefined);
  socket.on('data', (data: Buffer) => {
    sentWhenAnswered ??= sent;
    response += data.toString('latin1');
  });
  // Not events.once: that rejects on the 'error' that precedes this 'close'.
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      hungUp = true;
      resolve();
    }),
  );
  const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));

  const length =
    framing === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${UPLOAD_BYTES}`;
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${length}\r\n\r\n`,
  );
  if (framing === 'content-length') {
    await eventually('an answer to the headers alone', Promise.race([answered, closed]));
  }

  const frame =
    framing === 'chunked'
      ? Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')])
      : CHUNK;
  while (!hungUp && sent < UPLOAD_BYTES && !socket.writableEnded) {
    const flushed = socket.write(frame);
    sent += CHUNK.length;
    if (!flushed) {
      // The server reads on, or hangs up; one that stops reading and keeps the connection
      // open does neither, and fails the upload here.
      await eventually(
        'the server to read on or hang up',
        Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]),
      );
    }
    // The server runs in this process: yield so it reads each chunk as it comes, and the
    // count of bytes sent when the answer arrives is close to what the server read.
    await delay(1);
  }
  await eventually('the server to hang up', closed);
  const head = response.split('\r\n\r\n')[0] ?? '';
  const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
  return {
    status: status ? Number(status) : null,
    head: head.toLowerCase(),
    sentWhenAnswered,
    sent,
  };
}

describe('request body limits on every route', () => {
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let bot: PipelineHarness;
  let port: number;

  beforeAll(async () => {
    slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-test-token');
    discord = await new FakeDiscord().start();
    bot = await new PipelineHarness({
      feedUrl: 'http://127.0.0.1:9/post',
      role: 'web',
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN: 'discord-test-bot-token-0123456789',
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX,
        DISCORD_API_URL: discord.apiUrl,
      },
    }).start();
    port = bot.app!.address!.port;
  });

  afterAll(async () => {
    await bot.close();
    await discord.close();
    await slack.close();
  });

  it.each(['/slack/events', '/discord/interactions'])(
    'refuses a 64 MiB Content-Length to %s with 413 before reading any of it, and hangs up',
    async (path) => {
      const result = await upload(port, path, 'content-length');
      expect(result.status).toBe(413);
      expect(result.head).toContain('connection: close');
      // Answered while the client had sent the headers alone.
      expect(result.sentWhenAnswered).toBe(0);
      expect(result.sent).toBeLessThan(4 * MiB);
    },
  );

  // The routes' limits: Slack's payloads can be larger than Discord's interactions.
  it.each([
    ['/slack/events', MiB],
    ['/discord/interactions', 64 * 1024],
  ])(
    'stops reading a chunked 64 MiB upload to %s once past its limit, answers 413 and hangs up',
    async (path, limit) => {
      const result = await upload(port, path, 'chunked');
      expect(result.status).toBe(413);
      expect(result.head).toContain('connection: close');
      // Answered a chunk or two past the limit (with room for a slow machine), then cut off.
      expect(result.sentWhenAnswered).toBeGreaterThan(limit);
      expect(result.sentWhenAnswered).toBeLessThan(limit + MiB);
      expect(result.sent).toBeLessThan(limit + 4 * MiB);
    },
  );

  it.each([
    ['/nope', 404],
    ['/healthz', 405],
  ])(
    'answers a 64 MiB upload to %s with %i and hangs up without reading it',
    async (path, status) => {
      const result = await upload(port, path, 'content-length');
      expect(result.status).toBe(status);
      expect(result.head).toContain('connection: close');
      expect(result.sentWhenAnswered).toBe(0);
      expect(result.sent).toBeLessThan(4 * MiB);
    },
  );

  it('refuses a body on GET /healthz with 413', async () => {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 5\r\n\r\nhello');
    const [data] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    expect(data.toString('latin1')).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('still hands a chunked, signed body within the limit to the Discord route', async () => {
    const body = JSON.stringify({
      id: '770000000000000009',
      application_id: APPLICATION_ID,
      type: 1,
      token: 'ping-token',
      version: 1,
      padding: 'x'.repeat(60_000),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), keys.privateKey).toString('hex');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/discord/interactions',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature-ed25519': signature,
            'x-signature-timestamp': timestamp,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      // Written in pieces without a Content-Length: Node sends it chunked.
      for (let i = 0; i < body.length; i += 10_000) req.write(body.slice(i, i + 10_000));
      req.end();
    });
    expect(answer).toEqual({ status: 200, body: '{"type":1}' });
  });
});

describe('timeouts and idle connections', () => {
  let redis: Redis;
  let server: HttpServer;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    // The production timeouts shortened: a client gets 500 ms to send its headers.
    server = new HttpServer(
      [
        healthRoute({
          ping: () => redis.ping(),
          platforms: [],
          platformState: () => Promise.resolve({ state: 'ok' }),
        }),
      ],
      () => undefined,
      {
        headersTimeoutMs: 500,
        requestTimeoutMs: 1_000,
        keepAliveTimeoutMs: 500,
        connectionsCheckingIntervalMs: 100,
      },
    );
    ({ port } = await server.listen(0, '127.0.0.1'));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await server.close();
    redis.disconnect();
  });

  it('answers /healthz beside 300 idle sockets and closes those after the header timeout', async () => {
    /** What each idle socket received before the server closed it. */
    const received: string[] = [];
    for (let i = 0; i < 300; i += 1) {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('error', () => undefined);
      // Read what the server sends (its 408), else the socket never sees the server hang up.
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      socket.on('close', () => received.push(data));
      // Half send nothing at all, half stop in the middle of their headers.
      if (i % 2 === 1) socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n');
      sockets.push(socket);
    }
    await Promise.all(
      sockets.map((s) => (s.connecting ? once(s, 'connect') : Promise.resolve([]))),
    );

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', redis: 'up', platforms: {} });

    await waitFor('every idle socket closed', () => received.length === 300);
    // Closed by the header timeout, which answers 408 first, not dropped at once (a
    // connection cap would just hang up).
    expect(received.filter((data) => data.startsWith('HTTP/1.1 408 '))).toHaveLength(300);
  });
});

describe('prefix routes', () => {
  let server: HttpServer;
  let origin: string;

  beforeAll(async () => {
    server = new HttpServer(
      [
        {
          method: ['GET', 'PUT'],
          path: '/mounted',
          prefix: true,
          handler: (req, res) =>
            reply(res, 200, { method: req.method, url: req.url, bytes: req.rawBody.length }),
        },
        {
          method: 'GET',
          path: '/exact',
          handler: (_req, res) => reply(res, 200, { route: 'exact' }),
        },
      ],
      () => undefined,
    );
    const { port } = await server.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(['/mounted', '/mounted/', '/mounted/static/app.js?v=1', '/mounted/a/b/c'])(
    'hands %s to the route mounted at /mounted',
    async (path) => {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ method: 'GET', url: path, bytes: 0 });
    },
  );

  it.each(['/mountedx', '/mounted-old/a', '/mount', '/exact/', '/exact/below'])(
    'answers %s 404: beside the mount point, or below an exact route',
    async (path) => {
      expect((await fetch(`${origin}${path}`)).status).toBe(404);
    },
  );

  it('answers a method the route does not take 405, naming those it does', async () => {
    const response = await fetch(`${origin}/mounted/x`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT');
  });

  it('reads a PUT body under the default limit and refuses one past it with 413', async () => {
    const within = await fetch(`${origin}/mounted/x`, { method: 'PUT', body: 'a'.repeat(1000) });
    expect(await within.json()).toEqual({ method: 'PUT', url: '/mounted/x', bytes: 1000 });
    const past = await fetch(`${origin}/mounted/x`, {
      method: 'PUT',
      body: 'a'.repeat(DEFAULT_MAX_BODY_BYTES + 1),
    });
    expect(past.status).toBe(413);
  });

  it('still refuses a body on GET of a route that takes bodies with other methods', async () => {
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /mounted/x HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 5\r\n\r\nhello');
    const [data] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    expect(data.toString('latin1')).toMatch(/^HTTP\/1\.1 413 /);
  });
});
