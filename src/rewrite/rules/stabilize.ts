/**
 * @file Stability rules (stage `stabilized`, and kept in `optimized`): naive formulas that
 * overflow or lose accuracy become the stable primitives (`log1p`, `expm1`, `softplus`,
 * `logsumexp`) or a max-shifted form. Runs before constant folding, so `log(1 + exp(800))` with
 * a literal 800 becomes `softplus(800)` = 800 before `exp(800)` could be folded to inf.
 * Each rule carries its identity as a comment.
 */
import type { Builder } from '../../graph/builder.js';
import type { Node } from '../../graph/node.js';
import { rule, type Rule } from '../engine.js';
import { P, type Pat } from '../pattern.js';
import { broadcastsBack, fit, sameAxes } from '../fit.js';

const x = P.v('x');
const op = P.op;

/** `sum(exp(x))` reducing so that it broadcasts back over x (keepdims, or everything). */
const sumExp = (inner: Pat): Pat => ({ op: 'sum', src: [op('exp', inner)], bind: 's', where: n => broadcastsBack(n) });

/** `x - max(x, same axes, keepdims)` of a reduction `red` over x: the max-shifted x, or undefined. */
function unshift(shifted: Node, red: Node): Node | undefined {
  if (shifted.op !== 'sub') return undefined;
  const [base, m] = shifted.inputs;
  if (m!.op !== 'max' || m!.inputs[0] !== base || !m!.attrs['keepdims']) return undefined;
  const sameRank = base!.type.shape.length === red.inputs[0]!.type.shape.length;
  return sameRank && sameAxes(m!, red) ? base : undefined;
}

/** `x - max(x)` over the axes `red` reduces (keepdims, so it broadcasts back). */
function shiftByMax(b: Builder, xn: Node, red: Node): Node {
  const m = b.op('max', [xn], { axis: red.attrs['axis'] ?? null, keepdims: true });
  return b.op('sub', [xn, m]);
}

export const stabilize: readonly Rule[] = [
  // log(exp(x) / sum(exp(x))) = x - logsumexp(x) (log-softmax; also of an already max-shifted softmax)
  rule('log-softmax', op('log', op('div', op('exp', x), sumExp(x))), ({ x, s }, b, n) => {
    const base = unshift(x!, s!) ?? x!;
    return fit(b, b.op('sub', [base, b.op('logsumexp', [base], s!.attrs)]), n.type);
  }),
  // exp(x) / sum(exp(x)) = exp(x - max x) / sum(exp(x - max x)) (softmax, max-shifted)
  rule('softmax-shift', op('div', op('exp', x), sumExp(x)), ({ x, s }, b, n) => {
    if (unshift(x!, s!)) return undefined; // already shifted
    const e = b.op('exp', [shiftByMax(b, x!, s!)]);
    return fit(b, b.op('div', [e, b.op('sum', [e], s!.attrs)]), n.type);
  }),
  // log(sum(exp(x))) = logsumexp(x) (the kernel shifts by the maximum)
  rule('logsumexp', op('log', { op: 'sum', src: [op('exp', x)], bind: 's' }),
    ({ x, s }, b, n) => fit(b, b.op('logsumexp', [x!], s!.attrs), n.type)),
  // log(1 + exp(x)) = softplus(x)
  rule('softplus', op('log', op('add', P.one, op('exp', x))), ({ x }, b, n) => fit(b, b.op('softplus', [x!]), n.type)),
  // log1p(exp(x)) = softplus(x)
  rule('log1p-exp', op('log1p', op('exp', x)), ({ x }, b, n) => fit(b, b.op('softplus', [x!]), n.type)),
  // log(sigmoid(x)) = -softplus(-x)
  rule('log-sigmoid', op('log', op('sigmoid', x)),
    ({ x }, b, n) => fit(b, b.op('neg', [b.op('softplus', [b.op('neg', [x!])])]), n.type)),
  // log(1 - sigmoid(x)) = -softplus(x)
  rule('log-one-minus-sigmoid', op('log', op('sub', P.one, op('sigmoid', x))),
    ({ x }, b, n) => fit(b, b.op('neg', [b.op('softplus', [x!])]), n.type)),
  // log(exp(x)) = x
  rule('log-exp', op('log', op('exp', x)), ({ x }, b, n) => fit(b, x!, n.type)),
  // log(1 + x) = log1p(x)
  rule('log1p', op('log', op('add', P.one, x)), ({ x }, b, n) => fit(b, b.op('log1p', [x!]), n.type)),
  // exp(x) - 1 = expm1(x)
  rule('expm1', op('sub', op('exp', x), P.one), ({ x }, b, n) => fit(b, b.op('expm1', [x!]), n.type)),
];
