/**
 * @file Gradients of every differentiable primitive (and the composites built from them) against
 * central finite differences: each case is a scalar f64 cost over small random inputs (with
 * broadcasting where the op broadcasts, and a random weighting `w` so every output element gets a
 * different seed); the `grad` stage's expansion, run in the interpreter, must agree to a relative
 * error below 1e-6 for every target element.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { typeToString } from '../src/sema/types.js';
import { topoOrder } from '../src/graph/walk.js';
import { evaluate } from '../src/runtime/interp.js';
import { assertClose, compileOk, entry, finiteDiff, randomArray, rng, run } from './helpers/grad.js';

/** A random f64 input: shape, range. */
type Real = readonly [shape: readonly number[], lo: number, hi: number];
/** A fixed i32 input: shape, values. */
type Int = readonly [shape: readonly number[], values: readonly number[]];

interface Case {
  readonly reals: Readonly<Record<string, Real>>;
  readonly ints?: Readonly<Record<string, Int>>;
  /** Targets (default: every real input except `w`). */
  readonly wrt?: readonly string[];
  readonly cost: string;
  readonly use?: string;
}

const W = (...shape: number[]): Real => [shape, -1, 1];
const R = (lo: number, hi: number, ...shape: number[]): Real => [shape, lo, hi];

/** Binary elementwise ops, each with a broadcast ([2, 3] with [3]) and a size-1 ([2, 1] with [1, 3]) case. */
function binaryCases(name: string, expr: string, a: [number, number], b: [number, number]): Record<string, Case> {
  return {
    [`${name} [2,3] with [3]`]: { reals: { a: R(...a, 2, 3), b: R(...b, 3), w: W(2, 3) }, cost: `sum((${expr}) * w)` },
    [`${name} [2,1] with [1,3]`]: { reals: { a: R(...a, 2, 1), b: R(...b, 1, 3), w: W(2, 3) }, cost: `sum((${expr}) * w)` },
  };
}

function unaryCase(name: string, lo: number, hi: number, expr = `${name}(a)`): Record<string, Case> {
  return { [name]: { reals: { a: R(lo, hi, 2, 3), w: W(2, 3) }, cost: `sum(${expr} * w)` } };
}

