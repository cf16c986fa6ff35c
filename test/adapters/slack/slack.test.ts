import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBoard } from '../../support/fake-board.js';
import { FakeSlack, signedCommandRequest } from '../../support/fake-slack.js';
import { PipelineHarness } from '../../support/pipeline-harness.js';
import { slackSafetyProblems } from '../../support/platform-limits.js';
import { RecordingProxy } from '../../support/recording-proxy.js';
import { waitFor } from '../../support/wait.js';

const SECRET = 'test-signing-secret';

let board: FakeBoard;
let slack: FakeSlack;
/** The bot's Web API calls, with their times and Slack's answers. */
let wire: RecordingProxy;
let bot: PipelineHarness;
let commandCount = 0;

interface SlackAnswer {
  response_type?: string;
  text?: string;
  blocks?: Array<{ type: string; text?: { text: string } }>;
}

beforeEach(async () => {
  board = await new FakeBoard().start();
  slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-test-token');
  wire = await new RecordingProxy(slack.url).start();
  bot = await new PipelineHarness({
    feedUrl: board.url,
    role: 'all',
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: wire.via(slack.apiUrl),
    },
  }).start();
  await waitFor('the first poll', async () => (await bot.states.get(bot.sourceId)).cursor !== null);
});

afterEach(async () => {
  await bot.close();
  await wire.close();
  await slack.close();
  await board.close();
});

