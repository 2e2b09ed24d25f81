/**
 * @file STUB (owned by the values work): JSON values <-> NDArray.
 * Input: a JSON number, bool or nested list (rectangular), with "NaN", "Infinity", "-Infinity"
 * strings accepted for floats. Output: numpy's tolist() shape with NaN/Infinity as strings.
 */
import type { DType } from '../sema/types.js';
import type { NDArray } from './ndarray.js';

/**
 * Converts a parsed JSON value to an array of `dtype`. Errors (ragged lists, non-numbers, a
 * fractional or NaN value for an integer dtype, out of range) are ValueError with TH06xx codes.
 */
export function jsonToArray(value: unknown, dtype: DType): NDArray {
  throw new Error(`json values not implemented yet (${typeof value} -> ${dtype})`);
}

/** Nested lists like numpy's tolist(); bools as true/false; NaN and ±Infinity as strings. */
export function arrayToJson(a: NDArray): unknown {
  throw new Error(`json values not implemented yet (${a.dtype})`);
}
