import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddressRefusedError,
  createAddressGuard,
  isPublicAddress,
  UrlRefusedError,
  type AddressGuardOptions,
  type AddressPredicate,
} from '../../../adapters/sources/address-guard.js';
import {
  fetchDocument,
  type FetchOptions,
  type FetchResult,
} from '../../../adapters/sources/http-fetcher.js';
import { SourceError } from '../../../src/model/source-error.js';
import { startHttpServer, type LocalServer } from '../../support/http-server.js';
import { describeNeeding, type Requirement } from '../../support/requirements.js';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';

/** Paths requested of a server, in order. */
type Log = string[];

/**
 * `/feed.xml` the feed; `/redirect?to=URL` 302 there; `/hops/N` N relative redirects, then the
 * feed; `/loop/a` ↔ `/loop/b`; `/moved` 301 to the relative `feed.xml`; `/cached` with an ETag
 * and `/to-cached` 307 to it.
 */
function site(log: Log) {
  return (req: IncomingMessage, res: ServerResponse) => {
    log.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const redirect = (status: number, location: string) => {
      res.writeHead(status, { location });
      res.end();
    };
    const hops = /^\/hops\/(\d+)$/.exec(url.pathname);
    if (hops && Number(hops[1]) > 0) return redirect(302, String(Number(hops[1]) - 1));
    if (url.pathname === '/redirect') return redirect(302, url.searchParams.get('to') ?? '/');
    if (url.pathname === '/loop/a') return redirect(302, '/loop/b');
    if (url.pathname === '/loop/b') return redirect(308, '/loop/a');
    if (url.pathname === '/moved') return redirect(301, 'feed.xml');
    if (url.pathname === '/to-cached') return redirect(307, '/cached');
    if (url.pathname === '/cached') {
      res.setHeader('etag', '"v1"');
      if (req.headers['if-none-match'] === '"v1"') {
        res.statusCode = 304;
        return res.end();
      }
    }
    res.setHeader('content-type', 'application/rss+xml; charset=utf-8');
    res.end(FEED);
  };
}

/** Like startHttpServer, on the IPv6 loopback; `null` where the machine has none. */
async function startIPv6Server(log: Log): Promise<LocalServer | null> {
  const server = createServer(site(log));
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => resolve(true));
  });
  if (!listening) return null;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://[::1]:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Containers with IPv6 turned off have no ::1: its cases are skipped there, and fail where
// REQUIRE_IPV6=1 (`.ci/run`) says the machine has it.
const ipv6Probe = await startIPv6Server([]);
const ipv6Loopback: Requirement = {
  env: 'REQUIRE_IPV6',
  available: ipv6Probe !== null,
  missing: 'this machine has no IPv6 loopback (::1) to listen on',
};
await ipv6Probe?.close();

const base: FetchOptions = {
  timeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  retries: 0,
  retryDelayMs: 10,
  userAgent: 'esg-news-bot/test (+https://example.invalid)',
};

/** Treats 127.0.0.1 as public: the local servers stand in for sites on the internet. */
const loopbackIsPublic: AddressPredicate = (address) =>
  address === '127.0.0.1' || isPublicAddress(address);

/** Treats 127.0.0.1 as public for the first `checks` times it is asked about, then not. */
function loopbackPublicFor(checks: number): AddressPredicate {
  let left = checks;
  return (address) => (address === '127.0.0.1' && left-- > 0) || isPublicAddress(address);
}

function guarded(guard: AddressGuardOptions = {}, overrides: Partial<FetchOptions> = {}) {
  return { ...base, guard: createAddressGuard(guard), ...overrides };
}

