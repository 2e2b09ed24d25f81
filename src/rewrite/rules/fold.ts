/**
 * @file Constant folding (stage `optimized`, after stabilization): an op whose inputs are all
 * constants is evaluated at compile time with its own reference kernel, when the result is small.
 * An elementwise op on constant fills (`broadcast(c, shape)`, possibly of a symbolic shape) is
 * evaluated on the fills' scalars and broadcast again: elementwise ops commute with broadcasting,
 * and a fill stays a fill (`broadcast` itself is never materialised into a big literal).
 * Kernel errors (an integer `2 ^ -1`, the max of an empty axis) are left for run time, where they
 * are reported at the user's line.
 */
import type { Node } from '../../graph/node.js';
import { getOp, type EvalCx } from '../../ops/registry.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { rule, type Rule } from '../engine.js';
import { fit } from '../fit.js';

/** Larger results stay as code: folding must not bloat the program with big literals. */
export const FOLD_MAX_ELEMENTS = 4096;

/** Folding has no run-time dimension sizes: a symbolic dim is never asked for (shapes are static). */
const NO_DIMS: EvalCx = {
  dims: new Map(),
  dim(d) {
    if (typeof d === 'number') return d;
    throw new Error(`dimension ${d} is not known at compile time`);
  },
};

const isFill = (n: Node): boolean => n.op === 'broadcast' && n.inputs[0]!.op === 'const';

/** The constant an input contributes: a const's value, or (elementwise ops only) a fill's scalar. */
const inner = (n: Node): Node => (n.op === 'const' ? n : n.inputs[0]!);

function foldable(n: Node): boolean {
  if (n.inputs.length === 0 || n.op === 'broadcast') return false;
  const def = getOp(n.op);
  if (def?.kind !== 'primitive') return false;
  const elementwise = !!def.flags?.elementwise;
  let fills = false;
  for (const i of n.inputs) {
    if (i.op === 'const') continue;
    if (!elementwise || !isFill(i)) return false;
    fills = true;
  }
  if (fills) return true; // evaluated on scalars-sized inputs, then broadcast
  let size = 1;
  for (const d of n.type.shape) {
    if (typeof d !== 'number') return false;
    size *= d;
  }
  return size <= FOLD_MAX_ELEMENTS;
}

export const fold: readonly Rule[] = [
  // op(c1, ..., ck) = its value (every input constant); op(fill(c1), c2) = fill(op(c1, c2))
  rule('fold', { where: foldable }, (_m, b, n) => {
    const def = getOp(n.op);
    if (def?.kind !== 'primitive') return undefined;
    let value: NDArray;
    try {
      value = def.eval(n.inputs.map(i => inner(i).attrs['value'] as NDArray), n.attrs, NO_DIMS);
    } catch {
      return undefined;
    }
    if (value.dtype !== n.type.dtype) return undefined;
    return fit(b, b.constant(value, !!n.type.weak), n.type);
  }),
];
