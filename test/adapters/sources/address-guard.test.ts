import { describe, expect, it } from 'vitest';
import {
  AddressRefusedError,
  assertFetchableUrl,
  classifyAddress,
  describeRange,
  isPublicAddress,
  UrlRefusedError,
  type AddressGuardOptions,
  type ResolveHost,
} from '../../../adapters/sources/address-guard.js';
import { SourceError } from '../../../src/model/source-error.js';

/** A resolver that answers from a table and fails like getaddrinfo for anything else. */
function resolverOf(table: Record<string, readonly string[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string) => {
    asked.push(hostname);
    const answer = table[hostname];
    if (answer) return Promise.resolve(answer);
    return Promise.reject(
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      }),
    );
  };
  return Object.assign(resolve, { asked });
}

async function refusal(url: string, options: AddressGuardOptions = {}): Promise<unknown> {
  return assertFetchableUrl(url, options).then(
    () => {
      throw new Error(`${url} was not refused`);
    },
    (error: unknown) => error,
  );
}

describe('classifyAddress', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '211.234.10.1',
    '172.32.0.1',
    '100.128.0.1',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:808:808::fefe:fefe',
  ])('counts %s as public', (address) => {
    expect(classifyAddress(address)).toEqual({ public: true, range: 'unicast' });
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['100::1', 'discard'],
    ['64:ff9b:1::a00:1', 'nat64LocalUse'],
    // IPv4-compatible (deprecated) and unallocated space: ipaddr.js calls these unicast.
    ['::7f00:1', 'reserved'],
    ['4000::1', 'reserved'],
    ['not-an-address', 'invalid'],
    ['', 'invalid'],
    ['999.1.1.1', 'invalid'],
  ])('refuses %s as %s', (address, range) => {
    expect(classifyAddress(address)).toEqual({ public: false, range });
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
    ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
    ['::ffff:169.254.169.254', 'linkLocal', '169.254.169.254'],
    ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
    ['::ffff:0:10.0.0.1', 'private', '10.0.0.1'],
    ['64:ff9b::7f00:1', 'loopback', '127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    ['2002:7f00:1::1', 'loopback', '127.0.0.1'],
    ['2002:c0a8:101::1', 'private', '192.168.1.1'],
    // Teredo: the server's IPv4, then the client's, stored inverted (RFC 4380's example).
    ['2001:0:7f00:1::', 'loopback', '127.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'documentation', '192.0.2.45'],
  ])('judges %s by the IPv4 it carries: %s', (address, range, embeddedIPv4) => {
    expect(classifyAddress(address)).toEqual({ public: false, range, embeddedIPv4 });
  });

  it('names ranges in words for messages', () => {
    expect(describeRange('linkLocal')).toBe('link-local');
    expect(describeRange('carrierGradeNat')).toBe('carrier-grade NAT');
    expect(describeRange('segmentRouting')).toBe('segment routing');
  });
});

