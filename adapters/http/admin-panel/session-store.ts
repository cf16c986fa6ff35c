import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../redis/redis-connection.js';
import type { RedisKeys } from '../../redis/redis-keys.js';

/** How long a login lasts, however busy: the operator logs in again after it. */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** A logged-in operator's session. */
export interface AdminSession {
  /** Every change must carry this (a hidden form field): a foreign page cannot read it. */
  csrfToken: string;
  expiresAt: Date;
}

/** What a session id looks like in a cookie: 32 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * The control panel's sessions in Redis, shared by every web process. The cookie holds only a
 * random id, never the admin token; Redis holds the id's SHA-256, so a copy of Redis logs
 * nobody in. A session ends at a fixed time after login ({@link SESSION_TTL_MS}), told by the
 * injected clock (Redis's own expiry only clears it away later), and at logout.
 */
export class RedisAdminSessions {
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    options: { ttlMs?: number; now?: () => Date } = {},
  ) {
    this.ttlMs = options.ttlMs ?? SESSION_TTL_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** Starts a session; the id goes into the cookie and nowhere else. */
  async start(): Promise<{ id: string; session: AdminSession }> {
    const id = randomBytes(32).toString('base64url');
    const session: AdminSession = {
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(this.now().getTime() + this.ttlMs),
    };
    const stored = JSON.stringify({
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.getTime(),
    });
    await this.redis.set(this.key(id), stored, 'PX', this.ttlMs);
    return { id, session };
  }

  /** The live session a cookie's id names, or `null` (unknown, malformed or ended). */
  async find(id: string): Promise<AdminSession | null> {
    if (!SESSION_ID.test(id)) return null;
    const stored = await this.redis.get(this.key(id));
    if (stored === null) return null;
    const { csrfToken, expiresAt } = JSON.parse(stored) as { csrfToken: string; expiresAt: number };
    if (expiresAt <= this.now().getTime()) {
      await this.redis.del(this.key(id));
      return null;
    }
    return { csrfToken, expiresAt: new Date(expiresAt) };
  }

  async end(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await this.redis.del(this.key(id));
  }

  private key(id: string): string {
    return this.keys.adminSession(createHash('sha256').update(id).digest('base64url'));
  }
}
