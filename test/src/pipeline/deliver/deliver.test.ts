import { describe, expect, it } from 'vitest';
import type { SourceNotice } from '../../../../src/model/news-message.js';
import { deliver, deliverNotice, deliveryKey } from '../../../../src/pipeline/deliver/deliver.js';
import { channel, DAY, LABEL, pipelineFixture, post, SOURCE, target } from '../pipeline-fixture.js';

const C1 = channel('C1');
const C2 = channel('C2');

describe('deliver', () => {
  it('sends an owed post once, remembering its message, its delivery and its latency', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1645, '탄소중립 이행점검 결과'));
    f.clock.advance(3_000);

    expect(await deliver(f.deps, target(1645, C1))).toBe('sent');
    expect(await deliver(f.deps, target(1645, C1))).toBe('already-delivered');

    expect(f.slack.sent).toEqual([
      {
        channelId: 'C1',
        boardNo: 1645,
        title: '탄소중립 이행점검 결과',
        idempotencyKey: deliveryKey(target(1645, C1)),
      },
    ]);
    expect(await f.stores.deliveryLog.lastDelivered(C1)).toEqual({
      sourceId: SOURCE,
      boardNo: 1645,
      at: f.clock.now(),
    });
    expect(await f.stores.sentMessages.list(SOURCE, 1645)).toEqual([
      { channel: C1, messageId: expect.stringMatching(/^\d+\.000000$/) as string },
    ]);
    expect(f.metrics.deliveries).toEqual([
      { platform: 'slack', result: 'delivered', latencyMs: 3_000 },
    ]);
  });

  it('sends the whole backlog oldest first from the newest post’s job, and nothing twice', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(3), post(1), post(2));

    expect(await deliver(f.deps, target(3, C1))).toBe('sent');
    expect(await deliver(f.deps, target(1, C1))).toBe('already-delivered');
    expect(await deliver(f.deps, target(2, C1))).toBe('already-delivered');
    expect(f.slack.byChannel()).toEqual({ C1: [1, 2, 3] });
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
  });

  it('sends nothing to a channel that unsubscribed after its delivery was queued', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    await f.stores.subscriptions.unsubscribe(SOURCE, C1);

    expect(await deliver(f.deps, target(1, C1))).toBe('unsubscribed');
    expect(f.slack.sent).toEqual([]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
  });

  it('leaves the post owed while another worker holds the channel’s turn', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    await f.stores.deliveryLog.openChannel(target(1, C1), 60_000);

    expect(await deliver(f.deps, target(1, C1))).toBe('channel-busy');
    expect(f.slack.sent).toEqual([]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);
  });

  it('keeps the subscription and the debt of a platform this process has no notifier for', async () => {
    const f = await pipelineFixture();
    const console_ = channel('console', 'local', 'console');
    await f.follow(console_);
    await f.announce(post(1));

    expect(await deliver(f.deps, target(1, console_))).toBe('no-notifier');
    expect(await f.stores.subscriptions.get(SOURCE, console_)).not.toBeNull();
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, console_)).toBe(1);
  });

  it('sends nothing while the platform is paused, and everything once it is resumed', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    await f.stores.platformStatus.markUnauthorized('slack', f.clock.now(), 'Slack: invalid_auth');

    expect(await deliver(f.deps, target(1, C1))).toBe('platform-paused');
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);
    await f.stores.platforms.resume('slack');
    expect(await deliver(f.deps, target(1, C1))).toBe('sent');
    expect(f.slack.byChannel()).toEqual({ C1: [1] });
  });

  it('unsubscribes a channel that is gone from every source and forgets it, and no other', async () => {
    const f = await pipelineFixture();
    await f.stores.registry.syncConfigured([
      { name: SOURCE, url: 'https://k-esg.org/post' },
      { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
    ]);
    await f.follow(C1);
    await f.follow(C1, [], 'korea');
    await f.follow(C2);
    await f.stores.schedules.set(C1, { digest: null, quiet: { start: '23:00', end: '06:00' } });
    await f.announce(post(1));
    f.slack.alwaysFail.set('C1', { kind: 'permanent', code: 'channel_not_found' });

    await expect(deliver(f.deps, target(1, C1))).rejects.toMatchObject({
      kind: 'permanent',
      details: { code: 'channel_not_found' },
    });
    expect(await f.stores.subscriptions.following(C1, [SOURCE, 'korea'])).toEqual([]);
    expect(await f.stores.schedules.get(C1)).toBeNull();
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    expect(f.metrics.deliveries).toEqual([{ platform: 'slack', result: 'channel-gone' }]);
    // The other channel still gets the post.
    expect(await deliver(f.deps, target(1, C2))).toBe('sent');
    expect(f.slack.byChannel()).toEqual({ C2: [1] });
  });

  it('sends the plain form of an alert the platform refused, once', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    f.slack.failures.set('C1', [{ kind: 'rejected', code: 'invalid_blocks' }]);

    expect(await deliver(f.deps, target(1, C1))).toBe('sent');
    expect(f.slack.sent).toEqual([
      {
        channelId: 'C1',
        boardNo: 1,
        title: '글 1',
        idempotencyKey: deliveryKey(target(1, C1)),
        plain: true,
      },
    ]);
    expect(await f.stores.deliveryLog.problems(C1)).toEqual({ refused: 0, givenUp: 0, last: null });
  });

  it('settles and counts a post refused in every form, and goes on with the next one', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1), post(2));
    const refused = { kind: 'rejected', code: 'msg_too_long' } as const;
    f.slack.failures.set('C1', [refused, refused]);

    expect(await deliver(f.deps, target(2, C1))).toBe('sent');
    expect(f.slack.byChannel()).toEqual({ C1: [2] });
    expect(await f.stores.deliveryLog.problems(C1)).toEqual({
      refused: 1,
      givenUp: 0,
      last: {
        kind: 'refused',
        sourceId: SOURCE,
        boardNo: 1,
        reason: 'message refused: msg_too_long',
        at: f.clock.now(),
      },
    });
    expect(f.metrics.deliveries.map((d) => d.result)).toEqual(['refused', 'delivered']);
  });

  it('says refused when the refused post is the job’s own', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    f.slack.alwaysFail.set('C1', { kind: 'rejected', code: 'invalid_blocks' });

    expect(await deliver(f.deps, target(1, C1))).toBe('refused');
    expect(f.slack.attempts).toBe(2);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
  });

  it('pauses the platform on a refused token, dropping nothing and unsubscribing nobody', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    f.slack.failures.set('C1', [{ kind: 'unauthorized' }]);

    await expect(deliver(f.deps, target(1, C1))).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(await f.stores.platformStatus.get('slack')).toEqual({
      state: 'unauthorized',
      since: f.clock.now(),
      reason: 'token refused',
    });
    expect(await f.stores.subscriptions.get(SOURCE, C1)).not.toBeNull();
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);
    expect(await deliver(f.deps, target(1, C1))).toBe('platform-paused');
    expect(f.metrics.deliveries).toEqual([{ platform: 'slack', result: 'unauthorized' }]);
  });

  it('leaves the platform running when one workspace’s token is refused', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    f.slack.failures.set('C1', [{ kind: 'unauthorized', scope: 'workspace' }]);

    await expect(deliver(f.deps, target(1, C1))).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(await f.stores.platformStatus.get('slack')).toEqual({ state: 'ok' });
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);
  });

  it('retries a failing post, and gives it up for the channel a day after it was announced', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    f.slack.alwaysFail.set('C1', { kind: 'transient' });

    f.clock.advance(DAY - 1);
    await expect(deliver(f.deps, target(1, C1))).rejects.toMatchObject({ kind: 'transient' });
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);
    expect(await f.stores.deliveryLog.problems(C1)).toEqual({ refused: 0, givenUp: 0, last: null });

    f.clock.advance(1);
    await expect(deliver(f.deps, target(1, C1))).rejects.toMatchObject({ kind: 'transient' });
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    expect(await f.stores.deliveryLog.problems(C1)).toEqual({
      refused: 0,
      givenUp: 1,
      last: {
        kind: 'given-up',
        sourceId: SOURCE,
        boardNo: 1,
        reason: 'temporary failure',
        at: f.clock.now(),
      },
    });
    expect(f.metrics.deliveries.map((d) => d.result)).toEqual(['failed', 'given-up']);
  });

  it('counts a 429 and keeps the post owed for the retry after it', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    f.slack.failures.set('C1', [{ kind: 'rate-limited', retryAfterMs: 1_500, scope: 'global' }]);

    await expect(deliver(f.deps, target(1, C1))).rejects.toMatchObject({
      kind: 'rate-limited',
      details: { retryAfterMs: 1_500, scope: 'global' },
    });
    expect(f.metrics.rateLimits).toEqual([{ platform: 'slack', scope: 'global' }]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);
    expect(await deliver(f.deps, target(1, C1))).toBe('sent');
    expect(f.metrics.deliveries.map((d) => d.result)).toEqual(['rate-limited', 'delivered']);
  });

  it('drops a post that is not in the archive', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.stores.deliveryLog.markPending([target(9, C1)], f.clock.now());

    expect(await deliver(f.deps, target(9, C1))).toBe('post-missing');
    expect(f.slack.sent).toEqual([]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
  });

  it('holds a post of the quiet hours, then sends it alone as an ordinary alert', async () => {
    const f = await pipelineFixture(); // Monday 10:00 KST
    await f.follow(C1);
    await f.stores.schedules.set(C1, { digest: null, quiet: { start: '09:00', end: '11:00' } });
    await f.announce(post(1));

    expect(await deliver(f.deps, target(1, C1))).toBe('held');
    expect(f.slack.sent).toEqual([]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(1);

    f.clock.set('2026-12-07T02:00:00Z'); // 11:00 KST
    expect(await deliver(f.deps, target(1, C1))).toBe('sent');
    expect(f.slack.byChannel()).toEqual({ C1: [1] });
    expect(f.slack.digests).toEqual([]);
  });

  it('sends posts held for a digest as one message at the digest time', async () => {
    const f = await pipelineFixture(); // Monday 10:00 KST
    await f.follow(C1);
    await f.stores.schedules.set(C1, {
      digest: { times: ['09:00'], weekdaysOnly: false },
      quiet: null,
    });
    await f.announce(post(1, '첫 글'), post(2, '둘째 글'));

    expect(await deliver(f.deps, target(2, C1))).toBe('held');
    f.clock.set('2026-12-08T00:00:00Z'); // Tuesday 09:00 KST
    expect(await deliver(f.deps, target(2, C1))).toBe('sent');

    expect(f.slack.sent).toEqual([]);
    expect(f.slack.digestsOf('C1')).toEqual([[1, 2]]);
    expect(f.slack.digests[0]!.digest).toMatchObject({
      kind: 'digest',
      source: { name: SOURCE, label: LABEL },
      notListed: [],
    });
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    // Latency of a held post counts from its release, not its announcement.
    expect(f.metrics.deliveries).toEqual([
      { platform: 'slack', result: 'delivered', latencyMs: 0 },
      { platform: 'slack', result: 'delivered', latencyMs: 0 },
    ]);
  });
});

describe('deliverNotice', () => {
  const notice: SourceNotice = {
    kind: 'down',
    sourceId: SOURCE,
    sourceLabel: LABEL,
    sourceUrl: 'https://k-esg.org/post',
    since: '2026-12-07T00:00:00.000Z',
    error: 'TIMEOUT: no answer in 10 s',
  };

  it('tells a following channel, and not one that left', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    expect(await deliverNotice(f.deps, C1, notice)).toBe('sent');
    expect(await deliverNotice(f.deps, C2, notice)).toBe('unsubscribed');
    expect(f.slack.notices).toEqual([{ channelId: 'C1', notice }]);
  });

  it('waits while the platform is paused', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.stores.platformStatus.markUnauthorized('slack', f.clock.now(), 'Slack: invalid_auth');
    expect(await deliverNotice(f.deps, C1, notice)).toBe('platform-paused');
    expect(f.slack.notices).toEqual([]);
  });
});
