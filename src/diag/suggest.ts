/**
 * @file Near-miss name suggestions for "unknown name" diagnostics (Elm's `nearbyNames`).
 * Consumes the misspelled name and the names in scope; produces at most 3 candidates, best first.
 * Distance is restricted Damerau-Levenshtein (a swap of two neighbours costs 1), compared
 * case-insensitively; Elm's threshold: 1 edit for names shorter than 3 characters, else 2.
 */

/** The most suggestions a diagnostic shows. */
export const MAX_SUGGESTIONS = 3;

/**
 * Restricted Damerau-Levenshtein ("optimal string alignment") distance: insertions, deletions,
 * substitutions and transpositions of two adjacent characters each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const n = a.length, m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows are enough: the transposition case looks two rows back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/** Elm's threshold: short names allow one edit, longer ones two. */
const threshold = (name: string): number => (name.length < 3 ? 1 : 2);

/**
 * Candidates close to `name`, best first (empty when nothing is close enough).
 * Order: a case-insensitive exact match first, then by case-insensitive distance, then by exact
 * (case-sensitive) distance, then alphabetically, so ties are deterministic. `name` itself and
 * duplicate candidates are never suggested.
 */
export function nearbyNames(name: string, candidates: Iterable<string>): string[] {
  const lower = name.toLowerCase();
  const limit = threshold(name);
  const ranked: { cand: string; folded: number; exact: number }[] = [];
  for (const cand of new Set(candidates)) {
    if (cand === name) continue;
    const folded = editDistance(lower, cand.toLowerCase());
    if (folded > limit) continue;
    ranked.push({ cand, folded, exact: editDistance(name, cand) });
  }
  ranked.sort((x, y) => x.folded - y.folded || x.exact - y.exact || (x.cand < y.cand ? -1 : x.cand > y.cand ? 1 : 0));
  return ranked.slice(0, MAX_SUGGESTIONS).map(r => r.cand);
}
