import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { redactUrl, SourceError } from '../../src/model/source-error.js';
import type { UrlGuard } from './http-fetcher.js';
import { pinnedDispatcher } from './pinned-connections.js';

/**
 * Where an address lies, as far as fetching from it goes. `public` is true only for global
 * unicast; `range` names the block: ipaddr.js's names (`loopback`, `private`, `linkLocal`,
 * `carrierGradeNat`, `uniqueLocal`, `multicast`, `reserved`, …) plus this module's own
 * (`benchmarking`, `documentation`, `nat64LocalUse`, `invalid`, and `unicast` when public).
 */
export interface AddressClass {
  public: boolean;
  range: string;
  /** The IPv4 address an IPv6 translation form carries, when that is what was judged. */
  embeddedIPv4?: string;
}

/** Resolves a host name to every address a connection to it might use. */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>;

/** Whether a request may go to this address (IPv4 dotted or IPv6 text). */
export type AddressPredicate = (address: string) => boolean;

export interface AddressGuardOptions {
  /** Defaults to `dns.promises.lookup(host, { all: true, verbatim: true })`. */
  resolve?: ResolveHost;
  /** Defaults to {@link isPublicAddress}. */
  isAllowed?: AddressPredicate;
  /**
   * Skips the address check, keeping the http(s) one: for `ALLOW_PRIVATE_SOURCES=true` in
   * tests and private deployments, where the feeds live on the internal network.
   */
  allowPrivate?: boolean;
}

/** Why a URL was refused before any request was sent. */
export type UrlRefusal = 'invalid-url' | 'scheme' | 'address';

/**
 * A URL the bot will not fetch: not http(s), not a URL at all, or (as
 * {@link AddressRefusedError}) pointing at a non-public address. Its code is `NETWORK` (there
 * is no better one in `SourceErrorCode` yet) but, unlike other network errors, it is never
 * worth retrying: the same URL is refused the same way.
 */
export class UrlRefusedError extends SourceError {
  constructor(
    readonly reason: UrlRefusal,
    message: string,
    url: string,
  ) {
    super('NETWORK', message, { url });
    this.name = 'UrlRefusedError';
  }

  override get retryable(): boolean {
    return false;
  }
}

/** A URL whose host is, or resolves to, an address that is not public (see {@link classifyAddress}). */
export class AddressRefusedError extends UrlRefusedError {
  constructor(
    /** The host as the URL names it (IPv6 without brackets). */
    readonly hostname: string,
    /** The first refused address the host is or resolves to. */
    readonly address: string,
    /** The range that address lies in ({@link AddressClass.range}), `disallowed` if public but refused. */
    readonly range: string,
    message: string,
    url: string,
  ) {
    super('address', message, url);
    this.name = 'AddressRefusedError';
  }
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * Refuses, by throwing a {@link UrlRefusedError}, a URL the bot must not fetch on a chat user's
 * say-so: anything but http(s), and any host that is, or resolves to, an address that is not
 * public. Every resolved address must pass: a name with one public and one private address is
 * refused, since the connection may use either. A failed lookup is an ordinary, retryable
 * `NETWORK` {@link SourceError}.
 *
 * The check resolves the name itself, before the request resolves it again: a DNS answer that
 * changes in between (DNS rebinding) is caught where the connection is made, by the guard's
 * pinned dispatcher (see {@link createAddressGuard}).
 */
export async function assertFetchableUrl(
  url: string,
  options: AddressGuardOptions = {},
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UrlRefusedError('invalid-url', 'not a valid URL', url);
  }
  // The parser lowercases the scheme already; lowercasing again keeps this check honest on
  // its own.
  const protocol = parsed.protocol.toLowerCase();
  if (!ALLOWED_PROTOCOLS.has(protocol)) {
    throw new UrlRefusedError(
      'scheme',
      `${protocol} URLs cannot be fetched: only http and https are allowed`,
      url,
    );
  }
  if (options.allowPrivate) return;

