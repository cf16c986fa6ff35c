import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamsFailureIn, teamsFormat } from '../../../adapters/teams/teams-format.js';
import { sampleMessage } from '../../../src/model/news-message.js';
import { FakeTeams } from '../../support/fake-teams.js';
import { hookFixture } from '../../support/fake-webhook-fixture.js';

describe('Teams Workflows webhooks', () => {
  let teams: FakeTeams;

  beforeEach(async () => {
    teams = await new FakeTeams().start();
  });

  afterEach(async () => {
    await teams.close();
  });

  it('takes an alert with 202 Accepted: one card, its facts and both buttons', async () => {
    const { notifier, room } = hookFixture('teams', teamsFormat, teams);
    const { channel, url } = await room('esg-team');
    const message = {
      ...sampleMessage(new Date()),
      originalUrl: 'https://www.korea.kr/files/a.hwpx',
    };
    await notifier.send(channel, message, 'alert-1');
    expect(teams.requests(url).map((r) => r.answer)).toEqual([202]);
    const [shown] = teams.shown(url);
    expect(shown!.rich).toBe(true);
    for (const part of [
      '담당부서: 기후에너지환경부',
      '번호: 0',
      '소스: 연결 시험 (test)',
      `자세히 보기 (${message.url})`,
      `원문 보도자료 (${message.originalUrl})`,
    ]) {
      expect(shown!.text).toContain(part);
    }
  });

  it('reads a retired connector URL’s 200 that reports a throttle as one', () => {
    const limited = teamsFailureIn({
      status: 200,
      body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId …',
    });
    expect(limited?.kind).toBe('rate-limited');
    expect(limited?.details.retryAfterMs).toBeGreaterThan(0);
    expect(teamsFailureIn({ status: 200, body: '1' })).toBeNull();
    expect(teamsFailureIn({ status: 202, body: '' })).toBeNull();
  });
});
