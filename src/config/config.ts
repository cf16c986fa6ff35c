import { existsSync } from 'node:fs';
import { z } from 'zod';
import { USER_AGENT } from '../util/about.js';
import { SENT_MESSAGE_RETENTION_MS } from '../ports/sent-message-store.js';
import { attemptsToSpan } from '../util/retry-span.js';
import { collectSecrets, secret, type Secrets } from './secrets.js';
import { SOURCE_VARIABLES, sourcePolicy, type SourcePolicyConfig } from './config-sources.js';
import { byteSize, duration, flag, httpUrl } from './config-values.js';
import { POLL_VARIABLES, pollRhythms, type PollRhythms } from './config-polling.js';
import { parseEncryptionKey } from '../util/token-cipher.js';
import {
  PLATFORM_IDS,
  platformEntry,
  type Platform,
  type PlatformConfigs,
} from '../platforms/platform-registry.js';
import { DEFAULT_SOURCE_NAME, parseSources, sameUrl, type SourceConfig } from './source-config.js';

/** The ESG 정책뉴스 board of 한국생산성본부; posts live at `https://k-esg.org/post/{id}`. */
export const DEFAULT_FEED_URL = 'https://k-esg.org/post';

/** Every platform's variables (`src/config/config-<platform>.ts`), read with the rest. */
const platformVariables: z.ZodRawShape = Object.fromEntries(
  PLATFORM_IDS.flatMap((platform) => Object.entries(platformEntry(platform).config.variables)),
);

const variables = z.object({
  REDIS_URL: secret(
    z
      .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
    { kind: 'url', configKey: 'redisUrl' },
  ),
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const nodes = parseClusterNodes(text);
      if (typeof nodes === 'string') {
        ctx.addIssue({ code: 'custom', message: nodes });
        return z.NEVER;
      }
      return nodes;
    }),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or - (it prefixes every Redis key)')
    .default('esgnews'),
  FEED_URL: secret(httpUrl.optional(), { kind: 'url', configKey: 'feedUrl' }),
  SOURCES: secret(z.string().optional(), { kind: 'urls', configKey: 'sources' }),
  SOURCE_MAX_AGE: duration('SOURCE_MAX_AGE', 1_000).default(3 * 86_400_000),
  SOURCE_STALE_AFTER: duration('SOURCE_STALE_AFTER', 0).default(14 * 86_400_000),
  SOURCES_FROM_CHAT: flag.default(true),
  ALLOW_PRIVATE_SOURCES: flag.default(false),
  MAX_SOURCES: z.coerce.number().int().min(1).max(10_000).default(100),
  POLL_INTERVAL: duration('POLL_INTERVAL', 1_000).default(5 * 60_000),
  ...POLL_VARIABLES,
  FETCH_TIMEOUT: duration('FETCH_TIMEOUT', 100).default(15_000),
  SOURCE_ALERT_AFTER: duration('SOURCE_ALERT_AFTER', 1_000).default(3_600_000),
  FETCH_MAX_BYTES: byteSize.default(5 * 1024 * 1024),
  USER_AGENT: z.string().min(1).max(512).default(USER_AGENT),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  TRUST_PROXY: flag.default(false),
  METRICS_TOKEN: secret(z.string().min(16, 'must be at least 16 characters').optional(), {
    kind: 'value',
    configKey: 'metricsToken',
  }),
  ADMIN_TOKEN: secret(z.string().min(16, 'must be at least 16 characters').optional(), {
    kind: 'value',
    configKey: 'adminToken',
  }),
  ROLE: z.enum(['all', 'scheduler', 'worker', 'web']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TOKEN_ENCRYPTION_KEY: secret(
    z
      .string()
      .optional()
      .superRefine((text, ctx) => {
        if (text === undefined) return;
        try {
          parseEncryptionKey(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    { kind: 'value', configKey: 'encryptionKey' },
  ),
  DELIVERY_RETRY_DELAY: duration('DELIVERY_RETRY_DELAY', 10).default(2_000),
  DELIVERY_RETRY_MAX_DELAY: duration('DELIVERY_RETRY_MAX_DELAY', 10).default(10 * 60_000),
  DELIVERY_GIVE_UP_AFTER: duration('DELIVERY_GIVE_UP_AFTER', 1_000).default(24 * 3_600_000),
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).optional(),
  DELIVERY_RECORD_TTL: duration('DELIVERY_RECORD_TTL', 1_000).optional(),
  CORRECTION_WINDOW: duration('CORRECTION_WINDOW', 1_000).default(SENT_MESSAGE_RETENTION_MS),
  SWEEP_INTERVAL: duration('SWEEP_INTERVAL', 1_000).default(60_000),
  PLATFORM_PROBE_INTERVAL: duration('PLATFORM_PROBE_INTERVAL', 1_000).default(60_000),
  ...SOURCE_VARIABLES,
  // Typed by each section, which alone reads them.
  ...(platformVariables as Record<never, never>),
});

const schema = variables.superRefine((env, ctx) => {
  if (env.SOURCES !== undefined) {
    const { sources, problems } = parseSources(env.SOURCES);
    for (const message of problems) ctx.addIssue({ code: 'custom', path: ['SOURCES'], message });
    if (env.FEED_URL && sources[0] && !sameUrl(env.FEED_URL, sources[0].url)) {
      ctx.addIssue({
        code: 'custom',
        path: ['FEED_URL'],
        message: 'differs from the first source in SOURCES: remove FEED_URL, or make it that URL',
      });
    }
  }
  if (env.DELIVERY_RETRY_MAX_DELAY < env.DELIVERY_RETRY_DELAY) {
    ctx.addIssue({
      code: 'custom',
      path: ['DELIVERY_RETRY_MAX_DELAY'],
      message: 'must not be shorter than DELIVERY_RETRY_DELAY',
    });
  }
  if (
    env.DELIVERY_RECORD_TTL !== undefined &&
    env.DELIVERY_RECORD_TTL < env.DELIVERY_GIVE_UP_AFTER
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['DELIVERY_RECORD_TTL'],
      message:
        'must not be shorter than DELIVERY_GIVE_UP_AFTER (a retried fan-out would repeat alerts)',
    });
  }
  for (const platform of PLATFORM_IDS) platformEntry(platform).config.check?.(env, ctx);
});

