/**
 * @file f16 on the GPU (device feature `shader-f16`) against the interpreter: every elementwise op
 * with a WGSL printer in f16, reductions over axes, matmul, casts f16 <-> f32/i32/u32/bool, a small
 * training step, and the refusals (TH0520 for f64 always, for f16 without the feature or without a
 * device; TH0524/TH0527 for f16 random draws). f16 values live in f32 registers and storage,
 * rounded by thc_round_f16 (prelude.ts) after every f16 op, as the interpreter rounds with roundF16;
 * the rounding test holds it to the interpreter's bits (ties to even, overflow, subnormals).
 *
 * Tolerance: rtol 1e-3 is one f16 ulp (the spacing of f16 is 2^-11..2^-10 of the value, < 9.8e-4):
 * + - * / and sqrt of f16 operands computed in f32 and rounded to f16 are correctly rounded (f32 has
 * 24 >= 2 * 11 + 2 bits, so the double rounding is innocuous), so they differ from the interpreter
 * (f64, rounded once) only where WGSL's f32 functions (exp, log, pow, tan: GPU-NOTES 5.3) or an f32
 * sum land on the other side of an f16 rounding boundary, which moves the result by one ulp. atol
 * covers results near 0 whose f32 error is absolute (log's 2^-21 on [0.5, 2]; sums that cancel).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../src/ops/index.js';
import { allOps } from '../src/ops/registry.js';
import { createSink } from '../src/diag/sink.js';
import { renderDiagnostics } from '../src/diag/render.js';
import { sourceFile } from '../src/source/source-file.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import type { Graph } from '../src/graph/graph.js';
import { checkWgslSupport } from '../src/backend/wgsl/support.js';
import { concreteModules } from '../src/backend/wgsl/module.js';
import { withGpu } from './helpers/gpu.js';
import { compileKernelsOk, opValues, randomArgs, scheduleOf, type Args } from './helpers/schedule-oracle.js';
import { expectGpuMatches, type Tolerance } from './helpers/wgsl-oracle.js';
import { thc } from './helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gpuTest = await withGpu(test, { features: ['shader-f16'] });

const F16_TOL: Tolerance = { rtol: 1e-3, atol: 1e-4 };

const argsFor = (g: Graph, sizes: Readonly<Record<string, number>>, seed = 1): { params: Args; dims: Map<string, number> } => randomArgs(g, seed, sizes, opValues);

/** The GPU-side test runs only where the device really has shader-f16 (lavapipe does). */
const hasF16 = (gpu: { features: readonly string[] }): boolean => gpu.features.includes('shader-f16');

async function check(gpu: Parameters<Parameters<typeof gpuTest>[1]>[0], src: string, fn: string, sizes: Readonly<Record<string, number>> = {},
  tol: Tolerance = F16_TOL, calls = 1): Promise<void> {
  assert.ok(hasF16(gpu), `the device lacks shader-f16 (features: ${gpu.features.join(', ')})`);
  const r = compileKernelsOk(src);
  const { g } = scheduleOf(r, fn);
  await expectGpuMatches(gpu, r, fn, Array.from({ length: calls }, (_, i) => argsFor(g, sizes, i + 1)), tol);
}

// ---------------------------------------------------------------- elementwise

const ELEMENTWISE = `
fn halves(x: f16[n, m], y: f16[n, m], p: f16[n, m], q: f16[m]) = (
  x + y, x - y, x * y, x / p, x % p, -x % y, p ^ y, x ^ 2, (-p) ^ 3, -x,
  exp(x), log(p), log1p(x * 0.4), expm1(x), sqrt(p), rsqrt(p),
  sin(x), cos(x), tan(x * 0.5), tanh(x), sigmoid(x * 3), softplus(x * 3),
  abs(x), sign(x), floor(x * 3), ceil(x * 3), round(x * 3), maximum(x, y), minimum(x, q),
  cast(x * 3, i32), cast(p * 3, u32), cast(x * 3, bool), cast(x, f32), x == y, x != q, x < y, x <= y, x > y, x >= y,
  where(x > 0, x, y), x * 1000 + 60000, x / 3.3, x + 0.1)
fn widen(a: f32[n], i: i32[n], u: u32[n], c: bool[n]) = (cast(a, f16), cast(a * 1e-5, f16), cast(i, f16), cast(u, f16), cast(c, f16), cast(a * 3, f16) * 2)
`;