  // The parser has already turned every IPv4 spelling (2130706433, 0x7f.1, 127.1) into dotted
  // decimal and compressed IPv6, so a literal is recognised here whatever form it was typed in.
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(hostname) !== 0;
  const addresses = literal ? [hostname] : await resolveOrFail(hostname, url, options);
  if (addresses.length === 0) {
    throw new SourceError('NETWORK', `${hostname} resolves to no address`, { url });
  }
  const refused = addressRefusal(hostname, addresses, options, url, literal);
  if (refused) throw refused;
}

/**
 * The refusal of the first of `addresses` (what `hostname` resolved to) that the guard does
 * not allow, else `null`: every address must pass, since a connection may use any of them.
 */
export function addressRefusal(
  hostname: string,
  addresses: readonly string[],
  options: AddressGuardOptions,
  url: string,
  literal = false,
): AddressRefusedError | null {
  const isAllowed = options.isAllowed ?? isPublicAddress;
  for (const address of addresses) {
    if (isAllowed(address)) continue;
    const found = classifyAddress(address);
    const range = found.public ? 'disallowed' : found.range;
    const what = found.public
      ? 'an address this guard refuses'
      : `${withArticle(describeRange(range))} address${found.embeddedIPv4 ? ` (it carries IPv4 ${found.embeddedIPv4})` : ''}`;
    const subject = literal ? `${address} is` : `${hostname} resolves to ${address},`;
    return new AddressRefusedError(
      hostname,
      address,
      range,
      `${subject} ${what}: only public addresses may be fetched`,
      url,
    );
  }
  return null;
}

/**
 * {@link assertFetchableUrl} bound to its options, in the shape `FetchOptions.guard` takes, so
 * every request and every redirect of a fetch is checked; with the connections it allows
 * pinned (see `pinnedDispatcher`): the name is resolved and checked again where the socket
 * connects, so a DNS answer that changes after the check (DNS rebinding) is refused too.
 */
export function createAddressGuard(options: AddressGuardOptions = {}): UrlGuard {
  const check = (url: string) => assertFetchableUrl(url, options);
  if (options.allowPrivate) return check;
  const resolve = options.resolve ?? resolveWithDns;
  return Object.assign(check, {
    dispatcher: pinnedDispatcher(async (hostname) => {
      const addresses = await resolve(hostname);
      const refused = addressRefusal(hostname, addresses, options, `http://${hostname}/`);
      if (refused) throw refused;
      return addresses;
    }),
  });
}

async function resolveOrFail(
  hostname: string,
  url: string,
  options: AddressGuardOptions,
): Promise<readonly string[]> {
  try {
    return await (options.resolve ?? resolveWithDns)(hostname);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : '';
    throw new SourceError(
      'NETWORK',
      `${redactUrl(url)} could not be reached: ${hostname} did not resolve${reason ? ` (${reason})` : ''}`,
      { url, cause: error },
    );
  }
}

/** The resolver `fetch` itself uses (getaddrinfo), every answer, in the order given. */
async function resolveWithDns(hostname: string): Promise<string[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}

/** True only for global unicast addresses: the ones a chat-added feed may live on. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address).public;
}

type Cidr<T> = [T, number];
const v4 = (cidr: string): Cidr<ipaddr.IPv4> => ipaddr.IPv4.parseCIDR(cidr);
const v6 = (cidr: string): Cidr<ipaddr.IPv6> => ipaddr.IPv6.parseCIDR(cidr);

/** ipaddr.js files these under `reserved`; their own names make a clearer refusal. */
const IPV4_RELABELLED: ReadonlyArray<[string, Cidr<ipaddr.IPv4>]> = [
  ['benchmarking', v4('198.18.0.0/15')],
  ['documentation', v4('192.0.2.0/24')],
  ['documentation', v4('198.51.100.0/24')],
  ['documentation', v4('203.0.113.0/24')],
];