/** Every environment variable the configuration reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(variables.shape);

/** Environment variables as the bot sees them; empty strings count as unset. */
export type Env = Record<string, string | undefined>;

export interface Config extends PlatformConfigs {
  redisUrl: string;
  /**
   * The seed nodes of a Redis Cluster; when set the bot talks to the cluster (with REDIS_URL's
   * user and password, if it has them) instead of the single Redis at `redisUrl`.
   */
  redisClusterNodes: ClusterNode[] | null;
  /** `QUEUE_PREFIX` as configured. */
  queuePrefix: string;
  /**
   * What every Redis key starts with: the queue prefix, in a cluster wrapped as a hash tag
   * (`{esgnews}`) so BullMQ's and the bot's own multi-key scripts find their keys in one slot.
   */
  keyPrefix: string;
  /** The sources to read; the first is the default (`/news 1645`, `/news 구독`). */
  sources: SourceConfig[];
  /** An item first seen but published longer ago than this is archived without an alert. */
  sourceMaxAgeMs: number;
  /** A source that reads fine but has had nothing new this long is announced as stale (0: never). */
  sourceStaleAfterMs: number;
  /** Whether `/news 구독 <url>` may add a feed from chat. */
  sourcesFromChat: boolean;
  /** Lets chat-added sources point at private addresses (tests, private deployments). */
  allowPrivateSources: boolean;
  /** At most this many sources in all, configured and chat-added. */
  maxSources: number;
  /** What one source may cost, by origin, and the tenants' budget of chat-added ones. */
  sourcePolicy: SourcePolicyConfig;
  /** `POLL_INTERVAL`: the quiet interval of the global rhythm. */
  pollIntervalMs: number;
  /** How often each source is polled, busy and quiet hours (see `config-polling.ts`). */
  pollRhythms: PollRhythms;
  fetchTimeoutMs: number;
  /** After this long of failed reads, subscribed channels are told (and told again on recovery). */
  sourceAlertAfterMs: number;
  fetchMaxBytes: number;
  /** Sent with every request to a source; some sites block unknown agents. */
  userAgent: string;
  deliveryConcurrency: number;
  delivery: DeliveryConfig;
  /** How often the sweep queues forgotten work again and probes paused platforms. */
  sweepIntervalMs: number;
  /** At most one probe of a paused platform per this interval, across all processes. */
  probeIntervalMs: number;
  host: string;
  port: number;
  /**
   * Behind a reverse proxy the operator runs: a client is told by the right-most
   * `X-Forwarded-For` entry instead of the socket (per-client limits of `/slack/install`).
   */
  trustProxy: boolean;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** What this process runs (`npm start -- --role …` overrides it). */
  role: z.infer<typeof schema>['ROLE'];
  /** When set, `GET /metrics` asks for it as a bearer token. */
  metricsToken: string | undefined;
  /** When set, the web role serves the queue dashboard at `/admin/queues` behind it. */
  adminToken: string | undefined;
  /**
   * `TOKEN_ENCRYPTION_KEY`: seals webhook destinations' URLs and secrets (and, in OAuth mode,
   * Slack's bot tokens); `null` when not set, and then no destination can be added.
   */
  encryptionKey: Buffer | null;
}

export interface ClusterNode {
  host: string;
  port: number;
}

