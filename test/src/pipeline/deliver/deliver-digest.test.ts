import { describe, expect, it } from 'vitest';
import type { ChannelSchedule } from '../../../../src/model/channel-schedule.js';
import type { ChannelRef } from '../../../../src/model/subscription.js';
import { deliver } from '../../../../src/pipeline/deliver/deliver.js';
import { deliverDigest } from '../../../../src/pipeline/deliver/deliver-digest.js';
import {
  channel,
  DAY,
  HOUR,
  LABEL,
  pipelineFixture,
  post,
  silentLogger,
  SOURCE,
  target,
} from '../pipeline-fixture.js';

const C1 = channel('C1');
const DAILY: ChannelSchedule = { digest: { times: ['09:00'], weekdaysOnly: false }, quiet: null };
const TUESDAY_9AM = '2026-12-08T00:00:00Z';

type Fixture = Awaited<ReturnType<typeof pipelineFixture>>;

/** Takes the channel's turn for `boardNo`'s job and hands what it owes to `deliverDigest`. */
async function sendHeld(
  f: Fixture,
  boardNo: number,
  schedule: ChannelSchedule,
  ch: ChannelRef = C1,
) {
  const turn = await f.stores.deliveryLog.openChannel(target(boardNo, ch), 60_000);
  if (turn.kind !== 'open' || !turn.since) throw new Error(`nothing held: ${turn.kind}`);
  const result = await deliverDigest(f.deps, f.slack, {
    target: target(boardNo, ch),
    owed: turn.owed,
    schedule,
    since: turn.since,
    turn: turn.turn,
    log: () => silentLogger,
  });
  return { result, turn: turn.turn };
}

async function heldFixture(schedule = DAILY) {
  const f = await pipelineFixture(); // Monday 10:00 KST
  await f.follow(C1);
  await f.stores.schedules.set(C1, schedule);
  return f;
}

