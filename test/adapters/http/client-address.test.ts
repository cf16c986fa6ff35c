import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientLimitKey } from '../../../adapters/http/client-address.js';

/** The parts of a request `clientAddress` reads. */
const request = (socket: string | undefined, forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress: socket },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('the client address', () => {
  it('is the socket peer unless the proxy is trusted, in one spelling', () => {
    expect(clientAddress(request('203.0.113.7', '198.51.100.1'), false)).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:203.0.113.7'), false)).toBe('203.0.113.7');
    expect(clientAddress(request('2001:0db8:0000::0001'), false)).toBe('2001:db8::1');
    expect(clientAddress(request(undefined), false)).toBe('unknown');
  });

  it.each([
    ['198.51.100.1', '198.51.100.1'],
    ['1.1.1.1, 198.51.100.1', '198.51.100.1'],
    [['1.1.1.1', '2.2.2.2, 198.51.100.1'], '198.51.100.1'],
    ['198.51.100.1:52100', '198.51.100.1'],
    ['[2001:db8::5]:52100', '2001:db8::5'],
    ['::ffff:198.51.100.1', '198.51.100.1'],
    // Not an address, or nothing: the socket's.
    ['unknown', '10.0.0.1'],
    ['198.51.100.1, ', '10.0.0.1'],
    ['', '10.0.0.1'],
  ])('behind a trusted proxy, %j is read as %s', (header, expected) => {
    expect(clientAddress(request('10.0.0.1', header), true)).toBe(expected);
  });

  it('is counted per IPv4 address and per IPv6 /64', () => {
    expect(clientLimitKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientLimitKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientLimitKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientLimitKey('unknown')).toBe('unknown');
  });
});
