import { afterEach, describe, expect, it } from 'vitest';
import { RedisPlatformWorkerStore } from '../../adapters/redis/redis-platform-workers.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { PipelineHarness } from '../support/pipeline-harness.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** `esgnews_platform_unserved{platform="…"}` in a scrape; null when absent. */
function unservedGauge(text: string, platform: string): number | null {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`esgnews_platform_unserved{platform="${platform}"} `));
  return line === undefined ? null : Number(line.split(' ')[1]);
}

describe('a platform whose channels are subscribed and that no process delivers to', () => {
  it('is reported by /healthz and /metrics until a process with its token announces itself', async () => {
    const web = new PipelineHarness({ feedUrl: 'http://127.0.0.1:9/post', role: 'web' });
    cleanup.push(() => web.close());
    await web.subscribe('slack', 'C1');
    await web.subscribe('discord', '100000000000000021');
    await web.start();
    const health = async () => {
      const res = await fetch(`${web.httpUrl}/healthz`);
      expect(res.status).toBe(200);
      return (await res.json()) as { status: string; platforms: Record<string, string> };
    };
    const metrics = async () => (await fetch(`${web.httpUrl}/metrics`)).text();

    // No worker anywhere: both platforms wait, and say since when they were last served.
    expect(await health()).toEqual({
      status: 'degraded',
      redis: 'up',
      platforms: { slack: 'no worker', discord: 'no worker' },
    });
    const workers = new RedisPlatformWorkerStore(web.redis, web.keys);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await workers.announce(['discord'], longAgo);
    expect((await health()).platforms.discord).toBe(`no worker since ${longAgo.toISOString()}`);
    let scrape = await metrics();
    expect(unservedGauge(scrape, 'slack')).toBe(1);
    expect(unservedGauge(scrape, 'discord')).toBe(1);

    // A worker with the Discord token starts elsewhere: Discord is served, Slack still is not.
    const fake = await new FakeDiscord().start();
    cleanup.push(() => fake.close());
    const worker = new PipelineHarness({
      feedUrl: 'http://127.0.0.1:9/post',
      role: 'worker',
      prefix: web.prefix,
      env: {
        DISCORD_TOKEN: 'discord-worker-token-0123456789',
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_API_URL: fake.apiUrl,
      },
    });
    cleanup.push(() => worker.stop());
    await worker.start();
    expect(await health()).toEqual({
      status: 'degraded',
      redis: 'up',
      platforms: { slack: 'no worker', discord: 'ok' },
    });
    scrape = await metrics();
    expect(unservedGauge(scrape, 'slack')).toBe(1);
    expect(unservedGauge(scrape, 'discord')).toBe(0);

    // And one with the Slack token (announced as its heartbeat would): all is well.
    await workers.announce(['slack'], new Date());
    expect(await health()).toEqual({
      status: 'ok',
      redis: 'up',
      platforms: { slack: 'ok', discord: 'ok' },
    });
    scrape = await metrics();
    expect(unservedGauge(scrape, 'slack')).toBe(0);
    expect(unservedGauge(scrape, 'discord')).toBe(0);
  });
});
