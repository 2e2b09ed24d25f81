/**
 * @file Power specialisations (stage `optimized`): a constant exponent becomes multiplications or
 * a square-root primitive, so `grad(x^2, x)`'s `2 * x^(2-1)` ends as a multiplication by 2 (with
 * `x^1 -> x` from algebra.ts after the exponent `2-1` folds). Fractional and negative exponents are
 * rewritten for floats only (an integer `x^-1` is a run-time error that must stay one).
 * Each rule carries its identity as a comment.
 */
import type { Builder } from '../../graph/builder.js';
import type { Node } from '../../graph/node.js';
import { isFloat } from '../../sema/types.js';
import { rule, type Rule } from '../engine.js';
import { P } from '../pattern.js';
import { fit } from '../fit.js';

const x = P.v('x');

/** `x ^ k` with a constant exponent of the single value k. */
const powOf = (k: number) => P.op('pow', x, P.constant(k));

/** Builds with `f` for a float result only. */
const floatOnly = (f: (b: Builder, x: Node) => Node) => ({ x }: { readonly [k: string]: Node }, b: Builder, n: Node) =>
  (isFloat(n.type.dtype) ? fit(b, f(b, x!), n.type) : undefined);

export const power: readonly Rule[] = [
  // x ^ 2 = x * x
  rule('pow-two', powOf(2), ({ x }, b, n) => fit(b, b.op('mul', [x!, x!]), n.type)),
  // x ^ 3 = (x * x) * x
  rule('pow-three', powOf(3), ({ x }, b, n) => fit(b, b.op('mul', [b.op('mul', [x!, x!]), x!]), n.type)),
  // x ^ 0.5 = sqrt(x)
  rule('pow-half', powOf(0.5), floatOnly((b, x) => b.op('sqrt', [x]))),
  // x ^ -1 = 1 / x
  rule('pow-neg-one', powOf(-1), floatOnly((b, x) => b.op('div', [b.scalar(1, x.type.dtype), x]))),
  // x ^ -0.5 = rsqrt(x)
  rule('pow-neg-half', powOf(-0.5), floatOnly((b, x) => b.op('rsqrt', [x]))),
];
