/** A bounded map whose entries expire `ttlMs` after they were set. */
export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
}

/**
 * Every entry lives equally long and a Map keeps insertion order, so the oldest entries are always at
 * the front: a write sweeps from there and stops at the first live one (O(expired), not O(size)).
 * `maxEntries` caps memory under a flood of distinct keys by dropping the oldest first.
 */
export function createTtlCache<V>(
  ttlMs: number,
  now: () => number = Date.now,
  maxEntries = 10_000,
): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt > now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      const time = now();
      for (const [oldest, entry] of entries) {
        if (entry.expiresAt > time && entries.size < maxEntries) break;
        entries.delete(oldest);
      }
      // Re-inserting moves the key to the back, keeping the order by expiry.
      entries.delete(key);
      entries.set(key, { value, expiresAt: time + ttlMs });
    },
  };
}
