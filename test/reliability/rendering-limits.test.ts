import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as discord from '../../adapters/discord/discord-format.js';
import * as slack from '../../adapters/slack/slack-format.js';
import { newsDigest } from '../../src/model/news-digest.js';
import { CORRECTION_MARK, oneLine, type NewsMessage } from '../../src/model/news-message.js';
import {
  discordMessageProblems,
  discordSafetyProblems,
  slackMessageProblems,
  slackSafetyProblems,
} from '../support/platform-limits.js';
import { text, post, reply, notice } from '../support/hostile-posts.js';

// ---- Checks ---------------------------------------------------------------------------

function expectSlack(payload: { text: string; blocks?: unknown[] }, textMax: number): void {
  expect(slackMessageProblems(payload)).toEqual([]);
  expect(slackSafetyProblems(payload)).toEqual([]);
  expect(payload.text.length).toBeLessThanOrEqual(textMax);
}

function expectDiscord(body: Record<string, unknown>): void {
  expect(discordMessageProblems(body)).toEqual([]);
  expect(discordSafetyProblems(body)).toEqual([]);
  for (const embed of (body.embeds ?? []) as Array<{ url?: string }>) {
    if (embed.url !== undefined) expect(embed.url.length).toBeLessThanOrEqual(2000);
  }
}

