import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  comesFromPanel,
  cookieOf,
  reachedOverHttps,
} from '../../../../adapters/http/admin-panel/request-guard.js';

/** A request as the guard reads it: its headers and whether its socket is TLS. */
function request(headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { headers, socket: { encrypted } } as unknown as IncomingMessage;
}

describe('the panel’s request guard', () => {
  it('takes a change whose Origin, or else Referer, names this host', () => {
    const host = { host: 'bot.example:3000' };
    expect(comesFromPanel(request({ ...host, origin: 'https://bot.example:3000' }), false)).toBe(
      true,
    );
    expect(
      comesFromPanel(request({ ...host, referer: 'http://bot.example:3000/admin/x' }), false),
    ).toBe(true);
    expect(comesFromPanel(request({ ...host, origin: 'https://evil.example' }), false)).toBe(false);
    expect(comesFromPanel(request({ ...host, origin: 'null' }), false)).toBe(false);
    expect(comesFromPanel(request(host), false)).toBe(false);
    // Origin wins: a matching Referer does not excuse a foreign Origin.
    expect(
      comesFromPanel(
        request({ ...host, origin: 'https://evil.example', referer: 'https://bot.example:3000/' }),
        false,
      ),
    ).toBe(false);
  });

  it('refuses what the browser marks as started by another site, whatever Origin says', () => {
    const same = { host: 'bot.example', origin: 'https://bot.example' };
    expect(comesFromPanel(request({ ...same, 'sec-fetch-site': 'same-origin' }), false)).toBe(true);
    for (const site of ['same-site', 'cross-site', 'none']) {
      expect(comesFromPanel(request({ ...same, 'sec-fetch-site': site }), false)).toBe(false);
    }
  });

  it('counts the host a trusted proxy forwarded, and only when the proxy is trusted', () => {
    const proxied = {
      host: '127.0.0.1:3000',
      'x-forwarded-host': 'bot.example',
      origin: 'https://bot.example',
    };
    expect(comesFromPanel(request(proxied), true)).toBe(true);
    expect(comesFromPanel(request(proxied), false)).toBe(false);
  });

  it('tells HTTPS by the socket, or by the trusted proxy’s last X-Forwarded-Proto', () => {
    expect(reachedOverHttps(request({}, true), false)).toBe(true);
    expect(reachedOverHttps(request({ 'x-forwarded-proto': 'https' }), false)).toBe(false);
    expect(reachedOverHttps(request({ 'x-forwarded-proto': 'https' }), true)).toBe(true);
    expect(reachedOverHttps(request({ 'x-forwarded-proto': 'https, http' }), true)).toBe(false);
  });

  it('reads one cookie among several', () => {
    const req = request({ cookie: 'a=1; esg_admin_session=abc; b=2' });
    expect(cookieOf(req, 'esg_admin_session')).toBe('abc');
    expect(cookieOf(req, 'missing')).toBeNull();
  });
});
