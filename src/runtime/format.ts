/**
 * @file STUB (owned by the values work): numpy-style printing, byte for byte what numpy 2's repr()
 * prints for the same array (`array([[0.5       , 0.73105858], ...])`, `dtype=float32` suffixes,
 * line width 75, summarisation with `...` above 1000 elements).
 */
import type { NDArray } from './ndarray.js';

export function formatArray(a: NDArray): string {
  throw new Error(`formatting not implemented yet (${a.dtype})`);
}
