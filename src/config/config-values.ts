import { z } from 'zod';
import { parseDuration } from '../util/duration.js';

/** Schemas of the kinds of values the configuration reads, shared by its parts. */

/** A duration (`30s`, `5m`, `1h`, `7d` or milliseconds) as milliseconds, at least `min`. */
export const duration = (name: string, min: number) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must look like 30s, 5m, 1h or 5000` });
        return z.NEVER;
      }
      return ms;
    })
    .pipe(z.number().min(min, `${name} must be at least ${min} ms`));

export const byteSize = z.coerce.number().int().positive();

/** `true`/`false` (also 1/0, yes/no, on/off), case-insensitive. */
export const flag = z
  .string()
  .transform((text, ctx) => {
    const value = text.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  })
  .or(z.boolean());

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
