/**
 * @file Algebraic identities (stage `optimized`). Some hold only in real-number algebra, like
 * Theano's: `x - x -> 0` and `x / x -> 1` ignore NaN and inf in x (docs/optimizer.md). A result
 * always has the replaced node's exact type, so an identity whose constant broadcast `x` to a
 * bigger shape gives `broadcast(x, shape)`. Each rule carries its identity as a comment.
 */
import type { Node } from '../../graph/node.js';
import { allOps } from '../../ops/registry.js';
import { isFloat } from '../../sema/types.js';
import { fromNumbers, roundTo, type NDArray } from '../../runtime/ndarray.js';
import { rule, type Rule } from '../engine.js';
import { P, uniformValue } from '../pattern.js';
import { fill, fit } from '../fit.js';
import '../../ops/index.js';

const x = P.v('x');
const op = P.op;

/** A power of two whose reciprocal is exact in `dtype` (so `x / c == x * (1/c)` bit for bit). */
function exactReciprocal(c: number, n: Node): boolean {
  if (!isFloat(n.type.dtype) || c === 0 || !Number.isFinite(c)) return false;
  const e = Math.log2(Math.abs(c));
  return Number.isInteger(e) && roundTo(n.type.dtype)(1 / c) === 1 / c && Number.isFinite(1 / c);
}

/** Elementwise ops of two or more operands: an operand's `broadcast` may be redundant there. */
const ELEMENTWISE_NARY = allOps()
  .filter(o => o.kind === 'primitive' && o.flags?.elementwise && o.params.filter(p => p.kind === 'tensor').length >= 2)
  .map(o => o.name);

/** The constant `c` of a `const` node, replaced by `1/c` in the same dtype and shape. */
function reciprocal(v: NDArray): NDArray {
  return fromNumbers(v.dtype, v.shape, Array.from(v.data, c => 1 / c));
}

export const algebra: readonly Rule[] = [
  // x * 1 = x
  rule('mul-one', op('mul', x, P.one), ({ x }, b, n) => fit(b, x!, n.type)),
  // x + 0 = x
  rule('add-zero', op('add', x, P.zero), ({ x }, b, n) => fit(b, x!, n.type)),
  // x - 0 = x
  rule('sub-zero', op('sub', x, P.zero), ({ x }, b, n) => fit(b, x!, n.type)),
  // 0 - x = -x
  rule('zero-sub', op('sub', P.zero, x), ({ x }, b, n) => fit(b, b.op('neg', [x!]), n.type)),
  // x / 1 = x
  rule('div-one', op('div', x, P.one), ({ x }, b, n) => fit(b, x!, n.type)),
  // x - x = 0 (a zeros fill; real-number algebra: ignores inf - inf = NaN)
  rule('sub-self', op('sub', x, x), (_m, b, n) => fill(b, 0, n.type)),
  // x / x = 1 (a ones fill; real-number algebra: ignores 0/0 and inf/inf)
  rule('div-self', op('div', x, x), (_m, b, n) => fill(b, 1, n.type)),
  // x ^ 1 = x
  rule('pow-one', op('pow', x, P.one), ({ x }, b, n) => fit(b, x!, n.type)),
  // x ^ 0 = 1 (C's pow: also for x = 0, inf and NaN)
  rule('pow-zero', op('pow', x, P.zero), (_m, b, n) => fill(b, 1, n.type)),
  // (c / a) * (a * b) = c * b (real-number algebra: the gradient of log(f) is (1/f) * f' * ...)
  rule('div-mul-cancel', op('mul', op('div', P.v('c'), P.v('a')), op('mul', P.v('a'), P.v('b'))),
    ({ c, b: rest }, b, n) => fit(b, b.op('mul', [c!, rest!]), n.type)),
  // (c / a) * a = c (real-number algebra)
  rule('div-mul-self', op('mul', op('div', P.v('c'), P.v('a')), P.v('a')), ({ c }, b, n) => fit(b, c!, n.type)),
  // sum(x * c) = sum(x) * c (c a constant scalar or fill)
  rule('sum-scale', op('sum', { op: 'mul', src: [x, { bind: 'c', where: c => uniformValue(c) !== undefined }], bind: 'p' }),
    ({ x, c, p }, b, n) => {
      if (!sameShape(x!, p!)) return undefined; // c itself broadcast x: the count would change
      const s = b.op('sum', [x!], n.attrs);
      return fit(b, b.op('mul', [s, b.scalar(uniformValue(c!)!, c!.type.dtype, !!c!.type.weak)]), n.type);
    }),
  // x / c = x * (1/c) when c is a power of two (exact)
  rule('div-pow2', op('div', x, { op: 'const', bind: 'c', where: c => {
    const u = uniformValue(c);
    return u !== undefined && exactReciprocal(u, c);
  } }), ({ x, c }, b, n) => fit(b, b.op('mul', [x!, b.constant(reciprocal(c!.attrs['value'] as NDArray), !!c!.type.weak)]), n.type)),
  // broadcast(x, s) + y = x + y when the result keeps its shape (likewise every elementwise op)
  rule('drop-broadcast', { op: ELEMENTWISE_NARY, where: n => n.inputs.some(i => i.op === 'broadcast') }, (_m, b, n) => {
    // One operand at a time: dropping every broadcast at once could shrink the result.
    for (let k = 0; k < n.inputs.length; k++) {
      if (n.inputs[k]!.op !== 'broadcast') continue;
      const inputs = n.inputs.map((i, j) => (j === k ? i.inputs[0]! : i));
      const out = b.op(n.op, inputs, n.attrs);
      if (fit(b, out, n.type) === out) return out;
    }
    return undefined;
  }),
];

function sameShape(a: Node, b: Node): boolean {
  const s = a.type.shape, t = b.type.shape;
  return s.length === t.length && s.every((d, i) => String(d) === String(t[i]));
}
