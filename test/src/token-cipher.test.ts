import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKey, TokenCipher, WrongKeyError } from '../../src/util/token-cipher.js';

describe('TOKEN_ENCRYPTION_KEY', () => {
  const bytes = randomBytes(32);

  it('reads 32 bytes written as 64 hex characters, base64 or base64url', () => {
    expect(parseEncryptionKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseEncryptionKey(bytes.toString('base64'))).toEqual(bytes);
    expect(parseEncryptionKey(` ${bytes.toString('base64url')} `)).toEqual(bytes);
  });

  it.each([
    ['too short hex', bytes.toString('hex').slice(2)],
    ['16 bytes in base64', randomBytes(16).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['empty', ''],
  ])('refuses %s, saying how to make one', (_what, text) => {
    expect(() => parseEncryptionKey(text)).toThrow(/32 random bytes.*openssl rand -hex 32/);
  });
});

describe('TokenCipher', () => {
  const cipher = new TokenCipher(randomBytes(32));
  const token = 'xoxb-1234-5678-abcdefghijklmnop';

  it('opens what it sealed, and seals the same text differently each time', () => {
    const a = cipher.encrypt(token, 'T1');
    const b = cipher.encrypt(token, 'T1');
    expect(a).not.toBe(b);
    expect(a).not.toContain(token);
    expect(Buffer.from(a.split('.')[3]!, 'base64url').toString('utf8')).not.toContain('xoxb');
    expect(cipher.decrypt(a, 'T1')).toBe(token);
    expect(cipher.decrypt(b, 'T1')).toBe(token);
  });

  it('refuses another key, another team, and a changed value', () => {
    const sealed = cipher.encrypt(token, 'T1');
    expect(() => new TokenCipher(randomBytes(32)).decrypt(sealed, 'T1')).toThrow(WrongKeyError);
    expect(() => cipher.decrypt(sealed, 'T2')).toThrow(WrongKeyError);
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const changed = [version, iv, tag, flipped.toString('base64url')].join('.');
    expect(() => cipher.decrypt(changed, 'T1')).toThrow(WrongKeyError);
    expect(() => cipher.decrypt(token, 'T1')).toThrow(/not an encrypted value/);
  });
});

describe('TokenCipher refuses what it never writes', () => {
  const cipher = new TokenCipher(randomBytes(32));
  const sealed = cipher.encrypt('xoxb-1234-5678-abcdefghijklmnop', 'T1');
  const [version, iv, tag, body] = sealed.split('.') as [string, string, string, string];
  const join = (parts: string[]): string => parts.join('.');

  it('refuses a tag truncated to 4 bytes (Node alone would check only those 4 bytes)', () => {
    const short = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => cipher.decrypt(join([version, iv, short, body]), 'T1')).toThrow(
      /not an encrypted value.*16-byte tag.*got 12 and 4/,
    );
  });

  it.each([
    ['an 8-byte IV', 8],
    ['a 16-byte IV', 16],
    ['an empty IV', 0],
  ])('refuses %s', (_what, length) => {
    const otherIv = randomBytes(length).toString('base64url');
    expect(() => cipher.decrypt(join([version, otherIv, tag, body]), 'T1')).toThrow(
      /not an encrypted value.*12-byte IV/,
    );
  });

  it('refuses parts that are not base64url, and extra parts', () => {
    expect(() => cipher.decrypt(join([version, `${iv}!`, tag, body]), 'T1')).toThrow(
      /not base64url/,
    );
    expect(() => cipher.decrypt(`${sealed}.extra`, 'T1')).toThrow(/not an encrypted value/);
    // None of these are reported as a wrong key: that would send the operator after a key.
    expect(() => cipher.decrypt(`${sealed}.extra`, 'T1')).not.toThrow(WrongKeyError);
  });

  it('still opens the untouched value', () => {
    expect(cipher.decrypt(join([version, iv, tag, body]), 'T1')).toBe(
      'xoxb-1234-5678-abcdefghijklmnop',
    );
  });
});
