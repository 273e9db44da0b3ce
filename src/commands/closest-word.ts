// Optimal string alignment distance: edits plus swaps of neighbours, the commonest typo ("stauts").
function typoDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidate `word` was most likely meant to be: the only one it starts, or the nearest within two typos. */
export function closestWord<T extends string>(word: string, candidates: readonly T[]): T | undefined {
  const lower = word.toLowerCase().slice(0, 64);
  if (lower === '') return undefined;
  const prefixed = candidates.filter((c) => c.startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  // An abbreviation that fits several subcommands ("sta") is ambiguous: better no guess than a wrong one.
  if (prefixed.length > 1) return undefined;
  let best: { word: T; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = typoDistance(lower, candidate);
    if (distance <= 2 && (best === undefined || distance < best.distance))
      best = { word: candidate, distance };
  }
  return best?.word;
}
