import { describe, expect, it } from 'vitest';
import {
  renderAlert as discordAlert,
  renderReply as discordReply,
} from '../../adapters/discord/discord-format.js';
import {
  renderAlert as slackAlert,
  renderReply as slackReply,
} from '../../adapters/slack/slack-format.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import type { NewsMessage } from '../../src/news-message.js';

/** A title as a hostile or broken board could publish it. */
const hostile: NewsMessage = {
  title: '<!channel> 긴급 <!here|here> @everyone @here <@U123> <#C999> & 공지',
  url: 'https://k-esg.org/post/1?a=1&b=<2>|3',
  ministry: '<!everyone>',
  date: '2026-11-26',
  boardNo: 1700,
  originalUrl: 'https://www.korea.kr/x?newsId=1&y=<z>',
};

describe('markup from a post or a command never pings anyone', () => {
  it('escapes Slack control characters in alerts and replies, text and blocks alike', () => {
    for (const rendered of [
      slackAlert(hostile),
      slackReply({ text: '구독: <!channel> <@U1>', posts: [hostile], visibility: 'channel' }),
    ]) {
      const all = JSON.stringify(rendered);
      expect(all).not.toMatch(/<!(channel|here|everyone)/);
      expect(all).not.toMatch(/<[@#][UC]\d/);
      expect(all).toContain('&lt;!channel&gt;');
    }
    // Links survive as links, with the URL's own specials encoded.
    expect(JSON.stringify(slackAlert(hostile).blocks)).toContain(
      '<https://k-esg.org/post/1?a=1&amp;b=&lt;2&gt;%7C3|',
    );
  });

  it('sends every Discord message with no mentions allowed', () => {
    expect(discordAlert(hostile).allowed_mentions).toEqual({ parse: [] });
    expect(
      discordReply({ text: '@everyone', posts: [hostile], visibility: 'private' }).allowed_mentions,
    ).toEqual({
      parse: [],
    });
  });

  it('reads command text with control characters and 10 KB of text safely', () => {
    expect(parseCommand('\u0000\u001b[31m1645\u0007')).toEqual({
      kind: 'invalid',
      problem: expect.any(String) as string,
    });
    expect(parseCommand('1645\u0000')).toEqual({ kind: 'lookup', boardNo: 1645 });
    expect(parseCommand('\u202e구독\u200b')).toEqual({ kind: 'subscribe', keywords: [] });
    expect(parseCommand('가'.repeat(10 * 1024)).kind).toBe('invalid');
  });
});
