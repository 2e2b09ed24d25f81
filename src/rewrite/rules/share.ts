/**
 * @file The last pass of the `optimized` stage: `sigmoid(-x) -> 1 - sigmoid(x)` where `sigmoid(x)`
 * is computed anyway, so a training step evaluates the logistic function once for its forward
 * and backward passes (the stable cost `y*softplus(-z) + (1-y)*softplus(z)` differentiates into
 * both `sigmoid(z)` and `sigmoid(-z)`). It runs alone, after every other rule, because the
 * canonical `1 - sigmoid(x) -> sigmoid(-x)` (which exposes `log(1 - sigmoid(x))` to
 * stabilization) is its inverse. The two forms differ by at most one rounding of `1 - s` (an
 * absolute error below 2^-53); the pass leaves a `sigmoid(-x)` that is itself an output alone,
 * since there a user may want the tiny values' relative accuracy.
 */
import type { Node } from '../../graph/node.js';
import type { ProgramGraphs } from '../../graph/graph.js';
import { programRoots, topoOrder } from '../../graph/walk.js';
import { rule, type Rule } from '../engine.js';
import { P } from '../pattern.js';

export const SHARE_SIGMOID_RULE = 'sigmoid-neg-share';

/** The inputs `x` of every live `sigmoid(x)`, and the nodes that are outputs or updates. */
function liveFacts(p: ProgramGraphs): { sigmoidOf: Set<Node>; roots: Set<Node> } {
  const roots = new Set(programRoots(p));
  const sigmoidOf = new Set<Node>();
  for (const n of topoOrder([...roots])) if (n.op === 'sigmoid') sigmoidOf.add(n.inputs[0]!);
  return { sigmoidOf, roots };
}

/** The sharing rule for one program (its guard closes over what that program computes). */
export function shareSigmoidRules(p: ProgramGraphs): readonly Rule[] {
  const { sigmoidOf, roots } = liveFacts(p);
  if (sigmoidOf.size === 0) return [];
  return [
    // sigmoid(-x) = 1 - sigmoid(x), when sigmoid(x) is computed anyway
    rule(SHARE_SIGMOID_RULE, P.op('sigmoid', P.op('neg', P.v('x'))), ({ x }, b, n) => {
      if (!sigmoidOf.has(x!) || roots.has(n)) return undefined;
      return b.op('sub', [b.scalar(1, n.type.dtype, n.type.weak), b.op('sigmoid', [x!])]);
    }),
  ];
}
