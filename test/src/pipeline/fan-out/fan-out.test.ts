import { describe, expect, it } from 'vitest';
import type { DeliveryTarget } from '../../../../src/ports/delivery-log.js';
import { fanOut, type FanOutDeps } from '../../../../src/pipeline/fan-out/fan-out.js';
import { deliver } from '../../../../src/pipeline/deliver/deliver.js';
import { channel, pipelineFixture, post, SOURCE, target } from '../pipeline-fixture.js';

const C1 = channel('C1');
const C2 = channel('C2');
const D1 = channel('D1', 'G1', 'discord');

type Fixture = Awaited<ReturnType<typeof pipelineFixture>>;

/** fanOut's deps over the fixture's stores, queueing into `queued` call by call. */
function fanOutDeps(f: Fixture, calls: DeliveryTarget[][], batchSize?: number): FanOutDeps {
  return {
    subscriptions: f.stores.subscriptions,
    deliveryLog: f.stores.deliveryLog,
    archive: f.stores.archive,
    enqueueDeliveries: (targets) => Promise.resolve(void calls.push(targets)),
    now: f.clock.now,
    ...(batchSize !== undefined ? { batchSize } : {}),
  };
}

const sortTargets = (targets: DeliveryTarget[]) =>
  [...targets].sort(
    (a, b) => a.channel.channelId.localeCompare(b.channel.channelId) || a.boardNo - b.boardNo,
  );

describe('fanOut', () => {
  it('queues one delivery per post and channel that wants it, and marks each owed', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.follow(C2, ['탄소', '-해외']);
    await f.follow(D1, ['원자력']);
    const posts = [post(2, '해외 탄소시장 동향'), post(1, '탄소중립 이행점검')];
    await f.stores.archive.save(posts);
    const calls: DeliveryTarget[][] = [];

    expect(await fanOut(fanOutDeps(f, calls), posts)).toBe(3);

    expect(calls).toHaveLength(1);
    expect(sortTargets(calls[0]!)).toEqual([target(1, C1), target(2, C1), target(1, C2)]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBe(2);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C2)).toBe(1);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, D1)).toBeNull();
  });

  it('queues each channel’s posts oldest first, whatever order the poll found them in', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    const calls: DeliveryTarget[][] = [];
    await fanOut(fanOutDeps(f, calls), [post(3), post(1), post(2)]);
    expect(calls[0]!.map((t) => t.boardNo)).toEqual([1, 2, 3]);
  });

  it('stamps each post’s announcement once: a re-run keeps the first time', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    const first = f.clock.now().getTime();
    await fanOut(fanOutDeps(f, []), [post(1)]);
    expect((await f.stores.archive.get(SOURCE, 1))?.announcedAt).toBe(first);

    f.clock.advance(60_000);
    const stamped = (await f.stores.archive.get(SOURCE, 1))!;
    await fanOut(fanOutDeps(f, []), [stamped]);
    expect((await f.stores.archive.get(SOURCE, 1))?.announcedAt).toBe(first);
  });

  it('owes a re-run nothing already delivered, though it queues the jobs again', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    expect(await deliver(f.deps, target(1, C1))).toBe('sent');

    const calls: DeliveryTarget[][] = [];
    expect(await fanOut(fanOutDeps(f, calls), [post(1)])).toBe(1);
    expect(calls).toEqual([[target(1, C1)]]);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    expect(await deliver(f.deps, target(1, C1))).toBe('already-delivered');
    expect(f.slack.byChannel()).toEqual({ C1: [1] });
  });

  it('queues in batches of followers, never all of a large source at once', async () => {
    const f = await pipelineFixture();
    for (let i = 0; i < 5; i++) await f.follow(channel(`C${i}`));
    const calls: DeliveryTarget[][] = [];
    expect(await fanOut(fanOutDeps(f, calls, 2), [post(1), post(2)])).toBe(10);
    expect(calls.map((batch) => batch.length)).toEqual([4, 4, 2]);
  });

  it('queues nothing for no posts, and for a source nobody follows', async () => {
    const f = await pipelineFixture();
    const calls: DeliveryTarget[][] = [];
    expect(await fanOut(fanOutDeps(f, calls), [])).toBe(0);
    expect(await fanOut(fanOutDeps(f, calls), [post(1)])).toBe(0);
    expect(calls).toEqual([]);
  });
});
