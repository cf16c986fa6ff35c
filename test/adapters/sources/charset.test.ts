import { TextEncoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeDocument } from '../../../adapters/sources/charset.js';

const KOREAN = '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다';
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('a single-byte charset label on UTF-8 bytes', () => {
  it.each([
    'us-ascii',
    'ascii',
    'iso-8859-1',
    'latin1',
    'l1',
    'windows-1252',
    'cp1252',
    'US-ASCII',
    'ansi_x3.4-1968',
  ])('reads UTF-8 Korean labelled %s in the header as UTF-8', (label) => {
    const bytes = utf8(`<rss><title>${KOREAN}</title></rss>`);
    const { text, charset } = decodeDocument(`application/rss+xml; charset=${label}`, bytes);
    expect(text).toContain(KOREAN);
    expect(charset).toBe('utf-8');
  });

  it('reads UTF-8 Korean declared iso-8859-1 in the XML prolog, or us-ascii in a meta tag, as UTF-8; real Latin-1 stays Latin-1', () => {
    const xml = utf8(
      `<?xml version="1.0" encoding="iso-8859-1"?><rss><title>${KOREAN}</title></rss>`,
    );
    expect(decodeDocument('text/xml', xml).text).toContain(KOREAN);
    const html = utf8(`<html><head><meta charset="us-ascii"></head><body>${KOREAN}</body></html>`);
    expect(decodeDocument('text/html', html).text).toContain(KOREAN);
    const cafe = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1: not UTF-8
    expect(decodeDocument('text/html; charset=iso-8859-1', cafe)).toEqual({
      text: 'café',
      charset: 'windows-1252',
    });
  });
});
