/** Options of `closestName`. */
export type ClosestNameOptions = {
  /** The name that was used (e.g. a misspelled prop). */
  wanted: string;
  /** The names that exist. */
  names: readonly string[];
};

/**
 * Edit distance counting a swap of two neighbouring letters as one edit ("nmae" → "name" is 1),
 * since that is the most common typo. Also behind the dataset's column suggestions.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** Names compare ignoring case, underscores and dashes: "first_name" ≈ "firstName". */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The name in `names` that `wanted` most likely meant (for "did you mean" hints), or null when none is close:
 * at most one edit per three letters (at least one), after ignoring case, underscores and dashes.
 * Ties go to the earlier name. Pure and dependency-free, so the in-page runtime can use it.
 */
export function closestName({ wanted, names }: ClosestNameOptions): string | null {
  const w = normalize(wanted);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const name of names) {
    const n = normalize(name);
    const score = editDistance(w, n);
    if (score <= Math.max(1, Math.floor(Math.max(w.length, n.length) / 3)) && score < bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}