describe('assertFetchableUrl', () => {
  const publicDns = resolverOf({ 'feed.example.com': ['8.8.8.8', '2001:4860:4860::8888'] });

  it('lets a name with only public addresses through, whatever the case of its scheme', async () => {
    await expect(
      assertFetchableUrl('https://feed.example.com/rss', { resolve: publicDns }),
    ).resolves.toBeUndefined();
    await expect(
      assertFetchableUrl('HTTP://FEED.example.com/rss', { resolve: publicDns }),
    ).resolves.toBeUndefined();
    expect(publicDns.asked.at(-1)).toBe('feed.example.com');
  });

  it.each([
    'ftp://feed.example.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:,x',
    'ws://feed.example.com/',
  ])('refuses %s for its scheme without resolving anything', async (url) => {
    const resolve = resolverOf({});
    const error = await refusal(url, { resolve });
    expect(error).toBeInstanceOf(UrlRefusedError);
    expect(error).not.toBeInstanceOf(AddressRefusedError);
    expect(error).toMatchObject({ reason: 'scheme', code: 'NETWORK' });
    expect((error as Error).message).toMatch(/only http and https are allowed/);
    expect(resolve.asked).toEqual([]);
  });

  it('refuses a string that is not a URL', async () => {
    expect(await refusal('not a url')).toMatchObject({ reason: 'invalid-url' });
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1', 'loopback'],
    ['http://2130706433/', '127.0.0.1', 'loopback'],
    ['http://0x7f000001/', '127.0.0.1', 'loopback'],
    ['http://0x7f.1/', '127.0.0.1', 'loopback'],
    ['http://017700000001/', '127.0.0.1', 'loopback'],
    ['http://127.1/', '127.0.0.1', 'loopback'],
    ['http://127.0.0.1./', '127.0.0.1', 'loopback'],
    ['http://[::1]/', '::1', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', 'loopback'],
    ['http://[::127.0.0.1]/', '::7f00:1', 'reserved'],
    ['http://10.0.0.1/', '10.0.0.1', 'private'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'linkLocal'],
    ['http://100.64.0.1/', '100.64.0.1', 'carrierGradeNat'],
    ['http://0.0.0.0/', '0.0.0.0', 'unspecified'],
    ['http://[fd00::1]/', 'fd00::1', 'uniqueLocal'],
  ])('refuses the literal in %s without resolving it', async (url, address, range) => {
    const resolve = resolverOf({});
    const error = await refusal(url, { resolve });
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error).toMatchObject({ hostname: address, address, range, reason: 'address' });
    expect(resolve.asked).toEqual([]);
  });

  it('refuses a name that resolves to a loopback address and says why', async () => {
    const error = await refusal('https://feed.example.com/rss', {
      resolve: resolverOf({ 'feed.example.com': ['127.0.0.1'] }),
    });
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      code: 'NETWORK',
      hostname: 'feed.example.com',
      address: '127.0.0.1',
      range: 'loopback',
      url: 'https://feed.example.com/rss',
    });
    expect((error as Error).message).toBe(
      'feed.example.com resolves to 127.0.0.1, a loopback address: only public addresses may be fetched',
    );
  });

  it('names the IPv4 inside a mapped IPv6 answer', async () => {
    const error = await refusal('https://feed.example.com/', {
      resolve: resolverOf({ 'feed.example.com': ['::ffff:169.254.169.254'] }),
    });
    expect((error as Error).message).toBe(
      'feed.example.com resolves to ::ffff:169.254.169.254, a link-local address (it carries IPv4 169.254.169.254): only public addresses may be fetched',
    );
  });

  it.each([
    [['8.8.8.8', '10.1.2.3'], '10.1.2.3'],
    [['192.168.0.10', '8.8.8.8'], '192.168.0.10'],
    [['8.8.8.8', 'fe80::1'], 'fe80::1'],
  ])('refuses a name that resolves to %j because of %s', async (answers, refused) => {
    const error = await refusal('https://mixed.example/', {
      resolve: resolverOf({ 'mixed.example': answers }),
    });
    expect(error).toMatchObject({ address: refused });
  });

  it('is never retried: the same URL would be refused the same way', async () => {
    const error = (await refusal('http://10.0.0.1/')) as SourceError;
    expect(error.code).toBe('NETWORK');
    expect(error.retryable).toBe(false);
  });

  it('reports a name that does not resolve as an ordinary, retryable network error', async () => {
    const error = await refusal('https://gone.example/', { resolve: resolverOf({}) });
    expect(error).toBeInstanceOf(SourceError);
    expect(error).not.toBeInstanceOf(UrlRefusedError);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect((error as Error).message).toContain('gone.example did not resolve (ENOTFOUND)');
  });

  it('refuses a name with no addresses at all', async () => {
    const error = await refusal('https://empty.example/', {
      resolve: resolverOf({ 'empty.example': [] }),
    });
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect((error as Error).message).toBe('empty.example resolves to no address');
  });

  it('lets private addresses through with allowPrivate, but still only http(s)', async () => {
    const resolve = resolverOf({ 'intranet.local': ['10.0.0.5'] });
    await expect(
      assertFetchableUrl('http://intranet.local/feed', { resolve, allowPrivate: true }),
    ).resolves.toBeUndefined();
    await expect(
      assertFetchableUrl('http://127.0.0.1:8080/', { allowPrivate: true }),
    ).resolves.toBeUndefined();
    expect(resolve.asked).toEqual([]);
    expect(await refusal('ftp://intranet.local/', { allowPrivate: true })).toMatchObject({
      reason: 'scheme',
    });
  });

  it('asks the injected predicate about every address', async () => {
    const asked: string[] = [];
    const isAllowed = (address: string) => {
      asked.push(address);
      return address === '127.0.0.1' || isPublicAddress(address);
    };
    await expect(assertFetchableUrl('http://127.0.0.1/', { isAllowed })).resolves.toBeUndefined();
    const error = await refusal('http://feed.example.com/', {
      isAllowed: (address) => address !== '8.8.8.8',
      resolve: publicDns,
    });
    expect(error).toMatchObject({ address: '8.8.8.8', range: 'disallowed' });
    expect(asked).toEqual(['127.0.0.1']);
  });
});
