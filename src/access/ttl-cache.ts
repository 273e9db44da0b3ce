/** A small map whose entries expire `ttlMs` after they were set; expired entries are swept on write. */
export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
}

export function createTtlCache<V>(ttlMs: number, now: () => number = Date.now): TtlCache<V> {
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
      // Sweeping on write keeps memory bounded by what was written in the last `ttlMs`.
      const time = now();
      for (const [k, entry] of entries) if (entry.expiresAt <= time) entries.delete(k);
      entries.set(key, { value, expiresAt: time + ttlMs });
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
