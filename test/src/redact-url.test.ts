import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/model/source-error.js';
import { looksLikeSecret } from '../../src/util/secret-token.js';

describe('redactUrl', () => {
  it.each([
    // Secrets in the path are masked, the rest of the path stays.
    [
      'https://host.example/feeds/3f9a8c0e7b1d4e2a9c6b5d4e3f2a1b0c/rss.xml',
      'https://host.example/feeds/***/rss.xml',
    ],
    [
      'https://host.example/token/Zk3qP9xLmA2vT7sWcR4yB8nE/feed',
      'https://host.example/token/***/feed',
    ],
    [
      'https://host.example/u/3F9A8C0E-7B1D-4E2A-9C6B-5D4E3F2A1B0C/rss',
      'https://host.example/u/***/rss',
    ],
    [
      'https://host.example/s/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk/x',
      'https://host.example/s/***/x',
    ],
    ['https://host.example/k/Ab3_xY9-kLm2PqR5sT8u/', 'https://host.example/k/***/'],
    ['https://host.example/hex/a1b2c3d4e5f60718', 'https://host.example/hex/***'],
    ['https://host.example/k/k3j9x2m8q1w7e5r4t6y0z2/rss', 'https://host.example/k/***/rss'],
    [
      'https://hooks.example/services/T0AB12CD3/B0EF45GH6/aBcD1234eFgH5678iJkL9012',
      'https://hooks.example/services/T0AB12CD3/B0EF45GH6/***',
    ],
    // Words, numbers, dates, slugs and names stay readable.
    ['https://k-esg.org/post/4392', 'https://k-esg.org/post/4392'],
    [
      'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156604392',
      'https://www.korea.kr/briefing/pressReleaseView.do?newsId=***',
    ],
    [
      'https://me.go.kr/home/web/board/read.do?page=2',
      'https://me.go.kr/home/web/board/read.do?page=2',
    ],
    [
      'https://news.example/2023/11/27/esg-disclosure-rules-announced-for-2026/',
      'https://news.example/2023/11/27/esg-disclosure-rules-announced-for-2026/',
    ],
    ['https://news.example/archive/20231127093000', 'https://news.example/archive/20231127093000'],
    [
      'https://news.example/2023/11/The-New-ESG-Law-Is-Out-In-Korea',
      'https://news.example/2023/11/The-New-ESG-Law-Is-Out-In-Korea',
    ],
    [
      'https://news.example/GovernmentPolicyAnnouncements/rss',
      'https://news.example/GovernmentPolicyAnnouncements/rss',
    ],
    [
      'https://news.example/view2023ESGReport20231127',
      'https://news.example/view2023ESGReport20231127',
    ],
    [
      'https://news.example/feed/1234567890123456789',
      'https://news.example/feed/1234567890123456789',
    ],
    [
      'https://news.example/%EA%B2%8C%EC%8B%9C%ED%8C%90/%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C',
      'https://news.example/%EA%B2%8C%EC%8B%9C%ED%8C%90/%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C',
    ],
    // What was masked before still is.
    [
      'https://user:pass@host.example/rss?serviceKey=abc&page=3',
      'https://host.example/rss?serviceKey=***&page=3',
    ],
    ['https://host.example/rss#access_token=abc', 'https://host.example/rss#***'],
    ['https://host.example/rss#section-2', 'https://host.example/rss#section-2'],
    ['redis://:pw@127.0.0.1:6379/0', 'redis://127.0.0.1:6379/0'],
    ['not a url', '(invalid URL)'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('reads hostile input in one pass, with nothing to backtrack', () => {
    // A long segment of every shape at once: a backtracking pattern would never finish.
    const hostile = `https://host.example/${'a1-'.repeat(50_000)}/${'A'.repeat(100_000)}!`;
    expect(redactUrl(hostile)).toMatch(/^https:\/\/host\.example\//);
    expect(looksLikeSecret('-'.repeat(200_000))).toBe(false);
    expect(looksLikeSecret('_-'.repeat(20))).toBe(false);
  });
});

describe('looksLikeSecret', () => {
  it('never masks a slug of words, capitalised words and numbers', () => {
    const word = fc.oneof(
      fc.string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
        minLength: 1,
        maxLength: 12,
      }),
      fc
        .string({
          unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
          minLength: 1,
          maxLength: 11,
        })
        .map((w) => `${w[0]!.toUpperCase()}${w.slice(1)}`),
      fc.string({
        unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
        minLength: 1,
        maxLength: 5,
      }),
      fc.nat().map(String),
    );
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('-', '_', '.'),
        (words, separator) => {
          expect(looksLikeSecret(words.join(separator))).toBe(false);
        },
      ),
    );
  });

  it('masks random keys in the usual encodings', () => {
    // Fixed bytes (hashes of the counter): the same keys every run.
    const readable: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const bytes = createHash('sha256').update(String(i)).digest().subarray(0, 24);
      expect(looksLikeSecret(bytes.toString('hex')), bytes.toString('hex')).toBe(true);
      if (!looksLikeSecret(bytes.toString('base64url'))) readable.push(bytes.toString('base64url'));
      const hex = createHash('md5').update(String(i)).digest('hex');
      const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
      expect(looksLikeSecret(uuid), uuid).toBe(true);
    }
    // A random key can switch class as seldom as words do (about 1 in 7,000): here, one.
    expect(readable).toEqual(['hKUJLkpbb-lo_VI_svyRfb_65EEF-Ctr']);
  });
});
