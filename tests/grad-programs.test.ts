/**
 * @file Whole programs through the `grad` stage: a training step on shared variables (updates
 * read the pre-call values) checked against numpy over several steps, second derivatives of
 * elementwise programs against their closed forms, gradient nodes carrying user spans, and
 * deterministic expansion.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { runGraph } from '../src/runtime/interp.js';
import { applyUpdates } from '../src/runtime/state.js';
import { topoOrder } from '../src/graph/walk.js';
import { printGraphText } from '../src/graph/print.js';
import { assertClose, compileOk, entry, randomArray, rng, run } from './helpers/grad.js';

const TRAIN = `
shared w: f64[3] = [0.1, -0.2, 0.3]
shared b: f64 = 0.5

fn train(x: f64[n, 3], y: f64[n], lr: f64 = 0.1) {
  let p1 = sigmoid(x @ w + b)
  let xent = -y * log(p1) - (1 - y) * log(1 - p1)
  let cost = mean(xent) + 0.01 * sum(w ^ 2)
  let (gw, gb) = grad(cost, (w, b))
  w <- w - lr * gw
  b <- b - lr * gb
  return (cost, gw, gb)
}
`;

const NUMPY_TRAIN = `
import json, sys, numpy as np
d = json.load(sys.stdin)
x = np.array(d['x']).reshape(4, 3); y = np.array(d['y'])
w = np.array([0.1, -0.2, 0.3]); b = 0.5
out = []
for step in range(3):
    p = 1 / (1 + np.exp(-(x @ w + b)))
    cost = np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)) + 0.01 * np.sum(w ** 2)
    gw = x.T @ (p - y) / len(y) + 0.02 * w
    gb = np.mean(p - y)
    out.append({'cost': float(cost), 'gw': gw.tolist(), 'gb': float(gb)})
    w, b = w - 0.1 * gw, b - 0.1 * gb
out.append({'w': w.tolist(), 'b': float(b)})
print(json.dumps(out))
`;

test('training step: shared-variable gradients, updates read the pre-call values (numpy, 3 steps)', () => {
  const g = entry(compileOk(TRAIN), 'train');
  const gen = rng(7);
  const x = randomArray(gen, [4, 3], -2, 2);
  const y = fromNumbers('f64', [4], [1, 0, 0, 1]);
  const want = JSON.parse(execFileSync('python3', ['-c', NUMPY_TRAIN], { input: JSON.stringify({ x: [...x.data], y: [...y.data] }) }).toString());
  const store = new Map<string, NDArray>([['w', fromNumbers('f64', [3], [0.1, -0.2, 0.3])], ['b', fromNumbers('f64', [], [0.5])]]);
  const params = new Map([['x', x], ['y', y], ['lr', fromNumbers('f64', [], [0.1])]]);
  for (let step = 0; step < 3; step++) {
    const r = runGraph(g, { params, shared: store, dims: new Map([['n', 4]]) });
    assertClose(r.outputs.get('cost')!.data, [want[step].cost], 1e-12, `cost ${step}`);
    assertClose(r.outputs.get('gw')!.data, want[step].gw, 1e-12, `gw ${step}`);
    assertClose(r.outputs.get('gb')!.data, [want[step].gb], 1e-12, `gb ${step}`);
    applyUpdates(store, r.updates);
  }
  assertClose(store.get('w')!.data, want[3].w, 1e-12, 'final w');
  assertClose(store.get('b')!.data, [want[3].b], 1e-12, 'final b');
});

test('one backward pass serves every target of one cost (CSE between forward and backward, in the graph that runs)', () => {
  const g = entry(compileOk(TRAIN, 'optimized'), 'train');
  const nodes = topoOrder([...g.outputs.map(o => o.node), ...g.updates.map(u => u.node)]);
  assert.is(nodes.filter(n => n.op === 'matmul' && n.inputs[0]!.op === 'param').length, 1, 'x @ w once');
  assert.is(nodes.filter(n => n.op === 'sigmoid').length, 1, 'sigmoid once');
});

/** Runs entry `h` of `src` at x and compares with `want(x)` elementwise. */
function second(src: string, xs: readonly number[], want: (x: number) => number, what: string): void {
  const g = entry(compileOk(src), 'h');
  const x = fromNumbers('f64', [xs.length], xs);
  const scalar = g.params[0]!.type.shape.length === 0;
  const out = scalar
    ? xs.map(v => run(g, new Map([['x', fromNumbers('f64', [], [v])]]))[0]!.data[0]!)
    : [...run(g, new Map([['x', x]]))[0]!.data];
  assertClose(out, xs.map(want), 1e-12, what);
}

