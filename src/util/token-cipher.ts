import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Encrypted values start with it, so a later key or algorithm change can tell them apart. */
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** GCM's full tag. Node would accept 4..16 bytes, and a short tag is far easier to forge. */
const TAG_BYTES = 16;
/** What `encrypt` writes for each part; Node's base64url decoder would skip anything else. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Reads `TOKEN_ENCRYPTION_KEY`: 32 bytes as 64 hex characters or in base64. Anything else is
 * refused with a message saying how to make one; there is no plaintext fallback.
 */
export function parseEncryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const key = Buffer.from(
      trimmed,
      trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
    );
    if (key.length === KEY_BYTES) return key;
  }
  throw new Error(
    'must be 32 random bytes as 64 hex characters or in base64 (make one with `openssl rand -hex 32`)',
  );
}

/** The key did not open a value: it is not the key the value was encrypted with. */
export class WrongKeyError extends Error {
  constructor() {
    super('TOKEN_ENCRYPTION_KEY is not the key the stored Slack installations were encrypted with');
    this.name = 'WrongKeyError';
  }
}

/**
 * AES-256-GCM for secrets kept in Redis (Slack bot tokens). Each value gets its own random IV;
 * the authentication tag makes a wrong key or a changed value fail to open instead of
 * yielding garbage. `context` (the team id) is bound as associated data, so a value copied
 * to another team's field does not open there.
 */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error('an AES-256 key is 32 bytes');
  }

  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
    return [VERSION, ...parts].join('.');
  }

  /**
   * Throws {@link WrongKeyError} when the key (or the context) does not open `sealed`, and a
   * plain error when `sealed` is not of the form {@link encrypt} writes: a tag or IV of
   * another length is malformed (never written by this bot), not a sign of another key, so
   * it is refused before any decryption and the operator is not sent looking for a key.
   */
  decrypt(sealed: string, context = ''): string {
    const [iv, tag, body] = this.split(sealed);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new WrongKeyError();
    }
  }

  /** The IV, tag and ciphertext of `sealed`, each checked for what {@link encrypt} writes. */
  private split(sealed: string): [iv: Buffer, tag: Buffer, body: Buffer] {
    const parts = sealed.split('.');
    const [version, iv, tag, body] = parts;
    if (
      parts.length !== 4 ||
      version !== VERSION ||
      iv === undefined ||
      tag === undefined ||
      body === undefined
    ) {
      throw new Error(`not an encrypted value of this bot (expected ${VERSION}.…)`);
    }
    if (!BASE64URL.test(iv) || !BASE64URL.test(tag) || !BASE64URL.test(body)) {
      throw new Error('not an encrypted value of this bot (a part is not base64url)');
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new Error(
        `not an encrypted value of this bot (expected a ${IV_BYTES}-byte IV and a ${TAG_BYTES}-byte tag, got ${ivBytes.length} and ${tagBytes.length})`,
      );
    }
    return [ivBytes, tagBytes, Buffer.from(body, 'base64url')];
  }
}