async function failure(url: string, options: FetchOptions): Promise<SourceError> {
  const error: unknown = await fetchDocument(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

function documentOf(result: FetchResult) {
  if (result.status !== 'ok') throw new Error(`expected a document, got ${result.status}`);
  return result.document;
}

let feeds: LocalServer;
let internal: LocalServer;
let internalV6: LocalServer | null;
const feedLog: Log = [];
const internalLog: Log = [];
const internalV6Log: Log = [];
const port = (server: LocalServer) => new URL(server.url).port;

beforeAll(async () => {
  feeds = await startHttpServer(site(feedLog));
  internal = await startHttpServer(site(internalLog));
  internalV6 = await startIPv6Server(internalV6Log);
});
afterAll(async () => {
  await Promise.all([feeds.close(), internal.close(), internalV6?.close()]);
});

/** Every way the tests spell the internal servers, as a chat user might. */
const localUrls: Array<[string, () => string]> = [
  ['127.0.0.1', () => `${internal.url}/feed.xml`],
  ['localhost (real DNS)', () => `http://localhost:${port(internal)}/feed.xml`],
  ['decimal 2130706433', () => `http://2130706433:${port(internal)}/feed.xml`],
  ['hex 0x7f000001', () => `http://0x7f000001:${port(internal)}/feed.xml`],
  ['short hex 0x7f.1', () => `http://0x7f.1:${port(internal)}/feed.xml`],
  ['mapped [::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${port(internal)}/feed.xml`],
];

describe('a guarded fetch refuses internal addresses before sending anything', () => {
  it.each(localUrls)('refuses %s and the server sees no request', async (_, url) => {
    internalLog.length = 0;
    const error = await failure(url(), guarded());
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error.code).toBe('NETWORK');
    expect(internalLog).toEqual([]);
  });

  it.each([
    ['http://10.0.0.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ])('refuses %s as %s', async (url, range) => {
    const error = await failure(url, guarded());
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error).toMatchObject({ range });
  });

  it('refuses ftp: and javascript: URLs', async () => {
    internalLog.length = 0;
    const ftp = await failure(`ftp://127.0.0.1:${port(internal)}/feed.xml`, guarded());
    const script = await failure('javascript:alert(1)', guarded());
    for (const error of [ftp, script]) {
      expect(error).toBeInstanceOf(UrlRefusedError);
      expect(error).toMatchObject({ reason: 'scheme', code: 'NETWORK' });
    }
    expect(internalLog).toEqual([]);
  });

  it('refuses a name the resolver maps to 127.0.0.1', async () => {
    internalLog.length = 0;
    const error = await failure(
      `http://feed.example.com:${port(internal)}/feed.xml`,
      guarded({ resolve: () => Promise.resolve(['127.0.0.1']) }),
    );
    expect(error).toMatchObject({ hostname: 'feed.example.com', address: '127.0.0.1' });
    expect(error.message).toBe(
      'feed.example.com resolves to 127.0.0.1, a loopback address: only public addresses may be fetched',
    );
    expect(internalLog).toEqual([]);
  });

  it('refuses a name whose answer changes to 127.0.0.1 between the check and the connection (DNS rebinding)', async () => {
    internalLog.length = 0;
    const answers = [['127.0.0.2'], ['127.0.0.1']];
    const error = await failure(
      `http://rebind.example:${port(internal)}/feed.xml`,
      guarded({
        // The check sees a "public" address; the socket's own lookup gets loopback.
        resolve: () => Promise.resolve(answers.shift() ?? ['127.0.0.1']),
        isAllowed: (address) => address === '127.0.0.2',
      }),
    );
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error).toMatchObject({ hostname: 'rebind.example', address: '127.0.0.1' });
    expect(answers).toEqual([]); // resolved twice: at the check and where the socket connects
    expect(internalLog).toEqual([]);
  });

  it('connects to the address the guard checked, not to what the system resolver says', async () => {
    internalLog.length = 0;
    // No DNS knows this name: the request reaches the server only through the pinned lookup.
    const result = await fetchDocument(
      `http://pinned.invalid:${port(internal)}/feed.xml`,
      guarded({ resolve: () => Promise.resolve(['127.0.0.1']), isAllowed: () => true }),
    );
    expect(documentOf(result).text).toContain('<rss');
    expect(internalLog).toEqual(['/feed.xml']);
  });

  it('refuses a name that resolves to one public and one private address', async () => {
    const error = await failure(
      'http://mixed.example/feed.xml',
      guarded({ resolve: () => Promise.resolve(['8.8.8.8', '10.0.0.1']) }),
    );
    expect(error).toMatchObject({ address: '10.0.0.1', range: 'private' });
  });

  it('does not retry a refusal', async () => {
    const checked: string[] = [];
    const guard = createAddressGuard();
    const options = {
      ...base,
      retries: 3,
      guard: (url: string) => {
        checked.push(url);
        return guard(url);
      },
    };
    await failure('http://10.0.0.1/', options);
    expect(checked).toEqual(['http://10.0.0.1/']);
  });

  it.each(localUrls)(
    'lets %s through with allowPrivate (the case above would have been seen)',
    async (_, url) => {
      internalLog.length = 0;
      const document = documentOf(await fetchDocument(url(), guarded({ allowPrivate: true })));
      expect(document.text).toBe(FEED);
      expect(internalLog).toEqual(['/feed.xml']);
    },
  );
});

describeNeeding(ipv6Loopback, 'the IPv6 loopback [::1]', () => {
  const url = () => `${internalV6?.url ?? ''}/feed.xml`;

  it('is refused and the server sees no request', async () => {
    internalV6Log.length = 0;
    const error = await failure(url(), guarded());
    expect(error).toMatchObject({ address: '::1', range: 'loopback' });
    expect(internalV6Log).toEqual([]);
  });

  it('is let through with allowPrivate', async () => {
    internalV6Log.length = 0;
    const document = documentOf(await fetchDocument(url(), guarded({ allowPrivate: true })));
    expect(document.text).toBe(FEED);
    expect(internalV6Log).toEqual(['/feed.xml']);
  });
});

describe('guarded redirects', () => {
  const redirectTargets: Array<[string, () => string, string]> = [
    ['127.0.0.1', () => `${internal.url}/feed.xml`, 'loopback'],
    ['2130706433', () => `http://2130706433:${port(internal)}/feed.xml`, 'loopback'],
    ['[::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${port(internal)}/`, 'loopback'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['10.0.0.1', () => 'http://10.0.0.1/', 'private'],
  ];

  it.each(redirectTargets)(
    'refuses a public feed redirecting to %s before requesting it',
    async (_, target, range) => {
      feedLog.length = 0;
      internalLog.length = 0;
      const start = `${feeds.url}/redirect?to=${encodeURIComponent(target())}`;
      const error = await failure(start, guarded({ isAllowed: loopbackPublicFor(1) }));
      expect(error).toBeInstanceOf(AddressRefusedError);
      expect(error).toMatchObject({ range, url: new URL(target()).href });
      expect(feedLog).toHaveLength(1);
      expect(internalLog).toEqual([]);
    },
  );

  it('refuses a redirect to a name the resolver maps to a private address', async () => {
    feedLog.length = 0;
    const start = `${feeds.url}/redirect?to=${encodeURIComponent('http://metadata.internal/')}`;
    const error = await failure(
      start,
      guarded({
        isAllowed: loopbackIsPublic,
        resolve: (name) => Promise.resolve(name === 'metadata.internal' ? ['10.0.0.1'] : []),
      }),
    );
    expect(error).toMatchObject({ hostname: 'metadata.internal', address: '10.0.0.1' });
    expect(feedLog).toHaveLength(1);
  });

  it('follows five redirects and reports the final URL', async () => {
    feedLog.length = 0;
    const result = await fetchDocument(
      `${feeds.url}/hops/5`,
      guarded({ isAllowed: loopbackIsPublic }),
    );
    expect(documentOf(result).url).toBe(`${feeds.url}/hops/0`);
    expect(feedLog).toEqual(['/hops/5', '/hops/4', '/hops/3', '/hops/2', '/hops/1', '/hops/0']);
  });

  it('refuses a sixth redirect without following it', async () => {
    feedLog.length = 0;
    const error = await failure(`${feeds.url}/hops/6`, guarded({ isAllowed: loopbackIsPublic }));
    expect(error).not.toBeInstanceOf(UrlRefusedError);
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`${feeds.url}/hops/6 redirects more than 5 times`);
    expect(feedLog).not.toContain('/hops/0');
    expect(feedLog).toHaveLength(6);
  });

  it('stops a redirect loop', async () => {
    feedLog.length = 0;
    const error = await failure(`${feeds.url}/loop/a`, guarded({ isAllowed: loopbackIsPublic }));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain('redirects in a loop');
    expect(feedLog).toEqual(['/loop/a', '/loop/b']);
  });

  it('follows an absolute then a relative redirect between allowed servers, checking each', async () => {
    const checked: string[] = [];
    const guard = createAddressGuard({ isAllowed: loopbackIsPublic });
    const start = `${feeds.url}/redirect?to=${encodeURIComponent(`${internal.url}/moved`)}`;
    const result = await fetchDocument(start, {
      ...base,
      guard: (url) => {
        checked.push(url);
        return guard(url);
      },
    });
    const document = documentOf(result);
    expect(document.url).toBe(`${internal.url}/feed.xml`);
    expect(document.text).toBe(FEED);
    expect(checked).toEqual([start, `${internal.url}/moved`, `${internal.url}/feed.xml`]);
  });

  it('sends the validators on every hop, so a redirected feed can answer 304', async () => {
    const options = guarded({ isAllowed: loopbackIsPublic });
    const first = documentOf(await fetchDocument(`${feeds.url}/to-cached`, options));
    expect(first.url).toBe(`${feeds.url}/cached`);
    expect(first.validators).toEqual({ etag: '"v1"' });
    const second = await fetchDocument(`${feeds.url}/to-cached`, options, first.validators);
    expect(second).toEqual({ status: 'not-modified' });
  });

  it('ends in TIMEOUT when the guard hangs (a slow DNS lookup), without sending the request', async () => {
    feedLog.length = 0;
    const checked: string[] = [];
    // The guard never settles: only the fetch's own deadline can end this fetch.
    const error = await failure(`${feeds.url}/feed.xml`, {
      ...base,
      timeoutMs: 200,
      guard: (url) => {
        checked.push(url);
        return new Promise<void>(() => undefined);
      },
    });
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`${feeds.url}/feed.xml did not answer within 200 ms`);
    expect(checked).toEqual([`${feeds.url}/feed.xml`]);
    expect(feedLog).toEqual([]);
  });

  it('without a guard, still lets fetch follow redirects itself, as before', async () => {
    internalLog.length = 0;
    const start = `${feeds.url}/redirect?to=${encodeURIComponent(`${internal.url}/moved`)}`;
    const document = documentOf(await fetchDocument(start, base));
    expect(document.url).toBe(`${internal.url}/feed.xml`);
    expect(internalLog).toEqual(['/moved', '/feed.xml']);
  });
});
