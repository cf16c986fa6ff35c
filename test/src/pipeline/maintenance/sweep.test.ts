import { describe, expect, it } from 'vitest';
import type { Platform } from '../../../../src/platforms/platform-registry.js';
import type { DeliveryTarget } from '../../../../src/ports/delivery-log.js';
import { DeliveryError } from '../../../../src/ports/notifier.js';
import {
  probePausedPlatforms,
  sweep,
  type SweepDeps,
} from '../../../../src/pipeline/maintenance/sweep.js';
import { deliver } from '../../../../src/pipeline/deliver/deliver.js';
import { RecordingNotifier } from '../../../doubles/recording-notifier.js';
import { channel, DAY, pipelineFixture, post, silentLogger, target } from '../pipeline-fixture.js';

const C1 = channel('C1');
const C2 = channel('C2');
const MINUTE = 60_000;

type Fixture = Awaited<ReturnType<typeof pipelineFixture>>;

function sweepDeps(
  f: Fixture,
  requeued: DeliveryTarget[],
  overrides: Partial<SweepDeps> = {},
): SweepDeps {
  return {
    deliveryLog: f.stores.deliveryLog,
    requeueDelivery: (t) => Promise.resolve(requeued.push(t) > 0),
    retryFailed: () => Promise.resolve(0),
    minAgeMs: MINUTE,
    giveUpAfterMs: DAY,
    schedules: f.stores.schedules,
    logger: silentLogger,
    now: f.clock.now,
    ...overrides,
  };
}

describe('sweep', () => {
  it('queues again the newest owed post of each channel owing for a while, not younger debts', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1), post(2));
    f.clock.advance(90_000);
    await f.follow(C2);
    await f.announce(post(3));
    f.clock.advance(30_000);

    const requeued: DeliveryTarget[] = [];
    // C1 has owed since two minutes ago: its newest post's job sends its whole backlog.
    // C2 has owed for 30 s: the job queued for it will still run.
    expect(await sweep(sweepDeps(f, requeued))).toEqual({ requeued: 1, retried: 0 });
    expect(requeued).toEqual([target(3, C1)]);
  });

  it('counts only the deliveries that were queued again', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.follow(C2);
    await f.announce(post(1));
    f.clock.advance(2 * MINUTE);
    const asked: DeliveryTarget[] = [];
    const result = await sweep({
      ...sweepDeps(f, []),
      // C1's job is still waiting in the queue; C2's was lost.
      requeueDelivery: (t) => Promise.resolve(asked.push(t) > 0 && t.channel.channelId === 'C2'),
    });
    expect(result).toEqual({ requeued: 1, retried: 0 });
    expect(asked.map((t) => t.channel.channelId).sort()).toEqual(['C1', 'C2']);
  });

  it('leaves what a digest holds until its time, then queues it', async () => {
    const f = await pipelineFixture(); // Monday 10:00 KST
    await f.follow(C1);
    await f.stores.schedules.set(C1, {
      digest: { times: ['18:00'], weekdaysOnly: false },
      quiet: null,
    });
    await f.announce(post(1));
    f.clock.set('2026-12-07T08:59:00Z'); // 17:59 KST
    const requeued: DeliveryTarget[] = [];
    expect(await sweep(sweepDeps(f, requeued))).toEqual({ requeued: 0, retried: 0 });
    f.clock.set('2026-12-07T09:00:00Z'); // 18:00 KST
    expect(await sweep(sweepDeps(f, requeued))).toEqual({ requeued: 1, retried: 0 });
    expect(requeued).toEqual([target(1, C1)]);
  });

  it('retries failed work created within the give-up time', async () => {
    const f = await pipelineFixture();
    const since: Date[] = [];
    const result = await sweep(
      sweepDeps(f, [], {
        retryFailed: (s) => Promise.resolve(since.push(s) && 4),
      }),
    );
    expect(result).toEqual({ requeued: 0, retried: 4 });
    expect(since).toEqual([new Date(f.clock.now().getTime() - DAY)]);
  });

  it('queues nothing for a channel whose posts all went out', async () => {
    const f = await pipelineFixture();
    await f.follow(C1);
    await f.announce(post(1));
    expect(await deliver(f.deps, target(1, C1))).toBe('sent');
    f.clock.advance(DAY);
    const requeued: DeliveryTarget[] = [];
    expect(await sweep(sweepDeps(f, requeued))).toEqual({ requeued: 0, retried: 0 });
    expect(requeued).toEqual([]);
  });
});

/** A notifier whose token check passes or is refused, counting the checks. */
class CheckedNotifier extends RecordingNotifier {
  tokenRefused = true;
  checks = 0;

  verify(): Promise<void> {
    this.checks++;
    return this.tokenRefused
      ? Promise.reject(new DeliveryError('unauthorized', 'token refused'))
      : Promise.resolve();
  }
}

describe('probing paused platforms', () => {
  async function paused() {
    const f = await pipelineFixture();
    const slack = new CheckedNotifier('slack');
    const discord = new CheckedNotifier('discord');
    await f.stores.platformStatus.markUnauthorized('slack', f.clock.now(), 'Slack: invalid_auth');
    const deps = {
      notifiers: new Map<Platform, CheckedNotifier>([
        ['slack', slack],
        ['discord', discord],
      ]),
      store: f.stores.platformStatus,
      gate: f.stores.platforms,
      probeIntervalMs: MINUTE,
      logger: silentLogger,
    };
    return { f, slack, discord, deps };
  }

  it('asks a paused platform once per interval, and resumes it when its token works again', async () => {
    const { f, slack, discord, deps } = await paused();
    expect(await probePausedPlatforms(deps)).toEqual([]);
    expect(await probePausedPlatforms(deps)).toEqual([]);
    // One check in the interval; Discord, not paused, is never asked.
    expect([slack.checks, discord.checks]).toEqual([1, 0]);

    slack.tokenRefused = false;
    f.clock.advance(MINUTE);
    expect(await probePausedPlatforms(deps)).toEqual(['slack']);
    expect(await f.stores.platformStatus.get('slack')).toEqual({
      state: 'ok',
      resumedAt: f.clock.now(),
    });
    expect(await probePausedPlatforms(deps)).toEqual([]);
    expect(slack.checks).toBe(2);
  });

  it('keeps a platform paused when it cannot be asked at all', async () => {
    const { f, deps } = await paused();
    const silent = new RecordingNotifier('slack'); // no token check
    expect(
      await probePausedPlatforms({ ...deps, notifiers: new Map([['slack', silent]]) }),
    ).toEqual([]);
    expect(await f.stores.platformStatus.get('slack')).toMatchObject({ state: 'unauthorized' });
  });
});
