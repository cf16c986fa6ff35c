import { describe, expect, it } from 'vitest';
import {
  newWebhookSecret,
  webhookSecretProblem,
  webhookSigningKey,
} from '../../src/model/webhook-secret.js';

describe('a signed webhook’s secret', () => {
  it('is made in the Standard Webhooks form: whsec_ and 32 random bytes in base64', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSigningKey(secret)).toHaveLength(32);
    expect(webhookSecretProblem(secret)).toBeNull();
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs with the decoded key in that form, and with the UTF-8 bytes of any other text', () => {
    const key = Buffer.alloc(24, 7);
    expect(webhookSigningKey(`whsec_${key.toString('base64')}`)).toEqual(key);
    expect(webhookSigningKey('비밀-shared-secret')).toEqual(Buffer.from('비밀-shared-secret'));
  });

  it('refuses a whsec_ secret a receiver’s library could not decode, without repeating it', () => {
    const short = `whsec_${Buffer.alloc(16).toString('base64')}`;
    const long = `whsec_${Buffer.alloc(65).toString('base64')}`;
    const unpadded = `whsec_${Buffer.alloc(32, 1).toString('base64').replace(/=+$/, '')}`;
    const urlSafe = `whsec_${Buffer.alloc(32, 255).toString('base64url')}=`;
    for (const secret of [short, long, unpadded, urlSafe, 'whsec_']) {
      const problem = webhookSecretProblem(secret);
      expect(problem, secret).not.toBeNull();
      expect(problem).not.toContain(secret.slice(6, 20) || '\u0000');
    }
    expect(webhookSecretProblem(short)).toContain('holds 16');
    expect(webhookSecretProblem('any text of sixteen characters')).toBeNull();
  });
});
