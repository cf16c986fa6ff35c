import { describe, expect, it } from 'vitest';
import { DESTINATION_WORKSPACE } from '../../../../src/model/destination.js';
import type { ChannelRef } from '../../../../src/model/subscription.js';
import { deliver, deliverNotice } from '../../../../src/pipeline/deliver/deliver.js';
import type { Platform } from '../../../../src/platforms/platform-registry.js';
import type { SourceNotice } from '../../../../src/model/news-message.js';
import { MemoryDestinationStore } from '../../../doubles/memory-destination-store.js';
import { RecordingNotifier } from '../../../doubles/recording-notifier.js';
import { channel, HOUR, pipelineFixture, post, SOURCE, target } from '../pipeline-fixture.js';

const PROBE_MS = HOUR;
const gone = { kind: 'permanent', code: 'http-404' } as const;
const destination = (platform: Platform, name: string): ChannelRef => ({
  platform,
  workspaceId: DESTINATION_WORKSPACE,
  channelId: name,
});
const TEAMS = destination('teams', 'esg-team');
const JANDI = destination('jandi', 'esg-topic');

/** The pipeline fixture with Teams and JANDI destinations that record, and breaks kept. */
async function destinationFixture() {
  const f = await pipelineFixture();
  const teams = new RecordingNotifier('teams');
  const jandi = new RecordingNotifier('jandi');
  const destinations = new MemoryDestinationStore({ clock: f.clock.epochMs });
  const notifiers = new Map(f.deps.notifiers);
  notifiers.set('teams', teams);
  notifiers.set('jandi', jandi);
  const deps = { ...f.deps, notifiers, destinations, destinationProbeIntervalMs: PROBE_MS };
  for (const ch of [TEAMS, JANDI]) {
    await destinations.put(
      ch,
      { url: `https://hooks.example/${ch.channelId}`, secret: null },
      f.clock.now(),
    );
    await f.follow(ch);
  }
  return { ...f, deps, teams, jandi, destinations };
}

describe('a webhook destination that answers it is gone', () => {
  it('is marked broken, stays subscribed and keeps what it is owed; the others keep receiving', async () => {
    const f = await destinationFixture();
    f.teams.alwaysFail.set(TEAMS.channelId, gone);
    await f.announce(post(1700));

    expect(await deliver(f.deps, target(1700, TEAMS))).toBe('destination-broken');
    expect(await deliver(f.deps, target(1700, JANDI))).toBe('sent');

    const broken = await f.destinations.brokenSince(TEAMS);
    expect(broken?.since).toEqual(f.clock.now());
    expect(broken?.reason).not.toBe('');
    expect(await f.stores.subscriptions.get(SOURCE, TEAMS)).not.toBeNull();
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, TEAMS)).toBe(1700);
    expect(f.jandi.sent.map((a) => a.boardNo)).toEqual([1700]);
    expect(await f.destinations.brokenSince(JANDI)).toBeNull();
  });

  it('waits without a try until the probe interval, then delivers the backlog in order once it works', async () => {
    const f = await destinationFixture();
    f.teams.alwaysFail.set(TEAMS.channelId, gone);
    await f.announce(post(1700));
    expect(await deliver(f.deps, target(1700, TEAMS))).toBe('destination-broken');
    const triesWhenBroken = f.teams.attempts;

    await f.announce(post(1701));
    f.clock.advance(PROBE_MS / 2);
    // Within the interval: nothing is sent, nothing is dropped.
    expect(await deliver(f.deps, target(1701, TEAMS))).toBe('destination-broken');
    expect(f.teams.attempts).toBe(triesWhenBroken);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, TEAMS)).toBe(1701);

    // The operator fixed the webhook at the receiving end; the next try finds it working.
    f.teams.alwaysFail.delete(TEAMS.channelId);
    f.clock.advance(PROBE_MS);
    expect(await deliver(f.deps, target(1701, TEAMS))).toBe('sent');
    expect(f.teams.sent.map((a) => a.boardNo)).toEqual([1700, 1701]);
    expect(await f.destinations.brokenSince(TEAMS)).toBeNull();
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, TEAMS)).toBeNull();
  });

  it('a probe that meets the same answer keeps it broken, with its first time and reason', async () => {
    const f = await destinationFixture();
    f.teams.alwaysFail.set(TEAMS.channelId, gone);
    await f.announce(post(1700));
    await deliver(f.deps, target(1700, TEAMS));
    const first = await f.destinations.brokenSince(TEAMS);
    f.clock.advance(PROBE_MS + 1);
    expect(await deliver(f.deps, target(1700, TEAMS))).toBe('destination-broken');
    expect(f.teams.attempts).toBe(2);
    expect(await f.destinations.brokenSince(TEAMS)).toEqual(first);
    expect(await f.stores.subscriptions.get(SOURCE, TEAMS)).not.toBeNull();
  });

  it('a notice to a gone destination marks it broken and keeps it subscribed', async () => {
    const f = await destinationFixture();
    f.teams.noticeFailures.set(TEAMS.channelId, gone);
    const notice: SourceNotice = {
      kind: 'down',
      sourceId: SOURCE,
      sourceUrl: 'https://k-esg.org/post',
      since: f.clock.now().toISOString(),
      error: 'HTTP 503',
    };
    expect(await deliverNotice(f.deps, TEAMS, notice)).toBe('destination-broken');
    expect(await f.destinations.brokenSince(TEAMS)).not.toBeNull();
    expect(await f.stores.subscriptions.get(SOURCE, TEAMS)).not.toBeNull();
  });

  it('a chat channel that is gone is still unsubscribed, and a removed destination too', async () => {
    const f = await destinationFixture();
    const slack = channel('C-GONE');
    await f.follow(slack);
    f.slack.alwaysFail.set(slack.channelId, { kind: 'permanent', code: 'channel_not_found' });
    f.teams.alwaysFail.set(TEAMS.channelId, { kind: 'permanent', code: 'destination-removed' });
    await f.announce(post(1700));
    await expect(deliver(f.deps, target(1700, slack))).rejects.toThrow();
    await expect(deliver(f.deps, target(1700, TEAMS))).rejects.toThrow();
    expect(await f.stores.subscriptions.get(SOURCE, slack)).toBeNull();
    expect(await f.stores.subscriptions.get(SOURCE, TEAMS)).toBeNull();
    expect(await f.destinations.brokenSince(TEAMS)).toBeNull();
  });
});