gpuTest('every elementwise op with a WGSL printer, in f16, matches the interpreter (rtol 1e-3: one f16 ulp)', async gpu => {
  assert.ok(hasF16(gpu));
  const r = compileKernelsOk(ELEMENTWISE);
  await expectGpuMatches(gpu, r, 'halves', [argsFor(scheduleOf(r, 'halves').g, { n: 7, m: 45 })], F16_TOL);
  await expectGpuMatches(gpu, r, 'widen', [argsFor(scheduleOf(r, 'widen').g, { n: 301 }, 2)], F16_TOL);
  // Every elementwise op of the table with a float operand appears with f16 operands or results;
  // and/or/not take only bools, so they have no f16 form.
  const used = new Set<string>();
  for (const fn of ['halves', 'widen']) {
    for (const k of scheduleOf(r, fn).s.kernels) for (const m of k.members) if (m.type.dtype === 'f16' || m.inputs.some(i => i.type.dtype === 'f16')) used.add(m.op);
  }
  const elementwise = allOps().filter(o => o.kind === 'primitive' && o.flags?.elementwise).map(o => o.name);
  assert.equal(elementwise.filter(o => !used.has(o)).sort(), ['logical_and', 'logical_not', 'logical_or']);
});

test('f16 modules round every f16 result with thc_round_f16; f32 modules do not mention f16', () => {
  const half = concreteModules(scheduleOf(compileKernelsOk('fn f(x: f16[4]) = exp(x) * 2'), 'f').s, () => 4)[0]!.text;
  assert.match(half, /fn thc_round_f16\(x: f32\) -> f32/);
  assert.match(half, /= thc_round_f16\(exp\(/);
  assert.match(half, /= thc_round_f16\(\(v\d+ \* v\d+\)\)|= thc_round_f16\(v\d+ \* v\d+\)/);
  const single = concreteModules(scheduleOf(compileKernelsOk('fn f(x: f32[4]) = exp(x) * 2'), 'f').s, () => 4)[0]!.text;
  assert.not.match(single, /f16/);
});

gpuTest('rounding: halfway cases go to even, past the largest f16 to infinity, tiny values to subnormals (like roundF16)', async gpu => {
  assert.ok(hasF16(gpu));
  // 2049 lies halfway between the f16 values 2048 and 2050 (ties to even: 2048); 2051 -> 2052;
  // 65519 rounds down to 65504 and 65520 up to inf; 1e-7 is a subnormal (2^-24 steps).
  const values = [2049, 2051, 65519, 65520, -70000, 1e-7, 3e-8, 2.9e-8, 0.1, -0.0, 1 / 3];
  const r = compileKernelsOk('fn f(a: f32[n]) = (cast(a, f16), cast(a, f16) * 1)');
  const a = fromNumbers('f32', [values.length], values);
  await expectGpuMatches(gpu, r, 'f', [{ params: new Map([['a', a]]), dims: new Map([['n', values.length]]) }], { rtol: 0, atol: 0 });
});

// ---------------------------------------------------------------- reductions and matmul

gpuTest('reductions of f16: every op over each axis, several axes, all axes, keepdims; accumulated in f32, rounded once', async gpu => {
  const src = `fn f(x: f16[a, b, c]) = (
    sum(x), sum(x, axis=1), sum(x, axis=(0, 2), keepdims=true), prod(x * 0.2 + 1, axis=2), max(x, axis=0), min(x, axis=-1, keepdims=true),
    argmax(x, axis=2), argmin(x, axis=1), argmax(x), logsumexp(x, axis=2), mean(x, axis=(1, 2)), mean(x),
    exp(sum(x, axis=2) * 0.1) + 1)`;
  await check(gpu, src, 'f', { a: 3, b: 5, c: 150 });
  // more elements than one workgroup per row, for the split form
  await check(gpu, `fn f(x: f16[n, 2]) = (sum(x, axis=0), max(x, axis=0), argmax(x, axis=0))`, 'f', { n: 5000 });
});

gpuTest('matmul in f16 (vector and matrix forms, odd sizes), accumulated in f32 and rounded once', async gpu => {
  await check(gpu, 'fn f(a: f16[m, k], b: f16[k, n], v: f16[k]) = (a @ b, a @ v, v @ b, (a @ b) * 0.5 + 1)', 'f', { m: 17, k: 33, n: 65 });
  await check(gpu, 'fn f(a: f16[m, k], b: f16[k, n]) = a @ b', 'f', { m: 1, k: 1, n: 1 });
});

gpuTest('a small f16 logistic regression trains 5 steps like the interpreter', async gpu => {
  assert.ok(hasF16(gpu));
  const src = `shared w: f16[6] = [0.1, -0.2, 0.05, 0, 0.3, -0.1]
shared b: f16 = 0
fn train(x: f16[n, 6], t: f16[n], lr: f16 = 0.5) {
  let p1 = sigmoid(x @ w + b)
  let xent = -t * log(p1) - (1 - t) * log(1 - p1)
  let cost = mean(xent) + 0.01 * sum(w ^ 2)
  let (gw, gb) = grad(cost, (w, b))
  w <- w - lr * gw
  b <- b - lr * gb
  return cost
}`;
  const r = compileKernelsOk(src);
  const n = 40;
  const xs = Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 1.7) * 2);
  const ts = Array.from({ length: n }, (_, i) => (Math.cos(i * 2.3) > 0 ? 1 : 0));
  const call = { params: new Map<string, NDArray>([['x', fromNumbers('f16', [n, 6], xs)], ['t', fromNumbers('f16', [n], ts)], ['lr', fromNumbers('f16', [], [0.5])]]), dims: new Map([['n', n]]) };
  // Steps feed back: a one-ulp difference in one step moves the next step's inputs, so 2 ulps.
  await expectGpuMatches(gpu, r, 'train', Array.from({ length: 5 }, () => call), { rtol: 2e-3, atol: 2e-4 });
});

