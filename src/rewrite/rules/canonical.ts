/**
 * @file Canonical forms (stage `canonical`, and kept in every later stage): naive spellings of
 * the logistic function become `sigmoid`, double negations cancel, negations move out of the
 * way, and a constant operand of `+`/`*` goes to the right (so `2*x` and `x*2` are one node).
 * Each rule carries its identity as a comment.
 */
import type { Node } from '../../graph/node.js';
import { rule, type Rule } from '../engine.js';
import { P } from '../pattern.js';
import { constValue } from '../pattern.js';
import { fit } from '../fit.js';

const x = P.v('x'), y = P.v('y');
const neg = (p: ReturnType<typeof P.v>) => P.op('neg', p);
const exp = (p: ReturnType<typeof P.v>) => P.op('exp', p);

/** A constant (or constant fill) on the left and a non-constant on the right. */
const constOnLeft = (n: Node): boolean => constValue(n.inputs[0]!) !== undefined && constValue(n.inputs[1]!) === undefined;

/** Whether one of `a`, `b` is the negation of the other. */
const opposite = (a: Node, b: Node): boolean => (a.op === 'neg' && a.inputs[0] === b) || (b.op === 'neg' && b.inputs[0] === a);

export const canonical: readonly Rule[] = [
  // -(-x) = x
  rule('neg-neg', P.op('neg', neg(x)), ({ x }, b, n) => fit(b, x!, n.type)),
  // 1 / (1 + exp(-x)) = sigmoid(x)
  rule('sigmoid-recip', P.op('div', P.one, P.op('add', P.one, exp(neg(x)))),
    ({ x }, b, n) => fit(b, b.op('sigmoid', [x!]), n.type)),
  // 1 / (1 + exp(x)) = sigmoid(-x)
  rule('sigmoid-recip-exp', P.op('div', P.one, P.op('add', P.one, exp(x))),
    ({ x }, b, n) => fit(b, b.op('sigmoid', [b.op('neg', [x!])]), n.type)),
  // exp(x) / (1 + exp(x)) = sigmoid(x)
  rule('sigmoid-ratio', P.op('div', exp(x), P.op('add', P.one, exp(x))),
    ({ x }, b, n) => fit(b, b.op('sigmoid', [x!]), n.type)),
  // 1 - sigmoid(x) = sigmoid(-x)
  rule('one-minus-sigmoid', P.op('sub', P.one, P.op('sigmoid', x)),
    ({ x }, b, n) => fit(b, b.op('sigmoid', [b.op('neg', [x!])]), n.type)),
  // a / (1 + exp(x)) = a * sigmoid(-x)
  rule('div-one-plus-exp', P.op('div', P.v('a'), P.op('add', P.one, exp(x))),
    ({ a, x }, b, n) => fit(b, b.op('mul', [a!, b.op('sigmoid', [b.op('neg', [x!])])]), n.type)),
  // sigmoid(-x) * exp(x) = exp(x) / (1 + exp(x)) = sigmoid(x) (the gradient of log(1 + exp(x)))
  rule('sigmoid-neg-exp', P.op('mul', P.op('sigmoid', P.v('s')), P.op('exp', P.v('e'))),
    ({ s, e }, b, n) => (opposite(s!, e!) ? fit(b, b.op('sigmoid', [e!]), n.type) : undefined)),
  // (a * sigmoid(-x)) * exp(x) = a * sigmoid(x) (the same inside a product, as gradients build it)
  rule('sigmoid-neg-exp-assoc', P.op('mul', P.op('mul', P.v('a'), P.op('sigmoid', P.v('s'))), P.op('exp', P.v('e'))),
    ({ a, s, e }, b, n) => (opposite(s!, e!) ? fit(b, b.op('mul', [a!, b.op('sigmoid', [e!])]), n.type) : undefined)),
  // x - (-y) = x + y
  rule('sub-neg', P.op('sub', x, neg(y)), ({ x, y }, b) => b.op('add', [x!, y!])),
  // x + (-y) = x - y
  rule('add-neg', P.op('add', x, neg(y)), ({ x, y }, b) => b.op('sub', [x!, y!])),
  // (-x) - y = -(x + y)
  rule('neg-sub', P.op('sub', neg(x), y), ({ x, y }, b) => b.op('neg', [b.op('add', [x!, y!])])),
  // (-x) * (-y) = x * y
  rule('neg-mul-neg', P.op('mul', neg(x), neg(y)), ({ x, y }, b) => b.op('mul', [x!, y!])),
  // (-x) * y = -(x * y) (negations move outward, where they cancel or meet a subtraction)
  rule('neg-mul-out', P.op('mul', neg(x), y), ({ x, y }, b) => b.op('neg', [b.op('mul', [x!, y!])])),
  // c + x = x + c, c * x = x * c (c constant): one order, so CSE sees one node
  rule('const-right', { op: ['add', 'mul'], src: [P.any, P.any], where: constOnLeft },
    (_m, b, n) => b.op(n.op, [n.inputs[1]!, n.inputs[0]!])),
];
