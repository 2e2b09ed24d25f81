/**
 * @file The f32 stability cases of issue 3 (tests/stability.test.ts, the interpreter in f64) on the
 * GPU: naive formulas at arguments where they overflow or lose every digit, compiled as `thc run
 * --device gpu` compiles them (the optimizer's stable rewrites, then the WGSL kernels), run in f32
 * through the runner API. Each result must be finite wherever the interpreter's (f32) is, match the
 * interpreter, and match the value derived by hand (or with numpy in float64, rounded to f32) in
 * the comments. Tolerances come from docs/wgsl.md's accuracy table: log1p 2.3e-7 relative; exp(x)
 * 3 + 2|x| ULP, so the cases that go through exp(-40) (83 ULP, 5e-6) or softmax's exp of
 * differences up to 2 get rtol 1e-5; results of plain arithmetic, 1e-6.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../src/ops/index.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { runGraph } from '../src/runtime/interp.js';
import { createWgslRunner } from '../src/backend/wgsl/run.js';
import { withGpu } from './helpers/gpu.js';
import { compileKernelsOk, scheduleOf } from './helpers/schedule-oracle.js';

const gpuTest = await withGpu(test);
type Gpu = Parameters<Parameters<typeof gpuTest>[1]>[0];

interface Case {
  readonly name: string;
  /** The expression with `x` (and `y`) as f32 parameters. */
  readonly expr: string;
  readonly x: readonly number[];
  readonly y?: readonly number[];
  /** The exact value (float64, by hand or numpy), compared after rounding to f32. */
  readonly expected: readonly number[];
  readonly rtol: number;
}

const LN2 = Math.log(2);

const CASES: readonly Case[] = [
  // log(1 + 1e-20) = 1e-20 - 5e-41 + ...: 1e-20 (naive: 1 + 1e-20 rounds to 1, giving 0).
  { name: 'log(1+x) at 1e-20', expr: 'log(1 + x)', x: [1e-20], expected: [1e-20], rtol: 1e-6 },
  // exp(1e-18) - 1 = 1e-18 + 5e-37: 1e-18 (naive: 0).
  { name: 'exp(x)-1 at 1e-18', expr: 'exp(x) - 1', x: [1e-18, -3e-9], expected: [1e-18, -3e-9], rtol: 1e-6 },
  // log(1 + e^x) = x + log1p(e^-x) = x for x = 800 and 100 (e^100 > the largest f32, 3.4e38).
  { name: 'log(1+exp(x)) at 800 and 100', expr: 'log(1 + exp(x))', x: [800, 100], expected: [800, 100], rtol: 1e-6 },
  // log(sigmoid(x)) = -x - log1p(e^-... ) = x for x = -800, -100 (naive: sigmoid underflows, log gives -inf).
  { name: 'log(sigmoid(x)) at -800 and -100', expr: 'log(sigmoid(x))', x: [-800, -100], expected: [-800, -100], rtol: 1e-6 },
  // log(1 - sigmoid(800)) = log(sigmoid(-800)) = -800 (naive: log(0)).
  { name: 'log(1-sigmoid(x)) at 800', expr: 'log(1 - sigmoid(x))', x: [800], expected: [-800], rtol: 1e-6 },
  // e^1000 / (1 + e^1000) = 1 / (1 + e^-1000) = 1 (naive: inf / inf).
  { name: 'exp(x)/(1+exp(x)) at 1000', expr: 'exp(x) / (1 + exp(x))', x: [1000], expected: [1], rtol: 1e-6 },
  // logsumexp([1000, 1000]) = 1000 + log 2.
  { name: 'logsumexp([1000,1000])', expr: 'logsumexp(x)', x: [1000, 1000], expected: [1000 + LN2], rtol: 1e-6 },
  { name: 'log(sum(exp(x))) at [1000,1000]', expr: 'log(sum(exp(x)))', x: [1000, 1000], expected: [1000 + LN2], rtol: 1e-6 },
  // log1p(e^-40) = 4.248354255291589e-18 (numpy.logaddexp(0, -40)); max + log(sum) would give 0.
  { name: 'logsumexp([0,-40])', expr: 'logsumexp(x)', x: [0, -40], expected: [4.248354255291589e-18], rtol: 1e-5 },
  { name: 'log(sum(exp(x))) at [0,-40]', expr: 'log(sum(exp(x)))', x: [0, -40], expected: [4.248354255291589e-18], rtol: 1e-5 },
  // softmax([1000, 0]) = [1 / (1 + e^-1000), e^-1000 / (...)] = [1, 0] (e^-1000 underflows).
  { name: 'softmax([1000,0])', expr: 'softmax(x)', x: [1000, 0], expected: [1, 0], rtol: 1e-6 },
  // softmax([1000, 999, 998]) = [1, e^-1, e^-2] / (1 + e^-1 + e^-2) (numpy, float64).
  { name: 'softmax([1000,999,998])', expr: 'softmax(x)', x: [1000, 999, 998], expected: [0.6652409557748219, 0.24472847105479764, 0.09003057317038046], rtol: 1e-5 },
  // log_softmax([1000, 0]) = [1000, 0] - 1000 = [0, -1000], also spelled log(softmax(x)).
  { name: 'log_softmax([1000,0])', expr: 'log_softmax(x)', x: [1000, 0], expected: [0, -1000], rtol: 1e-6 },
  { name: 'log(softmax([1000,0]))', expr: 'log(softmax(x))', x: [1000, 0], expected: [0, -1000], rtol: 1e-6 },
  // softplus, sigmoid, log1p, expm1 at extreme arguments: softplus(x) = x + log1p(e^-x) (100 -> 100;
  // -100 -> e^-100 = 3.720075976020836e-44, an f32 subnormal the GPU may flush to 0, so -20 instead:
  // log1p(e^-20) = 2.0611536181902037e-09), sigmoid(-20) = 1 / (1 + e^20) = 2.0611536181902037e-09.
  { name: 'softplus and sigmoid at +-100 and -20', expr: 'concat([softplus(x), sigmoid(x)], axis=0)', x: [100, -20, 0],
    expected: [100, 2.0611536181902037e-09, LN2, 1, 2.0611536181902037e-09, 0.5], rtol: 1e-5 },
  // Binary cross-entropy with saturated sigmoids: -(y log s + (1 - y) log(1 - s)), s = sigmoid(z):
  // z = -800, y = 1: 800; z = 800, y = 0: 800; z = 30, y = 1 and z = -30, y = 0: log1p(e^-30)
  // = 9.357622968839737e-14 (numpy); z = 0: log 2.
  { name: 'cross-entropy with saturated sigmoids', expr: '-(y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))',
    x: [-800, 800, 30, -30, 0], y: [1, 0, 1, 0, 1], expected: [800, 800, 9.357622968839737e-14, 9.357622968839737e-14, LN2], rtol: 1e-5 },
];

