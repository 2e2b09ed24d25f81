/**
 * @file The reverse-mode driver (shared/ARCHITECTURE.md "Autodiff"): given a scalar cost and
 * target leaves (`param`/`shared` nodes), builds the gradient of the cost with respect to each.
 * It owns all the bookkeeping: restricting to nodes on a path from a target to the cost, the seed
 * (1 in the cost's dtype), reverse topological order, summing over broadcast axes, casting back
 * to each operand's dtype, and accumulating with `add` in a deterministic order. Op rules
 * (`OpDef.grad`) only do local math. Only real (float) values carry gradients: integer and bool
 * nodes, and ops without a rule (comparisons, floor, sign, argmax, ...), contribute nothing.
 */
import type { Node } from '../graph/node.js';
import type { Builder } from '../graph/builder.js';
import { getOp } from '../ops/registry.js';
import { GRAD_OP } from '../ops/grad-op.js';
import { NodeMarks, topoOrder } from '../graph/walk.js';
import { isFloat } from '../sema/types.js';
import { unbroadcast } from './unbroadcast.js';

const real = (n: Node): boolean => isFloat(n.type.dtype);

/**
 * d cost / d target for each target, as new nodes built with `b` (each at the span of the forward
 * node whose rule made it). A target the cost does not reach gets zeros of its type (sema already
 * rejected that unless the user asked for it, so here it only arises for a second derivative
 * that turns out constant).
 */
export function gradients(b: Builder, cost: Node, targets: readonly Node[]): Node[] {
  const order = topoOrder([cost]);
  const relevant = onPath(order, new Set(targets));
  const contributions = new Map<Node, Node[]>();
  if (relevant.has(cost)) contributions.set(cost, [b.at(cost.span, () => b.scalar(1, cost.type.dtype))]);
  const total = new Map<Node, Node>();
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    const parts = contributions.get(node);
    if (!parts) continue;
    contributions.delete(node);
    const g = b.at(node.span, () => accumulate(b, parts));
    total.set(node, g);
    b.at(node.span, () => backward(b, node, g, relevant, contributions));
  }
  return targets.map(t => total.get(t) ?? b.at(t.span, () => b.op('zeros_like', [t])));
}

/** Nodes with a target among their (transitive) inputs, that carry real values. */
function onPath(order: readonly Node[], targets: ReadonlySet<Node>): NodeMarks {
  const on = new NodeMarks();
  for (const n of order) {
    if (!real(n)) continue;
    if (targets.has(n) || n.inputs.some(i => on.has(i))) on.add(n);
  }
  return on;
}

/** Sums the contributions in the order they arrived (micrograd's `+=`, deterministic). */
function accumulate(b: Builder, parts: readonly Node[]): Node {
  let acc = parts[0]!;
  for (let i = 1; i < parts.length; i++) acc = b.op('add', [acc, parts[i]!]);
  return acc;
}

/** Runs `node`'s rule and hands each relevant operand its gradient, summed to its shape and dtype. */
function backward(b: Builder, node: Node, g: Node, relevant: NodeMarks, out: Map<Node, Node[]>): void {
  if (node.inputs.length === 0) return;
  if (node.op === GRAD_OP) throw new Error('an unexpanded `grad` placeholder inside a cost');
  const op = getOp(node.op);
  if (!op || op.kind !== 'primitive' || !op.grad) return;
  if (!node.inputs.some(i => relevant.has(i))) return;
  const grads = op.grad(g, node, b);
  node.inputs.forEach((x, i) => {
    const gi = grads[i];
    if (!gi || !relevant.has(x)) return;
    let r = unbroadcast(b, gi, x.type.shape);
    if (r.type.dtype !== x.type.dtype) r = b.cast(r, x.type.dtype);
    const list = out.get(x);
    if (list) list.push(r); else out.set(x, [r]);
  });
}
