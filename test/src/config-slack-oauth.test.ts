import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configSecrets, parseConfig } from '../../src/config/config.js';

const key = randomBytes(32);
const OAUTH = {
  SLACK_CLIENT_ID: '1234567890.9876543210',
  SLACK_CLIENT_SECRET: 'client-secret-value',
  SLACK_STATE_SECRET: 'state-secret-of-some-length',
  SLACK_SIGNING_SECRET: 'signing-secret',
  TOKEN_ENCRYPTION_KEY: key.toString('hex'),
};

describe('Slack OAuth mode in the configuration', () => {
  it('turns on with SLACK_CLIENT_ID and its secrets, without a single bot token', () => {
    const slack = parseConfig(OAUTH).slack;
    expect(slack?.botToken).toBeUndefined();
    expect(slack?.oauth).toMatchObject({
      clientId: OAUTH.SLACK_CLIENT_ID,
      stateSecret: OAUTH.SLACK_STATE_SECRET,
      workspaceRatePerSecond: 10,
    });
    expect(slack?.oauth?.encryptionKey).toEqual(key);
    expect(
      parseConfig({ ...OAUTH, TOKEN_ENCRYPTION_KEY: key.toString('base64') }).slack?.oauth,
    ).toBeTruthy();
  });

  it('leaves single-workspace mode as it was', () => {
    const slack = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'signing-secret',
    }).slack;
    expect(slack).toMatchObject({ botToken: 'xoxb-1', oauth: null });
  });

  it.each([
    ['TOKEN_ENCRYPTION_KEY', /TOKEN_ENCRYPTION_KEY: is required with SLACK_CLIENT_ID/],
    ['SLACK_CLIENT_SECRET', /SLACK_CLIENT_SECRET: is required with SLACK_CLIENT_ID/],
    ['SLACK_STATE_SECRET', /SLACK_STATE_SECRET: is required with SLACK_CLIENT_ID/],
  ])('refuses to start without %s', (name, message) => {
    expect(() => parseConfig({ ...OAUTH, [name]: undefined })).toThrow(message);
  });

  it('refuses a key that is not 32 bytes, never falling back to plaintext', () => {
    for (const bad of ['abc', key.toString('hex').slice(1), 'a passphrase of words']) {
      expect(() => parseConfig({ ...OAUTH, TOKEN_ENCRYPTION_KEY: bad })).toThrow(
        /TOKEN_ENCRYPTION_KEY: must be 32 random bytes as 64 hex characters or in base64/,
      );
    }
  });

  it('refuses both modes at once, and OAuth variables without SLACK_CLIENT_ID', () => {
    expect(() => parseConfig({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_BOT_TOKEN: cannot be used with SLACK_CLIENT_ID/,
    );
    expect(() =>
      parseConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's'.repeat(8),
        SLACK_STATE_SECRET: 's'.repeat(32),
      }),
    ).toThrow(/SLACK_STATE_SECRET: is only used with SLACK_CLIENT_ID/);
    // The key also seals webhook destinations: it is welcome in single-workspace mode.
    expect(
      parseConfig({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 's'.repeat(8),
        TOKEN_ENCRYPTION_KEY: key.toString('hex'),
      }).encryptionKey,
    ).toEqual(key);
  });

  it('keeps the client secret, state secret and key out of logs', () => {
    const secrets = configSecrets(OAUTH);
    expect(secrets.values).toEqual(
      expect.arrayContaining([
        OAUTH.SLACK_CLIENT_SECRET,
        OAUTH.SLACK_STATE_SECRET,
        OAUTH.TOKEN_ENCRYPTION_KEY,
      ]),
    );
    expect([...secrets.keys]).toEqual(
      expect.arrayContaining(['clientsecret', 'statesecret', 'encryptionkey']),
    );
  });
});