/** `host:port` entries separated by commas, spaces or newlines; an error message otherwise. */
export function parseClusterNodes(text: string): ClusterNode[] | string {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) return 'must list at least one host:port';
  const nodes: ClusterNode[] = [];
  for (const entry of entries) {
    const match = /^(?:redis:\/\/)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      return `"${entry}" is not host:port (e.g. 10.0.0.1:7000,10.0.0.2:7000)`;
    }
    nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return nodes;
}

/** How deliveries are retried, and for how long a failing channel is owed a post. */
export interface DeliveryConfig {
  /** First back-off after a failure; doubles on each attempt. */
  retryDelayMs: number;
  /** The back-off never grows beyond this: a failing platform is still tried this often. */
  retryMaxDelayMs: number;
  /** Attempts per job; by default enough for the back-offs to span `giveUpAfterMs`. */
  attempts: number;
  /** A post still failing this long after it was announced is given up for that channel. */
  giveUpAfterMs: number;
  /** How long a settled (post, channel) is remembered to stop a re-run repeating it. */
  recordRetentionMs: number;
  /** How long sent alerts are remembered, so a correction at the source can edit them. */
  sentMessageRetentionMs: number;
}

/** Thrown at start with every bad variable listed, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment into a typed configuration; throws {@link ConfigError}. */
export function parseConfig(env: Env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.join('.');
        // Values are not echoed: some variables hold secrets.
        return `${key}: ${issue.message}`;
      }),
    );
  }
  const e = result.data;
  const sources = e.SOURCES
    ? parseSources(e.SOURCES).sources
    : [{ name: DEFAULT_SOURCE_NAME, url: e.FEED_URL ?? DEFAULT_FEED_URL }];
  return {
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES ?? null,
    queuePrefix: e.QUEUE_PREFIX,
    keyPrefix: e.REDIS_CLUSTER_NODES ? `{${e.QUEUE_PREFIX}}` : e.QUEUE_PREFIX,
    sources,
    sourceMaxAgeMs: e.SOURCE_MAX_AGE,
    sourceStaleAfterMs: e.SOURCE_STALE_AFTER,
    sourcesFromChat: e.SOURCES_FROM_CHAT,
    allowPrivateSources: e.ALLOW_PRIVATE_SOURCES,
    maxSources: e.MAX_SOURCES,
    sourcePolicy: sourcePolicy(e),
    pollIntervalMs: e.POLL_INTERVAL,
    pollRhythms: pollRhythms(e, sources),
    fetchTimeoutMs: e.FETCH_TIMEOUT,
    sourceAlertAfterMs: e.SOURCE_ALERT_AFTER,
    fetchMaxBytes: e.FETCH_MAX_BYTES,
    userAgent: e.USER_AGENT,
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
    delivery: {
      retryDelayMs: e.DELIVERY_RETRY_DELAY,
      retryMaxDelayMs: e.DELIVERY_RETRY_MAX_DELAY,
      attempts:
        e.DELIVERY_ATTEMPTS ??
        attemptsToSpan(
          e.DELIVERY_GIVE_UP_AFTER,
          e.DELIVERY_RETRY_DELAY,
          e.DELIVERY_RETRY_MAX_DELAY,
        ),
      giveUpAfterMs: e.DELIVERY_GIVE_UP_AFTER,
      // Re-runs of a post's work (a retried fan-out) happen within the give-up window.
      recordRetentionMs: e.DELIVERY_RECORD_TTL ?? e.DELIVERY_GIVE_UP_AFTER + 3_600_000,
      sentMessageRetentionMs: e.CORRECTION_WINDOW,
    },
    sweepIntervalMs: e.SWEEP_INTERVAL,
    probeIntervalMs: e.PLATFORM_PROBE_INTERVAL,
    host: e.HOST,
    port: e.PORT,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    role: e.ROLE,
    metricsToken: e.METRICS_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    encryptionKey: e.TOKEN_ENCRYPTION_KEY ? parseEncryptionKey(e.TOKEN_ENCRYPTION_KEY) : null,
    ...readPlatformConfigs(e),
  };
}

/** Each platform's configuration from its section; `null` where this process has none. */
function readPlatformConfigs(env: Record<string, unknown>): PlatformConfigs {
  return Object.fromEntries(
    PLATFORM_IDS.map((platform: Platform) => [platform, platformEntry(platform).config.read(env)]),
  ) as PlatformConfigs;
}

/**
 * What must never reach a log line: the variables marked `secret` in the schema, by their
 * config key names (any depth) and by their values in `env` (tokens, URL passwords, query
 * values of source URLs).
 */
export function configSecrets(env: Env): Secrets {
  return collectSecrets(variables.shape, env);
}

/** Reads `.env` (when present) into `process.env` without overriding what is already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
