/**
 * @file The WGSL backend against the interpreter (tests/helpers/wgsl-oracle.ts), on the GPU:
 * every elementwise op that has a WGSL printer (asserted against the op table), reductions with
 * axis and keepdims, views, concat, one_hot, matmul forms, odd and zero sizes, a grid folded past
 * 65,535 workgroups, a kernel reading 12 tensors, training an f32 logistic regression, and the
 * backend's rejections (TH0520 f64, TH0521 random). Sizes stay small: lavapipe runs on the CPU.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import '../src/ops/index.js';
import { allOps, defineOp, getPrimitive, type PrimitiveOp } from '../src/ops/registry.js';
import { createSink } from '../src/diag/sink.js';
import { renderDiagnostics } from '../src/diag/render.js';
import { sourceFile } from '../src/source/source-file.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import type { Graph } from '../src/graph/graph.js';
import { checkWgslSupport } from '../src/backend/wgsl/support.js';
import { scheduleText } from '../src/backend/wgsl/module.js';
import { createWgslRunner, WgslLimitError } from '../src/backend/wgsl/run.js';
import { withGpu } from './helpers/gpu.js';
import { compileKernelsOk, gatherCase, opValues, randomArgs, scheduleOf, type Args } from './helpers/schedule-oracle.js';
import { expectGpuMatches, maxRelError, F32_TOL, type Tolerance } from './helpers/wgsl-oracle.js';
import { snapshots } from './helpers/snapshot.js';
import { repoPath } from './helpers/paths.js';

const gpuTest = await withGpu(test);
const snaps = snapshots(repoPath('tests', 'snapshots', 'wgsl', 'wgsl.snap'));

/** Random arguments for the op tests (value ranges: `opValues` in helpers/schedule-oracle.ts). */
const argsFor = (g: Graph, sizes: Readonly<Record<string, number>>, seed = 1): { params: Args; dims: Map<string, number> } => randomArgs(g, seed, sizes, opValues);

async function check(gpu: Parameters<Parameters<typeof gpuTest>[1]>[0], src: string, fn: string, sizes: Readonly<Record<string, number>> = {},
  tol: Tolerance = F32_TOL, perOutput: Readonly<Record<string, Tolerance>> = {}, calls = 1): Promise<void> {
  const r = compileKernelsOk(src);
  const { g } = scheduleOf(r, fn);
  await expectGpuMatches(gpu, r, fn, Array.from({ length: calls }, (_, i) => argsFor(g, sizes, i + 1)), tol, perOutput);
}

// ---------------------------------------------------------------- elementwise

const ELEMENTWISE = `
fn floats(x: f32[n, m], y: f32[n, m], p: f32[n, m], q: f32[m]) = (
  x + y, x - y, x * y, x / p, x % p, -x % y, p ^ y, x ^ 2, (-p) ^ 3, -x,
  exp(x), log(p), log1p(x * 0.4), log1p(x * 1e-4), expm1(x), expm1(x * 1e-4), sqrt(p), rsqrt(p),
  sin(x * 40), cos(x), tan(x * 0.7), tanh(x * 5), tanh(x * 1e-3), sigmoid(x * 30), softplus(x * 30),
  abs(x), sign(x), floor(x * 3), ceil(x * 3), round(x * 3), maximum(x, y), minimum(x, q),
  cast(x * 3, i32), cast(p * 3, u32), cast(x * 3, bool), x == y, x != q, x < y, x <= y, x > y, x >= y,
  where(x > 0, x, y), (x > 0) and (y > 0), (x > 0) or (y > 0), not (x > 0))
fn ints(a: i32[n], b: i32[n], u: u32[n], v: u32[n], c: bool[n], d: bool[n]) = (
  a + b, a - b, a * b, a % b, a ^ abs(b), -a, abs(a), sign(a), floor(a), ceil(a), round(a),
  maximum(a, b), minimum(a, b), cast(a, f32), cast(a, u32), cast(u, i32), cast(a, bool),
  u + v, u - v, u * v, u % v, u ^ v, -u, abs(u), sign(u), maximum(u, v), u < v,
  maximum(c, d), minimum(c, d), c == d, c < d, c >= d, cast(c, f32), cast(c, i32), where(c, a, b))
`;

