/**
 * @file The WGSL backend at its limits and in its large-size forms, against the interpreter or an
 * independent float64 reference, on the GPU: the register-blocked matmul at sizes straddling its
 * 64 x 64 block and 16-step K (batched, broadcast, transposed views, integer, epilogue); split
 * (two-pass) reductions, small ones forced by a lower chunk and 10-million-element ones; an
 * elementwise kernel over 20 million elements (grid folded past 65,535 workgroups, every element
 * checked). The 12-input kernel and the 128 MiB limit are in wgsl.test.ts. Everything runs on
 * lavapipe (software Vulkan) too; the large cases take a few seconds there.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../src/ops/index.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import type { Graph } from '../src/graph/graph.js';
import { evalContext } from '../src/runtime/interp.js';
import { createWgslRunner } from '../src/backend/wgsl/run.js';
import { concreteModules } from '../src/backend/wgsl/module.js';
import { matmulForm } from '../src/backend/wgsl/matmul.js';
import { splitParts } from '../src/backend/wgsl/reduce.js';
import type { Schedule } from '../src/schedule/types.js';
import { withGpu } from './helpers/gpu.js';
import { compileKernelsOk, opValues, randomArgs, scheduleOf, type Args } from './helpers/schedule-oracle.js';
import { expectGpuMatches, type Tolerance } from './helpers/wgsl-oracle.js';
import { rng } from './helpers/program-gen.js';

const gpuTest = await withGpu(test);

const argsFor = (g: Graph, sizes: Readonly<Record<string, number>>, seed = 1): { params: Args; dims: Map<string, number> } => randomArgs(g, seed, sizes, opValues);

/** The form of each matmul kernel of `s` at these sizes. */
function formsOf(s: Schedule, dims: ReadonlyMap<string, number>): string[] {
  const { cx } = evalContext(dims);
  return s.kernels.filter(k => k.kind === 'matmul').map(k => matmulForm(k, d => cx.dim(d)));
}

// ---------------------------------------------------------------- matmul

const MATMUL = `fn f(a: f32[m, k], b: f32[k, n], at: f32[k, m], bt: f32[n, k], ba: f32[3, m, k], bb: f32[3, k, n], b1: f32[1, k, n], i: i32[m, k], j: i32[k, n]) = (
  a @ b, transpose(at) @ b, a @ transpose(bt), transpose(at) @ transpose(bt), ba @ bb, ba @ b1, a @ bb, i @ j,
  softplus(a @ b * 0.3) + 1, sum(a @ b, axis=0))`;

gpuTest('blocked matmul (64 x 64 blocks, K-step 16): sizes straddling the block and the K-step, batched, broadcast, transposed views, integer, epilogue', async gpu => {
  const r = compileKernelsOk(MATMUL);
  const { g, s } = scheduleOf(r, 'f');
  // (m, k, n): 63/64/65/127/129 around the block, K = 1, 3, 4, 5, 16, 17 around the K-step.
  const sizes = [[64, 4, 64], [65, 1, 63], [63, 3, 65], [127, 5, 129], [129, 17, 127], [64, 16, 65]] as const;
  for (const [seed, [m, k, n]] of sizes.entries()) {
    const args = argsFor(g, { m, k, n }, seed + 1);
    const forms = formsOf(s, args.dims);
    // 63 rows or columns: tiled; at least 64 of both: blocked.
    assert.ok(forms.includes(m >= 64 && n >= 64 ? 'blocked' : 'tiled'), `${m}x${k}x${n}: ${forms.join(' ')}`);
    await expectGpuMatches(gpu, r, 'f', [args], { rtol: 2e-5, atol: 2e-5 });
  }
});

// ---------------------------------------------------------------- split reductions

const REDUCTIONS = `fn f(x: f32[a, b], k: i32[a, b], c2: bool[a, b]) = (
  sum(x), sum(x, axis=1), max(x, axis=1, keepdims=true), min(x), prod(x * 0.05 + 1, axis=1), mean(x), mean(x, axis=1),
  argmax(x), argmin(x, axis=1), argmax(k), argmin(k, axis=1), logsumexp(x), logsumexp(x * 40, axis=1),
  sum(k), max(k, axis=1), sum(c2), max(c2), argmax(c2, axis=1), exp(sum(x, axis=1) * 0.01) + x[:, 0])`;