const IPV6_RELABELLED: ReadonlyArray<[string, Cidr<ipaddr.IPv6>]> = [
  ['documentation', v6('2001:db8::/32')],
  ['documentation', v6('3fff::/20')],
  // RFC 8215 local-use NAT64: where the IPv4 sits depends on the operator's prefix length, so
  // it cannot be judged by its IPv4 like the well-known 64:ff9b::/96.
  ['nat64LocalUse', v6('64:ff9b:1::/48')],
];

/**
 * IANA has allocated only 2000::/3 for global unicast; ipaddr.js calls everything it has no
 * name for `unicast`, including the deprecated IPv4-compatible ::a.b.c.d and unallocated space.
 */
const GLOBAL_UNICAST_V6 = v6('2000::/3');

/**
 * Classifies an IPv4 or IPv6 address by ipaddr.js's `range()`, with what it misses: IPv6
 * outside 2000::/3 is not public, and the IPv6 forms that carry an IPv4 address (IPv4-mapped
 * ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16 and both
 * addresses in Teredo 2001::/32) are judged by that IPv4. Anything unparseable is not public.
 */
export function classifyAddress(address: string): AddressClass {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return { public: false, range: 'invalid' };
  }
  return ip.kind() === 'ipv4' ? classifyIPv4(ip as ipaddr.IPv4) : classifyIPv6(ip as ipaddr.IPv6);
}

function classifyIPv4(ip: ipaddr.IPv4): AddressClass {
  const relabelled = IPV4_RELABELLED.find(([, cidr]) => ip.match(cidr));
  const range = relabelled?.[0] ?? ip.range();
  return { public: range === 'unicast', range };
}

function classifyIPv6(ip: ipaddr.IPv6): AddressClass {
  const embedded = embeddedIPv4(ip);
  if (embedded.length > 0) {
    for (const inner of embedded) {
      const found = classifyIPv4(inner);
      if (!found.public) return { ...found, embeddedIPv4: inner.toString() };
    }
    return { public: true, range: 'unicast' };
  }
  const relabelled = IPV6_RELABELLED.find(([, cidr]) => ip.match(cidr));
  // ipaddr.js's typings leave out some names it returns (deprecatedSiteLocal, discard, …).
  const range: string = relabelled?.[0] ?? ip.range();
  if (range !== 'unicast') return { public: false, range };
  if (!ip.match(GLOBAL_UNICAST_V6)) return { public: false, range: 'reserved' };
  return { public: true, range };
}

/** The IPv4 addresses an IPv6 translation form routes to; none for other addresses. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = ip.parts;
  const fromWords = (high = 0, low = 0) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  switch (ip.range()) {
    case 'ipv4Mapped':
      return [ip.toIPv4Address()];
    case 'rfc6145':
      return [fromWords(p[6], p[7])];
    case 'rfc6052':
      return ip.match(v6('64:ff9b::/96')) ? [fromWords(p[6], p[7])] : [];
    case '6to4':
      return [fromWords(p[1], p[2])];
    case 'teredo':
      // Server in words 2–3; the client's public address is stored with every bit flipped.
      return [fromWords(p[2], p[3]), fromWords(~(p[6] ?? 0) & 0xffff, ~(p[7] ?? 0) & 0xffff)];
    default:
      return [];
  }
}

const RANGE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  nat64LocalUse: 'local-use NAT64',
  as112: 'AS112',
  as112v6: 'AS112',
  amt: 'AMT',
  '6to4': '6to4',
  teredo: 'Teredo',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
  ipv4Mapped: 'IPv4-mapped',
  invalid: 'unparseable',
};

/** An English name for a range, for log lines and messages (`linkLocal` → `link-local`). */
export function describeRange(range: string): string {
  return (
    RANGE_DESCRIPTIONS[range] ?? range.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`)
  );
}

function withArticle(phrase: string): string {
  // "an IPv4-mapped", "an AS112", but "a unique-local".
  return /^[aeiou]/i.test(phrase) && !/^uni/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}
