import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../adapters/sources/retry-after.js';

const NOW = Date.parse('2026-03-05T03:00:00Z');

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    [' 1 ', 1_000],
    ['0', 0],
    ['Thu, 05 Mar 2026 03:02:00 GMT', 120_000],
    ['Thursday, 05-Mar-26 03:00:30 GMT', 30_000],
    ['Thu, 05 Mar 2026 02:00:00 GMT', 0], // already past
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([null, '', '-5', '1.5', 'soon', 'Thu, 99 Foo 2026'])(
    'reads %j as no Retry-After',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});