gpuTest('thc run --device gpu runs an f16 program like --device interp (exactly-rounded ops: same printed values); auto keeps it on the CPU', gpu => {
  assert.ok(hasF16(gpu));
  const file = join(mkdtempSync(join(tmpdir(), 'thc-f16-')), 'f16.th');
  writeFileSync(file, `shared w: f16[4] = [1, 2, 3, 0.1]
fn step(x: f16[4]) {
  w <- w * 0.3 + x / 3
  return (sum(w * w), sqrt(w))
}
`);
  const args = (device: string): string[] => ['run', file, '--fn', 'step', '--device', device, '--steps', '4', 'x=[1, 2.5, -3, 100]'];
  const gpuRun = thc(args('gpu'));
  const interp = thc(args('interp'));
  assert.is(gpuRun.code, 0, gpuRun.stderr);
  assert.is(interp.code, 0, interp.stderr);
  assert.match(interp.stdout, /dtype=float16/);
  assert.is(gpuRun.stdout, interp.stdout);
  const auto = thc([...args('auto'), '--verbose']);
  assert.is(auto.code, 0, auto.stderr);
  assert.match(auto.stderr, /running `step` on the reference interpreter; why: [^\n]*`f16` values cannot run on the GPU \[TH0520\]/);
  assert.is(auto.stdout, interp.stdout);
});

// ---------------------------------------------------------------- refusals

const render = (src: string, sink: ReturnType<typeof createSink>): string =>
  renderDiagnostics(sink.diagnostics, new Map([['main.th', sourceFile('main.th', src)]]), { color: false });

test('TH0520: f64 always; f16 on a device without shader-f16 (or with no device known); f16 random draws: TH0524, TH0527', () => {
  const refused: [string, readonly string[], RegExp][] = [
    ['fn f(x: f64[n]) = x + 1', ['shader-f16'], /error\[TH0520\]: `f64` values cannot run on the GPU\n  --> main.th:1:6\n/],
    ['fn f(x: f16[n]) = x + 1', [], /error\[TH0520\]: `f16` values cannot run on the GPU\n  --> main.th:1:6\n/],
    ['fn f(x: f16[n]) = x + 1', ['timestamp-query'], /error\[TH0520\]: `f16` values cannot run on the GPU[^]*shader-f16/],
    ['fn f(x: f32[n]) = cast(x, f16) * 2', [], /error\[TH0520\]: `f16` values/],
    ['fn f(x: f16[3]) = x + uniform([3], 0, 1, seed=1, dtype=f16)', ['shader-f16'], /error\[TH0524\]: `uniform` with lo = 0 and hi = 1/],
    ['fn f(x: f16[3]) = x + normal([3], 0, 1, seed=1, dtype=f16)', ['shader-f16'], /error\[TH0527\]: `normal` with mean = 0 and std = 1/],
  ];
  for (const [src, features, want] of refused) {
    const r = compileKernelsOk(src);
    const { g, s } = scheduleOf(r, 'f');
    const sink = createSink();
    assert.is(checkWgslSupport(s, g, r.graphs!, sink, features), false, src);
    assert.match(render(src, sink), want);
  }
  // The same f16 program is accepted when the feature is there.
  const r = compileKernelsOk('fn f(x: f16[n]) = x + 1');
  const { g, s } = scheduleOf(r, 'f');
  const sink = createSink();
  assert.ok(checkWgslSupport(s, g, r.graphs!, sink, ['shader-f16']), render('fn f(x: f16[n]) = x + 1', sink));
});

test.run();
