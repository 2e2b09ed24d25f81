/**
 * @file Numerical stability after the optimizer (issue 3, acceptance points 3 and 4): naive
 * formulas at arguments where they overflow or lose every digit give the exact f64 answer
 * (rtol 1e-12) once `thc run`'s graphs (stage `optimized`) are interpreted, both with the value
 * passed at run time (a parameter) and written as a literal (constant folding runs after
 * stabilization). Expected values are derived by hand in the comments, not taken from thc.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import '../src/ops/index.js';
import { compileSource, type CompileResult } from '../src/pipeline.js';
import { printGraphText } from '../src/graph/print.js';
import type { Graph } from '../src/graph/graph.js';
import type { Node } from '../src/graph/node.js';
import { topoOrder } from '../src/graph/walk.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { runGraph } from '../src/runtime/interp.js';
import { repoPath } from './helpers/paths.js';

const readStdlib = (abs: string): string | undefined => {
  if (!abs.startsWith('/virtual/stdlib/')) return undefined;
  try { return readFileSync(repoPath('stdlib', abs.slice('/virtual/stdlib/'.length)), 'utf8'); } catch { return undefined; }
};

function compile(src: string): CompileResult {
  return compileSource({ source: src, path: '/virtual/main.th', displayName: 'main.th' },
    { host: { readFile: readStdlib, stdlibDir: '/virtual/stdlib' } });
}

function compileOk(src: string): Graph {
  const r = compile(src);
  assert.equal(r.diagnostics.map(d => `${d.code} ${d.message}`), [], `diagnostics of:\n${src}`);
  return r.graphs!.entries[0]!;
}

/** Runs a one-output entry with f64 arguments (scalars or vectors). */
function run(g: Graph, args: Readonly<Record<string, number | readonly number[]>> = {}): NDArray {
  const params = new Map<string, NDArray>();
  for (const p of g.params) {
    const v = args[p.name]!;
    params.set(p.name, typeof v === 'number' ? fromNumbers('f64', [], [v]) : fromNumbers('f64', [v.length], v));
  }
  return [...runGraph(g, { params, shared: new Map(), dims: new Map() }).outputs.values()][0]!;
}

function assertExact(actual: NDArray, expected: readonly number[], what: string): void {
  assert.is(actual.dtype, 'f64', `${what}: dtype`);
  assert.is(actual.data.length, expected.length, `${what}: size`);
  expected.forEach((e, i) => {
    const a = actual.data[i]!;
    assert.ok(Object.is(a, e) || Math.abs(a - e) <= 1e-12 * Math.abs(e), `${what}: element ${i} is ${a}, expected ${e}`);
  });
}

interface Case {
  readonly name: string;
  /** The expression, with `X` standing for the argument. */
  readonly expr: string;
  /** The argument: a number or a vector (written as an f64 literal or passed as a parameter). */
  readonly at: number | readonly number[];
  readonly expected: readonly number[];
}

const CASES: readonly Case[] = [
  // log(1 + 1e-20) = 1e-20 - 5e-41 + ...: 1e-20 to f64 (1 + 1e-20 itself rounds to 1, so naive gives 0).
  { name: 'log(1+x) at 1e-20', expr: 'log(1 + X)', at: 1e-20, expected: [1e-20] },
  // exp(1e-18) - 1 = 1e-18 + 5e-37 + ...: 1e-18 (naive: exp(1e-18) rounds to 1, giving 0).
  { name: 'exp(x)-1 at 1e-18', expr: 'exp(X) - 1', at: 1e-18, expected: [1e-18] },
  // log(1 + e^800) = 800 + log(1 + e^-800) = 800 (naive: exp overflows, log(inf) = inf).
  { name: 'log(1+exp(x)) at 800', expr: 'log(1 + exp(X))', at: 800, expected: [800] },
  // log(sigmoid(-800)) = -800 - log(1 + e^-800) = -800 (naive: sigmoid underflows to 0, log gives -inf).
  { name: 'log(sigmoid(x)) at -800', expr: 'log(sigmoid(X))', at: -800, expected: [-800] },
  // log(1 - sigmoid(800)) = log(sigmoid(-800)) = -800 (naive: 1 - 1 = 0, log gives -inf).
  { name: 'log(1-sigmoid(x)) at 800', expr: 'log(1 - sigmoid(X))', at: 800, expected: [-800] },
  // e^1000 / (1 + e^1000) = 1 / (1 + e^-1000) = 1 (naive: inf / inf = NaN).
  { name: 'exp(x)/(1+exp(x)) at 1000', expr: 'exp(X) / (1 + exp(X))', at: 1000, expected: [1] },
  // logsumexp([1000, 1000]) = 1000 + log(e^0 + e^0) = 1000 + log 2.
  { name: 'logsumexp([1000,1000])', expr: 'logsumexp(X)', at: [1000, 1000], expected: [1000 + Math.LN2] },
  { name: 'log(sum(exp(x))) at [1000,1000]', expr: 'log(sum(exp(X)))', at: [1000, 1000], expected: [1000 + Math.LN2] },
  // logsumexp([0, -40]) = log1p(e^-40) = 4.248354255291589e-18 (numpy.logaddexp(0, -40)); a kernel
  // computing max + log(sum) loses it entirely (log(1 + 4.2e-18) rounds to 0).
  { name: 'logsumexp([0,-40])', expr: 'logsumexp(X)', at: [0, -40], expected: [4.248354255291589e-18] },
  { name: 'log(sum(exp(x))) at [0,-40]', expr: 'log(sum(exp(X)))', at: [0, -40], expected: [4.248354255291589e-18] },
  // softmax([1000, 0]) = [1/(1+e^-1000), e^-1000/(1+e^-1000)] = [1, 0] (e^-1000 < the smallest f64).
  { name: 'softmax([1000,0])', expr: 'softmax(X)', at: [1000, 0], expected: [1, 0] },
  // log_softmax([1000, 0]) = [1000, 0] - logsumexp = [1000, 0] - 1000 = [0, -1000].
  { name: 'log_softmax([1000,0])', expr: 'log_softmax(X)', at: [1000, 0], expected: [0, -1000] },
  // log(softmax([1000, 0])), the naive spelling of the same.
  { name: 'log(softmax([1000,0]))', expr: 'log(softmax(X))', at: [1000, 0], expected: [0, -1000] },
];

