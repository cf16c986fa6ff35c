import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';

/** What stands for a client when nothing better is known (a socket already closed). */
const UNKNOWN = 'unknown';

/**
 * The address a request came from, as a per-client limit should count it. The socket's peer,
 * or with `trustProxy` (the bot behind a reverse proxy the operator runs) the right-most
 * `X-Forwarded-For` entry: the one that proxy appended, which the client cannot choose.
 * Entries further left are the client's own words and never used. A missing or unreadable
 * header falls back to the socket, so every client then shares the proxy's limit: never none.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = rightMostForwarded(req.headers['x-forwarded-for']);
    if (forwarded !== null) return forwarded;
  }
  const socket = req.socket.remoteAddress;
  return socket !== undefined && ipaddr.isValid(socket) ? normalize(socket) : UNKNOWN;
}

/**
 * The key a per-client limit counts under: an IPv4 address as it is, an IPv6 address by its
 * /64, which one subscriber usually holds whole (counting each of its 2^64 addresses apart
 * would be no limit at all).
 */
export function clientLimitKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}

function rightMostForwarded(header: string | string[] | undefined): string | null {
  // Several headers are joined with `, ` by Node for this one; a list is taken whole too.
  const joined = Array.isArray(header) ? header.join(',') : header;
  const last = joined?.split(',').at(-1)?.trim();
  if (!last) return null;
  // Some proxies add a port: `203.0.113.7:52100`, `[2001:db8::1]:52100`.
  const bare = /^\[([^\]]+)\](?::\d+)?$/.exec(last)?.[1] ?? last.replace(/^([\d.]+):\d+$/, '$1');
  return ipaddr.isValid(bare) ? normalize(bare) : null;
}

/** One spelling per address: IPv4-mapped IPv6 (`::ffff:203.0.113.7`) as IPv4, IPv6 compressed. */
function normalize(address: string): string {
  return ipaddr.process(address).toString();
}
