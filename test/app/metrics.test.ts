import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizationMatches } from '../../adapters/http/auth.js';
import { PrometheusMetrics } from '../../adapters/metrics/prometheus-metrics.js';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { ManualClock } from '../support/manual-clock.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function botWith(options: {
  notifiers?: RecordingNotifier[];
  env?: Record<string, string>;
  now?: () => Date;
}) {
  const board = await new FakeBoard().start();
  const bot = new PipelineHarness({ feedUrl: board.url, ...options });
  cleanup.push(
    () => board.close(),
    () => bot.close(),
  );
  await bot.start();
  return { board, bot };
}

/** One sample of the exposition text, by name and (a subset of) its labels; null when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) {
      return Number(match[3]);
    }
  }
  return null;
}

async function scrape(bot: PipelineHarness, headers: Record<string, string> = {}) {
  const res = await fetch(`${bot.httpUrl}/metrics`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('GET /metrics', () => {
  it('counts deliveries, latency, 429s and polls; reports the backlog and queues', async () => {
    const slack = new RecordingNotifier('slack');
    const { board, bot } = await botWith({ notifiers: [slack] });
    await bot.subscribe('slack', 'C-OK');
    await bot.subscribe('slack', 'C-LIMITED');
    await bot.subscribe('slack', 'C-DOWN');
    slack.failures.set('C-LIMITED', [{ kind: 'rate-limited', retryAfterMs: 50 }]);
    slack.alwaysFail.set('C-DOWN', { kind: 'transient' });

    await bot.pollOnce(); // the first read: archived, nobody alerted
    board.publish('2024년 탄소중립 이행계획 발표');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.byChannel()).toEqual({ 'C-OK': [1653], 'C-LIMITED': [1653] });

    const { status, headers, text } = await scrape(bot);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const slackOutcome = (outcome: string) =>
      sample(text, 'esgnews_deliveries_total', { platform: 'slack', outcome });
    expect(slackOutcome('delivered')).toBe(2);
    expect(slackOutcome('rate-limited')).toBe(1);
    // The harness allows 5 attempts; the post stays owed to the channel that is down.
    expect(slackOutcome('failed')).toBe(5);
    expect(sample(text, 'esgnews_delivery_latency_seconds_count', { platform: 'slack' })).toBe(2);
    expect(
      sample(text, 'esgnews_rate_limited_total', { platform: 'slack', scope: 'channel' }),
    ).toBe(1);

    const source = bot.sourceId;
    expect(sample(text, 'esgnews_polls_total', { source, outcome: 'initialized' })).toBe(1);
    expect(sample(text, 'esgnews_polls_total', { source, outcome: 'read' })).toBe(1);
    expect(sample(text, 'esgnews_poll_duration_seconds_count', { source })).toBe(2);

    expect(sample(text, 'esgnews_shared_state_up')).toBe(1);
    expect(sample(text, 'esgnews_subscriptions', { platform: 'slack' })).toBe(3);
    expect(sample(text, 'esgnews_posts_owed', { platform: 'slack' })).toBe(1);
    expect(sample(text, 'esgnews_channels_owing', { platform: 'slack' })).toBe(1);
    expect(sample(text, 'esgnews_platform_paused', { platform: 'slack' })).toBe(0);
    expect(sample(text, 'esgnews_jobs', { queue: 'deliver-slack', state: 'failed' })).toBe(1);
    expect(sample(text, 'esgnews_jobs', { queue: 'deliver-slack', state: 'waiting' })).toBe(0);
    expect(sample(text, 'esgnews_jobs', { queue: 'poll', state: 'completed' })).toBe(2);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts a poll of a failing source as failed', async () => {
    const { board, bot } = await botWith({});
    board.fault = 'http500';
    await expect(bot.pollOnce()).rejects.toThrow(/poll failed/);

    const { text } = await scrape(bot);
    const source = bot.sourceId;
    expect(sample(text, 'esgnews_polls_total', { source, outcome: 'failed' })).toBe(1);
    expect(sample(text, 'esgnews_poll_duration_seconds_count', { source })).toBe(1);
    expect(sample(text, 'esgnews_deliveries_total', { outcome: 'delivered' })).toBe(0);
  });

  it('asks for METRICS_TOKEN as a bearer token when one is configured', async () => {
    const token = 'a-metrics-token-of-some-length';
    const { bot } = await botWith({ env: { METRICS_TOKEN: token } });

    const missing = await scrape(bot);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.text).not.toContain('esgnews_');
    expect((await scrape(bot, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await scrape(bot, { authorization: `Basic ${token}` })).status).toBe(401);

    const allowed = await scrape(bot, { authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect(sample(allowed.text, 'esgnews_shared_state_up')).toBe(1);
  });
});

describe('GET /metrics and the polling rhythm', () => {
  it('reports the interval in force per source, and counts skipped ticks as not due, untimed', async () => {
    // Monday 06:00 in Korea: before office hours.
    const clock = new ManualClock(Date.parse('2026-12-07T06:00:00+09:00'));
    const { bot } = await botWith({
      env: { POLL_INTERVAL: '5m', POLL_BUSY_HOURS: 'mon-fri 08:00-20:00' },
      now: clock.now,
    });
    const interval = async () =>
      sample((await scrape(bot)).text, 'esgnews_source_poll_interval_seconds', { source: 'esg' });
    expect(await interval()).toBe(300);

    expect(await bot.pollOnce()).toMatchObject({ status: 'initialized' });
    clock.advance(4 * 60_000);
    expect(await bot.pollOnce()).toMatchObject({ status: 'not-due' });
    const { text } = await scrape(bot);
    expect(sample(text, 'esgnews_polls_total', { source: 'esg', outcome: 'not-due' })).toBe(1);
    expect(sample(text, 'esgnews_poll_duration_seconds_count', { source: 'esg' })).toBe(1);

    // 08:00: the busy interval, and the next tick polls at once.
    clock.set(Date.parse('2026-12-07T08:00:00+09:00'));
    expect(await interval()).toBe(60);
    expect(await bot.pollOnce()).toMatchObject({ status: 'not-modified' });
  });
});

describe('the metrics parts', () => {
  it('matches only the exact bearer token, whatever the scheme case', () => {
    const request = (authorization?: string) =>
      ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;
    expect(authorizationMatches(request('Bearer s3cret-token'), 's3cret-token', ['bearer'])).toBe(
      true,
    );
    expect(authorizationMatches(request('bearer s3cret-token'), 's3cret-token', ['bearer'])).toBe(
      true,
    );
    expect(authorizationMatches(request('Bearer s3cret-toke'), 's3cret-token', ['bearer'])).toBe(
      false,
    );
    expect(
      authorizationMatches(request('Bearer s3cret-token extra'), 's3cret-token', ['bearer']),
    ).toBe(false);
    expect(authorizationMatches(request('s3cret-token'), 's3cret-token', ['bearer'])).toBe(false);
    expect(authorizationMatches(request(), 's3cret-token', ['bearer'])).toBe(false);
  });

  it('still answers with the process series when the shared state cannot be read', async () => {
    const metrics = new PrometheusMetrics({
      platforms: ['slack'],
      readState: () => Promise.reject(new Error('redis down')),
      logger: pino({ level: 'silent' }),
      processMetrics: false,
    });
    metrics.delivery({ platform: 'slack', result: 'delivered', latencyMs: 1_500 });

    const { body } = await metrics.render();
    expect(sample(body, 'esgnews_shared_state_up')).toBe(0);
    expect(sample(body, 'esgnews_subscriptions')).toBeNull();
    expect(sample(body, 'esgnews_deliveries_total', { outcome: 'delivered' })).toBe(1);
    expect(sample(body, 'esgnews_delivery_latency_seconds_bucket', { le: '2' })).toBe(1);
    expect(sample(body, 'esgnews_delivery_latency_seconds_bucket', { le: '1' })).toBe(0);
  });
});