gpuTest('every elementwise op with a WGSL printer, in f32, i32, u32 and bool, matches the interpreter', async gpu => {
  const r = compileKernelsOk(ELEMENTWISE);
  // pow and sin of larger arguments inherit exp2/log2's error growth (GPU-NOTES 5.3).
  await expectGpuMatches(gpu, r, 'floats', [argsFor(scheduleOf(r, 'floats').g, { n: 7, m: 45 })], { rtol: 4e-6, atol: 2e-6 });
  await expectGpuMatches(gpu, r, 'ints', [argsFor(scheduleOf(r, 'ints').g, { n: 301 })]);
  // The two entries use every elementwise op of the table: a new op without a test fails here.
  const used = new Set<string>();
  for (const fn of ['floats', 'ints']) for (const k of scheduleOf(r, fn).s.kernels) for (const m of k.members) used.add(m.op);
  const elementwise = allOps().filter(o => o.kind === 'primitive' && o.flags?.elementwise).map(o => o.name);
  assert.equal(elementwise.filter(o => !used.has(o)), []);
  for (const o of elementwise) assert.ok(allOps().find(x => x.name === o)!.kind === 'primitive', o);
});

gpuTest('stable forms: log1p, expm1, tanh, sigmoid and softplus keep relative accuracy at tiny and large arguments', async gpu => {
  const src = `fn f(x: f32[n]) = (log1p(x), expm1(x), tanh(x), sigmoid(x), softplus(x), sigmoid(-x), softplus(-x))`;
  const r = compileKernelsOk(src);
  const values = [1e-30, -1e-20, 1e-7, -3e-6, 1e-3, 0.3, -0.45, 0.99, 3, -7, 20, 80, -80, 0];
  const x = fromNumbers('f32', [values.length], values);
  const run = await expectGpuMatches(gpu, r, 'f', [{ params: new Map([['x', x]]), dims: new Map([['n', values.length]]) }], { rtol: 1e-6, atol: 1e-37 });
  const worst = Math.max(...[...run.calls[0]!.got].map(([k, v]) => maxRelError(v, run.calls[0]!.want.get(k)!)));
  assert.ok(worst < 1e-6, `max relative error ${worst}`);
});

// ---------------------------------------------------------------- reductions

gpuTest('reductions: every op over each axis, several axes, all axes, keepdims; more elements than a workgroup', async gpu => {
  const src = `fn f(x: f32[a, b, c], k: i32[a, b, c], c2: bool[a, b, c]) = (
    sum(x), sum(x, axis=1), sum(x, axis=(0, 2), keepdims=true), prod(x * 0.2 + 1, axis=2), max(x, axis=0), min(x, axis=-1, keepdims=true),
    argmax(x, axis=2), argmin(x, axis=1), argmax(x), logsumexp(x, axis=2), logsumexp(x * 40), mean(x, axis=(1, 2)),
    sum(k, axis=2), prod(k, axis=0), max(k), min(k, axis=1), argmax(k, axis=0), sum(c2, axis=2), max(c2, axis=1), argmin(c2, axis=2),
    exp(sum(x, axis=2) * 0.1) + 1)`;
  // f32 sums add in another order and in f32: tolerance grows with the 150 terms.
  await check(gpu, src, 'f', { a: 3, b: 5, c: 150 }, { rtol: 1e-5, atol: 1e-5 });
});

gpuTest('every kernel kind with its grid folded into rows (a 7-workgroup row limit stands in for 65,535) and a tail', async gpu => {
  const src = `fn f(x: f32[n, m], y: f32[m, n], i: i32[5]) = (exp(x) + 1, sum(x, axis=1), x @ y, x[i] * 2, concat([x, x], axis=1), one_hot(abs(i) % 3, 3))
fn g(x: f32[n, m], i: i32[5]) {
  let (gx,) = grad(sum(x[i] * x[i]), (x,))
  return gx
}`;
  const r = compileKernelsOk(src);
  for (const fn of ['f', 'g']) {
    const { params: random, dims } = argsFor(scheduleOf(r, fn).g, { n: 70, m: 37 });
    const params = new Map([...random, ['i', fromNumbers('i32', [5], [3, -1, 3, 0, 69])]]);
    await expectGpuMatches(gpu, r, fn, [{ params, dims }], { rtol: 1e-5, atol: 1e-5 }, {}, { maxGroupsPerDim: 7 });
  }
});

gpuTest('reductions folded past 65,535 workgroups (one per output) and empty reduced axes', async gpu => {
  await check(gpu, `fn f(x: f32[n, 2]) = (sum(x, axis=1), max(x, axis=1))`, 'f', { n: 70000 });
  await check(gpu, `fn f(x: f32[n, m]) = (sum(x, axis=1), prod(x, axis=1), logsumexp(x, axis=1), sum(x, axis=0))`, 'f', { n: 4, m: 0 });
});

// ---------------------------------------------------------------- views, concat, one_hot, sizes

gpuTest('views: broadcast, transpose, reshape of a transpose (two views), slices with steps, integer indices', async gpu => {
  const src = `fn f(x: f32[5, 6], v: f32[6], s: f32) = (
    x + v, x * s, transpose(x) * 2, reshape(transpose(x), [30]) + 1, x[1:, ::2] - 1, x[::-1, 1] * 3,
    reshape(x[:, 1:3], [10]) + 0, broadcast(v, [4, 6]) + 0, transpose(reshape(x, [6, 5]))[0] * 1, x[-2:0:-2, 4:1:-1] + 1)`;
  await check(gpu, src, 'f');
});

