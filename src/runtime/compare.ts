/**
 * @file Comparing two run-time values for `thc run --check`: the unoptimized graph's value (the
 * reference) against the optimized graph's, with dtype-aware tolerances. NaN equals NaN, an
 * infinity must be the same infinity, integers and booleans must be equal, and floats must satisfy
 * numpy's `isclose`: `|got - want| <= atol + rtol * |want|`. Produces the worst element, or nothing.
 */
import type { DType } from '../sema/types.js';
import type { NDArray } from './ndarray.js';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * Per dtype: a few hundred ulps of headroom for reassociation and stable reformulations (f64 ulp
 * 2.2e-16, f32 1.2e-7, f16 9.8e-4); exact for integers and booleans.
 */
export const CHECK_TOLERANCE: Readonly<Record<DType, Tolerance>> = {
  f64: { rtol: 1e-9, atol: 1e-12 },
  f32: { rtol: 1e-4, atol: 1e-6 },
  f16: { rtol: 1e-2, atol: 1e-3 },
  i32: { rtol: 0, atol: 0 },
  u32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

export type Difference =
  | { readonly kind: 'type'; readonly want: string; readonly got: string }
  | {
    readonly kind: 'value';
    /** Flat offset of the worst element. */
    readonly at: number;
    readonly want: number;
    readonly got: number;
    /** |got - want| / max(|want|, atol) at that element (Infinity where one side is not finite). */
    readonly err: number;
    /** How many elements are out of tolerance. */
    readonly count: number;
    readonly tol: Tolerance;
  };

const typeText = (a: NDArray): string => `${a.dtype}[${a.shape.join(', ')}]`;

/** How far outside the tolerance one element is: <= 1 is within it; Infinity for non-finite mismatches. */
function excess(want: number, got: number, tol: Tolerance): number {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
  if (want === got) return 0;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Infinity;
  const bound = tol.atol + tol.rtol * Math.abs(want);
  return bound === 0 ? Infinity : Math.abs(got - want) / bound;
}

/** The worst difference between `want` (reference) and `got`, or undefined when they agree. */
export function compareValues(want: NDArray, got: NDArray): Difference | undefined {
  if (want.dtype !== got.dtype || want.shape.length !== got.shape.length || want.shape.some((d, i) => d !== got.shape[i])) {
    return { kind: 'type', want: typeText(want), got: typeText(got) };
  }
  const tol = CHECK_TOLERANCE[want.dtype];
  let worst = -1;
  let worstExcess = 1;
  let count = 0;
  for (let i = 0; i < want.data.length; i++) {
    const e = excess(want.data[i]!, got.data[i]!, tol);
    if (e <= 1) continue;
    count++;
    // The first of equally bad elements wins (strict >), so the report is deterministic.
    if (e > worstExcess) { worst = i; worstExcess = e; }
  }
  if (worst < 0) return undefined;
  const w = want.data[worst]!, g = got.data[worst]!;
  // Relative to the reference, or to atol where the reference is (nearly) zero.
  const err = Number.isFinite(w) && Number.isFinite(g) ? Math.abs(g - w) / Math.max(Math.abs(w), tol.atol || 1) : Infinity;
  return { kind: 'value', at: worst, want: w, got: g, err, count, tol };
}