/** An f64 literal: `800.0`, `1e-20`, `[1000.0, 0.0]`. */
const literal = (v: number | readonly number[]): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? `${v}.0` : String(v)) : `[${v.map(x => literal(x)).join(', ')}]`;

const paramType = (v: number | readonly number[]): string => (typeof v === 'number' ? 'f64' : `f64[${v.length}]`);

for (const c of CASES) {
  test(`${c.name}, passed at run time`, () => {
    const g = compileOk(`use nn\nfn f(x: ${paramType(c.at)}) = ${c.expr.replaceAll('X', 'x')}`);
    assertExact(run(g, { x: c.at }), c.expected, c.name);
  });
  test(`${c.name}, written as a literal`, () => {
    const g = compileOk(`use nn\nfn f() = ${c.expr.replaceAll('X', literal(c.at))}`);
    assertExact(run(g), c.expected, `${c.name} (literal)`);
    // Everything was folded: the output is a constant (no exp/log evaluated at run time).
    assert.is(g.outputs[0]!.node.op, 'const', printGraphText(g));
  });
}

test('the gradient of log(sigmoid(x)) at -800 is 1', () => {
  // d/dx log(sigmoid(x)) = 1 - sigmoid(x) = sigmoid(-x) = 1 / (1 + e^-800) = 1.
  const r = compile('fn f(x: f64) = grad(log(sigmoid(x)), x)');
  assert.equal(r.diagnostics.map(d => d.code), []);
  assertExact(run(r.graphs!.entries[0]!, { x: -800 }), [1], 'grad log(sigmoid(x)) at -800');
  assertExact(run(r.graphs!.entries[0]!, { x: 0 }), [0.5], 'grad log(sigmoid(x)) at 0');
  // Literal: grad(log(sigmoid(c)), ...) needs a target, so the literal form is the parameter's default.
  const lit = compile('fn f(x: f64 = -800.0) = grad(log(sigmoid(x)), x)');
  assertExact(run(lit.graphs!.entries[0]!, { x: -800 }), [1], 'grad with a default argument');
});

const ARITHMETIC = new Set(['add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log']);

test('samples/simplify.th optimizes to a zeros fill, with no arithmetic left', () => {
  const path = repoPath('samples', 'simplify.th');
  const r = compileSource({ source: readFileSync(path, 'utf8'), path });
  assert.equal(r.diagnostics.map(d => d.code), []);
  const g = r.graphs!.entries[0]!;
  const nodes: Node[] = topoOrder(g.outputs.map(o => o.node));
  assert.equal(nodes.filter(n => ARITHMETIC.has(n.op)).map(n => n.op), [], printGraphText(g));
  const out = g.outputs[0]!.node;
  assert.is(out.op, 'broadcast', printGraphText(g));
  assert.is(out.inputs[0]!.op, 'const');
  assert.equal(Array.from((out.inputs[0]!.attrs['value'] as NDArray).data), [0]);
  assert.equal(out.type.shape, ['n']);
  // And it runs: x = [1, 2, 3] gives [0, 0, 0] (x^2 - x^2).
  const x = fromNumbers('f32', [3], [1, 2, 3]);
  const res = runGraph(g, { params: new Map([['x', x]]), shared: new Map(), dims: new Map([['n', 3]]) });
  assert.equal(Array.from([...res.outputs.values()][0]!.data), [0, 0, 0]);
});

test.run();
