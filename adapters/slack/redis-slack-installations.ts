import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { TokenCipher } from '../../src/util/token-cipher.js';
import { WrongKeyError } from '../../src/util/token-cipher.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/** What the key check encrypts; any text would do, it only has to open again. */
const KEY_CHECK_TEXT = 'esg-news-bot TOKEN_ENCRYPTION_KEY check';

/**
 * Slack installations (one per workspace that added the app through OAuth) in one Redis hash,
 * team id → the installation as AES-256-GCM ciphertext bound to that team id. Nothing of a
 * token is ever written in plaintext. Bolt's `InstallProvider` stores and fetches through it;
 * deliveries read a team's bot token with {@link botToken}.
 */
export class RedisSlackInstallations implements InstallationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly cipher: TokenCipher,
  ) {}

  /**
   * Stops the start when the configured key is not the one the stored installations were
   * encrypted with (a wrong key would otherwise look like every workspace's token vanished).
   * The first start with a key records the check.
   */
  async checkKey(): Promise<void> {
    const check = await this.redis.get(this.keys.slackKeyCheck());
    if (check !== null) {
      if (this.cipher.decrypt(check, 'key-check') !== KEY_CHECK_TEXT) throw new WrongKeyError();
      return;
    }
    // No check yet (first start): any stored installation must open. HSCAN may answer an
    // empty page before the end, so look until one is found or the scan is done.
    let cursor = '0';
    do {
      const [next, page] = await this.redis.hscan(this.keys.slackInstallations(), cursor);
      if (page.length >= 2) {
        this.cipher.decrypt(page[1]!, page[0]);
        break;
      }
      cursor = next;
    } while (cursor !== '0');
    await this.redis.set(
      this.keys.slackKeyCheck(),
      this.cipher.encrypt(KEY_CHECK_TEXT, 'key-check'),
      'NX',
    );
    // Two first starts with different keys: whichever check was written, ours must open it.
    const written = await this.redis.get(this.keys.slackKeyCheck());
    if (written === null || this.cipher.decrypt(written, 'key-check') !== KEY_CHECK_TEXT) {
      throw new WrongKeyError();
    }
  }

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    const teamId = installation.team?.id;
    // An Enterprise Grid org-wide install has no team: alerts are addressed per workspace.
    if (installation.isEnterpriseInstall || !teamId) {
      throw new Error(
        'org-wide (Enterprise Grid) installs are not supported; install per workspace',
      );
    }
    if (!installation.bot?.token) throw new Error('the installation carries no bot token');
    await this.redis
      .multi()
      .hset(
        this.keys.slackInstallations(),
        teamId,
        this.cipher.encrypt(JSON.stringify(installation), teamId),
      )
      // A reinstall brings a new token: a pause for the old one's refusal ends here.
      .hdel(this.keys.slackPausedWorkspaces(), teamId)
      .exec();
  }

  async fetchInstallation(
    query: InstallationQuery<boolean>,
  ): Promise<Installation<'v1' | 'v2', boolean>> {
    const installation = query.teamId ? await this.read(query.teamId) : null;
    if (!installation) throw new Error(`the app is not installed in workspace ${query.teamId}`);
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    if (query.teamId) await this.remove(query.teamId);
  }

  /** The workspace's bot token, or `null` when the app is not installed there. */
  async botToken(teamId: string): Promise<string | null> {
    return (await this.read(teamId))?.bot?.token ?? null;
  }

  /** Forgets the workspace's installation; true when there was one. */
  async remove(teamId: string): Promise<boolean> {
    const [[, removed]] = (await this.redis
      .multi()
      .hdel(this.keys.slackInstallations(), teamId)
      .hdel(this.keys.slackPausedWorkspaces(), teamId)
      .exec()) as [[unknown, number], [unknown, number]];
    return removed > 0;
  }

  /** Every workspace the app is installed in. */
  teams(): Promise<string[]> {
    return this.redis.hkeys(this.keys.slackInstallations());
  }

  private async read(teamId: string): Promise<Installation<'v1' | 'v2', boolean> | null> {
    const sealed = await this.redis.hget(this.keys.slackInstallations(), teamId);
    if (sealed === null) return null;
    return JSON.parse(this.cipher.decrypt(sealed, teamId)) as Installation<'v1' | 'v2', boolean>;
  }
}
