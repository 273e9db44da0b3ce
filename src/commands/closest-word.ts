function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate `word` was most likely meant to be: a prefix of it, or within two typos. */
export function closestWord<T extends string>(word: string, candidates: readonly T[]): T | undefined {
  const lower = word.toLowerCase().slice(0, 64);
  if (lower === '') return undefined;
  const prefixed = candidates.filter((c) => c.startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  let best: { word: T; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance))
      best = { word: candidate, distance };
  }
  return best?.word;
}
