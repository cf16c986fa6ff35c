/** An HTTP answer of the fake: status, JSON body (none for 204) and headers. */
export interface DiscordAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A 429 planted by a test on one channel (or, `global`, on the whole bot). */
export interface PlantedRateLimit {
  status: 429;
  /** Seconds: the `retry_after` Discord sends, and how long the window lasts. */
  retryAfter: number;
  global?: boolean;
  /** How many windows are still to come; absent: every one. */
  remaining?: number;
}

/** A per-route bucket: so many requests per window, per channel (the route's top-level resource). */
export interface DiscordBucket {
  limit: number;
  resetAfterMs: number;
}

/**
 * Each channel's message bucket. Discord documents no numbers (and says not to hard-code
 * them); 5 messages per 5 s is what it is commonly seen to announce for a channel.
 */
export const DISCORD_CHANNEL_BUCKET = { messages: 5, seconds: 5 } as const;

/** The routes that carry a bucket, and the `X-RateLimit-Bucket` hash each announces. */
const BUCKET_HASHES = { create: 'fake-message-create', edit: 'fake-message-edit' } as const;
export type BucketRoute = keyof typeof BUCKET_HASHES;

/**
 * Discord's rate limits as its documentation describes them (docs/topics/rate-limits):
 * every message create and edit carries `X-RateLimit-Limit`, `-Remaining`, `-Reset`,
 * `-Reset-After` and `-Bucket`, so a client sees a bucket run out before it gets a 429; a 429
 * says `Retry-After` (whole seconds) and `retry_after` (exact), and `X-RateLimit-Scope`
 * (`user` for a route, `global` with `X-RateLimit-Global` for the bot's global limit).
 *
 * A 429 opens a window in which every request is refused again, as Discord refuses a client
 * that does not wait. Buckets and windows run on the fake's clock (`now`).
 */
export class DiscordRateLimits {
  /** Each channel's message create and edit buckets ({@link DISCORD_CHANNEL_BUCKET}). */
  bucket: DiscordBucket = {
    limit: DISCORD_CHANNEL_BUCKET.messages,
    resetAfterMs: DISCORD_CHANNEL_BUCKET.seconds * 1000,
  };
  /** Requests per second per bot across routes, when set (a global 429 beyond). */
  globalPerSecond: number | null = null;
  /** 429s answered, planted or not. */
  rejected429 = 0;
  private readonly buckets = new Map<string, { resetAt: number; used: number }>();
  /** Open 429 windows: per channel, or `global`. */
  private readonly windows = new Map<string, { until: number; global: boolean }>();
  private readonly recentRequests: number[] = [];

  constructor(private readonly now: () => number) {}

  /**
   * Takes one request on `route` in `channelId` from its bucket: a 429 answer when it may not
   * go ahead, else the headers that announce what is left of the bucket.
   */
  take(
    route: BucketRoute,
    channelId: string,
    planted: PlantedRateLimit | undefined,
  ): { refusal: DiscordAnswer } | { headers: Record<string, string> } {
    const now = this.now();
    const refusal =
      this.openWindow('global', route, now) ??
      this.openWindow(channelId, route, now) ??
      this.plant(route, channelId, planted, now) ??
      this.globalLimit(now);
    if (refusal) {
      this.rejected429++;
      return { refusal };
    }
    const key = `${route} ${channelId}`;
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      this.buckets.set(key, (bucket = { resetAt: now + this.bucket.resetAfterMs, used: 0 }));
    }
    if (bucket.used >= this.bucket.limit) {
      this.rejected429++;
      return { refusal: this.routeLimited(route, (bucket.resetAt - now) / 1000, now) };
    }
    bucket.used++;
    this.recentRequests.push(now);
    return {
      headers: this.bucketHeaders(route, this.bucket.limit - bucket.used, bucket.resetAt, now),
    };
  }

  private openWindow(key: string, route: BucketRoute, now: number): DiscordAnswer | null {
    const window = this.windows.get(key);
    if (!window || now >= window.until) return null;
    const seconds = (window.until - now) / 1000;
    return window.global ? globalLimited(seconds) : this.routeLimited(route, seconds, now);
  }

  /** Opens a planted window when the plant has one left. */
  private plant(
    route: BucketRoute,
    channelId: string,
    planted: PlantedRateLimit | undefined,
    now: number,
  ): DiscordAnswer | null {
    if (!planted || (planted.remaining !== undefined && planted.remaining <= 0)) return null;
    if (planted.remaining !== undefined) planted.remaining--;
    const global = planted.global ?? false;
    this.windows.set(global ? 'global' : channelId, {
      until: now + planted.retryAfter * 1000,
      global,
    });
    return global
      ? globalLimited(planted.retryAfter)
      : this.routeLimited(route, planted.retryAfter, now);
  }

  /** The bot's global limit over any one-second span, when a test turned it on. */
  private globalLimit(now: number): DiscordAnswer | null {
    if (this.globalPerSecond === null) return null;
    while (this.recentRequests.length > 0 && this.recentRequests[0]! <= now - 1000) {
      this.recentRequests.shift();
    }
    if (this.recentRequests.length < this.globalPerSecond) return null;
    return globalLimited((this.recentRequests[0]! + 1000 - now) / 1000);
  }

  /** A route's 429: the bucket is empty until it resets, `retry_after` from now. */
  private routeLimited(route: BucketRoute, seconds: number, now: number): DiscordAnswer {
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: seconds, global: false },
      headers: {
        'retry-after': String(Math.max(1, Math.ceil(seconds))),
        ...this.bucketHeaders(route, 0, now + seconds * 1000, now),
        'x-ratelimit-scope': 'user',
      },
    };
  }

  private bucketHeaders(
    route: BucketRoute,
    remaining: number,
    resetAt: number,
    now: number,
  ): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.bucket.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': BUCKET_HASHES[route],
    };
  }
}

/** The global 429: no bucket headers, `X-RateLimit-Global` and scope `global`. */
function globalLimited(seconds: number): DiscordAnswer {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: seconds, global: true },
    headers: {
      'retry-after': String(Math.max(1, Math.ceil(seconds))),
      'x-ratelimit-global': 'true',
      'x-ratelimit-scope': 'global',
    },
  };
}
