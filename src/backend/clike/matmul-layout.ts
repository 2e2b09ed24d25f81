/**
 * @file numpy's matmul rules as index names, shared by the C, JS and WGSL (simple form) matmul printers: consumes a
 * matmul kernel; produces the output's index variables and the multi-index each operand is read
 * at (the shared axis is `p`). A 1-D left operand is one row (its axis dropped from the result), a
 * 1-D right operand one column, batch axes broadcast (an operand's size-1 batch axis reads index 0).
 */
import type { Dim } from '../../sema/dims.js';
import type { Kernel } from '../../schedule/types.js';
import { indexVars } from './index-text.js';

export interface MatmulLayout {
  /** The output's index variables. */
  readonly idx: readonly string[];
  /** Leading batch axes of the output. */
  readonly nBatch: number;
  /** The row and column variables, or null where that operand is 1-D. */
  readonly i: string | null;
  readonly j: string | null;
  readonly aIdx: readonly string[];
  readonly bIdx: readonly string[];
}

/** `zero`: the index literal a size-1 batch axis reads (`0i` in WGSL). */
export function matmulLayout(k: Kernel, zero = '0'): MatmulLayout {
  const sa = k.args[0]!.shape, sb = k.args[1]!.shape;
  const r = k.body.shape.length;
  const idx = indexVars(r);
  const hasI = sa.length >= 2, hasJ = sb.length >= 2;
  const nBatch = r - (hasI ? 1 : 0) - (hasJ ? 1 : 0);
  const i = hasI ? idx[nBatch]! : null;
  const j = hasJ ? idx[r - 1]! : null;
  const batchIdx = (s: readonly Dim[]): string[] => {
    const own = s.length - 2;
    return s.slice(0, own).map((d, q) => (d === 1 ? zero : idx[nBatch - own + q]!));
  };
  const aIdx = sa.length === 1 ? ['p'] : [...batchIdx(sa), i!, 'p'];
  const bIdx = sb.length === 1 ? ['p'] : [...batchIdx(sb), 'p', j!];
  return { idx, nBatch, i, j, aIdx, bIdx };
}