const CASES: Record<string, Case> = {
  ...binaryCases('add', 'a + b', [-1, 1], [-1, 1]),
  ...binaryCases('sub', 'a - b', [-1, 1], [-1, 1]),
  ...binaryCases('mul', 'a * b', [-1, 1], [-1, 1]),
  ...binaryCases('div', 'a / b', [-1, 1], [0.5, 2]),
  // a / b stays inside (2, 3): away from the jumps of the remainder
  ...binaryCases('mod', 'a % b', [2.2, 2.8], [1, 1.05]),
  ...binaryCases('pow', 'a ^ b', [0.5, 2], [-1.5, 2]),
  ...binaryCases('pow builtin', 'pow(a, b)', [0.5, 2], [-1.5, 2]),
  ...binaryCases('maximum', 'maximum(a, b)', [-1, 1], [-1, 1]),
  ...binaryCases('minimum', 'minimum(a, b)', [-1, 1], [-1, 1]),
  'pow with a literal exponent': { reals: { a: R(0.5, 2, 2, 3), w: W(2, 3) }, cost: 'sum(a ^ 3 * w)' },
  'pow with a literal base': { reals: { a: R(-1, 1, 2, 3), w: W(2, 3) }, cost: 'sum(2.5 ^ a * w)' },
  ...unaryCase('neg', -1, 1, '(-a)'),
  ...unaryCase('exp', -1, 1),
  ...unaryCase('log', 0.5, 2),
  ...unaryCase('log1p', -0.5, 2),
  ...unaryCase('expm1', -1, 1),
  ...unaryCase('sqrt', 0.5, 2),
  ...unaryCase('rsqrt', 0.5, 2),
  ...unaryCase('sin', -2, 2),
  ...unaryCase('cos', -2, 2),
  ...unaryCase('tan', -1, 1),
  ...unaryCase('tanh', -2, 2),
  ...unaryCase('sigmoid', -3, 3),
  ...unaryCase('softplus', -3, 3),
  ...unaryCase('abs', -1, 1),
  ...unaryCase('cast to the same dtype', -1, 1, 'cast(a, f64)'),
  ...unaryCase('clip (composite)', -1, 1, 'clip(a, -0.5, 0.5)'),
  'floor passes no gradient': { reals: { a: R(0.1, 0.9, 2, 3), w: W(2, 3) }, cost: 'sum((a + floor(a * 3)) * w)' },
  'where': { reals: { c: W(2, 3), a: R(-1, 1, 2, 3), b: R(-1, 1, 3), w: W(2, 3) }, wrt: ['a', 'b'], cost: 'sum(where(c > 0, a, b) * w)' },
  'where with a scalar branch': { reals: { c: W(2, 3), a: R(-1, 1, 2, 3), w: W(2, 3) }, wrt: ['a'], cost: 'sum(where(c > 0, 0.5, a) * w)' },
  // reductions over a [2, 3, 4]
  'sum all': { reals: { a: W(2, 3, 4) }, cost: 'sum(a * a)' },
  'sum axis=1': { reals: { a: W(2, 3, 4), w: W(2, 4) }, cost: 'sum(sum(a, axis=1) * w)' },
  'sum axis=0': { reals: { a: W(2, 3, 4), w: W(3, 4) }, cost: 'sum(sum(a, axis=0) * w)' },
  'sum axis=(0, 2) keepdims': { reals: { a: W(2, 3, 4), w: W(1, 3, 1) }, cost: 'sum(sum(a, axis=(0, 2), keepdims=true) * w)' },
  'mean axis=-1 (composite)': { reals: { a: W(2, 3, 4), w: W(2, 3) }, cost: 'sum(mean(a, axis=-1) * w)' },
  'prod all': { reals: { a: R(0.5, 1.5, 2, 3) }, cost: 'prod(a)' },
  'prod axis=1': { reals: { a: R(0.5, 1.5, 2, 3, 4), w: W(2, 4) }, cost: 'sum(prod(a, axis=1) * w)' },
  'max all': { reals: { a: W(2, 3, 4) }, cost: 'max(a) * 3' },
  'max axis=2': { reals: { a: W(2, 3, 4), w: W(2, 3) }, cost: 'sum(max(a, axis=2) * w)' },
  'min axis=0 keepdims': { reals: { a: W(2, 3, 4), w: W(1, 3, 4) }, cost: 'sum(min(a, axis=0, keepdims=true) * w)' },
  'logsumexp all': { reals: { a: W(2, 3, 4) }, cost: 'logsumexp(a * 3)' },
  'logsumexp axis=1': { reals: { a: W(2, 3, 4), w: W(2, 4) }, cost: 'sum(logsumexp(a, axis=1) * w)' },
  'logsumexp axis=-1 keepdims': { reals: { a: W(2, 3, 4), w: W(2, 3, 1) }, cost: 'sum(logsumexp(a, axis=-1, keepdims=true) * w)' },
  // shape ops
  'reshape': { reals: { a: W(2, 3), w: W(3, 2) }, cost: 'sum(reshape(a, [3, 2]) * w)' },
  'reshape with -1': { reals: { a: W(2, 3, 2), w: W(6, 2) }, cost: 'sum(reshape(a, [-1, 2]) * w)' },
  'transpose x.T': { reals: { a: W(2, 3), w: W(3, 2) }, cost: 'sum(a.T * w)' },
  'transpose with axes': { reals: { a: W(2, 3, 4), w: W(3, 4, 2) }, cost: 'sum(transpose(a, [1, 2, 0]) * w)' },
  'broadcast': { reals: { b: W(3), w: W(2, 3) }, cost: 'sum(broadcast(b, [2, 3]) * w)' },
  'broadcast size-1 axis': { reals: { b: W(2, 1), w: W(2, 3) }, cost: 'sum(broadcast(b, [2, 3]) * w)' },
  'concat axis=1': { reals: { a: W(2, 3), b: W(2, 2), w: W(2, 5) }, cost: 'sum(concat([a, b], axis=1) * w)' },
  'concat axis=0, the same operand twice': { reals: { a: W(2, 3), b: W(1, 3), w: W(5, 3) }, cost: 'sum(concat([a, b, a], axis=0) * w)' },
  'stack (composite)': { reals: { a: W(2, 3), b: W(2, 3), w: W(2, 2, 3) }, cost: 'sum(stack([a, b], axis=1) * w)' },
  // indexing
  'slices': { reals: { a: W(3, 4), w: W(2, 2) }, cost: 'sum(a[1:, ::2] * w)' },
  'negative step slice': { reals: { a: W(3, 4), w: W(3, 2) }, cost: 'sum(a[::-1, 3:1:-1] * w)' },
  'int index': { reals: { a: W(3, 4), w: W(4) }, cost: 'sum(a[1] * w)' },
  'int and slice': { reals: { a: W(3, 4), w: W(3) }, cost: 'sum(a[:, -1] * w)' },
  'gather with repeats': { reals: { a: W(3, 4), w: W(4, 4) }, ints: { i: [[4], [0, 2, 0, 1]] }, cost: 'sum(a[i] * w)' },
  'gather two index tensors': {
    reals: { a: W(3, 4), w: W(4) }, ints: { i: [[4], [0, 2, 0, 1]], j: [[4], [3, 3, 3, 0]] }, cost: 'sum(a[i, j] * w)',
  },
  'gather with arange (cross-entropy form)': {
    reals: { a: R(0.5, 2, 3, 4) }, ints: { y: [[3], [1, 0, 3]] }, cost: '-mean(log(a)[arange(3), y])',
  },
  'slice then gather': { reals: { a: W(3, 4), w: W(2, 2) }, ints: { i: [[2], [2, 0]] }, cost: 'sum(a[1:3, i] * w)' },
  // matmul in all its forms
  'matmul [3] @ [3]': { reals: { a: W(3), b: W(3) }, cost: '(a @ b) * 2' },
  'matmul [2,3] @ [3]': { reals: { a: W(2, 3), b: W(3), w: W(2) }, cost: 'sum((a @ b) * w)' },
  'matmul [3] @ [3,2]': { reals: { a: W(3), b: W(3, 2), w: W(2) }, cost: 'sum((a @ b) * w)' },
  'matmul [2,3] @ [3,4]': { reals: { a: W(2, 3), b: W(3, 4), w: W(2, 4) }, cost: 'sum((a @ b) * w)' },
  'matmul batched [2,2,3] @ [3,4]': { reals: { a: W(2, 2, 3), b: W(3, 4), w: W(2, 2, 4) }, cost: 'sum((a @ b) * w)' },
  'matmul broadcast batch [2,2,3] @ [1,3,2]': { reals: { a: W(2, 2, 3), b: W(1, 3, 2), w: W(2, 2, 2) }, cost: 'sum((a @ b) * w)' },
  'matmul [3] @ [2,3,4]': { reals: { a: W(3), b: W(2, 3, 4), w: W(2, 4) }, cost: 'sum((a @ b) * w)' },
  'matmul [2,4,3] @ [3]': { reals: { a: W(2, 4, 3), b: W(3), w: W(2, 4) }, cost: 'sum((a @ b) * w)' },
  'dot and outer (composites)': { reals: { a: W(3), b: W(3), w: W(3, 3) }, cost: 'dot(a, b) + sum(outer(a, b) * w)' },
  // stdlib (naive formulas, differentiated as written)
  'nn softmax and log_softmax': { use: 'use nn', reals: { a: W(2, 3), w: W(2, 3) }, cost: 'sum(softmax(a) * w) + sum(log_softmax(a, axis=0) * w)' },
  'nn cross_entropy': { use: 'use nn', reals: { a: W(3, 4) }, ints: { y: [[3], [1, 0, 3]] }, cost: 'cross_entropy(softmax(a), y)' },
  'stats variance': { use: 'use stats', reals: { a: W(2, 5) }, cost: 'sum(variance(a, axis=1))' },
  // the same node reached by several paths accumulates
  'shared subexpressions': { reals: { a: W(3), b: W(3) }, cost: 'sum(exp(a) * exp(a) + exp(a) * b) + sum(a * b) * sum(a)' },
};