gpuTest('concat of computed parts, one_hot, arange, a dim used as a value', async gpu => {
  const src = `fn f(x: f32[n, m], y: f32[k, m], l: i32[n]) = (
    concat([x * 2, exp(y)], axis=0), concat([x, x + 1], axis=1), one_hot(abs(l) % 4, 4), one_hot(abs(l) % 3, 3, dtype=i32),
    cast(arange(n), f32) * 2 + sum(x, axis=1), x * cast(n, f32))`;
  await check(gpu, src, 'f', { n: 5, m: 3, k: 2 });
});

gpuTest('odd sizes, a single element and zero-size dims run (nothing to dispatch for empty tensors)', async gpu => {
  const src = `fn f(x: f32[n, m], v: f32[m]) = (exp(x) + v, sum(x, axis=0), x @ transpose(x), concat([x, x], axis=0))`;
  for (const [n, m] of [[1, 1], [7, 13], [0, 3], [3, 0], [257, 3]] as const) await check(gpu, src, 'f', { n, m }, { rtol: 1e-5, atol: 1e-5 });
});

// ---------------------------------------------------------------- matmul

gpuTest('matmul, tiled and untiled: matrix-matrix, vector forms, batched and broadcast batches, 1x1, 17x33x65, 20x0x18, integer, epilogue', async gpu => {
  const src = `fn f(a: f32[m, k], b: f32[k, n], v: f32[k], w: f32[k], ba: f32[2, m, k], bb: f32[2, k, n], b1: f32[1, k, n], i: i32[m, k], j: i32[k, n]) = (
    a @ b, v @ b, a @ v, v @ w, ba @ b, ba @ bb, ba @ b1, a @ bb, i @ j, exp(a @ b * 0.1) + 1, sum(a @ b, axis=1))`;
  await check(gpu, src, 'f', { m: 17, k: 33, n: 65 }, { rtol: 2e-5, atol: 2e-5 });
  await check(gpu, src, 'f', { m: 1, k: 1, n: 1 });
  await check(gpu, src, 'f', { m: 3, k: 0, n: 2 });
  // Tiled (at least 16 rows and columns): edges in every direction, an empty K.
  await check(gpu, src, 'f', { m: 20, k: 0, n: 18 });
  await check(gpu, src, 'f', { m: 16, k: 17, n: 31 }, { rtol: 2e-5, atol: 2e-5 });
});

// ---------------------------------------------------------------- limits, state, training

gpuTest('a kernel reading 12 tensors (split by the 8-buffer limit) matches', async gpu => {
  const names = Array.from({ length: 12 }, (_, i) => `a${i}`);
  const src = `fn f(${names.map(n => `${n}: f32[n]`).join(', ')}) = ${names.join(' * 0.5 + ')}`;
  await check(gpu, src, 'f', { n: 1000 });
});

gpuTest('shared variables stay on the GPU across calls; updates land after every kernel', async gpu => {
  const src = `shared w: f32[3] = [1, 2, 3]
shared c: i32 = 0
fn step(x: f32[3]) {
  w <- w * 0.5 + x
  c <- c + 1
  return (sum(w), w, c)
}`;
  await check(gpu, src, 'step', {}, F32_TOL, {}, 4);
});

gpuTest('every entry point of every sample (f32 variants, add.th aside) runs on the GPU like the interpreter, 2 calls with state', async gpu => {
  for (const name of ['accumulator', 'defaults', 'logistic', 'multi_output', 'simplify', 'mlp']) {
    const r = compileKernelsOk(readFileSync(repoPath('samples', `${name}.th`), 'utf8').replace(/f64/g, 'f32'));
    for (const g of r.graphs!.entries) {
      const calls = [1, 2].map(seed => argsFor(g, {}, seed));
      await expectGpuMatches(gpu, r, g.name, calls, { rtol: 1e-5, atol: 1e-6 });
    }
  }
});

gpuTest('logistic regression (samples/logreg.th in f32) trains 5 steps like the interpreter (rtol 1e-4)', async gpu => {
  const src = readFileSync(repoPath('samples', 'logreg.th'), 'utf8').replace(/f64/g, 'f32');
  const r = compileKernelsOk(src);
  const calls = Array.from({ length: 5 }, () => ({ params: new Map<string, NDArray>([['lr', fromNumbers('f32', [], [0.1])]]), dims: new Map<string, number>() }));
  await expectGpuMatches(gpu, r, 'train', calls, { rtol: 1e-4, atol: 1e-6 });
});