gpuTest('split reductions (forced by a 5-element chunk): every op, all axes or the last, keepdims, ties across parts, epilogues', async gpu => {
  const r = compileKernelsOk(REDUCTIONS);
  const { g, s } = scheduleOf(r, 'f');
  const split = { chunk: 5 };
  for (const [a, b] of [[3, 200], [2, 65], [1, 1000], [5, 11]] as const) {
    const args = argsFor(g, { a, b });
    const { cx } = evalContext(args.dims);
    const modules = concreteModules(s, d => cx.dim(d), { split });
    // Every reduction kernel takes the split path at these sizes.
    const reduces = s.kernels.map((k, i) => [k, modules[i]!] as const).filter(([k]) => k.kind === 'reduce');
    assert.ok(reduces.length > 0 && reduces.every(([, m]) => m.passes?.length === 2), `${a}x${b}`);
    await expectGpuMatches(gpu, r, 'f', [args], { rtol: 1e-5, atol: 1e-5 }, {}, { split });
  }
});

gpuTest('split logsumexp and argmax with infinities: whole parts of -inf, +inf, the maximum repeated in several parts', async gpu => {
  const r = compileKernelsOk('fn f(x: f32[n]) = (logsumexp(x), argmax(x), argmin(x), max(x), sum(exp(x)))');
  const inf = Infinity;
  const cases = [
    [-inf, -inf, -inf, -inf, -inf, -inf, 1, 2, 3, 3, -inf, 0, 3, 1, 2, -inf, -inf, -inf, -inf, -inf],
    [-inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf],
    [1, 2, 3, inf, 0, 0, 0, 0, 5, inf, 1, 1],
    [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
  ];
  for (const values of cases) {
    const x = fromNumbers('f32', [values.length], values);
    await expectGpuMatches(gpu, r, 'f', [{ params: new Map([['x', x]]), dims: new Map([['n', values.length]]) }], { rtol: 1e-6, atol: 1e-6 }, {}, { split: { chunk: 3 } });
  }
});

gpuTest('the runner dispatches the split form it picks: two passes per reduction (debug lines), grids folded at 7 workgroups per row, sizes changing the part count between calls', async gpu => {
  const r = compileKernelsOk('fn f(x: f32[a, b]) = (sum(x, axis=1), argmax(x, axis=1), logsumexp(x))');
  const { g } = scheduleOf(r, 'f');
  const lines: string[] = [];
  const opts = { split: { chunk: 5 }, maxGroupsPerDim: 7, debug: (l: string) => lines.push(l) };
  // [3, 200]: 3 rows of 200, parts 32 (200 / 5 = 40, down to a power of two): 96 pass-1 workgroups.
  // [2, 13]: parts 2. [50, 4]: rows shorter than 2 x 5, one pass. The runner runs all three calls.
  const calls = [[3, 200], [2, 13], [50, 4]].map(([a, b], i) => argsFor(g, { a: a!, b: b! }, i + 1));
  await expectGpuMatches(gpu, r, 'f', calls, { rtol: 1e-5, atol: 1e-5 }, {}, opts);
  const times = lines.filter(l => /^f k\d+/.test(l));
  assert.ok(times.some(l => / pass 1\/2 96 workgroups /.test(l)), times.join('\n'));
  assert.ok(times.some(l => / pass 2\/2 3 workgroups /.test(l)), times.join('\n'));
  assert.ok(times.some(l => / pass 1\/2 4 workgroups /.test(l)), times.join('\n'));
  // The third call: 50 rows of 4 do not split; logsumexp(x) over all 200 elements does (parts 32).
  assert.ok(times.some(l => /^f k\d+_sum 50 workgroups /.test(l)), times.join('\n'));
  assert.ok(lines.some(l => /^kernel k\d+_\w+ pass 1\/2:\n/.test(l)), 'the passes\' WGSL is reported');
});

test('split policy: few outputs with long rows split, many outputs or short rows do not', () => {
  assert.is(splitParts(1, 10_000_000), 1024);
  assert.is(splitParts(4, 10_000_000), 512);
  assert.is(splitParts(1, 8191), 1);
  assert.is(splitParts(1, 8192), 2);
  assert.is(splitParts(1024, 10_000_000), 1);
  assert.is(splitParts(0, 10_000_000), 1);
});

/** x: `n` f32 values in [lo, lo + 2) from a seeded generator (the interpreter and the GPU see the same bits). */
function uniformData(n: number, seed: number, lo = -1, shape: readonly number[] = [n]): NDArray {
  const r = rng(seed);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + r() * 2;
  return { dtype: 'f32', shape: [...shape], data };
}

gpuTest('reductions over 10 million f32 elements (split in two passes): sum, mean, max, argmax, logsumexp, and one axis of a 2-D tensor', async gpu => {
  const N = 10_000_000;
  // Positive values in [0, 2): the sum is well conditioned (sum(|x|) = |sum(x)|), so a relative
  // tolerance bounds the f32 error. Recursive f32 summation errs by at most about depth x 2^-24 of
  // sum(|x|), where depth is the longest chain of dependent adds in the GPU's order: 10M / (1,024
  // parts x 64 invocations) = 153 per invocation, 6 tree levels, 16 partials per pass-2 invocation,
  // 6 more levels: ~181, so 181 x 6e-8 = 1.1e-5 relative (the interpreter's reference adds in
  // float64 and rounds once). A lost or doubled part (1/1,024 of the sum) is 90 times that.
  const x = uniformData(N, 7, 0);
  const sumTol: Tolerance = { rtol: 1.1e-5, atol: 0 };
  const r = compileKernelsOk('fn f(x: f32[n]) = (sum(x), mean(x), max(x), argmax(x), logsumexp(x * 3))');
  const { s } = scheduleOf(r, 'f');
  const { cx } = evalContext(new Map([['n', N]]));
  const modules = concreteModules(s, d => cx.dim(d));
  const reduces = s.kernels.flatMap((k, i) => (k.kind === 'reduce' ? [modules[i]!] : []));
  assert.ok(reduces.length > 0 && reduces.every(m => m.passes?.length === 2), 'every reduction is split');
  await expectGpuMatches(gpu, r, 'f', [{ params: new Map([['x', x]]), dims: new Map([['n', N]]) }], { rtol: 1e-5, atol: 1e-6 },
    { out0: sumTol, out1: sumTol });
  // One axis of [4, 2.5M]: 4 outputs of 2.5M elements each; and the other axis, 2.5M outputs of 4 (one pass).
  const r2 = compileKernelsOk('fn f(x: f32[4, m]) = (sum(x, axis=1), max(x, axis=1), argmin(x, axis=1), sum(x, axis=0))');
  const x2 = { ...x, shape: [4, N / 4] };
  await expectGpuMatches(gpu, r2, 'f', [{ params: new Map([['x', x2]]), dims: new Map([['m', N / 4]]) }], { rtol: 1e-5, atol: 1e-5 },
    { out0: sumTol });
});

// ---------------------------------------------------------------- elementwise at 20M elements

gpuTest('an elementwise kernel over 20 million f32 elements (78,125 workgroups fold into rows of 65,535): every element checked', async gpu => {
  const N = 20_000_000;
  const r = compileKernelsOk('fn f(x: f32[n]) = (x * 2 + 1, sigmoid(x * 4) * x - x * x)');
  const { s } = scheduleOf(r, 'f');
  const x = uniformData(N, 3);
  const runner = createWgslRunner(gpu, s, r.graphs!, new Map());
  try {
    const out = await runner.run({ params: new Map([['x', x]]), dims: new Map([['n', N]]) });
    const [o0, o1] = [out.get('out0')!.data, out.get('out1')!.data];
    assert.is(o0.length, N);
    let bad0 = -1, bad1 = -1;
    for (let i = 0; i < N && bad0 < 0; i++) if (o0[i] !== Math.fround(x.data[i]! * 2 + 1)) bad0 = i;
    // The fused chain against float64: sigmoid's exp is within a few ULP (docs/wgsl.md), so rtol 4e-6 of the terms' size.
    for (let i = 0; i < N && bad1 < 0; i++) {
      const v = x.data[i]!;
      const want = v / (1 + Math.exp(-4 * v)) - v * v;
      if (!(Math.abs(o1[i]! - want) <= 4e-6 * (Math.abs(v) + v * v) + 1e-7)) bad1 = i;
    }
    assert.is(bad0, -1, `x * 2 + 1: element ${bad0} is ${o0[bad0]}`);
    assert.is(bad1, -1, `fused chain: element ${bad1} is ${o1[bad1]} for x = ${x.data[bad1]}`);
  } finally {
    runner.destroy();
  }
});

test.run();
