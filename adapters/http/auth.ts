import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * How a client may present a shared secret in `Authorization`: `Bearer <secret>` (scripts,
 * Prometheus) or HTTP Basic with any user name and the secret as password (what a browser
 * asks a person for after a {@link basicChallenge}).
 */
export type AuthScheme = 'bearer' | 'basic';

/**
 * Whether the request's `Authorization` header carries `expected` in one of `schemes`. The
 * comparison is {@link secretsEqual}'s: constant time, whatever was sent.
 */
export function authorizationMatches(
  req: IncomingMessage,
  expected: string,
  schemes: readonly AuthScheme[] = ['bearer'],
): boolean {
  const presented = presentedSecret(req.headers.authorization, schemes);
  return presented !== null && secretsEqual(presented, expected);
}

/**
 * Whether two secrets are equal, in time that depends on neither. Both are hashed first so
 * `timingSafeEqual` compares equal lengths: a plain comparison would leak how much of the
 * secret matched, and a length check before it the secret's length.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * A `WWW-Authenticate` value asking for HTTP Basic credentials: a browser that gets it with a
 * 401 prompts for a user name and password, and then sends them with every request under the
 * same path.
 */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, '')}", charset="UTF-8"`;
}

/** The secret in an `Authorization` header of one of `schemes`, or `null` when there is none. */
function presentedSecret(
  header: string | undefined,
  schemes: readonly AuthScheme[],
): string | null {
  const match = /^([A-Za-z]+)[ \t]+(\S+)[ \t]*$/.exec(header ?? '');
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const credentials = match[2]!;
  if (scheme === 'bearer' && schemes.includes('bearer')) return credentials;
  if (scheme === 'basic' && schemes.includes('basic')) {
    // RFC 7617: base64 of `user:password`; the user name cannot hold a colon, the password can.
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? null : decoded.slice(colon + 1);
  }
  return null;
}
