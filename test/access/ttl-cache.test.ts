import { describe, expect, it } from 'vitest';
import { createTtlCache } from '../../src/access/ttl-cache.js';

describe('createTtlCache', () => {
  it('forgets entries after their lifetime', () => {
    let now = 0;
    const cache = createTtlCache<string>(1_000, () => now);
    cache.set('a', 'x');
    now = 999;
    expect(cache.get('a')).toBe('x');
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('restarts the lifetime of a key that is set again', () => {
    let now = 0;
    const cache = createTtlCache<number>(1_000, () => now);
    cache.set('a', 1);
    now = 900;
    cache.set('a', 2);
    now = 1_500;
    expect(cache.get('a')).toBe(2);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = createTtlCache<number>(60_000, () => 0, 3);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i);
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key))).toEqual([undefined, 1, 2, 3]);
  });
});
