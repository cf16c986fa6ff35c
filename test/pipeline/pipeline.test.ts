import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { waitFor } from '../support/wait.js';

let board: FakeBoard;
let slack: RecordingNotifier;
let discord: RecordingNotifier;
let pipeline: PipelineHarness;

beforeEach(async () => {
  board = await new FakeBoard().start();
  slack = new RecordingNotifier('slack');
  discord = new RecordingNotifier('discord');
  pipeline = await new PipelineHarness({ feedUrl: board.url, notifiers: [slack, discord] }).start();
});

afterEach(async () => {
  await pipeline.close();
  await board.close();
});

describe('polling and delivery', () => {
  it('stays silent on the first poll, then alerts each channel once per new post', async () => {
    await pipeline.subscribe('slack', 'C-ESG');
    await pipeline.subscribe('discord', 'D-ESG');

    expect(await pipeline.pollOnce()).toMatchObject({
      status: 'initialized',
      archived: 20,
      cursor: 1652,
    });
    await pipeline.drain();
    expect(slack.sent).toEqual([]);
    expect((await pipeline.archive.get(pipeline.sourceId, 1645))?.ministry).toBe('환경부');

    board.publish('2024년 탄소중립 이행계획 발표', '환경부');
    board.publish('공급망 실사 가이드라인 배포', '산업통상자원부');
    expect(await pipeline.pollOnce()).toMatchObject({ status: 'read', announced: [1653, 1654] });
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ 'C-ESG': [1653, 1654] });
    expect(discord.byChannel()).toEqual({ 'D-ESG': [1653, 1654] });
    const archived = await pipeline.archive.get(pipeline.sourceId, 1654);
    expect(archived).toMatchObject({
      ministry: '산업통상자원부',
      title: '공급망 실사 가이드라인 배포',
    });
    expect(archived?.originalUrl).toMatch(/^https:\/\/www\.korea\.kr\//);

    // Nothing new: one conditional request, nothing sent again.
    const before = board.requests.length;
    expect(await pipeline.pollOnce()).toEqual({ status: 'not-modified' });
    expect(board.requests.length - before).toBe(1);
    await pipeline.drain();
    expect(slack.sent).toHaveLength(2);
  });

  it('delivers 25 posts found at once, some only on page 2, oldest first and once per channel', async () => {
    for (const id of ['C1', 'C2', 'C3']) await pipeline.subscribe('slack', id);
    await pipeline.pollOnce();
    const published = Array.from(
      { length: 25 },
      (_, i) => board.publish(`새 정책 ${i + 1}`).boardNo,
    );

    const outcome = await pipeline.pollOnce();
    expect(outcome).toMatchObject({ status: 'read', skipped: [] });
    expect(board.listRequests()).toContain('/post?page=2');
    await pipeline.drain();

    expect(published).toEqual(Array.from({ length: 25 }, (_, i) => 1653 + i));
    expect(slack.byChannel()).toEqual({ C1: published, C2: published, C3: published });
  });

  it('repeats nothing after a restart between polls', async () => {
    await pipeline.subscribe('slack', 'C1');
    await pipeline.pollOnce();
    board.publish('첫 번째 새 글');
    await pipeline.pollOnce();
    await pipeline.drain();

    await pipeline.stop();
    await pipeline.start();
    board.publish('두 번째 새 글');
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.byChannel()).toEqual({ C1: [1653, 1654] });
  });

  it('leaves the cursor where it was on a broken page and delivers on the next good poll', async () => {
    await pipeline.subscribe('slack', 'C1');
    await pipeline.pollOnce();
    board.publish('장애 중 올라온 글');

    for (const fault of ['http500', 'login-page', 'post-page-500'] as const) {
      board.fault = fault;
      await expect(pipeline.pollOnce()).rejects.toThrow(/poll failed/);
      expect((await pipeline.states.get(pipeline.sourceId)).cursor).toBe(1652);
    }
    const state = await pipeline.states.get(pipeline.sourceId);
    expect(state.lastError).toMatch(/HTTP_STATUS/);

    board.fault = null;
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.byChannel()).toEqual({ C1: [1653] });
    expect((await pipeline.states.get(pipeline.sourceId)).cursor).toBe(1653);
  });

  it('skips a number that no longer exists instead of waiting for it', async () => {
    await pipeline.subscribe('slack', 'C1');
    await pipeline.pollOnce();
    board.publish('글 A');
    const deleted = board.publish('삭제될 글');
    board.publish('글 C');
    board.remove(deleted.boardNo);

    expect(await pipeline.pollOnce()).toMatchObject({ announced: [1653, 1655], skipped: [1654] });
    await pipeline.drain();
    expect(slack.byChannel()).toEqual({ C1: [1653, 1655] });
  });

  it('sends keyword subscriptions only the posts that match', async () => {
    await pipeline.subscribe('slack', 'all');
    await pipeline.subscribe('slack', 'carbon', ['탄소']);
    await pipeline.subscribe('slack', 'moef', ['기획재정부', 'ESG']);
    await pipeline.pollOnce();
    board.publish('탄소중립을 위한 산업 전환 전략', '산업통상자원부');
    board.publish('국가재정 운용계획', '기획재정부');
    board.publish('중소기업 esg 지원', '중소벤처기업부');
    board.publish('산림 보호 캠페인', '산림청');
    await pipeline.pollOnce();
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({
      all: [1653, 1654, 1655, 1656],
      carbon: [1653],
      moef: [1654, 1655],
    });
  });

  it('unsubscribes a channel that fails permanently and keeps serving the others', async () => {
    await pipeline.subscribe('slack', 'gone');
    await pipeline.subscribe('slack', 'ok');
    await pipeline.subscribe('discord', 'ok-too');
    slack.alwaysFail.set('gone', { kind: 'permanent', code: 'channel_not_found' });
    await pipeline.pollOnce();
    board.publish('첫 글');
    board.publish('둘째 글');
    await pipeline.pollOnce();
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ ok: [1653, 1654] });
    expect(discord.byChannel()).toEqual({ 'ok-too': [1653, 1654] });
    expect(
      await pipeline.subscriptions.get(pipeline.sourceId, {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'gone',
      }),
    ).toBeNull();
    // One try, never retried: a permanent error is not worth another request.
    expect(slack.attempts).toBe(3);
  });

  it('waits out a 429 without spending attempts and retries transient errors', async () => {
    await pipeline.subscribe('slack', 'limited');
    await pipeline.subscribe('slack', 'flaky');
    await pipeline.subscribe('slack', 'fine');
    // More 429s than the job has attempts: they must not count as failures.
    slack.failures.set(
      'limited',
      Array.from({ length: 6 }, () => ({ kind: 'rate-limited' as const, retryAfterMs: 150 })),
    );
    slack.failures.set('flaky', [{ kind: 'transient' }, { kind: 'transient' }]);
    await pipeline.pollOnce();
    board.publish('속보');
    await pipeline.pollOnce();
    await pipeline.drain();

    expect(slack.byChannel()).toEqual({ fine: [1653], flaky: [1653], limited: [1653] });
    expect(slack.sent.findIndex((a) => a.channelId === 'fine')).toBe(0);
    // Each 429 was waited out: the next try came no earlier than the 150 ms it asked for
    // (the worker's own floor, 50 ms, would not be enough).
    const limited = slack.attemptLog.filter((a) => a.channelId === 'limited');
    expect(limited.map((a) => a.failure?.kind ?? 'sent')).toEqual([
      ...Array<string>(6).fill('rate-limited'),
      'sent',
    ]);
    for (let i = 1; i < limited.length; i++) {
      expect(limited[i]!.at - limited[i - 1]!.at).toBeGreaterThanOrEqual(150);
    }
  });

  it('stops alerting a channel that unsubscribed while its alerts were queued', async () => {
    const channel = await pipeline.subscribe('slack', 'leaving');
    await pipeline.subscribe('slack', 'staying');
    await pipeline.pollOnce();
    await pipeline.queues.deliver.slack.pause();
    board.publish('새 글');
    await pipeline.pollOnce();
    await waitFor(
      'deliveries queued',
      async () => (await pipeline.queues.deliver.slack.getWaitingCount()) === 2,
    );
    await pipeline.subscriptions.unsubscribe(pipeline.sourceId, channel);
    await pipeline.queues.deliver.slack.resume();
    await pipeline.drain();
    expect(slack.byChannel()).toEqual({ staying: [1653] });
  });

  it('queues the deliveries of a platform this process has no token for; they wait for a process that has', async () => {
    const slackOnly = new RecordingNotifier('slack');
    const other = await new PipelineHarness({ feedUrl: board.url, notifiers: [slackOnly] }).start();
    const discordOnly = new RecordingNotifier('discord');
    const later = new PipelineHarness({
      feedUrl: board.url,
      notifiers: [discordOnly],
      prefix: other.prefix,
    });
    try {
      await other.subscribe('slack', 'C-ON');
      const waiting = await other.subscribe('discord', 'D-WAIT');
      await other.pollOnce();
      board.publish('슬랙 토큰만 있는 프로세스가 퍼뜨린 글');
      await other.pollOnce();
      await waitFor('the Slack alert', () => slackOnly.sent.length === 1);
      // Owed and queued; its channel kept: nothing vanished for want of a token here.
      await waitFor(
        'the Discord delivery waiting in its queue',
        async () => (await other.queues.deliver.discord.getWaitingCount()) === 1,
      );
      expect(await other.deliveryLog.newestOwed(other.sourceId, waiting)).toBe(1653);
      expect(await other.subscriptions.get(other.sourceId, waiting)).not.toBeNull();

      await later.start();
      await other.drain();
      expect(slackOnly.byChannel()).toEqual({ 'C-ON': [1653] });
      expect(discordOnly.byChannel()).toEqual({ 'D-WAIT': [1653] });
      expect(await other.deliveryLog.newestOwed(other.sourceId, waiting)).toBeNull();
    } finally {
      await later.stop();
      await other.close();
    }
  });
});