test('second derivatives of elementwise programs', () => {
  const xs = [-1.5, -0.3, 0.7, 2];
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  second('fn h(x: f64) = grad(grad(x ^ 3, x), x)', xs, v => 6 * v, 'd2 x^3, scalar');
  second('fn h(x: f64[4]) = grad(sum(grad(sum(x ^ 3), x)), x)', xs, v => 6 * v, 'd2 x^3, vector');
  second('fn h(x: f64[4]) = grad(sum(grad(sum(sin(x)), x)), x)', xs, v => -Math.sin(v), 'd2 sin');
  second('fn h(x: f64[4]) = grad(sum(grad(sum(sigmoid(x)), x)), x)', xs, v => s(v) * (1 - s(v)) * (1 - 2 * s(v)), 'd2 sigmoid');
  second('fn h(x: f64[4]) = grad(sum(grad(sum(exp(x) * tanh(x)), x)), x)', xs,
    v => { const t = Math.tanh(v), e = Math.exp(v); return e * t + 2 * e * (1 - t * t) - 2 * e * t * (1 - t * t); }, 'd2 exp*tanh');
  second('fn h(x: f64[4]) = grad(sum(grad(sum(log(1 + x * x)), x)), x)', xs,
    v => (2 - 2 * v * v) / (1 + v * v) ** 2, 'd2 log(1 + x^2)');
  // a third derivative: d3/dx3 x^4 = 24 x
  second('fn h(x: f64) = grad(grad(grad(x ^ 4, x), x), x)', xs, v => 24 * v, 'd3 x^4');
});

test('second derivatives: mixed partials and a constant first derivative', () => {
  const r = compileOk('fn m(x: f64, y: f64) = grad(grad(x * x * y, x), y)\nfn c(x: f64) = grad(grad(3 * x, x), x)');
  const p = new Map([['x', fromNumbers('f64', [], [1.25])], ['y', fromNumbers('f64', [], [-4])]]);
  assert.is(run(entry(r, 'm'), p)[0]!.data[0], 2 * 1.25);
  assert.is(run(entry(r, 'c'), p)[0]!.data[0], 0);
});

test('gradient nodes carry the spans of the user code they come from', () => {
  const r = compileOk(TRAIN);
  const g = entry(r, 'train');
  for (const n of topoOrder(g.updates.map(u => u.node))) {
    if (n.op === 'const') continue;
    assert.is(n.span.file, 'main.th', `${n.op} has a user span`);
    assert.ok(n.span.line >= 2, `${n.op} at line ${n.span.line}`);
  }
  // The cost is differentiated in its stabilized form (softplus), so the backward nodes of
  // `log(p1)` and `log(1 - p1)` are sigmoids; they point at the p1 line (6) or the xent line (7).
  const sigmoids = topoOrder(g.outputs.map(o => o.node)).filter(n => n.op === 'sigmoid');
  assert.ok(sigmoids.length > 0);
  assert.ok(sigmoids.every(n => n.span.line === 6 || n.span.line === 7), 'sigmoids at lines 6-7');
});

test('expansion is deterministic: the same program gives the same graph text', () => {
  const a = printGraphText(entry(compileOk(TRAIN), 'train'));
  const b = printGraphText(entry(compileOk(TRAIN), 'train'));
  assert.fixture(a, b);
});

test.run();
