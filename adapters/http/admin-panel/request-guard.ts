import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { secretsEqual } from '../auth.js';
import type { BufferedRequest } from '../http-server.js';

/** The session cookie's name. (`__Host-` would need `Path=/`; the cookie is the panel's only.) */
export const SESSION_COOKIE = 'esg_admin_session';

/** Where the cookie is sent: the panel's pages only, not the bot's webhooks or the dashboard. */
export const COOKIE_PATH = '/admin';

/** The hidden form field every change carries. */
export const CSRF_FIELD = 'csrf';

/** A request's cookie by name, or `null`. */
export function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Whether the browser reached the panel over HTTPS: a TLS socket of its own, or (`trustProxy`,
 * the operator's proxy in front) `X-Forwarded-Proto: https` as that proxy set it (its last
 * entry; entries before it are the client's own words).
 */
export function reachedOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined?.split(',').at(-1)?.trim().toLowerCase() === 'https';
}

/**
 * The `Set-Cookie` value of a session: unreadable to scripts, sent only with requests the
 * panel's own pages start (`SameSite=Strict`), only under `/admin`, and only over HTTPS when
 * the browser came over HTTPS. `maxAgeSeconds` 0 clears it (logout).
 */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    `Path=${COOKIE_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * Whether a request that changes something was started by one of the panel's own pages.
 * `SameSite=Strict` already keeps the cookie off requests other sites start; this is the
 * second lock, for browsers that do not honour it. `Sec-Fetch-Site`, where sent, must say
 * same-origin; then `Origin`, or failing it `Referer` (the panel's pages send it to
 * themselves: `Referrer-Policy: same-origin`), must name this host. A request with neither
 * is refused: every browser sends one of them with a form post. Only the host is compared:
 * behind a TLS-terminating proxy the scheme differs. With `trustProxy`, the host the proxy
 * forwarded (`X-Forwarded-Host`) counts too, for proxies that rewrite `Host`.
 */
export function comesFromPanel(req: IncomingMessage, trustProxy: boolean): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const claimed = req.headers.origin ?? req.headers.referer;
  if (claimed === undefined || !URL.canParse(claimed)) return false;
  const host = new URL(claimed).host;
  const forwarded = trustProxy ? lastForwardedHost(req) : null;
  return host === req.headers.host || (forwarded !== null && host === forwarded);
}

function lastForwardedHost(req: IncomingMessage): string | null {
  const header = req.headers['x-forwarded-host'];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined?.split(',').at(-1)?.trim() || null;
}

/**
 * The fields of a form post (`application/x-www-form-urlencoded`, what the panel's forms
 * send), or `null` for any other body: nothing else is read as a form.
 */
export function formOf(req: BufferedRequest): URLSearchParams | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  return new URLSearchParams(req.rawBody.toString('utf8'));
}

/** Whether the form carries the session's CSRF token, compared in constant time. */
export function carriesCsrfToken(form: URLSearchParams, expected: string): boolean {
  const presented = form.get(CSRF_FIELD);
  return presented !== null && secretsEqual(presented, expected);
}

/** The query string of a request as fields. */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}
