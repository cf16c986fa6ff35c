import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBoard } from '../../support/fake-board.js';
import { appUninstalledEvent, FakeSlack, tokensRevokedEvent } from '../../support/fake-slack.js';
import { PipelineHarness } from '../../support/pipeline-harness.js';
import { waitFor } from '../../support/wait.js';

let board: FakeBoard;
let slack: FakeSlack;
let bot: PipelineHarness;

beforeEach(async () => {
  board = await new FakeBoard().start();
  slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-test-token');
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-test-token',
      SLACK_API_URL: slack.apiUrl,
    },
  }).start();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
  await waitFor('the Socket Mode connection', () => slack.socketConnected);
});

afterEach(async () => {
  await bot.close();
  await slack.close();
  await board.close();
});

function command(text: string, channel = 'C-SOCKET', id = 'sock') {
  return slack.sendSlashCommand({
    team_id: 'T1',
    channel_id: channel,
    user_id: 'U1',
    command: '/news',
    text,
    response_url: slack.responseUrl(id),
  });
}

describe('Slack Socket Mode', () => {
  it('opens the connection with the app token and answers /news in the acknowledgement', async () => {
    expect(slack.calls).toContain('apps.connections.open');
    const ack = (await command('1652')) as { response_type: string; text: string };
    expect(ack.response_type).toBe('in_channel');
    expect(ack.text).toContain('정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다');
  });

  it('keeps the one workspace’s subscriptions through app_uninstalled and tokens_revoked (single-workspace mode, as before)', async () => {
    await command('구독', 'C-ONE');
    await slack.sendSocketEvent('T1', appUninstalledEvent());
    await slack.sendSocketEvent('T1', tokensRevokedEvent(['UBOT']));
    // Both events were acknowledged before they were handled. A command sent after them is
    // answered only once handled itself, and says what the channel follows by then.
    const status = (await command('상태', 'C-ONE')) as { text: string };
    expect(status.text).toContain('• 구독: ');
    expect(status.text).not.toContain('구독: 안 함');
    const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C-ONE' };
    expect(await bot.subscriptions.get(bot.sourceId, channel)).not.toBeNull();
  });

  it('subscribes over the socket and delivers alerts through the Web API', async () => {
    const ack = (await command('구독')) as { text: string };
    expect(ack.text).toContain('이 채널을 구독했습니다');
    board.publish('소켓 모드 알림 확인');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted.map((p) => p.channel)).toEqual(['C-SOCKET']);
    expect(slack.posted[0]!.text).toContain('소켓 모드 알림 확인');
  });

  it('answers a lookup that needs the board through response_url', async () => {
    const ack = (await command('1615', 'C-SOCKET', 'late')) as { text: string };
    expect(ack.text).toContain('찾고 있습니다');
    const answer = await waitFor('the delayed answer', () =>
      slack.responses.find((r) => r.id === 'late'),
    );
    // The post itself (page 2 of the board), in the channel; "1615번 글이 없습니다" names the
    // number too, privately.
    expect(answer.body.response_type).toBe('in_channel');
    expect(JSON.stringify(answer.body)).toContain('아동 권리 보장 위한 민관 협력 협약 체결');
    expect(JSON.stringify(answer.body)).not.toContain('글이 없습니다');
  });
});