/** Posts `/news <text>` as Slack would, from channel C-ESG, and returns the HTTP answer. */
async function slash(text: string, channel = 'C-ESG', signing = { secret: SECRET, age: 0 }) {
  const id = `r${++commandCount}`;
  // Slack sends commands from channels that exist in the workspace.
  slack.addChannel('T1', channel);
  const request = signedCommandRequest(
    signing.secret,
    {
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'esg-team',
      channel_id: channel,
      channel_name: 'esg',
      user_id: 'U1',
      user_name: 'kim',
      command: '/news',
      text,
      api_app_id: 'A1',
      response_url: slack.responseUrl(id),
      trigger_id: 'trigger',
    },
    Math.floor(Date.now() / 1000) - signing.age,
  );
  const response = await fetch(`${bot.httpUrl}/slack/events`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const raw = await response.text();
  const body = (raw ? JSON.parse(raw) : {}) as SlackAnswer;
  if (response.status === 200) slack.checkAcknowledgement(body);
  return { status: response.status, body, id };
}

function allText(answer: SlackAnswer): string {
  return [answer.text ?? '', ...(answer.blocks ?? []).map((b) => b.text?.text ?? '')].join('\n');
}

describe('slash commands over HTTP', () => {
  it('looks up an archived post in the acknowledgement, for the whole channel', async () => {
    const { status, body } = await slash('1645');
    expect(status).toBe(200);
    expect(body.response_type).toBe('in_channel');
    expect(allText(body)).toContain('3국 환경장관, 황사개선 협력 등 공동합의문 서명');
    expect(allText(body)).toContain('환경부');
    expect(body.text).toContain('번호: 1645');
  });

  it('acknowledges first and answers through response_url for a post not archived yet', async () => {
    expect(await bot.archive.get(bot.sourceId, 1620)).toBeNull();
    const { body, id } = await slash('#1620');
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('찾고 있습니다');

    const answer = await waitFor('the delayed answer', () =>
      slack.responses.find((r) => r.id === id),
    );
    const reply: SlackAnswer = answer.body;
    const text = allText(reply);
    expect(reply.response_type).toBe('in_channel');
    expect(text).toContain('저소득층 에너지바우처 지원 단가 인상');
    expect(text).toContain('산업통상자원부'); // from post 4347's own page
    expect(text).toContain('2023-11-23');
    expect(board.requests).toContain('/post?page=2');
    expect(await bot.archive.get(bot.sourceId, 1620)).toMatchObject({ ministry: '산업통상자원부' });
  });

  it('says a number does not exist', async () => {
    const { id } = await slash('99999');
    const answer = await waitFor('the answer', () => slack.responses.find((r) => r.id === id));
    expect(allText(answer.body as SlackAnswer)).toContain('99999번 글이 없습니다');
  });

  it.each([
    ['latest', 5],
    ['최신 3', 3],
  ])('lists the newest posts with `%s`', async (text, count) => {
    const { body } = await slash(text);
    expect(body.text).toContain(`최신 ESG 정책뉴스 ${count}건`);
    expect(body.text).toContain('1652');
    // The heading, then per post its title, its lead (every saved post page has one), its facts.
    expect(body.blocks).toHaveLength(1 + 3 * count);
    expect(body.blocks![2]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: expect.stringMatching(
          /^국토교통부는 정부-지자체-민간이 함께 .+ 발표하였습니다\./,
        ) as string,
        verbatim: true,
      },
    });
  });

  it.each(['search 탄소', '검색 탄소'])(
    'searches titles and ministries with `%s`',
    async (text) => {
      const { body } = await slash(text);
      expect(body.text).toContain('‘탄소’ 검색 결과 1건');
      expect(body.text).toContain('탄소중립도시');
    },
  );

  it.each(['help', '도움말', ''])('explains itself for `%s`', async (text) => {
    const { body } = await slash(text);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/news 1645');
  });

  it.each([
    ['a negative number', '-5', '1 이상의 숫자'],
    ['too many posts', 'latest 999', '1에서 10 사이'],
    ['an unknown word', 'abracadabra', '알 수 없는 명령'],
    ['a search without words', '검색', '검색어를 입력해 주세요'],
    ['10 KB of text', '가'.repeat(10_000), '너무 깁니다'],
  ])('answers %s with a short Korean hint', async (_case, text, hint) => {
    const { status, body } = await slash(text);
    expect(status).toBe(200);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain(hint);
    expect(body.text).toContain('/news 도움말');
  });

  it('never lets command text ping anyone', async () => {
    const { body } = await slash('구독 <!channel> <@U999>');
    expect(JSON.stringify(body)).not.toContain('<!channel>');
    expect(JSON.stringify(body)).not.toContain('<@U999>');
    expect(body.text).toContain('&lt;!channel&gt;');
    // Through Bolt as sent: escaped, and every mrkdwn text object verbatim.
    expect(slackSafetyProblems(body)).toEqual([]);
    expect(JSON.stringify(body.blocks)).toContain('"verbatim":true');
  });

  it('subscribes, delivers a new post to that channel, and stops after unsubscribing', async () => {
    expect((await slash('subscribe')).body.text).toContain('이 채널을 구독했습니다');
    expect((await slash('status')).body.text).toContain('구독: ESG 정책뉴스 (`esg`) 모든 새 글');

    board.publish('구독 후 첫 알림', '환경부');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted).toHaveLength(1);
    const alert = slack.posted[0]!;
    expect(alert.channel).toBe('C-ESG');
    expect(alert.authorization).toBe('Bearer xoxb-test-token');
    expect(alert.text).toContain('구독 후 첫 알림');
    expect(alert.text).toContain('담당부서: 환경부');
    expect(alert.text).toContain('번호: 1653');
    expect(alert.text).toContain('원문 보도자료: https://www.korea.kr/');
    expect(JSON.stringify(alert.blocks)).toContain('구독 후 첫 알림');
    // Nothing of the post is left for Slack to auto-link or parse for mentions.
    expect(alert.parse).toBe('none');
    expect(slackSafetyProblems(alert)).toEqual([]);

    const status = (await slash('상태')).body.text ?? '';
    expect(status).toContain('마지막 알림: esg 1653번');
    expect(status).toContain('최신 번호: 1653');

    expect((await slash('unsubscribe')).body.text).toContain('구독을 해지했습니다');
    board.publish('해지 후 올라온 글');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted).toHaveLength(1);
    expect((await slash('구독해지')).body.text).toContain('구독 중이 아닙니다');
  });

  it('subscribes with keywords (구독) and changes only its own channel', async () => {
    expect((await slash('구독 탄소, 환경부')).body.text).toContain('‘탄소’, ‘환경부’');
    await slash('subscribe', 'C-OTHER');
    await slash('unsubscribe', 'C-OTHER');
    expect((await slash('status')).body.text).toContain(
      '구독: ESG 정책뉴스 (`esg`) 키워드: 탄소, 환경부',
    );
    board.publish('해양 쓰레기 저감 대책', '해양수산부');
    board.publish('탄소 배출권 거래제 개편', '기획재정부');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted.map((p) => [p.channel, p.text.split('\n')[1]])).toEqual([
      ['C-ESG', '탄소 배출권 거래제 개편'],
    ]);
  });
});

