/**
 * @file STUB (owned by the values work): .npy version 1.0/2.0/3.0 read and write, C order, every core dtype.
 * Errors are ValueError with TH060x codes (Fortran order, big-endian, unsupported dtype, truncated/corrupt).
 */
import type { NDArray } from './ndarray.js';

export function readNpy(bytes: Uint8Array): NDArray {
  throw new Error(`npy reader not implemented yet (${bytes.length} bytes)`);
}

export function writeNpy(a: NDArray): Uint8Array {
  throw new Error(`npy writer not implemented yet (${a.dtype})`);
}
