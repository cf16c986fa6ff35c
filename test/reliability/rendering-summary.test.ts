import { describe, expect, it } from 'vitest';
import * as discord from '../../adapters/discord/discord-format.js';
import * as slack from '../../adapters/slack/slack-format.js';
import type { NewsMessage } from '../../src/model/news-message.js';
import {
  discordMessageProblems,
  discordSafetyProblems,
  slackMessageProblems,
  slackSafetyProblems,
} from '../support/platform-limits.js';

/** Where a post's lead summary goes on each platform, and how it is cut (limits: rendering-limits). */

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

function expectSlack(payload: { text: string; blocks?: unknown[] }, textMax: number): void {
  expect(slackMessageProblems(payload)).toEqual([]);
  expect(slackSafetyProblems(payload)).toEqual([]);
  expect(payload.text.length).toBeLessThanOrEqual(textMax);
}

function expectDiscord(body: Record<string, unknown>): void {
  expect(discordMessageProblems(body)).toEqual([]);
  expect(discordSafetyProblems(body)).toEqual([]);
}

describe('the lead summary in alerts and lookups', () => {
  const lead =
    '장호진 외교부 1차관은 7.24.(월) 오전 웬디 셔먼 미국 국무부 부장관과 통화를 갖고, 한미일 협력 강화 방안에 관해 협의하였습니다.';

  it('shows the lead under the title: a verbatim section on Slack, the embed description on Discord', () => {
    const message = { ...ordinary, summary: lead };
    const blocks = slack.renderAlert(message).blocks;
    expect(blocks).toHaveLength(3);
    expect(blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: lead, verbatim: true },
    });
    expect(blocks[2]!.type).toBe('context');
    expect(slack.renderAlert(message).text.split('\n')).toEqual([
      '새 글',
      ordinary.title,
      '담당부서: 환경부 · 날짜: 2023-11-27 · 번호: 1645',
      lead,
      ordinary.url,
      `원문 보도자료: ${ordinary.originalUrl}`,
    ]);
    expect(discord.renderAlert(message).embeds[0]!.description).toBe(
      `${lead}\n\n[원문 보도자료](${ordinary.originalUrl})`,
    );
    expect(discord.renderMinimalAlert(message).content.split('\n')[3]).toBe(lead);
    // Without an original link the lead alone is the description.
    expect(discord.renderAlert({ ...message, originalUrl: null }).embeds[0]!.description).toBe(
      lead,
    );
  });

  it('shows nothing for a post without a lead, or with a blank one', () => {
    for (const summary of [null, '', ' \n\t', '\u3000']) {
      const message = { ...ordinary, summary };
      expect(slack.renderAlert(message).blocks).toHaveLength(2);
      expect(slack.renderAlert(message).text.split('\n')).toHaveLength(5);
      expect(discord.renderAlert(message).embeds[0]!.description).toBe(
        `[원문 보도자료](${ordinary.originalUrl})`,
      );
    }
  });

  it('cuts a 5,000-character lead and keeps it on one line, on every platform', () => {
    for (const unit of ['가', '&', '*', '😀']) {
      const summary = `${unit.repeat(2500)}\n${unit.repeat(2500)}`;
      const message = { ...ordinary, summary };
      const slackLead = (slack.renderAlert(message).blocks[1]!.text as { text: string }).text;
      expect(slackLead.length).toBeLessThanOrEqual(600);
      expect(slackLead).toMatch(/…$/);
      expect(slackLead).not.toContain('\n');
      const description = discord.renderAlert(message).embeds[0]!.description!;
      const [discordLead] = description.split('\n\n');
      expect(discordLead!.length).toBeLessThanOrEqual(600);
      expect(discordLead).toMatch(/…$/);
      expect(description).toContain('[원문 보도자료](');
      expectSlack(slack.renderMinimalAlert(message), 3000);
      expectDiscord(discord.renderMinimalAlert(message));
    }
  });

  it('leaves leads out of compact embeds, and shows them when ten fit in full', () => {
    const answer = discord.renderReply({
      text: '최신 10건',
      posts: Array<NewsMessage>(10).fill({ ...ordinary, summary: lead }),
      visibility: 'channel',
    });
    expect(answer.embeds.every((embed) => embed.description?.startsWith(lead))).toBe(true);
    const huge = { ...ordinary, title: '가'.repeat(5000), summary: '나'.repeat(5000) };
    const crowded = discord.renderReply({
      text: '최신 10건',
      posts: Array<NewsMessage>(10).fill(huge),
      visibility: 'channel',
    });
    expect(discordMessageProblems(crowded)).toEqual([]);
    expect(crowded.embeds.some((embed) => embed.description === undefined)).toBe(true);
  });
});