const typeOf = (shape: readonly number[], dtype = 'f64'): string => `${dtype}${shape.length ? `[${shape.join(', ')}]` : ''}`;

function checkCase(name: string, c: Case, seed: number): void {
  const wrt = c.wrt ?? Object.keys(c.reals).filter(k => k !== 'w');
  const sig = [
    ...Object.entries(c.reals).map(([k, [shape]]) => `${k}: ${typeOf(shape)}`),
    ...Object.entries(c.ints ?? {}).map(([k, [shape]]) => `${k}: ${typeOf(shape, 'i32')}`),
  ].join(', ');
  const src = `${c.use ?? ''}\nfn f(${sig}) = ${c.cost}\nfn g(${sig}) = grad(${c.cost}, (${wrt.join(', ')},))\n`;
  const r = compileOk(src);
  const f = entry(r, 'f'), g = entry(r, 'g');
  for (const n of topoOrder(g.outputs.map(o => o.node))) assert.is.not(n.op, 'grad', `${name}: a placeholder survived`);
  const gen = rng(seed);
  const params = new Map<string, NDArray>();
  for (const [k, [shape, lo, hi]] of Object.entries(c.reals)) params.set(k, randomArray(gen, shape, lo, hi));
  for (const [k, [shape, values]] of Object.entries(c.ints ?? {})) params.set(k, fromNumbers('i32', shape, values));
  const grads = run(g, params);
  wrt.forEach((t, i) => {
    const x = params.get(t)!;
    assert.is(typeToString(g.outputs[i]!.node.type), typeOf(x.shape), `${name}: type of d/d${t}`);
    assert.equal(grads[i]!.shape, x.shape, `${name}: shape of d/d${t}`);
    assertClose(grads[i]!.data, finiteDiff(f, params, t), 1e-6, `${name}: d/d${t}`);
  });
}

let seed = 1;
for (const [name, c] of Object.entries(CASES)) {
  const s = seed++;
  test(`finite differences: ${name}`, () => checkCase(name, c, s));
}

