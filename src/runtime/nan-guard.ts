/**
 * @file `thc run --nan-guard`: an interpreter observer (interp.ts `observe`) that stops the call at
 * the first operation whose result holds NaN or an infinity, as a RuntimeError TH0680 carrying that
 * node's span (rewritten nodes keep the span of the expression they replace, so it is the user's
 * line). Leaves (parameters, shared variables, constants) are not checked: a NaN argument is
 * reported at the first operation that uses it. Integer and boolean results cannot be non-finite.
 */
import type { Node } from '../graph/node.js';
import type { NDArray } from './ndarray.js';
import type { NodeObserver } from './interp.js';
import { isFloat } from '../sema/types.js';
import { RuntimeError } from './runtime-error.js';
import { indexText, nonFiniteName } from './debug-values.js';

const LEAVES = new Set(['param', 'shared', 'const', 'dim']);

/** Throws TH0680 at the first non-leaf float node with a non-finite element. */
export const nanGuard: NodeObserver = (n: Node, v: NDArray): void => {
  if (!isFloat(v.dtype) || LEAVES.has(n.op)) return;
  const d = v.data;
  let first = -1;
  let count = 0;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    // x - x is NaN exactly for NaN and the infinities: one test for both.
    if (x - x !== 0) { if (first < 0) first = i; count++; }
  }
  if (first < 0) return;
  throw new RuntimeError('TH0680', {
    op: n.op, what: nonFiniteName(d[first]!), index: indexText(v.shape, first), count, size: d.length,
  }, n.span);
};
