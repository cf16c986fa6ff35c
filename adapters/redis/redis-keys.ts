/** Every Redis key the bot writes, under one prefix (`QUEUE_PREFIX`), so tests and deployments can share a Redis. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: board number → post JSON. */
  posts(sourceId: string): string {
    return `${this.prefix}:posts:${sourceId}`;
  }

  /** Every source's post hash (see {@link posts}). */
  postsPattern(): string {
    return `${this.prefix}:posts:*`;
  }

  /** Sorted set of board numbers (score = number), for newest-first reads. */
  postNumbers(sourceId: string): string {
    return `${this.prefix}:post-numbers:${sourceId}`;
  }

  /** Hash: board number → searchable title and ministry. */
  postText(sourceId: string): string {
    return `${this.prefix}:post-text:${sourceId}`;
  }

  /** Sorted set of board numbers by when each was first archived (ms): ages the archive out. */
  postTimes(sourceId: string): string {
    return `${this.prefix}:post-times:${sourceId}`;
  }

  /** Hash: a feed item's identity (guid, link or hash) → its number in the source. */
  itemNumbers(sourceId: string): string {
    return `${this.prefix}:item-numbers:${sourceId}`;
  }

  /** Sorted set: feed item identities by when they were first seen, to bound the seen set. */
  itemsSeen(sourceId: string): string {
    return `${this.prefix}:items-seen:${sourceId}`;
  }

  /** Counter of the numbers the bot gives feed items that carry none of their own. */
  itemSequence(sourceId: string): string {
    return `${this.prefix}:item-seq:${sourceId}`;
  }

  /**
   * Hash, one of `RELEASE_BUCKETS`: press release (korea.kr `newsId`) → when a carrier was last
   * saved and the post of each source carrying it (see `release-index-scripts.ts`).
   */
  releaseCarriers(bucket: number): string {
    return `${this.prefix}:release-carriers:${bucket}`;
  }

  /**
   * Bitmap, one per release: bit N set once a carrier's alert shows the release in channel N
   * (its number in `channelIds`; see `ReleaseClaims`).
   */
  releaseShown(releaseId: string): string {
    return `${this.prefix}:release-shown:${releaseId}`;
  }

  /** Bitmap, one per post carrying a release: bit N set where its alert shows the release. */
  releaseShownBy(sourceId: string, boardNo: number): string {
    return `${this.prefix}:release-shown-by:${sourceId}:${boardNo}`;
  }

  /** Hash: cursor, last success and failure, HTTP validators. */
  sourceState(sourceId: string): string {
    return `${this.prefix}:source:${sourceId}`;
  }

  /**
   * Every key that holds one source's own data (archive, item numbers, state, followers), for
   * deleting a released source. Per-post keys (`settled`, `sent`) expire by themselves.
   */
  sourceData(sourceId: string): string[] {
    return [
      this.posts(sourceId),
      this.postNumbers(sourceId),
      this.postText(sourceId),
      this.postTimes(sourceId),
      this.itemNumbers(sourceId),
      this.itemsSeen(sourceId),
      this.itemSequence(sourceId),
      this.sourceState(sourceId),
      this.subscriptions(sourceId),
    ];
  }

  /** Hash: channel key → JSON of its subscription to one source (its keywords). */
  subscriptions(sourceId: string): string {
    return `${this.prefix}:subscriptions:${sourceId}`;
  }

  /** Every source's subscriptions hash (see {@link subscriptions}). */
  subscriptionsPattern(): string {
    return `${this.prefix}:subscriptions:*`;
  }

  /** Before 0.2: one hash of every channel's subscription, to the one source there was. */
  legacySubscriptions(): string {
    return `${this.prefix}:subscriptions`;
  }

  /** Hash: source name → JSON of the source (URL, origin, title, kind). */
  sources(): string {
    return `${this.prefix}:sources`;
  }

  /**
   * Hash: name → JSON of a chat-added source nobody follows any more (its record and when it
   * was let go). Its data is kept for a grace period, then deleted; meanwhile the name is not
   * given to another URL.
   */
  releasedSources(): string {
    return `${this.prefix}:sources-released`;
  }

  /**
   * Hash: platform → how many (source, channel) subscriptions it has, kept by the follow
   * scripts: whether a platform has channels at all, and the metrics' count, in one read.
   */
  platformSubscriptions(): string {
    return `${this.prefix}:platform-subscriptions`;
  }

  /** Set: the names of the sources one channel follows (its per-channel limit). */
  channelSources(channel: string): string {
    return `${this.prefix}:channel-sources:${channel}`;
  }

  /**
   * Hash: chat-added source name → how many of one tenant's channels follow it. Its fields
   * are the chat-added sources the tenant (a workspace, a server) may see, and their count
   * is what the tenant's limit counts.
   */
  tenantSources(tenant: string): string {
    return `${this.prefix}:tenant-sources:${tenant}`;
  }

  /**
   * Bitmap, one per post: bit N set once the post is settled (delivered or given up) for the
   * channel whose number is N (see {@link channelIds}). Expires after the retention.
   */
  settled(sourceId: string, boardNo: number): string {
    return `${this.prefix}:settled:${sourceId}:${boardNo}`;
  }

  /**
   * Hash, one per announced post: channel key → JSON of the channel and the platform's id of
   * the message that carried the alert, for corrections. Expires after the retention.
   */
  sentMessages(sourceId: string, boardNo: number): string {
    return `${this.prefix}:sent:${sourceId}:${boardNo}`;
  }

  /** Before 0.2: hash channel key → time, one per post. Only read to migrate them away. */
  legacyDeliveredPattern(): string {
    return `${this.prefix}:delivered:*`;
  }

  /** Hash: channel key → the channel's small number, its bit in the `settled` bitmaps. */
  channelIds(): string {
    return `${this.prefix}:channel-ids`;
  }

  /** Counter of channel numbers; never reused, so a stale bit never belongs to a new channel. */
  channelIdSequence(): string {
    return `${this.prefix}:channel-id-seq`;
  }

  /** Hash: `source|channel key` → JSON of a channel that still owes posts of that source. */
  owing(): string {
    return `${this.prefix}:owing`;
  }

  /** Hash: channel key → JSON counts of posts that will never reach it, for `status`. */
  channelProblems(): string {
    return `${this.prefix}:channel-problems`;
  }

  /** Hash: channel key → its schedule (digest times, quiet hours) as JSON. */
  channelSchedules(): string {
    return `${this.prefix}:channel-schedules`;
  }

  /** Hash: platform → JSON of its pause (absent: it takes deliveries). */
  platformStates(): string {
    return `${this.prefix}:platforms`;
  }

  /**
   * Hash: platform → when a process last announced it runs that platform's delivery worker
   * (epoch ms); see `PlatformWorkerStore`.
   */
  platformWorkers(): string {
    return `${this.prefix}:platform-workers`;
  }

  /** A one-time migration's mark. */
  migration(name: string): string {
    return `${this.prefix}:migrated:${name}`;
  }

  /** Sorted set: board numbers still owed to one channel. */
  pendingDeliveries(sourceId: string, channel: string): string {
    return `${this.prefix}:pending:${sourceId}:${channel}`;
  }

  /** Every pending set, to index those written before the `owing` index existed. */
  pendingPattern(): string {
    return `${this.prefix}:pending:*`;
  }

  /** Hash: channel key → the last post delivered there. */
  channelLastDelivery(): string {
    return `${this.prefix}:channel-last`;
  }

  /** Set once per Discord interaction id, for as long as its signature could be replayed. */
  seenInteraction(id: string): string {
    return `${this.prefix}:seen-interaction:${id}`;
  }

  /** Hash: Slack team id → its installation (bot token and all) as AES-256-GCM ciphertext. */
  slackInstallations(): string {
    return `${this.prefix}:slack:installations`;
  }

  /** A known text encrypted with TOKEN_ENCRYPTION_KEY: a different key is noticed at start. */
  slackKeyCheck(): string {
    return `${this.prefix}:slack:key-check`;
  }

  /** Before the install limits: one OAuth install's `state` per key. Only read (once) now. */
  slackOAuthState(state: string): string {
    return `${this.prefix}:slack:oauth-state:${state}`;
  }

  /** Hash: pending OAuth install state nonce → the install's options, deleted as it is used. */
  slackOAuthStates(): string {
    return `${this.prefix}:slack:oauth-states`;
  }

  /** Sorted set: pending OAuth install state nonces by when they expire; bounds their number. */
  slackOAuthStateExpiries(): string {
    return `${this.prefix}:slack:oauth-state-expiries`;
  }

  /** Sorted set: when one client (an address, an IPv6 /64) started installs, for its limit. */
  slackInstallStarts(client: string): string {
    return `${this.prefix}:slack:install-starts:${client}`;
  }

  /** Hash: destination channel key → its record (URL and secret sealed with the key). */
  destinations(): string {
    return `${this.prefix}:destinations`;
  }

  /** Hash: destination channel key → since when and why it answers that it is gone. */
  brokenDestinations(): string {
    return `${this.prefix}:destinations:broken`;
  }

  /** Set while one process tries a broken destination again, so only one does per interval. */
  destinationProbe(channel: string): string {
    return `${this.prefix}:destinations:probe:${channel}`;
  }

  /**
   * One control panel session, by the SHA-256 of its cookie's id (whoever reads Redis cannot
   * log in with what they read): JSON of its CSRF token and end. Expires with the session.
   */
  adminSession(idHash: string): string {
    return `${this.prefix}:admin:session:${idHash}`;
  }

  /** Sorted set: one client's recent login attempts to the control panel, for its limit. */
  adminLoginAttempts(client: string): string {
    return `${this.prefix}:admin:login-attempts:${client}`;
  }

  /** Hash: Slack team id → why its token was refused and since when (its deliveries wait). */
  slackPausedWorkspaces(): string {
    return `${this.prefix}:slack:paused-workspaces`;
  }

  /** Set while one process probes a paused workspace's token, so only one does per interval. */
  slackWorkspaceProbe(teamId: string): string {
    return `${this.prefix}:slack:probe:${teamId}`;
  }

  /** Sorted set: when the last second's messages went to one workspace (its rate limit). */
  sendWindow(platform: string, workspaceId: string): string {
    return `${this.prefix}:rate:${platform}:${workspaceId}`;
  }

  /** When the last message went to one channel (its spacing). */
  channelSendSpacing(channel: string): string {
    return `${this.prefix}:rate-channel:${channel}`;
  }

  /** A short-lived lock, e.g. one poll of a source at a time across all workers. */
  lock(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }
}
