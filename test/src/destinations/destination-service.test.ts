import { describe, expect, it } from 'vitest';
import { DestinationService } from '../../../src/destinations/destination-service.js';
import { DESTINATION_WORKSPACE, DestinationUrlError } from '../../../src/model/destination.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import { unsubscribeChannel } from '../../../src/pipeline/deliver/unsubscribe.js';
import { DeliveryError } from '../../../src/ports/notifier.js';
import { MemoryDestinationStore } from '../../doubles/memory-destination-store.js';
import { memoryStores } from '../../doubles/memory-stores.js';
import { FakeClock } from '../../doubles/fake-clock.js';

const URL_TEXT = 'https://hook.dooray.com/services/1234567890/0987654321/SeCrEt';

async function serviceFixture(options: { keyed?: boolean } = {}) {
  const clock = new FakeClock('2026-12-07T01:00:00Z');
  const stores = memoryStores({ clock });
  await stores.registry.syncConfigured([
    { name: 'esg', url: 'https://k-esg.org/post' },
    { name: 'mcee', url: 'https://www.korea.kr/rss/dept_mcee.xml' },
  ]);
  const store = new MemoryDestinationStore({ keyed: options.keyed ?? true, clock: clock.epochMs });
  const tests: string[] = [];
  let answer: () => Promise<{ status: number; body: string }> = () =>
    Promise.resolve({ status: 200, body: '{"header":{"isSuccessful":true}}' });
  const sourceIds = async () => (await stores.registry.list()).map((s) => s.name);
  const service = new DestinationService({
    store,
    subscriptions: stores.subscriptions,
    schedules: stores.schedules,
    deliveryLog: stores.deliveryLog,
    sourceIds,
    resolveSource: async (name) => (await sourceIds()).find((id) => id === (name ?? 'esg')) ?? null,
    unsubscribeAll: async (channel) => {
      await unsubscribeChannel(
        {
          subscriptions: stores.subscriptions,
          deliveryLog: stores.deliveryLog,
          schedules: stores.schedules,
          sourceIds,
        },
        channel,
      );
    },
    checkUrl: (url) =>
      url.startsWith('https://')
        ? Promise.resolve()
        : Promise.reject(new DestinationUrlError('scheme', 'must be an https URL')),
    sendTest: (channel) => {
      tests.push(channel.channelId);
      return answer();
    },
    now: clock.now,
  });
  return { service, store, stores, tests, answerWith: (f: typeof answer) => (answer = f) };
}

const dooray: ChannelRef = {
  platform: 'dooray',
  workspaceId: DESTINATION_WORKSPACE,
  channelId: 'esg-room',
};

