/**
 * @file STUB (owned by the diagnostics work): near-miss name suggestions (Elm's edit-distance thresholds).
 */

/** Candidates close to `name`, best first (empty when nothing is close enough). */
export function nearbyNames(name: string, candidates: Iterable<string>): string[] {
  void name; void candidates;
  return [];
}
