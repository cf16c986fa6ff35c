/** Every Redis key the bot writes, under one prefix (`QUEUE_PREFIX`), so tests and deployments can share a Redis. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: board number → post JSON. */
  posts(sourceId: string): string {
    return `${this.prefix}:posts:${sourceId}`;
  }

  /** Sorted set of board numbers (score = number), for newest-first reads. */
  postNumbers(sourceId: string): string {
    return `${this.prefix}:post-numbers:${sourceId}`;
  }

  /** Hash: board number → searchable title and ministry. */
  postText(sourceId: string): string {
    return `${this.prefix}:post-text:${sourceId}`;
  }

  /** Hash: cursor, last success and failure, HTTP validators. */
  sourceState(sourceId: string): string {
    return `${this.prefix}:source:${sourceId}`;
  }

  /** Hash: channel key → subscription JSON. */
  subscriptions(): string {
    return `${this.prefix}:subscriptions`;
  }

  /** Hash: channel key → time a post reached it. One per post; expires. */
  delivered(sourceId: string, boardNo: number): string {
    return `${this.prefix}:delivered:${sourceId}:${boardNo}`;
  }

  /** Sorted set: board numbers still owed to one channel. */
  pendingDeliveries(sourceId: string, channel: string): string {
    return `${this.prefix}:pending:${sourceId}:${channel}`;
  }

  /** Hash: channel key → the last post delivered there. */
  channelLastDelivery(): string {
    return `${this.prefix}:channel-last`;
  }

  /** A short-lived lock, e.g. one poll of a source at a time across all workers. */
  lock(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }
}