// ---------------------------------------------------------------- rejections and text

gpuTest('a tensor past the 128 MiB binding limit is a WgslLimitError (TH0525 on the CLI), checked before any buffer is made', async gpu => {
  const r = compileKernelsOk('fn f(x: f32[n]) = x * 2');
  const { s } = scheduleOf(r, 'f');
  const runner = createWgslRunner(gpu, s, r.graphs!, new Map());
  try {
    // The sizes alone decide: the parameter's data is never read.
    const call = { params: new Map([['x', fromNumbers('f32', [1], [0])]]), dims: new Map([['n', 40_000_000]]) };
    const e = await runner.run(call).then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof WgslLimitError, String(e));
    assert.equal([e.buffer, e.bytes, e.limit], ['x', 160_000_000, 134_217_728]);
  } finally {
    runner.destroy();
  }
});

gpuTest('gather and scatter-add: index tensors (broadcast, negative, u32, adjacent or not), int items, slices, gradients through repeated indices', async gpu => {
  const { src, params: paramsOf } = gatherCase('f32');
  const r = compileKernelsOk(src);
  const params = paramsOf(r);
  await expectGpuMatches(gpu, r, 'f', [{ params, dims: new Map() }]);
  params.delete('u');
  await expectGpuMatches(gpu, r, 'g', [{ params, dims: new Map() }], { rtol: 1e-5, atol: 1e-5 });
  assert.ok(scheduleOf(r, 'g').s.kernels.some(k => k.kind === 'scatter'));
});

gpuTest('uniform on the GPU gives exactly the interpreter\'s bits (Philox in u32 limbs; power-of-two spans; negative seeds (high key word); read through views)', async gpu => {
  const src = `fn f(x: f32[n]) = (uniform([n], seed=7), x + uniform([n], -1, 1, seed=2147483647), transpose(uniform([n, 3], -0.5, 0.5, seed=-5)) * 1,
    uniform([n], 0.25, 0.5, seed=3) < 0.3, uniform([n], 10, 18, seed=0))`;
  await check(gpu, src, 'f', { n: 1000 }, { rtol: 0, atol: 0 });
});

test('f64 is rejected at its declaration (TH0520); an op without a WGSL form (TH0521); uniform only where its bits match (TH0524)', () => {
  // Every op of the table has a WGSL form now: a copy of `normal` without one stands for a future op.
  if (!allOps().some(o => o.name === 'normal_without_forms')) defineOp<PrimitiveOp>({ ...getPrimitive('normal'), name: 'normal_without_forms', emit: {} });
  const cases: [string, string, RegExp][] = [
    ['fn f(x: f64[n]) = x + 1', 'f', /error\[TH0520\]: `f64` values cannot run on the GPU\n  --> main.th:1:6\n/],
    ['fn f(x: f32[n]) = mean(cast(x > 0, i32) + 1)', 'f', /error\[TH0520\]/],
    ['fn f(x: f32[3]) = x + normal_without_forms([3], seed=1, dtype=f32)', 'f', /error\[TH0521\]: the WGSL backend cannot run `normal_without_forms` yet/],
    ['fn f(x: f32[3]) = x + uniform([3], 0, 3, seed=1, dtype=f32)', 'f', /error\[TH0524\]: `uniform` with lo = 0 and hi = 3 cannot reproduce the interpreter's numbers on the GPU\n  --> main.th:1:23\n/],
  ];
  for (const [src, fn, want] of cases) {
    const r = compileKernelsOk(src);
    const { g, s } = scheduleOf(r, fn);
    const sink = createSink();
    assert.is(checkWgslSupport(s, g, r.graphs!, sink), false, src);
    assert.match(renderDiagnostics(sink.diagnostics, new Map([['main.th', sourceFile('main.th', src)]]), { color: false }), want);
  }
});

test('WGSL text snapshot of a small program (deterministic)', () => {
  const src = `fn f(x: f32[n, 4], w: f32[4]) = (softplus(x @ w), sum(exp(x), axis=1, keepdims=true))`;
  const text = scheduleText(scheduleOf(compileKernelsOk(src), 'f').s);
  assert.is(scheduleText(scheduleOf(compileKernelsOk(src), 'f').s), text);
  assert.not.match(text, /\binf\b|\bnan\b/i);
  // Blocks hold no trailing newline (the snapshot format strips one).
  snaps.expect('softplus matmul, sum exp keepdims', text.trimEnd());
  snaps.expect('matmul with symbolic sizes (the blocked form)', scheduleText(scheduleOf(compileKernelsOk('fn f(a: f32[m, k], b: f32[k, n]) = a @ b'), 'f').s).trimEnd());
});

test('snapshots are all used', () => snaps.finish());

test.run();