describe('deliverDigest', () => {
  it('sends every owed post in one digest, settles each and gives the turn back', async () => {
    const f = await heldFixture();
    await f.announce(post(1, '첫 글'), post(2, '둘째 글'));
    f.clock.set(TUESDAY_9AM);

    const { result } = await sendHeld(f, 2, DAILY);

    expect(result).toEqual({ outcome: 'sent', released: true });
    expect(f.slack.digests).toHaveLength(1);
    expect(f.slack.digests[0]!.digest).toEqual({
      kind: 'digest',
      source: { name: SOURCE, label: LABEL },
      posts: [
        expect.objectContaining({ boardNo: 1, title: '첫 글', source: null }),
        expect.objectContaining({ boardNo: 2, title: '둘째 글', source: null }),
      ],
      notListed: [],
    });
    expect(f.slack.digests[0]!.idempotencyKey).toMatch(/^[\w-]{25}$/);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    expect(await f.stores.deliveryLog.lastDelivered(C1)).toEqual({
      sourceId: SOURCE,
      boardNo: 2,
      at: f.clock.now(),
    });
    // The turn went back with the last record: the next job takes it at once.
    expect((await f.stores.deliveryLog.openChannel(target(2, C1), 60_000)).kind).toBe('open');
  });

  it('says already-delivered when the job’s own post was not among those sent', async () => {
    const f = await heldFixture();
    await f.announce(post(1));
    f.clock.set(TUESDAY_9AM);
    expect((await sendHeld(f, 5, DAILY)).result).toEqual({
      outcome: 'already-delivered',
      released: true,
    });
    expect(f.slack.digestsOf('C1')).toEqual([[1]]);
  });

  it('lists twenty posts and names the rest by number', async () => {
    const f = await heldFixture();
    await f.announce(...Array.from({ length: 22 }, (_, i) => post(i + 1)));
    f.clock.set(TUESDAY_9AM);
    await sendHeld(f, 22, DAILY);
    const { digest } = f.slack.digests[0]!;
    expect(digest.posts.map((p) => p.boardNo)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(digest.notListed).toEqual([21, 22]);
  });

  it('drops posts missing from the archive and sends the rest', async () => {
    const f = await heldFixture();
    await f.announce(post(1));
    await f.stores.deliveryLog.markPending([target(5, C1)], f.clock.now());
    f.clock.set(TUESDAY_9AM);
    expect((await sendHeld(f, 5, DAILY)).result).toEqual({
      outcome: 'already-delivered',
      released: true,
    });
    expect(f.slack.digestsOf('C1')).toEqual([[1]]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
  });

  it('sends nothing and keeps the turn when none of the posts is in the archive', async () => {
    const f = await heldFixture();
    await f.stores.deliveryLog.markPending([target(5, C1), target(6, C1)], f.clock.now());
    f.clock.set(TUESDAY_9AM);
    expect((await sendHeld(f, 6, DAILY)).result).toEqual({
      outcome: 'post-missing',
      released: false,
    });
    expect(f.slack.digests).toEqual([]);
    expect(await f.stores.deliveryLog.openChannel(target(6, C1), 60_000)).toEqual({ kind: 'busy' });
  });

  it('calls what quiet hours held a quiet digest', async () => {
    const quiet: ChannelSchedule = { digest: null, quiet: { start: '09:00', end: '11:00' } };
    const f = await heldFixture(quiet);
    await f.announce(post(1), post(2));
    f.clock.set('2026-12-07T02:00:00Z'); // 11:00 KST
    await sendHeld(f, 2, quiet);
    expect(f.slack.digests[0]!.digest.kind).toBe('quiet');
    expect(f.slack.digestsOf('C1')).toEqual([[1, 2]]);
  });

  it('sends the plain form of a refused digest', async () => {
    const f = await heldFixture();
    await f.announce(post(1), post(2));
    f.clock.set(TUESDAY_9AM);
    f.slack.failures.set('C1', [{ kind: 'rejected', code: 'invalid_blocks' }]);
    expect((await sendHeld(f, 2, DAILY)).result).toEqual({ outcome: 'sent', released: true });
    expect(f.slack.digests.map((d) => d.plain)).toEqual([true]);
  });

  it('falls back to one alert per post when the digest is refused in both forms', async () => {
    const f = await heldFixture();
    await f.announce(post(1), post(2));
    f.clock.set(TUESDAY_9AM);
    const refused = { kind: 'rejected', code: 'msg_too_long' } as const;
    f.slack.failures.set('C1', [refused, refused]);

    const { result, turn } = await sendHeld(f, 2, DAILY);
    expect(result).toBe('fallback');
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(2);
    await f.stores.deliveryLog.closeChannel(C1, turn);

    // Through `deliver`, the fallback sends the posts one by one.
    f.slack.failures.set('C1', [refused, refused]);
    expect(await deliver(f.deps, target(2, C1))).toBe('sent');
    expect(f.slack.digests).toEqual([]);
    expect(f.slack.byChannel()).toEqual({ C1: [1, 2] });
  });

  it('gives held posts up a day after their release, not a day after their announcement', async () => {
    const f = await pipelineFixture();
    f.clock.set('2026-12-11T11:00:00Z'); // Friday 20:00 KST
    await f.follow(C1);
    const weekdays: ChannelSchedule = {
      digest: { times: ['09:00'], weekdaysOnly: true },
      quiet: null,
    };
    await f.stores.schedules.set(C1, weekdays);
    await f.announce(post(1), post(2));
    f.slack.alwaysFail.set('C1', { kind: 'transient' });
    const release = new Date('2026-12-14T00:00:00Z'); // Monday 09:00 KST

    f.clock.set(release.getTime() + DAY - HOUR);
    await expect(sendHeld(f, 2, weekdays)).rejects.toMatchObject({ kind: 'transient' });
    expect(await f.stores.deliveryLog.problems(C1)).toEqual({ refused: 0, givenUp: 0, last: null });

    // An hour later the failed job's turn has lapsed; its retry fails again.
    f.clock.set(release.getTime() + DAY);
    await expect(sendHeld(f, 2, weekdays)).rejects.toMatchObject({ kind: 'transient' });
    expect(await f.stores.deliveryLog.problems(C1)).toMatchObject({ givenUp: 2 });
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    expect(f.metrics.deliveries.map((d) => d.result)).toEqual([
      'failed',
      'failed',
      'given-up',
      'given-up',
    ]);
  });
});
