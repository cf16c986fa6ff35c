import { z } from 'zod';
import { redactUrl } from '../model/source-error.js';

/**
 * How a configuration value is secret: `value` (a token: the whole value), `url` (a URL
 * whose user info and query values are secret: a Redis password, a feed's `serviceKey`), or
 * `urls` (text holding several such URLs, like `SOURCES`).
 */
export interface SecretField {
  kind: 'value' | 'url' | 'urls';
  /** The field's name in `Config`, where the redaction of logged objects looks for it. */
  configKey: string;
}

/** Secret fields are marked once, where the configuration schema declares them. */
export const secretFields = z.registry<SecretField>();

/** Marks a configuration variable as secret; returns the schema for use in the shape. */
export function secret<T extends z.ZodType>(schema: T, field: SecretField): T {
  secretFields.add(schema, field);
  return schema;
}

export const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 6;

/** What to redact from logs, built from the schema's marks and the environment's values. */
export interface Secrets {
  /** Object keys (lower-cased) whose values are secret wherever they appear (any depth). */
  keys: ReadonlySet<string>;
  /** Object keys holding URLs to show redacted (see {@link redactUrl}). */
  urlKeys: ReadonlySet<string>;
  /** The secret values themselves, replaced wherever they appear in a log line. */
  values: readonly string[];
}

/** Keys that hold credentials whatever object they are found in (headers, client options). */
const ALWAYS_SECRET = ['authorization', 'password', 'token', 'secret', 'cookie'];

/**
 * Builds the redaction from the marked fields of `shape` and the values `env` gives them: the
 * config's key names for key-based redaction of logged objects, and the values themselves
 * (tokens, URL passwords and query values) for replacement in whatever a log line holds.
 */
export function collectSecrets(
  shape: Record<string, z.ZodType>,
  env: Record<string, string | undefined>,
): Secrets {
  const keys = new Set(ALWAYS_SECRET);
  const urlKeys = new Set<string>();
  const values = new Set<string>();
  for (const [name, schema] of Object.entries(shape)) {
    const field = secretFields.get(schema);
    if (!field) continue;
    if (field.kind === 'value') keys.add(field.configKey.toLowerCase());
    else urlKeys.add(field.configKey);
    const value = env[name]?.trim();
    if (!value) continue;
    // A value given percent-encoded (data.go.kr's "encoded" keys) is also redacted decoded.
    if (field.kind === 'value') for (const form of [value, safeDecode(value)]) values.add(form);
    const urls = field.kind === 'url' ? [value] : field.kind === 'urls' ? urlsIn(value) : [];
    for (const url of urls) for (const part of urlSecrets(url)) values.add(part);
  }
  return {
    keys,
    urlKeys,
    values: [...values].filter((v) => v.length >= MIN_SECRET_LENGTH),
  };
}

/** Every http(s) URL written in a text (`name=url` entries, lists). */
function urlsIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s,]+/gi) ?? [];
}

/** The secret parts of a URL: its password and user, and every query value. */
function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const parts = [parsed.password, parsed.username, ...parsed.searchParams.values()];
    return parts.flatMap((part) => [part, safeDecode(part)]).filter(Boolean);
  } catch {
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A copy of `value` with secret keys redacted at any depth and URL keys shown redacted.
 * Cycles and very deep objects are cut rather than followed.
 */
export function redactObject(value: unknown, secrets: Secrets, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value; // pino's error serializer reads it; its text is checked by value
  if (Array.isArray(value)) return value.map((item) => redactObject(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (secrets.keys.has(key.toLowerCase())) {
      copy[key] = item === undefined || item === null ? item : REDACTED;
    } else if (secrets.urlKeys.has(key) && typeof item === 'string') {
      copy[key] = redactUrl(item);
    } else if (secrets.urlKeys.has(key) && Array.isArray(item)) {
      // A list of sources: each entry's URL shown redacted.
      copy[key] = item.map((entry: unknown) =>
        entry && typeof entry === 'object' && 'url' in entry && typeof entry.url === 'string'
          ? { ...entry, url: redactUrl(entry.url) }
          : redactObject(entry, secrets, depth + 1),
      );
    } else {
      copy[key] = redactObject(item, secrets, depth + 1);
    }
  }
  return copy;
}

/**
 * Replaces every secret value in a finished log line, in the forms it can take there: as is,
 * escaped inside a JSON string, and URL-encoded.
 */
/** Slack bot, user, app and refresh tokens (`xoxb-…`, `xoxp-…`, `xapp-…`, `xoxe-…`). */
const SLACK_TOKEN = /\bx(?:ox[abpre]|app)-[A-Za-z0-9-]{6,}/g;

export function redactText(text: string, values: readonly string[]): string {
  // Slack tokens by their shape as well: OAuth mode's per-workspace tokens are in no variable.
  let result = text.replace(SLACK_TOKEN, REDACTED);
  for (const value of values) {
    for (const form of new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
    ])) {
      if (result.includes(form)) result = result.split(form).join(REDACTED);
    }
  }
  return result;
}
