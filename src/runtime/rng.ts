/**
 * @file STUB (owned by the values work): the counter-based generator (Philox4x32-10) and the
 * exact conversions from its bits to uniform and normal values, specified in docs/random.md so
 * that the WGSL and C backends can reproduce them bit for bit.
 */
import type { DType } from '../sema/types.js';

/** n uniform values in [0, 1) for stream `seed`, element i from counter i, exactly representable in dtype. */
export function uniformValues(seed: number, n: number, dtype: DType): Float64Array {
  throw new Error(`rng not implemented yet (${seed}, ${n}, ${dtype})`);
}

/** n standard normal values for stream `seed`, each rounded to dtype. */
export function normalValues(seed: number, n: number, dtype: DType): Float64Array {
  throw new Error(`rng not implemented yet (${seed}, ${n}, ${dtype})`);
}
