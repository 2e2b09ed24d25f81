/**
 * @file STUB (owned by the values work): .npz (a zip of .npy files, as numpy.savez writes) read and write.
 * Names are the array names without the `.npy` suffix.
 */
import type { NDArray } from './ndarray.js';

export function readNpz(bytes: Uint8Array): Map<string, NDArray> {
  throw new Error(`npz reader not implemented yet (${bytes.length} bytes)`);
}

export function writeNpz(arrays: ReadonlyMap<string, NDArray>): Uint8Array {
  throw new Error(`npz writer not implemented yet (${arrays.size} arrays)`);
}
