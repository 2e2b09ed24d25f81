/**
 * @file The `grad` stage: replaces every `grad` placeholder (ops/grad-op.ts) by its gradient
 * subgraph, built by the driver (grad.ts) into the program's NodeTable. `mapProgram` rebuilds
 * bottom-up, so a placeholder's cost has already been expanded when it is reached: a `grad` of an
 * expression containing `grad` is a second derivative. Placeholders sharing one cost (`grad(c,
 * (w, b))`) share one backward pass.
 */
import type { Node } from '../graph/node.js';
import type { ProgramGraphs } from '../graph/graph.js';
import type { StageContext } from '../rewrite/trace.js';
import { createBuilder } from '../graph/builder.js';
import { mapProgram, programRoots, topoOrder } from '../graph/walk.js';
import { GRAD_OP } from '../ops/grad-op.js';
import { gradients } from './grad.js';
import { rewriteRoots } from '../rewrite/engine.js';
import { STAGE_RULES } from '../rewrite/stages.js';

export function gradStage(p: ProgramGraphs, cx: StageContext): ProgramGraphs {
  // Every target of every placeholder (leaves, so mapping leaves them unchanged).
  const targets: Node[] = [];
  const isTarget = new Set<Node>();
  const order = topoOrder(programRoots(p));
  for (const n of order) {
    if (n.op === GRAD_OP && !isTarget.has(n.inputs[1]!)) { isTarget.add(n.inputs[1]!); targets.push(n.inputs[1]!); }
  }
  if (targets.length === 0) return p;
  const b = createBuilder(cx.sink, p.table);
  /** Per expanded cost: the gradient of each target it reaches. */
  const done = new Map<Node, Map<Node, Node>>();
  return mapProgram(p, n => {
    if (n.op !== GRAD_OP) return n;
    const [cost, target] = n.inputs as [Node, Node];
    let byTarget = done.get(cost);
    if (!byTarget) {
      const reached = reachedTargets(cost, targets, isTarget);
      const gs = gradients(b, stableCost(cost, p, cx), reached);
      done.set(cost, byTarget = new Map(reached.map((t, i) => [t, gs[i]!])));
    }
    return byTarget.get(target) ?? b.at(n.span, () => b.op('zeros_like', [target]));
  }, order);
}

/**
 * The cost in its stabilized form, which is what gets differentiated. Theano differentiates the
 * naive formula and then hopes rewrites can repair the gradient; the derivative of the naive
 * `log(sigmoid(z))` is `(1/s) * s * (1 - s)`, which is 0/0 once `s` underflows (|z| > ~745).
 * Differentiating `-softplus(-z)` instead gives `sigmoid(-z)`, finite everywhere. The rewrites
 * only replace a value by an equal value, so the gradient is the same function.
 */
function stableCost(cost: Node, p: ProgramGraphs, cx: StageContext): Node {
  return rewriteRoots([cost], p.table, STAGE_RULES.stabilized, { stage: 'grad', cx })[0]!;
}

/** The targets among the cost's inputs (transitively), in `targets` order. */
function reachedTargets(cost: Node, targets: readonly Node[], isTarget: ReadonlySet<Node>): Node[] {
  const reached = new Set<Node>();
  for (const n of topoOrder([cost])) if (isTarget.has(n)) reached.add(n);
  return targets.filter(t => reached.has(t));
}