/** Slack links as rendered (`<url|`), in blocks and text alike. */
const slackLinks = (payload: unknown) =>
  [...JSON.stringify(payload).matchAll(/<([^<>|"]+)\|/g)].map((m) => m[1] ?? '');

describe('every rendering keeps every documented limit, for any post', () => {
  it('alerts and minimal alerts, new and corrected, on both platforms', () => {
    fc.assert(
      fc.property(post, fc.boolean(), (base, corrected) => {
        // A corrected alert (an edit after 정정) is the same message with a marked title.
        const message: NewsMessage = corrected
          ? { ...base, title: `[${CORRECTION_MARK}] ${base.title}`, corrected }
          : base;
        const slackAlert = slack.renderAlert(message);
        expectSlack(slackAlert, 4000);
        const slackMinimal = slack.renderMinimalAlert(message);
        expect(Object.keys(slackMinimal)).toEqual(['text']);
        expectSlack(slackMinimal, 3000);

        expectDiscord(discord.renderAlert(message));
        const discordMinimal = discord.renderMinimalAlert(message);
        expect(Object.keys(discordMinimal).sort()).toEqual(['allowed_mentions', 'content']);
        expectDiscord(discordMinimal);
      }),
      { numRuns: 1000 },
    );
  });

  it('command replies with ten posts, and deferred edits', () => {
    fc.assert(
      fc.property(reply(fc.array(post, { minLength: 10, maxLength: 10 })), (answer) => {
        const slackReply = slack.renderReply(answer);
        expectSlack(slackReply, 4000);
        // Title and facts for each post, the lead of each post that has one, and the files
        // and other carriers of each post that has them.
        const leads = answer.posts.filter((p) => oneLine(p.summary ?? '') !== '').length;
        const extras = answer.posts.filter(
          (p) =>
            (p.attachments ?? []).length > 0 || (p.alsoCarriedBy ?? []).some((l) => oneLine(l)),
        ).length;
        expect(slackReply.blocks.length).toBeLessThanOrEqual(50);
        expect(slackReply.blocks).toHaveLength((answer.text.trim() ? 1 : 0) + 20 + leads + extras);

        const discordReply = discord.renderReply(answer);
        expectDiscord(discordReply);
        expect(discordReply.embeds).toHaveLength(10);
        expectDiscord(discord.renderEdit(answer));
      }),
      { numRuns: 100 },
    );
  });

  it('answers without posts, and more posts than fit', () => {
    fc.assert(
      fc.property(reply(fc.array(post, { maxLength: 30 })), (answer) => {
        expectSlack(slack.renderReply(answer), 4000);
        expectDiscord(discord.renderReply(answer));
      }),
      { numRuns: 100 },
    );
  });

  it('digests of up to 30 posts, in their full and plain forms', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('digest' as const, 'quiet' as const),
        fc.option(fc.record({ name: fc.string({ maxLength: 20 }), label: text })),
        fc.array(post, { minLength: 1, maxLength: 30 }),
        (kind, source, posts) => {
          const digest = newsDigest(kind, source, posts);
          const slackDigest = slack.renderDigest(digest);
          expectSlack(slackDigest, 4000);
          expect(slackDigest.blocks.length).toBeLessThanOrEqual(22);
          expectSlack(slack.renderMinimalDigest(digest), 3000);
          expectDiscord(discord.renderDigest(digest));
          expectDiscord(discord.renderMinimalDigest(digest));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('source notices with long error texts', () => {
    fc.assert(
      fc.property(notice, (n) => {
        expectSlack(slack.renderNotice(n), 3000);
        expectDiscord(discord.renderNotice(n));
      }),
      { numRuns: 1000 },
    );
  });

  it('links only to the post’s own http(s) URLs and its files’', () => {
    fc.assert(
      fc.property(post, (message) => {
        const files = (message.attachments ?? []).slice(0, 3).map((file) => file.url);
        const allowed = [message.url, message.originalUrl, ...files].flatMap((u) => {
          try {
            const parsed = new URL(u ?? '');
            return /^https?:$/.test(parsed.protocol) ? [parsed.href] : [];
          } catch {
            return [];
          }
        });
        for (const link of slackLinks(slack.renderAlert(message).blocks)) {
          // Slack's link syntax carries `|` as %7C.
          const asSent = allowed.map((href) => href.replace(/\|/g, '%7C'));
          expect(asSent).toContain(link.replace(/&amp;/g, '&'));
        }
        const embed = discord.renderAlert(message).embeds[0]!;
        if (embed.url !== undefined) expect(allowed).toContain(embed.url);
        // Masked links of the embed (description, files) lead only there, `()` encoded.
        const markdown = [embed.description ?? '', ...(embed.fields ?? []).map((f) => f.value)];
        for (const [, target = ''] of markdown.join('\n').matchAll(/(?<!\\)\]\(([^)]*)\)/g)) {
          const asSent = allowed.map((href) => href.replace(/\(/g, '%28').replace(/\)/g, '%29'));
          expect(asSent).toContain(target);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

// ---- Cut points, by example -------------------------------------------------------------

const ordinary: NewsMessage = {
  source: null,
  title: '3국 환경장관, 황사개선 협력 등 공동합의문 서명',
  url: 'https://k-esg.org/post/4384',
  ministry: '환경부',
  date: '2023-11-27',
  boardNo: 1645,
  originalUrl: 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156602830',
  summary: null,
};

const sectionText = (message: NewsMessage) =>
  (slack.renderAlert(message).blocks[0]!.text as { text: string }).text;

describe('cut points', () => {
  it('keeps an ordinary post exactly as it looks today', () => {
    expect(slack.renderAlert(ordinary).blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*<https://k-esg.org/post/4384|3국 환경장관, 황사개선 협력 등 공동합의문 서명>*',
          verbatim: true,
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '담당부서 *환경부*  ·  날짜 2023-11-27  ·  번호 1645  ·  <https://www.korea.kr/briefing/pressReleaseView.do?newsId=156602830|원문 보도자료>',
            verbatim: true,
          },
        ],
      },
    ]);
    expect(slack.renderAlert(ordinary).text).toBe(
      [
        '새 글',
        ordinary.title,
        '담당부서: 환경부 · 날짜: 2023-11-27 · 번호: 1645',
        ordinary.url,
        `원문 보도자료: ${ordinary.originalUrl}`,
      ].join('\n'),
    );
    expect(discord.renderAlert(ordinary).embeds[0]).toEqual({
      title: ordinary.title,
      url: ordinary.url,
      color: 0x2e7d32,
      fields: [
        { name: '담당부서', value: '환경부', inline: true },
        { name: '날짜', value: '2023-11-27', inline: true },
        { name: '번호', value: '1645', inline: true },
      ],
      description: `[원문 보도자료](${ordinary.originalUrl})`,
    });
  });

  it('names the source in the heading, the facts and the embed footer', () => {
    const labelled = { ...ordinary, source: { name: 'esg', label: 'ESG 정책뉴스' } };
    expect(slack.renderAlert(labelled).text.split('\n')[0]).toBe('새 글 · ESG 정책뉴스');
    expect(JSON.stringify(slack.renderAlert(labelled).blocks)).toContain('소스 ESG 정책뉴스 (esg)');
    expect(discord.renderAlert(labelled).content).toBe('새 글 · ESG 정책뉴스');
    expect(discord.renderAlert(labelled).embeds[0]!.footer).toEqual({ text: 'ESG 정책뉴스 (esg)' });
  });

  it('cuts a 3,200-character title to a Slack section of at most 3,000, with an ellipsis', () => {
    const text = sectionText({ ...ordinary, title: '가'.repeat(3200) });
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/^\*<https:\/\/k-esg\.org\/post\/4384\|가+…>\*$/);
    expect(discord.renderAlert({ ...ordinary, title: '가'.repeat(3200) }).embeds[0]!.title).toBe(
      `${'가'.repeat(255)}…`,
    );
  });

  it('measures Slack text after escaping, and never cuts inside an escape', () => {
    const text = sectionText({ ...ordinary, title: '&'.repeat(3000) });
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/^\*<[^|]+\|(&amp;)+…>\*$/);
  });

  it('never splits an emoji at the cut', () => {
    for (const offset of [0, 1]) {
      const title = 'a'.repeat(offset) + '😀'.repeat(300);
      const embedTitle = discord.renderAlert({ ...ordinary, title }).embeds[0]!.title!;
      expect(embedTitle.length).toBeLessThanOrEqual(256);
      expect(embedTitle).toMatch(/^a?(😀)+…$/u);
    }
  });

  it('renders a javascript: link as plain text, on every platform', () => {
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,x']) {
      const message = { ...ordinary, url: bad, originalUrl: bad };
      expect(sectionText(message)).toBe(`*${ordinary.title}*`);
      expect(JSON.stringify(slack.renderAlert(message))).not.toMatch(/javascript|data:/i);
      expect(discord.renderAlert(message).embeds[0]).not.toHaveProperty('url');
      expect(discord.renderAlert(message).embeds[0]).not.toHaveProperty('description');
      expect(discord.renderMinimalAlert(message).content).not.toMatch(/javascript|data:/i);
    }
  });

  it('keeps a Discord markdown link whole when the URL holds ) or spaces', () => {
    const embed = discord.renderAlert({
      ...ordinary,
      originalUrl: 'https://www.korea.kr/a (b)/c',
    }).embeds[0]!;
    expect(embed.description).toBe('[원문 보도자료](https://www.korea.kr/a%20%28b%29/c)');
  });

  it('gives blank fields their placeholders', () => {
    const message = { ...ordinary, title: ' \n', ministry: '  ', date: '' };
    expect(sectionText(message)).toContain('(제목 없음)');
    expect(discord.renderAlert(message).embeds[0]).toMatchObject({
      title: '(제목 없음)',
      fields: [{ value: '미상' }, { value: '미상' }, { value: '1645' }],
    });
  });

  it('fits ten huge posts into one Discord reply of at most 6,000 embed characters', () => {
    const huge = {
      ...ordinary,
      title: '가'.repeat(5000),
      ministry: '부'.repeat(5000),
      originalUrl: `https://www.korea.kr/${'x'.repeat(1900)}`,
    };
    const answer = discord.renderReply({
      text: '최신 10건',
      posts: [ordinary, ...Array<NewsMessage>(9).fill(huge)],
      visibility: 'channel',
    });
    expect(answer.embeds).toHaveLength(10);
    expect(discordMessageProblems(answer)).toEqual([]);
    // The ordinary post comes first and is shown in full.
    expect(answer.embeds[0]!.description).toContain('korea.kr');
  });
});

// ---- The validators themselves: they must catch what the platforms refuse ---------------

describe('the platform validators', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('catch what Slack refuses', () => {
    expect(slackMessageProblems({ text: 'ok', blocks: [section('x'.repeat(3000))] })).toEqual([]);
    expect(slackMessageProblems({ text: 'ok', blocks: [section('x'.repeat(3001))] })).toEqual([
      expect.stringMatching(/^invalid_blocks: blocks\[0\]\.text\.text: 3001/),
    ]);
    expect(slackMessageProblems({ text: 'ok', blocks: [section(' ')] })).toHaveLength(1);
    expect(slackMessageProblems({ text: 'ok', blocks: Array(51).fill(section('x')) })).toHaveLength(
      1,
    );
    expect(slackMessageProblems({ text: 'x'.repeat(40_001) })[0]).toMatch(/^msg_too_long/);
    expect(slackMessageProblems({ text: '' })[0]).toMatch(/^no_text/);
    expect(
      slackMessageProblems({
        text: 'ok',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
      }),
    ).toHaveLength(1);
    expect(
      slackMessageProblems({
        text: 'ok',
        blocks: [{ type: 'context', elements: Array(11).fill({ type: 'mrkdwn', text: 'x' }) }],
      }),
    ).toHaveLength(1);
    // `verbatim` is mrkdwn's flag and `emoji` plain_text's; Slack refuses either on the other.
    const text = (t: Record<string, unknown>) => ({
      text: 'ok',
      blocks: [{ type: 'section', text: t }],
    });
    expect(slackMessageProblems(text({ type: 'mrkdwn', text: 'x', verbatim: true }))).toEqual([]);
    expect(slackMessageProblems(text({ type: 'plain_text', text: 'x', emoji: true }))).toEqual([]);
    for (const bad of [
      { type: 'plain_text', text: 'x', verbatim: true },
      { type: 'mrkdwn', text: 'x', verbatim: 'yes' },
      { type: 'mrkdwn', text: 'x', emoji: true },
    ]) {
      expect(slackMessageProblems(text(bad)), JSON.stringify(bad)).toHaveLength(1);
    }
  });

  it('catch what Discord refuses', () => {
    const ok = { content: 'x', allowed_mentions: { parse: [] } };
    const embed = (e: Record<string, unknown>) => ({ ...ok, embeds: [e] });
    expect(discordMessageProblems(ok)).toEqual([]);
    expect(discordMessageProblems({ content: 'x' })).toEqual([
      expect.stringMatching(/^allowed_mentions/),
    ]);
    expect(
      discordMessageProblems({ ...ok, allowed_mentions: { parse: ['everyone'] } }),
    ).toHaveLength(1);
    expect(discordMessageProblems({ ...ok, content: 'x'.repeat(2001) })).toHaveLength(1);
    expect(discordMessageProblems({ ...ok, content: ' ' })).toHaveLength(1);
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:x',
      'ftp://x',
      'http://',
      '/a',
      'https://a b',
    ]) {
      expect(discordMessageProblems(embed({ title: 't', url: bad })), bad).toHaveLength(1);
    }
    expect(discordMessageProblems(embed({ title: 'x'.repeat(257) }))).toHaveLength(1);
    const field = (value: string) => embed({ fields: [{ name: 'n', value }] });
    expect(discordMessageProblems(field('x'.repeat(1024)))).toEqual([]);
    expect(discordMessageProblems(field('x'.repeat(1025)))).toHaveLength(1);
    expect(discordMessageProblems(field(''))).toHaveLength(1);
    const big = { description: 'x'.repeat(4096) };
    const footer = { footer: { text: 'x'.repeat(1904) } };
    expect(discordMessageProblems({ ...ok, embeds: [big, footer] })).toEqual([]);
    expect(discordMessageProblems({ ...ok, embeds: [big, footer, { title: 'yy' }] })).toEqual([
      'embeds: 6002 characters in all (max 6000)',
    ]);
    expect(discordMessageProblems({ ...ok, embeds: Array(11).fill({ title: 't' }) })).toHaveLength(
      1,
    );
  });

  it('catch live markup, bad links and cut emoji', () => {
    expect(
      slackSafetyProblems({ text: '&lt;!channel&gt; <https://a.example/?a=1&amp;b|x>' }),
    ).toEqual([]);
    for (const live of ['<!channel>', '<@U1>', '<javascript:alert(1)|x>', 'a > b', '\ud83d']) {
      expect(slackSafetyProblems({ text: live }), live).not.toEqual([]);
    }
    expect(
      discordSafetyProblems({ content: '\\[x](javascript:1) [a](https://a.example/b)' }),
    ).toEqual([]);
    for (const live of ['[x](javascript:1)', '[x](https://a.example/a b)', '<ftp://x>', '\ude00']) {
      expect(discordSafetyProblems({ content: live }), live).not.toEqual([]);
    }
  });
});
