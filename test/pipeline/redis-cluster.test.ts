import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Cluster } from 'ioredis';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { describeNeeding, type Requirement } from '../support/requirements.js';
import { LocalRedisCluster, missingClusterTools } from '../support/redis-cluster.js';
import { waitFor } from '../support/wait.js';

/**
 * The whole pipeline on a local 3-master Redis Cluster (`REDIS_CLUSTER_NODES`): BullMQ's keys
 * and the bot's all carry the deployment's hash tag, so every script finds its keys on one
 * master.
 */
const missing = missingClusterTools();
/** `.ci/run` installs redis-server and sets REQUIRE_REDIS_CLUSTER=1: there a skip is a failure. */
const clusterTools: Requirement = {
  env: 'REQUIRE_REDIS_CLUSTER',
  available: missing.length === 0,
  missing: `${missing.join(' and ')} not on PATH (apt-get install redis-server)`,
};

let cluster: LocalRedisCluster;
let board: FakeBoard;
let pipeline: PipelineHarness | null = null;

describeNeeding(clusterTools, 'the bot on a Redis Cluster', () => {
  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(async () => {
    board = await new FakeBoard().start();
  });

  afterEach(async () => {
    await pipeline?.close();
    pipeline = null;
    await board.close();
  });

  it('archives the first poll silently, then alerts every channel once per new post', async () => {
    const slack = new RecordingNotifier('slack');
    const discord = new RecordingNotifier('discord');
    const bot = new PipelineHarness({
      feedUrl: board.url,
      notifiers: [slack, discord],
      cluster: cluster.nodes,
    });
    pipeline = await bot.start();
    expect(bot.keyPrefix).toBe(`{${bot.prefix}}`);
    for (const id of ['C1', 'C2', 'C3']) await bot.subscribe('slack', id);
    for (const id of ['D1', 'D2']) await bot.subscribe('discord', id);

    expect(await bot.pollOnce()).toMatchObject({
      status: 'initialized',
      archived: 20,
      cursor: 1652,
    });
    await bot.drain();
    expect([...slack.sent, ...discord.sent]).toEqual([]);

    board.publish('클러스터에서 찾은 새 글');
    expect(await bot.pollOnce()).toMatchObject({ status: 'read', announced: [1653] });
    await bot.drain();
    expect(slack.byChannel()).toEqual({ C1: [1653], C2: [1653], C3: [1653] });
    expect(discord.byChannel()).toEqual({ D1: [1653], D2: [1653] });

    const health = await fetch(`${bot.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ redis: 'up' });

    // Every key in the cluster is this deployment's, under its hash tag, on the one master
    // owning the tag's slot: the bot's own and BullMQ's alike.
    const byNode = await cluster.keysByNode();
    const keys = [...byNode.values()].flat();
    expect(keys.filter((key) => !key.startsWith(`${bot.keyPrefix}:`))).toEqual([]);
    expect([...byNode.values()].filter((onNode) => onNode.length > 0)).toHaveLength(1);
    const slot = await (bot.redis as Cluster).cluster('KEYSLOT', bot.keyPrefix);
    for (const key of keys) expect(await bot.redis.cluster('KEYSLOT', key)).toBe(slot);
    expect(keys).toEqual(
      expect.arrayContaining([
        bot.keys.subscriptions(bot.sourceId),
        bot.keys.posts(bot.sourceId),
        bot.keys.sourceState(bot.sourceId),
        bot.keys.channelLastDelivery(),
        `${bot.keyPrefix}:poll:meta`,
        `${bot.keyPrefix}:fan-out:meta`,
        `${bot.keyPrefix}:deliver-slack:meta`,
        `${bot.keyPrefix}:deliver-discord:meta`,
      ]),
    );
  });

  it('schedules polling and the sweep, and the scheduled first poll stays silent', async () => {
    const slack = new RecordingNotifier('slack');
    const bot = new PipelineHarness({
      feedUrl: board.url,
      notifiers: [slack],
      cluster: cluster.nodes,
      role: 'all',
    });
    pipeline = await bot.start();
    await bot.subscribe('slack', 'C1');

    await waitFor(
      'the first scheduled poll',
      async () => (await bot.states.get(bot.sourceId)).cursor === 1652,
    );
    expect(await bot.scheduledSources()).toEqual([bot.sourceId]);
    expect(await bot.queues.maintenance.getJobSchedulers()).toHaveLength(1);
    board.publish('예약된 폴링 뒤의 새 글');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.byChannel()).toEqual({ C1: [1653] });
  });
});
