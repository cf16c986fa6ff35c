import { describe, expect, it } from 'vitest';
import * as discord from '../../adapters/discord/discord-format.js';
import * as slack from '../../adapters/slack/slack-format.js';
import type { ChatReply } from '../../src/commands/command-service.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { newsDigest } from '../../src/model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';
import {
  discordMessageProblems,
  discordSafetyProblems,
  slackMessageProblems,
  slackSafetyProblems,
} from '../support/platform-limits.js';

/** A post as a hostile or broken board could publish it. */
const hostile: NewsMessage = {
  source: { name: 'evil', label: '<!channel> @everyone [x](javascript:1)' },
  title:
    '<!channel> 긴급 <!here|here> @everyone @here <@U123> <#C999> [링크](javascript:alert(1)) & 공지',
  url: 'https://k-esg.org/post/1?a=1&b=<2>|3',
  ministry: '<!everyone> <@&123456789012345678> [x](https://evil.example)',
  date: '<!subteam^S1>',
  boardNo: 1700,
  originalUrl: 'https://www.korea.kr/x?newsId=1&y=<z>',
  embargoAt: Date.parse('2026-12-07T12:00:00+09:00'),
  attachments: [
    { name: '<!channel> @everyone <@U1>.hwpx', url: 'https://www.korea.kr/f?a=1&b=<2>|3' },
    { name: '[링크](javascript:alert(1)).pdf', url: 'javascript:alert(1)' },
    { name: '**굵게** <b>x</b> & |x|.pdf', url: 'https://www.korea.kr/f/(3)' },
    { name: '넷째.pdf', url: 'https://www.korea.kr/f/4' },
  ],
  alsoCarriedBy: ['<!here> @everyone [x](javascript:1)'],
  summary:
    '<!channel> 요약 @everyone <@U1> [링크](javascript:alert(1)) <https://evil.example|여기> & **굵게**',
};

/** A command's answer echoing what a user typed: keywords, search words, a bad number. */
const hostileReply = (visibility: ChatReply['visibility']): ChatReply => ({
  text: '구독: ‘<!channel>’, ‘<@U1>’, ‘@everyone’, ‘<javascript:alert(1)>’, ‘[x](https://evil.example)’',
  posts: [hostile],
  visibility,
});

const hostileNotice: SourceNotice = {
  kind: 'down',
  sourceId: 'k-esg.org-post',
  sourceUrl: 'https://k-esg.org/post',
  since: '2026-11-26T00:00:00.000Z',
  error: 'HTTP 500: <!channel> @everyone <@U1> [x](javascript:alert(1))',
};