test('symbolic dims: broadcasting over n and a mean over n', () => {
  const src = 'fn f(a: f64[n, 3], b: f64[3], w: f64[n, 3]) = sum((a * b + b) * w) / n + mean(a)\n'
    + 'fn g(a: f64[n, 3], b: f64[3], w: f64[n, 3]) = grad(sum((a * b + b) * w) / n + mean(a), (a, b))\n';
  const r = compileOk(src);
  const gen = rng(99);
  const params = new Map([['a', randomArray(gen, [4, 3], -1, 1)], ['b', randomArray(gen, [3], -1, 1)], ['w', randomArray(gen, [4, 3], -1, 1)]]);
  const dims = new Map([['n', 4]]);
  const out = evaluate(entry(r, 'g').outputs.map(o => o.node), { params, shared: new Map(), dims });
  // By hand: d/da = (b * w) / n + 1 / (3n); d/db = sum over rows of (a + 1) * w / n.
  const a = params.get('a')!.data, b = params.get('b')!.data, w = params.get('w')!.data;
  const wantA = Array.from({ length: 12 }, (_, k) => (b[k % 3]! * w[k]!) / 4 + 1 / 12);
  const wantB = [0, 1, 2].map(j => [0, 1, 2, 3].reduce((s, i) => s + (a[i * 3 + j]! + 1) * w[i * 3 + j]!, 0) / 4);
  assertClose(out[0]!.data, wantA, 1e-12, 'd/da');
  assertClose(out[1]!.data, wantB, 1e-12, 'd/db');
});

test('cast: an f32 target of an f64 cost gets an f32 gradient', () => {
  const r = compileOk('fn g(x: f32[3], w: f64[3]) = grad(sum(cast(x, f64) * w), x)');
  const g = entry(r, 'g');
  assert.is(typeToString(g.outputs[0]!.node.type), 'f32[3]');
  const w = [0.1, -2.5, 1 / 3];
  const out = run(g, new Map([['x', fromNumbers('f32', [3], [1, 2, 3])], ['w', fromNumbers('f64', [3], w)]]))[0]!;
  assert.is(out.dtype, 'f32');
  assert.equal([...out.data], w.map(Math.fround));
});

test('ties: maximum/minimum split the gradient evenly, max/min share it between tied elements', () => {
  const r = compileOk('fn g(a: f64[3], b: f64[3]) = grad(sum(maximum(a, b)) + 2 * min(a), (a, b))');
  const out = run(entry(r, 'g'), new Map([['a', fromNumbers('f64', [3], [1, 0, 0])], ['b', fromNumbers('f64', [3], [1, 2, -1])]]));
  // maximum: tie at 0 -> 0.5 each; b wins at 1; a wins at 2. min(a) = 0, tied at elements 1 and 2 -> 2 / 2 each.
  assert.equal([...out[0]!.data], [0.5, 0 + 1, 1 + 1]);
  assert.equal([...out[1]!.data], [0.5, 1, 0]);
});

test('abs at 0 and pow exponent at x <= 0 give 0', () => {
  const r = compileOk('fn g(x: f64[3], p: f64[3]) = grad(sum(abs(x)) + sum(x ^ p), (x, p))');
  const out = run(entry(r, 'g'), new Map([['x', fromNumbers('f64', [3], [0, -2, 4])], ['p', fromNumbers('f64', [3], [2, 2, 0.5])]]));
  // d|x| = sign(x); d x^p/dx = p x^(p-1); d x^p/dp = x^p log(x) for x > 0, else 0.
  assert.equal([...out[0]!.data], [0 + 0, -1 + 2 * -2, 1 + 0.5 / 2]);
  assert.equal([...out[1]!.data], [0, 0, 2 * Math.log(4)]);
});

test('prod at zeros: the product of the other elements (one zero), 0 (two zeros)', () => {
  const r = compileOk('fn g(x: f64[3, 3]) = grad(sum(prod(x, axis=1)), x)');
  const x = fromNumbers('f64', [3, 3], [2, 0, 3, 0, 0, 5, 1, 2, 4]);
  const out = run(entry(r, 'g'), new Map([['x', x]]));
  // Row 1, one zero: d/dx_1 = 2 * 3 = 6, the others see a zero among their partners.
  // Row 2, two zeros: every partial derivative has a zero factor. Row 3: products of the others.
  assert.equal([...out[0]!.data], [0, 6, 0, 0, 0, 0, 8, 4, 2]);
  // The same in the optimized graph that `thc run` executes.
  const opt = run(entry(compileOk('fn g(x: f64[3, 3]) = grad(sum(prod(x, axis=1)), x)', 'optimized'), 'g'), new Map([['x', x]]));
  assert.equal([...opt[0]!.data], [0, 6, 0, 0, 0, 0, 8, 4, 2]);
});

test.run();
