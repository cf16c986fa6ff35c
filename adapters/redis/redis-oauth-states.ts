import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidStateError, type InstallURLOptions, type StateStore } from '@slack/oauth';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** How long an install may take between "Add to Slack" and Slack's redirect back. */
const STATE_TTL_SECONDS = 600;

/**
 * OAuth `state` values that work once. Each is random, signed with `SLACK_STATE_SECRET` (a
 * forged one is refused before Redis is asked) and kept in Redis until it is used: `GETDEL`
 * takes it away atomically, so a replayed redirect, even within the ten minutes and on another
 * process, finds nothing. (Bolt's default `ClearStateStore` only checks a signature and an age,
 * so it accepts the same state again until it expires.)
 */
export class RedisOAuthStateStore implements StateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly secret: string,
  ) {}

  async generateStateParam(installOptions: InstallURLOptions): Promise<string> {
    const nonce = randomBytes(24).toString('base64url');
    await this.redis.set(
      this.keys.slackOAuthState(nonce),
      JSON.stringify(installOptions),
      'EX',
      STATE_TTL_SECONDS,
    );
    return `${nonce}.${this.sign(nonce)}`;
  }

  async verifyStateParam(_now: Date, state: string): Promise<InstallURLOptions> {
    const [nonce, signature] = state.split('.');
    if (!nonce || !signature || !this.signedBy(nonce, signature)) {
      throw new InvalidStateError('The state was not made by this app.');
    }
    const stored = await this.redis.getdel(this.keys.slackOAuthState(nonce));
    if (stored === null) throw new InvalidStateError('The state was used already or expired.');
    return JSON.parse(stored) as InstallURLOptions;
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('base64url');
  }

  private signedBy(nonce: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(nonce));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