describe('markup from a post, a source error or a command never pings anyone', () => {
  const slackRenderings = {
    alert: slack.renderAlert(hostile),
    'minimal alert': slack.renderMinimalAlert(hostile),
    notice: slack.renderNotice(hostileNotice),
    reply: slack.renderReply(hostileReply('channel')),
    digest: slack.renderDigest(
      newsDigest('digest', hostile.source, Array<NewsMessage>(21).fill(hostile)),
    ),
  };

  it.each(Object.entries(slackRenderings))(
    'escapes every Slack control character in the %s, text and blocks alike',
    (_kind, rendered) => {
      expect(slackSafetyProblems(rendered)).toEqual([]);
      expect(slackMessageProblems(rendered)).toEqual([]);
      // The words are still there for people to read, only defused.
      expect(JSON.stringify(rendered)).toContain('&lt;!channel&gt;');
    },
  );

  it('sends every mrkdwn text object verbatim, so Slack links and parses nothing by itself', () => {
    for (const rendered of [slackRenderings.alert, slackRenderings.reply, slackRenderings.digest]) {
      const texts = JSON.stringify(rendered.blocks).match(/\{"type":"mrkdwn"[^{}]*\}/g) ?? [];
      expect(texts.length).toBeGreaterThan(1);
      for (const text of texts) expect(text).toContain('"verbatim":true');
    }
    // The check that guards every rendering test catches one left out.
    const reply = slack.renderReply(hostileReply('channel'));
    const section = reply.blocks[0]!.text as Record<string, unknown>;
    delete section.verbatim;
    expect(slackSafetyProblems(reply)).toEqual([
      'blocks[0].text: a mrkdwn text object without verbatim: true (Slack would auto-link it)',
    ]);
  });

  it('shows file names and other carriers as text, their links whole, on both platforms', () => {
    const slackBlocks = JSON.stringify(slackRenderings.alert.blocks);
    expect(slackBlocks).toContain(
      '첨부 <https://www.korea.kr/f?a=1&amp;b=%3C2%3E%7C3|&lt;!channel&gt; @everyone &lt;@U1&gt;.hwpx>',
    );
    expect(slackBlocks).toContain('[링크](javascript:alert(1)).pdf  ·  ');
    expect(slackBlocks).toContain('외 첨부 1건');
    expect(slackBlocks).toContain('함께 실린 곳 &lt;!here&gt;');
    const files = discordRenderings.alert.embeds[0]!.fields!.find((f) => f.name === '첨부')!;
    expect(files.value).toBe(
      [
        '[\\<!channel\\> @everyone \\<@U1\\>.hwpx](https://www.korea.kr/f?a=1&b=%3C2%3E|3)',
        '\\[링크\\](javascript:alert(1)).pdf',
        '[\\*\\*굵게\\*\\* \\<b\\>x\\</b\\> & \\|x\\|.pdf](https://www.korea.kr/f/%283%29)',
        '외 첨부 1건',
      ].join('\n'),
    );
  });

  it('keeps links as links, with the URL’s own specials encoded', () => {
    expect(JSON.stringify(slackRenderings.alert.blocks)).toContain(
      '<https://k-esg.org/post/1?a=1&amp;b=%3C2%3E%7C3|',
    );
  });

  const discordRenderings = {
    alert: discord.renderAlert(hostile),
    'minimal alert': discord.renderMinimalAlert(hostile),
    notice: discord.renderNotice(hostileNotice),
    'recovery notice': discord.renderNotice({ ...hostileNotice, kind: 'recovered', error: null }),
    'private reply': discord.renderReply(hostileReply('private')),
    'channel reply': discord.renderReply(hostileReply('channel')),
    'deferred edit': discord.renderEdit(hostileReply('channel')),
  };

  it.each(Object.entries(discordRenderings))(
    'sends the Discord %s with no mentions allowed and no live link',
    (_kind, rendered) => {
      expect(rendered.allowed_mentions).toEqual({ parse: [] });
      expect(discordMessageProblems(rendered)).toEqual([]);
      expect(discordSafetyProblems(rendered)).toEqual([]);
    },
  );

  it('shows markup in a post’s lead as text, on both platforms', () => {
    const slackLead = slackRenderings.alert.blocks[1]!.text as { text: string; verbatim: boolean };
    expect(slackLead.text).toBe(
      '&lt;!channel&gt; 요약 @everyone &lt;@U1&gt; [링크](javascript:alert(1)) &lt;https://evil.example|여기&gt; &amp; **굵게**',
    );
    expect(slackLead.verbatim).toBe(true);
    expect(discordRenderings.alert.embeds[0]!.description).toMatch(
      /^\\<!channel\\> 요약 @everyone \\<@U1\\> \\\[링크\\\]\(javascript:alert\(1\)\) \\<https:\/\/evil\.example\\\|여기\\> & \\\*\\\*굵게\\\*\\\*\n\n\[원문 보도자료\]/,
    );
    expect(discordRenderings['minimal alert'].content).toContain('\\<!channel\\> 요약');
  });

  it('cannot be fooled by a message without allowed_mentions', () => {
    const { allowed_mentions: _dropped, ...unguarded } = discordRenderings.alert;
    expect(discordMessageProblems(unguarded)).toEqual([expect.stringMatching(/^allowed_mentions/)]);
    expect(
      discordMessageProblems({ ...unguarded, allowed_mentions: { parse: ['everyone'] } }),
    ).toEqual(['allowed_mentions.parse: must be []']);
  });

  it('shows Discord markup from a post as text, not as a link or mention', () => {
    const { content } = discordRenderings['minimal alert'];
    expect(content).toContain('\\[링크\\](javascript:alert(1))');
    expect(content).toContain('\\<@U123\\>');
    // A command's own markdown stays; what a user typed cannot become a link.
    expect(discordRenderings['channel reply'].content).toContain(
      '‘\\<javascript:alert(1)>’, ‘[x\\](https://evil.example)’',
    );
    const [ministry] = discordRenderings.alert.embeds[0]!.fields!;
    expect(ministry!.value).toBe(
      '\\<!everyone\\> \\<@&123456789012345678\\> \\[x\\](https://evil.example)',
    );
  });

  it('reads command text with control characters and 10 KB of text safely', () => {
    expect(parseCommand('\u0000\u001b[31m1645\u0007')).toEqual({
      kind: 'invalid',
      problem: expect.any(String) as string,
    });
    expect(parseCommand('1645\u0000')).toEqual({ kind: 'lookup', source: null, boardNo: 1645 });
    expect(parseCommand('\u202e구독\u200b')).toEqual({ kind: 'subscribe', words: [] });
    expect(parseCommand('가'.repeat(10 * 1024)).kind).toBe('invalid');
  });
});
