import { randomBytes } from 'node:crypto';

/**
 * How a signed webhook's secret becomes its HMAC key, the one rule the bot (signing), the
 * CLI and panel (checking what the operator typed) and the README (receivers) share.
 *
 * The Standard Webhooks form is `whsec_` and the key in base64: receivers' libraries for that
 * specification take it as it is, so the bot makes its secrets that way. Any other secret is
 * used as its UTF-8 bytes, which is what tools taking the secret as text expect (n8n's Crypto
 * node, Zapier's and Make's code steps) and what the libraries' "raw" option does.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The specification's bounds on a `whsec_` key: 24 bytes (192 bits) to 64. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Padded standard base64, as the specification's libraries decode it (Python's refuses less). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new secret in the Standard Webhooks form: 32 random bytes. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The HMAC-SHA256 key of `secret` (see {@link WEBHOOK_SECRET_PREFIX}). */
export function webhookSigningKey(secret: string): Buffer {
  return secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/**
 * Why a `whsec_` secret would not verify with a receiver's library (not base64, or a key of
 * the wrong size); null for a usable one and for every secret of the other form. The message
 * never repeats the secret.
 */
export function webhookSecretProblem(secret: string): string | null {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return null;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) {
    return `a secret starting with ${WEBHOOK_SECRET_PREFIX} must be padded base64 after it (the Standard Webhooks form)`;
  }
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `a ${WEBHOOK_SECRET_PREFIX} secret must hold ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes of key; this one holds ${bytes}`;
  }
  return null;
}
