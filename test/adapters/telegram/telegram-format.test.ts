import { describe, expect, it } from 'vitest';
import { renderPlainReply, renderReply } from '../../../adapters/telegram/telegram-format.js';
import { helpText } from '../../../src/commands/replies.js';
import type { NewsMessage } from '../../../src/model/news-message.js';
import { parseTelegramHtml, telegramSafetyProblems } from '../../support/fake-telegram-html.js';
import { TEXT_LIMIT } from '../../support/fake-telegram-messages.js';

const huge = (i: number): NewsMessage => ({
  source: { name: 'esg', label: 'ESG 정책뉴스' },
  title: `${'<긴 제목> & '.repeat(300)}${i}`,
  url: `https://k-esg.org/post/${i}`,
  ministry: '환경부 '.repeat(200),
  date: '2026-12-01',
  boardNo: 1600 + i,
  originalUrl: null,
  summary: '요약 '.repeat(500),
});

describe('Telegram command replies', () => {
  it('turns the shared markdown into bold and code, parseable as Telegram parses it', () => {
    const reply = renderReply({ text: helpText(), posts: [], visibility: 'private' });
    const shown = parseTelegramHtml(reply.text);
    expect(shown.text).toContain('뉴스 봇 사용법');
    expect(shown.text).not.toContain('`');
    expect(shown.entities.map((e) => e.type)).toContain('bold');
    expect(shown.entities.filter((e) => e.type === 'code').length).toBeGreaterThan(5);
  });

  it('keeps code inside a bold line as code only (no entity may hold code)', () => {
    const reply = renderReply({
      text: '*소스 ESG 정책뉴스 (`esg`)*',
      posts: [],
      visibility: 'channel',
    });
    expect(reply.text).toBe('<b>소스 ESG 정책뉴스 (</b><code>esg</code><b>)</b>');
    expect(parseTelegramHtml(reply.text).text).toBe('소스 ESG 정책뉴스 (esg)');
  });

  it('lets words a user typed become neither a link nor a mention', () => {
    const reply = renderReply({
      text: '구독: ‘<a href="javascript:alert(1)">x</a>’, ‘@everyone’, ‘[x](https://evil.example)’',
      posts: [],
      visibility: 'channel',
    });
    const shown = parseTelegramHtml(reply.text);
    expect(shown.entities).toEqual([]);
    expect(telegramSafetyProblems(shown)).toEqual([]);
  });

  it('fits ten huge posts within 4,096 characters, each whole or left out', () => {
    const posts = Array.from({ length: 10 }, (_, i) => huge(i));
    const reply = renderReply({ text: '최신 글 10건', posts, visibility: 'channel' });
    const shown = parseTelegramHtml(reply.text);
    expect(shown.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(shown.text.startsWith('최신 글 10건')).toBe(true);
    const plain = renderPlainReply({ text: '최신 글 10건', posts, visibility: 'channel' });
    expect(plain.html).toBe(false);
    expect(plain.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
  });

  it('answers something, never an empty message', () => {
    expect(renderReply({ text: ' ', posts: [], visibility: 'channel' })).toEqual({
      text: '(내용 없음)',
      html: false,
    });
  });
});