async function runCase(gpu: Gpu, c: Case): Promise<void> {
  const params = c.y ? `x: f32[${c.x.length}], y: f32[${c.y.length}]` : `x: f32[${c.x.length}]`;
  const r = compileKernelsOk(`use nn\nfn f(${params}) = ${c.expr}`);
  const { g, s } = scheduleOf(r, 'f');
  const args = new Map<string, NDArray>([['x', fromNumbers('f32', [c.x.length], c.x)]]);
  if (c.y) args.set('y', fromNumbers('f32', [c.y.length], c.y));
  const want = [...runGraph(g, { params: args, shared: new Map(), dims: new Map() }).outputs.values()][0]!;
  const runner = createWgslRunner(gpu, s, r.graphs!, new Map());
  let got: NDArray;
  try {
    got = [...(await runner.run({ params: args, dims: new Map() })).values()][0]!;
  } finally {
    runner.destroy();
  }
  assert.is(got.dtype, 'f32', c.name);
  assert.is(got.data.length, c.expected.length, `${c.name}: size`);
  c.expected.forEach((e, i) => {
    const g1 = got.data[i]!, w = want.data[i]!, ef = Math.fround(e);
    const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= c.rtol * Math.abs(b) + 1e-37;
    assert.ok(Number.isFinite(w), `${c.name}: the interpreter gives ${w} at ${i}`);
    assert.ok(Number.isFinite(g1), `${c.name}: element ${i} is ${g1} on the GPU (the interpreter: ${w})`);
    assert.ok(close(g1, w), `${c.name}: element ${i} is ${g1} on the GPU, ${w} on the interpreter`);
    assert.ok(close(g1, ef), `${c.name}: element ${i} is ${g1} on the GPU, ${ef} expected`);
  });
}

for (const c of CASES) gpuTest(`f32 on the GPU: ${c.name}`, gpu => runCase(gpu, c));

gpuTest('f32 on the GPU: mean binary cross-entropy over saturated sigmoids (a reduction of the stable forms)', async gpu => {
  // (800 + 800 + 2 x 9.357622968839737e-14 + log 2) / 5 = 320.1386294361120 (the tiny terms vanish).
  await runCase(gpu, { name: 'mean cross-entropy', expr: 'mean(-(y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x))))',
    x: [-800, 800, 30, -30, 0], y: [1, 0, 1, 0, 1], expected: [(1600 + LN2) / 5], rtol: 1e-6 });
});

test.run();
