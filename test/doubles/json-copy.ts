/**
 * What a record looks like after a store wrote it and read it back: a copy through JSON, as
 * the Redis adapters keep their records. A double that handed out its own objects would let a
 * caller's later change reach the store, which no real store allows, and keep fields (an
 * `undefined`) that a real store drops.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
