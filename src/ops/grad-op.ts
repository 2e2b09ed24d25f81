/**
 * @file The internal `grad` placeholder: the elaborator turns `grad(cost, x)` into a node
 * `grad(cost, x)` of x's type, one per target; the `grad` stage (autodiff/stage.ts) replaces each
 * by its gradient subgraph. It has no kernel: an unexpanded placeholder reaching the interpreter is
 * a bug in thc, so its eval throws (the interpreter turns that into an internal error).
 * NOTE: `builtin: true` only keeps the op table in step with the resolver, which knows `grad` as a
 * builtin name (sema/scope.ts); calls never reach the generic builtin path: sema/elab-grad.ts reads
 * them (targets may be a tuple, `disconnected` is checked there).
 */
import { tensorType } from '../sema/types.js';
import { defineOp, type PrimitiveOp } from './registry.js';
import { attrParam, tensorParam } from './helpers.js';

export const GRAD_OP = 'grad';

defineOp<PrimitiveOp>({
  kind: 'primitive', name: GRAD_OP, builtin: true,
  doc: 'grad(cost, target): placeholder for d cost / d target until the grad stage expands it',
  params: [tensorParam('cost'), tensorParam('wrt'), attrParam('disconnected', 'string', 'raise')],
  flags: { differentiable: false },
  infer([, target]) {
    return tensorType(target!.dtype, target!.shape);
  },
  eval() {
    throw new Error('a `grad` placeholder reached the interpreter: the grad stage did not run');
  },
});
