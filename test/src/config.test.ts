import { deliveryRate } from '../../src/platforms/platform-registry.js';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USER_AGENT } from '../../src/util/about.js';
import {
  CONFIG_VARIABLES,
  ConfigError,
  configSecrets,
  DEFAULT_FEED_URL,
  loadDotEnv,
  parseConfig,
} from '../../src/config/config.js';
import { parseDuration } from '../../src/util/duration.js';

describe('configuration', () => {
  it('has working defaults for everything', () => {
    expect(parseConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisClusterNodes: null,
      queuePrefix: 'esgnews',
      keyPrefix: 'esgnews',
      sources: [{ name: 'esg', url: DEFAULT_FEED_URL }],
      sourceMaxAgeMs: 3 * 86_400_000,
      sourceStaleAfterMs: 14 * 86_400_000,
      sourcesFromChat: true,
      allowPrivateSources: false,
      maxSources: 100,
      sourcePolicy: {
        parseTimeoutMs: 5_000,
        config: {
          maxItems: 500,
          retention: { maxPosts: 10_000, maxAgeMs: 365 * 86_400_000 },
          maxSeenItems: 10_000,
          pollConcurrency: 2,
          pollTimeBudgetMs: 120_000,
          slowAfterMs: null,
        },
        chat: {
          maxItems: 100,
          retention: { maxPosts: 1_000, maxAgeMs: 90 * 86_400_000 },
          maxSeenItems: 1_000,
          pollConcurrency: 4,
          pollTimeBudgetMs: 30_000,
          slowAfterMs: 5_000,
        },
        maxPerWorkspace: 20,
        releasedGraceMs: 7 * 86_400_000,
      },
      pollIntervalMs: 300_000,
      // Office hours every minute, computed to stay within 900 polls a day (see config-polling.test.ts).
      pollRhythms: {
        global: {
          quietMs: 300_000,
          busyMs: 60_000,
          windows: [{ firstDay: 0, lastDay: 4, start: 480, end: 1200 }],
        },
        bySource: new Map(),
      },
      fetchTimeoutMs: 15_000,
      sourceAlertAfterMs: 3_600_000,
      fetchMaxBytes: 5 * 1024 * 1024,
      userAgent: USER_AGENT,
      deliveryConcurrency: 50,
      delivery: {
        retryDelayMs: 2_000,
        retryMaxDelayMs: 600_000,
        // 2 s doubling to the 10-minute cap, then every 10 minutes, for 24 hours.
        attempts: 153,
        giveUpAfterMs: 86_400_000,
        recordRetentionMs: 90_000_000,
        sentMessageRetentionMs: 30 * 86_400_000,
      },
      sweepIntervalMs: 60_000,
      probeIntervalMs: 60_000,
      host: '0.0.0.0',
      port: 3000,
      trustProxy: false,
      logLevel: 'info',
      role: 'all',
      metricsToken: undefined,
      adminToken: undefined,
      encryptionKey: null,
      slack: null,
      discord: null,
      console: {},
      telegram: null,
      // Webhook destinations need TOKEN_ENCRYPTION_KEY: without it, none are configured.
      teams: null,
      jandi: null,
      dooray: null,
      webhook: null,
    });
  });

  it('turns on the webhook destination platforms with TOKEN_ENCRYPTION_KEY, and Telegram with its token', () => {
    const key = 'ab'.repeat(32);
    const config = parseConfig({
      TOKEN_ENCRYPTION_KEY: key,
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      DESTINATION_TIMEOUT: '5s',
      TELEGRAM_BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
    });
    expect(config.encryptionKey).toEqual(Buffer.from(key, 'hex'));
    expect(config.teams).toEqual({
      encryptionKey: Buffer.from(key, 'hex'),
      allowPrivate: true,
      timeoutMs: 5_000,
      spacingMs: 250,
    });
    expect(config.webhook?.allowPrivate).toBe(true);
    expect(deliveryRate('teams', config)).toBeNull();
    expect(config.telegram).toEqual({
      token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
      apiUrl: 'https://api.telegram.org',
      rateLimit: 25,
    });
    expect(deliveryRate('telegram', config)).toBe(25);
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token' })).toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it("keeps each platform's delivery rate in its own section, with the platforms' defaults", () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'signing-secret',
      DISCORD_TOKEN: 'discord-token-of-twenty-chars',
      DISCORD_APPLICATION_ID: '123456789012345678',
    });
    expect(config.slack?.rateLimit).toBe(10);
    expect(config.discord?.rateLimit).toBe(48);
    expect(deliveryRate('slack', config)).toBe(10);
    expect(deliveryRate('discord', config)).toBe(48);
    expect(deliveryRate('console', config)).toBeNull();
    const tuned = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_RATE_LIMIT: '3',
    });
    expect(deliveryRate('slack', tuned)).toBe(3);
    // Not configured here: no queue limit from this process.
    expect(deliveryRate('discord', tuned)).toBeNull();
  });

  it('limits each Slack workspace on its own in OAuth mode, not the whole Slack queue', () => {
    const config = parseConfig({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret-of-16-chars',
      SLACK_SIGNING_SECRET: 'signing-secret',
      TOKEN_ENCRYPTION_KEY: 'a'.repeat(64),
    });
    expect(config.slack?.oauth?.workspaceRatePerSecond).toBe(10);
    expect(deliveryRate('slack', config)).toBeNull();
  });

  it('reads Redis Cluster seed nodes and hash-tags the key prefix for them', () => {
    const config = parseConfig({
      REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis://cache-2.internal:7001\n[::1]:7002',
      QUEUE_PREFIX: 'bot',
    });
    expect(config.redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'cache-2.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(config.keyPrefix).toBe('{bot}');
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: '10.0.0.1' })).toThrow(
      /REDIS_CLUSTER_NODES: "10.0.0.1" is not host:port/,
    );
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: 'a:70000' })).toThrow(/is not host:port/);
  });

  it('keeps the metrics and admin tokens out of logs and refuses short ones', () => {
    const env = { METRICS_TOKEN: 'm'.repeat(20), ADMIN_TOKEN: 'a'.repeat(24) };
    const config = parseConfig(env);
    expect(config).toMatchObject({ metricsToken: env.METRICS_TOKEN, adminToken: env.ADMIN_TOKEN });
    const secrets = configSecrets(env);
    expect(secrets.keys).toContain('metricstoken');
    expect(secrets.values).toEqual(expect.arrayContaining([env.METRICS_TOKEN, env.ADMIN_TOKEN]));
    expect(() => parseConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: must be at least 16/);
  });

  it('documents in .env.example only variables the configuration reads', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const named = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    for (const name of named) expect(CONFIG_VARIABLES).toContain(name);
  });

  it('refuses delivery settings that would repeat alerts or make no sense', () => {
    expect(() =>
      parseConfig({ DELIVERY_RETRY_DELAY: '1m', DELIVERY_RETRY_MAX_DELAY: '10s' }),
    ).toThrow(/DELIVERY_RETRY_MAX_DELAY: must not be shorter than DELIVERY_RETRY_DELAY/);
    expect(() => parseConfig({ DELIVERY_GIVE_UP_AFTER: '2h', DELIVERY_RECORD_TTL: '1h' })).toThrow(
      /DELIVERY_RECORD_TTL: must not be shorter than DELIVERY_GIVE_UP_AFTER/,
    );
    expect(parseConfig({ DELIVERY_ATTEMPTS: '3' }).delivery.attempts).toBe(3);
    expect(parseConfig({ DELIVERY_GIVE_UP_AFTER: '1h' }).delivery).toMatchObject({
      attempts: 15, // 2+4+…+512 s (17 min), then five 10-minute steps: 14 waits
      recordRetentionMs: 7_200_000,
    });
  });

  it('builds the log redaction from the secret marks of the schema', () => {
    const secrets = configSecrets({
      SLACK_BOT_TOKEN: 'xoxb-a-secret-token',
      DISCORD_TOKEN: 'discord-secret-token-0123456789',
      REDIS_URL: 'redis://user:redis-password@redis:6379',
      FEED_URL: 'https://apis.data.go.kr/feed?serviceKey=abc%2Bdef%3D%3D&pageNo=1',
      SLACK_API_URL: 'https://slack.com/api/',
    });
    expect(secrets.values).toEqual(
      expect.arrayContaining([
        'xoxb-a-secret-token',
        'discord-secret-token-0123456789',
        'redis-password',
        'abc+def==',
      ]),
    );
    expect(secrets.values).not.toContain('https://slack.com/api/');
    expect([...secrets.keys]).toEqual(
      expect.arrayContaining(['bottoken', 'signingsecret', 'apptoken', 'token']),
    );
    expect([...secrets.urlKeys]).toEqual(['redisUrl', 'feedUrl', 'sources']);
  });

  it('reads SOURCES as name=url entries, the first being the default, and keeps FEED_URL alone working', () => {
    expect(parseConfig({ FEED_URL: 'https://example.org/rss' }).sources).toEqual([
      { name: 'esg', url: 'https://example.org/rss' },
    ]);
    const sources = parseConfig({
      SOURCES:
        'esg=https://k-esg.org/post, korea=https://www.korea.kr/rss/pressrelease.xml\nme-go-kr=https://me.go.kr/rss',
      FEED_URL: 'https://k-esg.org/post',
    }).sources;
    expect(sources.map((s) => s.name)).toEqual(['esg', 'korea', 'me-go-kr']);
    expect(() =>
      parseConfig({ SOURCES: 'esg=https://k-esg.org/post', FEED_URL: 'https://other.org/rss' }),
    ).toThrow(/FEED_URL: differs from the first source in SOURCES/);
    for (const [bad, problem] of [
      ['esg', /must be name=url/],
      ['ESG=https://a.org', /must be name=url/],
      ['a-name-longer-than-twenty=https://a.org', /must be name=url/],
      ['esg=ftp://a.org', /esg: the URL must be an http\(s\) URL/],
      ['a=https://a.org b=https://a.org', /b: the URL of another source/],
      ['a=https://a.org a=https://b.org', /a: named twice/],
      ['status=https://a.org', /status: a command word of \/news cannot name a source/],
    ] as const) {
      expect(() => parseConfig({ SOURCES: bad }), bad).toThrow(problem);
    }
  });

  it('never echoes a source URL in a configuration error', () => {
    expect(() => parseConfig({ SOURCES: 'https://x.org/rss?serviceKey=SECRET' })).toThrow(
      /serviceKey=\*\*\*/,
    );
    expect(() => parseConfig({ SOURCES: 'https://x.org/rss?serviceKey=SECRET' })).not.toThrow(
      /SECRET/,
    );
  });

  it('reads durations in s, m, h or milliseconds and treats empty values as unset', () => {
    expect(parseConfig({ POLL_INTERVAL: '30s' }).pollIntervalMs).toBe(30_000);
    expect(parseConfig({ POLL_INTERVAL: '1h' }).pollIntervalMs).toBe(3_600_000);
    expect(parseConfig({ POLL_INTERVAL: '5000' }).pollIntervalMs).toBe(5_000);
    expect(parseConfig({ POLL_INTERVAL: '' }).pollIntervalMs).toBe(300_000);
  });

  it('lists every bad value in one error, without echoing values', () => {
    let error: unknown;
    try {
      parseConfig({
        REDIS_URL: 'http://secret@example.com',
        QUEUE_PREFIX: 'has:colon',
        FEED_URL: 'not a url',
        POLL_INTERVAL: '500ms',
        PORT: '70000',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'REDIS_URL',
      'QUEUE_PREFIX',
      'FEED_URL',
      'POLL_INTERVAL',
      'PORT',
      'LOG_LEVEL',
    ]);
    expect((error as Error).message).toContain(
      'POLL_INTERVAL: POLL_INTERVAL must be at least 1000 ms',
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it('reads the parse deadline and the items per read of configured and chat-added sources', () => {
    const config = parseConfig({
      SOURCE_PARSE_TIMEOUT: '2s',
      SOURCE_MAX_ITEMS: '1000',
      CHAT_SOURCE_MAX_ITEMS: '50',
    });
    expect(config.sourcePolicy.parseTimeoutMs).toBe(2_000);
    expect(config.sourcePolicy.config.maxItems).toBe(1_000);
    expect(config.sourcePolicy.chat.maxItems).toBe(50);
    expect(() => parseConfig({ SOURCE_PARSE_TIMEOUT: '10' })).toThrow(
      /SOURCE_PARSE_TIMEOUT must be at least 100 ms/,
    );
    expect(() => parseConfig({ SOURCE_MAX_ITEMS: '0' })).toThrow(/SOURCE_MAX_ITEMS/);
    expect(() => parseConfig({ CHAT_SOURCE_MAX_ITEMS: 'many' })).toThrow(/CHAT_SOURCE_MAX_ITEMS/);
  });

  it('rejects a poll interval that is not a duration', () => {
    expect(() => parseConfig({ POLL_INTERVAL: 'often' })).toThrow(
      /POLL_INTERVAL must look like 30s/,
    );
  });
});

describe('.env', () => {
  it('trusts X-Forwarded-For only when TRUST_PROXY says so', () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(() => parseConfig({ TRUST_PROXY: 'sometimes' })).toThrow(/TRUST_PROXY/);
  });

  it('fills in what the environment does not set, and never overrides it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'esg-env-')), '.env');
    writeFileSync(file, 'ESG_TEST_FROM_FILE=file\nESG_TEST_BOTH=file\n');
    process.env.ESG_TEST_BOTH = 'environment';
    loadDotEnv(file);
    expect(process.env.ESG_TEST_FROM_FILE).toBe('file');
    expect(process.env.ESG_TEST_BOTH).toBe('environment');
    loadDotEnv(join(tmpdir(), 'no-such-dir', '.env')); // a missing file is fine
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['2d', 172_800_000],
    [' 10 S ', 10_000],
    ['-1s', undefined],
    ['5 minutes', undefined],
  ])('%s → %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