describe('keywords with exclusions and phrases', () => {
  it('subscribes with `-제외어` and `"구 절"`, shows them in 상태, and sends only what matches', async () => {
    const answer = (await slash('구독 탄소 “녹색 성장” -해외')).body.text ?? '';
    expect(answer).toContain('‘탄소’, ‘녹색 성장’ 중 하나가 들어간 글');
    expect(answer).toContain('그중 제외어(‘해외’)가 들어간 글은 보내지 않습니다');
    expect(
      await bot.subscriptions.get(bot.sourceId, {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C-ESG',
      }),
    ).toMatchObject({ keywords: ['탄소', '녹색 성장', '-해외'] });
    expect((await slash('상태')).body.text).toContain(
      '구독: ESG 정책뉴스 (`esg`) 키워드: 탄소, "녹색 성장" · 제외: 해외',
    );

    board.publish('탄소중립을 위한 산업 전환 전략', '산업통상자원부');
    board.publish('해외 탄소시장 진출 지원', '산업통상자원부');
    board.publish('녹색성장 기본계획 확정', '국무조정실');
    board.publish('녹색 금융 확대', '금융위원회');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted.map((p) => p.text.split('\n')[1])).toEqual([
      '탄소중립을 위한 산업 전환 전략',
      '녹색성장 기본계획 확정',
    ]);
    // Each alert carries the post's lead under its title.
    expect(slack.posted[0]!.text.split('\n')[3]).toBe(
      '산업통상자원부는 탄소중립을 위한 산업 전환 전략 관련 내용을 발표하였습니다.',
    );
  });

  it.each([
    ['구독 탄소 -', '`-` 바로 뒤에'],
    ['구독 "탄소 중립', '따옴표가 닫히지 않았습니다'],
    ['구독 탄소 -탄소', '같은 말(‘탄소’)을 함께 쓸 수 없습니다'],
  ])('answers `%s` with a Korean hint and subscribes nothing', async (text, hint) => {
    const { body } = await slash(text);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain(hint);
    expect((await slash('상태')).body.text).toContain('구독: 안 함');
  });
});

describe('request signatures', () => {
  it('accepts a correctly signed request and refuses a wrong or stale signature with 401', async () => {
    expect((await slash('help')).status).toBe(200);
    expect((await slash('help', 'C-ESG', { secret: 'wrong-secret', age: 0 })).status).toBe(401);
    expect((await slash('help', 'C-ESG', { secret: SECRET, age: 10 * 60 })).status).toBe(401);
  });
});

describe('delivery errors', () => {
  it('waits out a 429 and unsubscribes a channel_not_found, serving the others', async () => {
    for (const channel of ['C-OK', 'C-LIMITED', 'C-GONE']) await slash('subscribe', channel);
    slack.rateLimits.set('C-LIMITED', { remaining: 1, retryAfter: 1 });
    slack.channelErrors.set('C-GONE', 'channel_not_found');

    board.publish('오류 처리 확인용 글');
    await bot.pollOnce();
    await bot.drain();

    expect(slack.posted.map((p) => p.channel).sort()).toEqual(['C-LIMITED', 'C-OK']);
    expect(
      await bot.subscriptions.get(bot.sourceId, {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C-GONE',
      }),
    ).toBeNull();
    expect(
      await bot.subscriptions.get(bot.sourceId, {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C-LIMITED',
      }),
    ).not.toBeNull();
    expect(slack.calls.filter((c) => c === 'chat.postMessage')).toHaveLength(4);
    // The retry reached Slack no earlier than the second its 429 asked for.
    const [limited, retried] = wire.messagePosts().filter((p) => p.channel === 'C-LIMITED');
    expect([limited?.status, limited?.retryAfterMs, retried?.status]).toEqual([429, 1_000, 200]);
    expect(retried!.arrivedAt - limited!.answeredAt).toBeGreaterThanOrEqual(1_000);
  });
});
