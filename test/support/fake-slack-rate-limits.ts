/** 429s planted by a test: how many rate-limit windows are still to come, and each one's length. */
export interface PlantedRateLimit {
  remaining: number;
  /** Seconds: the `Retry-After` Slack sends, and how long the window lasts. */
  retryAfter: number;
}

/** Slack's own limits, enforced when a test turns them on. */
export interface SlackLimits {
  /** Messages per second per workspace (over any one-second span). */
  perWorkspacePerSecond: number;
  /** Messages per channel in any one-second span (default 1). */
  perChannelPerSecond?: number;
  /** Every Web API call answers after this long. */
  latencyMs?: number;
}

/**
 * `chat.update` is a Tier 3 method: "50+ per minute" per workspace (docs.slack.dev, Rate
 * limits; api.slack.com/methods/chat.update). The one-message-per-second-per-channel rule is
 * `chat.postMessage`'s own.
 */
const UPDATES_PER_MINUTE = 50;

/**
 * When the fake answers 429, and with which `Retry-After`. A 429 opens a window: every call
 * inside it is refused again, with the time still to wait, as Slack refuses a client that does
 * not wait. Windows are measured on the fake's clock (`now`), which a test may inject.
 */
export class SlackRateLimits {
  /** 429 windows to open per channel (any team). */
  readonly rateLimits = new Map<string, PlantedRateLimit>();
  /** 429 windows to open per team, on every message call of the team. */
  readonly teamRateLimits = new Map<string, PlantedRateLimit>();
  limits: SlackLimits | null = null;
  /** 429s answered: in all, and per team. */
  rejected429 = 0;
  readonly rejected429ByTeam = new Map<string, number>();
  /** Window key → the fake time it ends. */
  private readonly windows = new Map<string, number>();
  /** Sliding-window key → the times of the calls it let through. */
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  /**
   * The `Retry-After` (seconds) of a 429 for a `chat.postMessage` or `chat.update` call of
   * `team` in `channel`, or null when it may go ahead (and then counts toward the limits).
   */
  check(method: 'chat.postMessage' | 'chat.update', team: string, channel: string): number | null {
    const now = this.now();
    const retryAfter =
      this.planted(`channel ${channel}`, this.rateLimits.get(channel), now) ??
      this.planted(`team ${team}`, this.teamRateLimits.get(team), now) ??
      this.ownLimits(method, team, channel, now);
    if (retryAfter !== null) {
      this.rejected429++;
      this.rejected429ByTeam.set(team, (this.rejected429ByTeam.get(team) ?? 0) + 1);
    }
    return retryAfter;
  }

  /** An open window's remaining wait, or a new window when the plant has one left. */
  private planted(key: string, plant: PlantedRateLimit | undefined, now: number): number | null {
    const until = this.windows.get(key);
    if (until !== undefined && now < until) return Math.max(1, Math.ceil((until - now) / 1000));
    if (!plant || plant.remaining <= 0) return null;
    plant.remaining--;
    this.windows.set(key, now + plant.retryAfter * 1000);
    return plant.retryAfter;
  }

  private ownLimits(
    method: 'chat.postMessage' | 'chat.update',
    team: string,
    channel: string,
    now: number,
  ): number | null {
    if (!this.limits) return null;
    if (method === 'chat.update') {
      const updates = this.window(`updates ${team}`, now, 60_000);
      if (updates.length >= UPDATES_PER_MINUTE) return 1;
      updates.push(now);
      return null;
    }
    const inTeam = this.window(`posts ${team}`, now, 1000);
    if (inTeam.length >= this.limits.perWorkspacePerSecond) return 1;
    const inChannel = this.window(`posts ${team}/${channel}`, now, 1000);
    if (inChannel.length >= (this.limits.perChannelPerSecond ?? 1)) return 1;
    inTeam.push(now);
    inChannel.push(now);
    return null;
  }

  /** The times under `key` within the last `spanMs`, older ones dropped. */
  private window(key: string, now: number, spanMs: number): number[] {
    let times = this.recent.get(key);
    if (!times) this.recent.set(key, (times = []));
    while (times.length > 0 && times[0]! <= now - spanMs) times.shift();
    return times;
  }
}
