import { describe, expect, it } from 'vitest';
import { sourceNameFor } from '../../src/config/source-config.js';

describe('sourceNameFor', () => {
  it('names a chat-added source from its host, numbering names already taken', () => {
    expect(sourceNameFor('https://www.me.go.kr/rss', new Set())).toBe('me-go-kr');
    expect(sourceNameFor('https://me.go.kr/rss', new Set(['me-go-kr']))).toBe('me-go-kr-2');
    expect(sourceNameFor('http://127.0.0.1:8080/feed', new Set())).toBe('127-0-0-1');
    expect(
      sourceNameFor('https://press.very-long-ministry-name.go.kr/rss', new Set()),
    ).toHaveLength(20);
  });

  it('never gives a command word as a name, so /news <source> <n> stays unambiguous', () => {
    expect(sourceNameFor('http://status/rss', new Set())).toBe('status-2');
    expect(sourceNameFor('http://search/rss', new Set())).toBe('search-2');
  });
});