describe('DestinationService', () => {
  it('adds a destination, subscribes it to the default source with its keywords, and lists it without its URL', async () => {
    const { service, stores, store } = await serviceFixture();
    const added = await service.add({
      platform: 'dooray',
      name: 'esg-room',
      url: URL_TEXT,
      keywords: '탄소 -해외 "탄소 중립"',
    });
    expect(added).toEqual({
      channel: dooray,
      outcome: 'added',
      sourceId: 'esg',
      generatedSecret: null,
    });
    expect(await store.secrets(dooray)).toEqual({ url: URL_TEXT, secret: null });
    expect((await stores.subscriptions.get('esg', dooray))?.keywords).toEqual([
      '탄소',
      '-해외',
      '탄소 중립',
    ]);
    const [listed] = await service.list();
    expect(listed).toMatchObject({
      channel: dooray,
      subscriptions: [{ sourceId: 'esg', keywords: ['탄소', '-해외', '탄소 중립'] }],
      schedule: { digest: null, quiet: null },
      lastAlert: null,
      broken: null,
    });
    expect(JSON.stringify(listed)).not.toContain('SeCrEt');
    expect(JSON.stringify(listed)).not.toContain('0987654321');
  });

  it('makes a secret for a signed webhook without one, shown once; keeps one given', async () => {
    const { service, store } = await serviceFixture();
    const made = await service.add({
      platform: 'webhook',
      name: 'n8n',
      url: 'https://n8n.example/h',
    });
    // The Standard Webhooks form: receivers' libraries take it as it is.
    expect(made.generatedSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await store.secrets(made.channel))?.secret).toBe(made.generatedSecret);
    const given = await service.add({
      platform: 'webhook',
      name: 'zapier',
      url: 'https://hooks.zapier.example/1',
      secret: 'a-secret-of-enough-length',
    });
    expect(given.generatedSecret).toBeNull();
    expect((await store.secrets(given.channel))?.secret).toBe('a-secret-of-enough-length');
  });

  it('refuses what it must, each with its own problem, and writes nothing then', async () => {
    const { service, store } = await serviceFixture();
    const refused = async (input: Parameters<DestinationService['add']>[0]) =>
      service.add(input).then(
        () => 'added',
        (error: { problem?: string }) => error.problem,
      );
    expect(await refused({ platform: 'slack', name: 'x', url: URL_TEXT })).toBe(
      'not-a-destination-platform',
    );
    expect(await refused({ platform: 'teams', name: 'Bad Name', url: URL_TEXT })).toBe('bad-name');
    expect(await refused({ platform: 'teams', name: 'ok', url: 'http://plain.example/' })).toBe(
      'bad-url',
    );
    expect(
      await refused({ platform: 'teams', name: 'ok', url: URL_TEXT, secret: 'x'.repeat(20) }),
    ).toBe('secret-not-allowed');
    expect(await refused({ platform: 'webhook', name: 'ok', url: URL_TEXT, secret: 'short' })).toBe(
      'secret-too-short',
    );
    expect(await refused({ platform: 'teams', name: 'ok', url: URL_TEXT, source: 'nope' })).toBe(
      'unknown-source',
    );
    expect(await refused({ platform: 'teams', name: 'ok', url: URL_TEXT, keywords: '"탄소' })).toBe(
      'bad-keywords',
    );
    expect(await store.list()).toEqual([]);
    const keyless = await serviceFixture({ keyed: false });
    expect(
      await keyless.service.add({ platform: 'teams', name: 'ok', url: URL_TEXT }).then(
        () => 'added',
        (error: { problem?: string }) => error.problem,
      ),
    ).toBe('no-encryption-key');
  });

  it('a test that the destination takes clears its break; a refused one says why', async () => {
    const f = await serviceFixture();
    await f.service.add({ platform: 'dooray', name: 'esg-room', url: URL_TEXT });
    await f.store.markBroken(dooray, 'the destination answered HTTP 404', new Date());
    f.answerWith(() =>
      Promise.reject(new DeliveryError('permanent', 'the destination answered HTTP 404')),
    );
    expect(await f.service.test(dooray)).toEqual({
      ok: false,
      kind: 'permanent',
      message: 'the destination answered HTTP 404',
    });
    expect(await f.store.brokenSince(dooray)).not.toBeNull();
    f.answerWith(() => Promise.resolve({ status: 200, body: 'ok' }));
    expect(await f.service.test(dooray)).toEqual({ ok: true, status: 200, body: 'ok' });
    expect(await f.store.brokenSince(dooray)).toBeNull();
    expect(f.tests).toEqual(['esg-room', 'esg-room']);
  });

  it('sets digest times and quiet hours, and removal ends every subscription and the URL', async () => {
    const { service, stores, store } = await serviceFixture();
    await service.add({ platform: 'dooray', name: 'esg-room', url: URL_TEXT });
    await service.add({ platform: 'dooray', name: 'esg-room', url: URL_TEXT, source: 'mcee' });
    expect(
      await service.schedule(dooray, { digest: { times: ['09:00'], weekdaysOnly: true } }),
    ).toEqual({ digest: { times: ['09:00'], weekdaysOnly: true }, quiet: null });
    expect(await service.schedule(dooray, { quiet: { start: '22:00', end: '07:00' } })).toEqual({
      digest: { times: ['09:00'], weekdaysOnly: true },
      quiet: { start: '22:00', end: '07:00' },
    });
    expect((await service.get(dooray)).subscriptions.map((s) => s.sourceId).sort()).toEqual([
      'esg',
      'mcee',
    ]);
    await service.remove(dooray);
    expect(await stores.subscriptions.followedBy(dooray)).toEqual([]);
    expect(await stores.schedules.get(dooray)).toBeNull();
    expect(await store.get(dooray)).toBeNull();
    await expect(service.remove(dooray)).rejects.toMatchObject({ problem: 'not-found' });
    await expect(service.test(dooray)).rejects.toMatchObject({ problem: 'not-found' });
  });
});
