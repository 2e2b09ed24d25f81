/**
 * @file The JS target against the interpreter, BIT FOR BIT: the generated kernels run in the same
 * engine with the same Math functions in the same order, so every output and shared variable must
 * have the interpreter's exact bytes after every call (NaN payloads aside: compared as NaN). Covers
 * every elementwise op (asserted against the op table) in f64, f32, i32, u32 and bool, stable forms
 * at extreme arguments, reductions over every axis / keepdims / empty axes, views, concat, one_hot,
 * arange, matmul forms (1-D, batched, broadcast batches, K = 0, two column blocks, integer, f32),
 * zero-size dimensions, random shapes, gather/scatter, uniform, normal (1e5 elements, f32 and f64,
 * through views), shared state over several calls,
 * every sample's entry points, logreg's training for 20 steps, generated programs
 * (helpers/typed-gen.ts) under several schedule limits; the run-time errors the interpreter
 * reports; the printed text (deterministic, the executor's own text) and the refusals.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import '../src/ops/index.js';
import { allOps } from '../src/ops/registry.js';
import { createSink } from '../src/diag/sink.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { RuntimeError } from '../src/runtime/runtime-error.js';
import { runGraph } from '../src/runtime/interp.js';
import { applyUpdates, initialState } from '../src/runtime/state.js';
import type { CompileResult } from '../src/pipeline.js';
import type { Graph } from '../src/graph/graph.js';
import type { ScheduleOptions } from '../src/schedule/types.js';
import { jsProgram, entryKernels } from '../src/backend/js/module.js';
import { buildKernels, createJsRunner, runWithJs } from '../src/backend/js/run.js';
import { jsPlan } from '../src/backend/js/plan.js';
import { thcJsRuntime } from '../src/backend/js/runtime.js';
import { HELPER_TEXTS, preludeFor } from '../src/backend/js/prelude.js';
import { floatMod, floatPow, intMod, intPow, roundHalfEven, sigmoid, softplus } from '../src/ops/elementwise.js';
import { elementWords, normalFromWords, seedKey, uniformFromWords } from '../src/runtime/rng.js';
import { compileKernels, compileKernelsOk, gatherCase, opValues, randomArgs, scheduleOf, smallValues, type Args } from './helpers/schedule-oracle.js';
import { typedProgram } from './helpers/typed-gen.js';
import { repoPath } from './helpers/paths.js';
import { thc } from './helpers/cli.js';

interface Call { readonly params: Args; readonly dims: ReadonlyMap<string, number> }

/** Same dtype, shape and values: floats by Object.is (so -0 and 0 differ), NaN equal to NaN. */
function assertExact(got: NDArray, want: NDArray, what: string): void {
  assert.is(got.dtype, want.dtype, `${what}: dtype`);
  assert.equal([...got.shape], [...want.shape], `${what}: shape`);
  assert.is(got.data.length, want.data.length, `${what}: length`);
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!, w = want.data[i]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    assert.unreachable(`${what}: element ${i} is ${Object.is(g, -0) ? '-0' : g} in JS, ${Object.is(w, -0) ? '-0' : w} on the interpreter`);
  }
}

/** Runs `fn` for each call on both sides from the initial state; compares outputs and shared variables exactly after each call. */
async function expectJsMatchesState(r: CompileResult, fn: string, calls: readonly Call[]): Promise<void> {
  const { g, s } = scheduleOf(r, fn);
  const sink = createSink();
  const want = initialState(r.graphs!.shared, sink)!;
  const runner = createJsRunner(s, r.graphs!, want);
  for (const [step, call] of calls.entries()) {
    const expected = runGraph(g, { params: call.params, shared: want, dims: call.dims });
    const got = await runner.run(call);
    for (const o of g.outputs) assertExact(got.get(o.name)!, expected.outputs.get(o.name)!, `${fn} call ${step + 1}: output ${o.name}`);
    applyUpdates(want, expected.updates);
    const shared = await runner.readShared();
    for (const [name, v] of want) {
      const j = shared.get(name);
      assert.ok(j, `${fn} call ${step + 1}: shared ${name} missing from JS`);
      assertExact(j!, v, `${fn} call ${step + 1}: shared ${name}`);
    }
  }
}

const argsFor = (g: Graph, sizes: Readonly<Record<string, number>>, seed = 1): { params: Args; dims: Map<string, number> } => randomArgs(g, seed, sizes, opValues);

async function check(src: string, fn: string, sizes: Readonly<Record<string, number>> = {}, calls = 1, opts: ScheduleOptions = {}): Promise<void> {
  const r = compileKernelsOk(src, opts);
  const { g } = scheduleOf(r, fn);
  await expectJsMatchesState(r, fn, Array.from({ length: calls }, (_, i) => argsFor(g, sizes, i + 1)));
}

// ---------------------------------------------------------------- elementwise

const FLOATS = (t: string): string => `
fn floats(x: ${t}[n, m], y: ${t}[n, m], p: ${t}[n, m], q: ${t}[m]) = (
  x + y, x - y, x * y, x / p, x % p, -x % y, p ^ y, x ^ 2, (-p) ^ 3, -x, x % 0, x / 0, -x / 0, (x * 0) / 0,
  exp(x), log(p), log(x), log1p(x * 0.4), log1p(x * 1e-4), expm1(x), expm1(x * 1e-4), sqrt(p), sqrt(x), rsqrt(p),
  sin(x * 40), cos(x), tan(x * 0.7), tanh(x * 5), tanh(x * 1e-3), sigmoid(x * 30), softplus(x * 30),
  abs(x), sign(x), sign(x * 0), floor(x * 3), ceil(x * 3), round(x * 3), round(x * 0.1), maximum(x, y), minimum(x, q), maximum(log(x), y), minimum(q, sqrt(x)),
  cast(x * 3, i32), cast(p * 3, u32), cast(x * 3, u32), cast(x * 3, bool), cast(x * 0, bool), cast(log(x), bool), cast(x, f32), cast(x, f64), cast(log(x), i32),
  x == y, x != q, x < y, x <= y, x > y, x >= y, log(x) == log(x), log(x) != log(x),
  where(x > 0, x, y), (x > 0) and (y > 0), (x > 0) or (y > 0), not (x > 0), cast(x * 1e10, i32), cast(x * 1e10, u32), x * 1e300 * 1e300)`;
const INTS = `
fn ints(a: i32[n], b: i32[n], u: u32[n], v: u32[n], c: bool[n], d: bool[n]) = (
  a + b, a - b, a * b, a % b, a ^ abs(b), -a, abs(a), sign(a), floor(a), ceil(a), round(a),
  maximum(a, b), minimum(a, b), cast(a, f32), cast(a, f64), cast(a, u32), cast(u, i32), cast(a, bool),
  u + v, u - v, u * v, u % v, u ^ v, -u, abs(u), sign(u), maximum(u, v), minimum(u, v), u < v, a / b, exp(a), u / v,
  maximum(c, d), minimum(c, d), c == d, c != d, c < d, c >= d, cast(c, f32), cast(c, i32), cast(c, u32), where(c, a, b), where(d, u, v),
  a * 1000000 * 1000000, a + 2147483647, a - 2147483647 - 10, u * 2000000000 * 3, u - 2000000000 - 2000000000, -2147483647 - 1 - a, abs(-2147483647 - 1 + a * 0), a % 0, u % 0)`;

test('every elementwise op in f64, f32, i32, u32 and bool gives the interpreter\'s exact bits', async () => {
  const r64 = compileKernelsOk(FLOATS('f64') + INTS);
  await expectJsMatchesState(r64, 'floats', [argsFor(scheduleOf(r64, 'floats').g, { n: 7, m: 45 })]);
  await expectJsMatchesState(r64, 'ints', [argsFor(scheduleOf(r64, 'ints').g, { n: 301 })]);
  const r32 = compileKernelsOk(FLOATS('f32'));
  await expectJsMatchesState(r32, 'floats', [argsFor(scheduleOf(r32, 'floats').g, { n: 7, m: 45 })]);
  // Every elementwise op of the table is used and has a JS printer: a new op without one fails here.
  const used = new Set<string>();
  for (const fn of ['floats', 'ints']) for (const k of scheduleOf(r64, fn).s.kernels) for (const m of k.members) used.add(m.op);
  const elementwise = allOps().filter(o => o.kind === 'primitive' && o.flags?.elementwise);
  assert.equal(elementwise.filter(o => !used.has(o.name)).map(o => o.name), []);
  assert.equal(elementwise.filter(o => o.kind === 'primitive' && !o.emit?.js).map(o => o.name), []);
});

test('stable forms and special values: tiny, large, infinite and NaN arguments, f64 and f32', async () => {
  for (const t of ['f64', 'f32'] as const) {
    const r = compileKernelsOk(`fn f(x: ${t}[n]) = (log1p(x), expm1(x), tanh(x), sigmoid(x), softplus(x), sigmoid(-x), softplus(-x), logsumexp(x), logsumexp(-x * 40),
      exp(x), x % 3, x ^ 0.5, round(x), sign(x), cast(x, i32), cast(x, u32), cast(x, bool), max(x), argmin(x), maximum(x, 0), x * x)`);
    const values = [1e-30, -1e-20, 1e-7, -3e-6, 1e-3, 0.3, -0.45, 0.5, -0.5, 1.5, 2.5, -2.5, 0.99, 3, -7, 20, 80, -80, 0, -0, 700, -745, 1e300, -1e300, Infinity, -Infinity, NaN, 4294967296.5, -2147483649];
    const x = fromNumbers(t, [values.length], values);
    await expectJsMatchesState(r, 'f', [{ params: new Map([['x', x]]), dims: new Map([['n', values.length]]) }]);
  }
});

// ---------------------------------------------------------------- reductions, views, concat

test('reductions: every op over each axis, several axes, all axes, keepdims, empty axes, f64/f32/i32/u32/bool', async () => {
  const src = `fn f(x: f64[a, b, c], y: f32[a, b, c], k: i32[a, b, c], u: u32[a, b, c], c2: bool[a, b, c]) = (
    sum(x), sum(x, axis=1), sum(x, axis=(0, 2), keepdims=true), prod(x * 0.2 + 1, axis=2), max(x, axis=0), min(x, axis=-1, keepdims=true),
    argmax(x, axis=2), argmin(x, axis=1), argmax(x), argmin(x, axis=0, keepdims=true), logsumexp(x, axis=2), logsumexp(x * 40), mean(x, axis=(1, 2)),
    sum(y, axis=1), prod(y, axis=0), max(y), min(y, axis=(0, 1)), logsumexp(y, axis=0, keepdims=true), argmax(y, axis=1), mean(y),
    sum(k, axis=2), prod(k, axis=0), max(k), min(k, axis=1), argmax(k, axis=0), sum(k * 1000000, axis=2), prod(k + 7), mean(k, axis=1),
    sum(u, axis=0), prod(u + 3, axis=2), max(u, axis=(0, 2)), argmin(u, axis=2), sum(u * 2000000000 * 3),
    sum(c2, axis=2), prod(c2, axis=1), max(c2, axis=1), min(c2), argmin(c2, axis=2), argmax(c2),
    exp(sum(x, axis=2) * 0.1) + 1, sum(exp(x) * y, axis=(0, 1), keepdims=true) / 3)`;
  await check(src, 'f', { a: 3, b: 4, c: 70 });
  await check(src, 'f', { a: 2, b: 1, c: 1 });
  await check(`fn f(x: f64[a, b], k: i32[a, b]) = (sum(x, axis=1), logsumexp(x, axis=1), sum(x), prod(x, axis=0), mean(x, axis=1), sum(k, axis=1), prod(k), max(x, axis=0))`, 'f', { a: 3, b: 0 });
  await check(`fn f(x: f64[a, b]) = (sum(x, axis=0), max(x, axis=1), argmax(x, axis=1), logsumexp(x, axis=0), prod(x, axis=0))`, 'f', { a: 0, b: 4 });
});

test('views: broadcast, transpose, reshape of a transpose (two views), slices with steps, integer indices', async () => {
  await check(`fn f(x: f64[5, 6], v: f64[6], s: f64, t: f64[2, 3, 4]) = (
    x + v, x * s, transpose(x) * 2, reshape(transpose(x), [30]) + 1, x[1:, ::2] - 1, x[::-1, 1] * 3,
    reshape(x[:, 1:3], [10]) + 0, broadcast(v, [4, 6]) + 0, transpose(reshape(x, [6, 5]))[0] * 1, x[-2:0:-2, 4:1:-1] + 1,
    transpose(t, (2, 0, 1)) * 1, reshape(transpose(t, (1, 2, 0)), [3, 8])[::2, 1::3] + x[0, 0], t[:, ::-1, 1] * v[0], sum(transpose(t), axis=1))`, 'f');
});

test('concat of computed parts, one_hot, arange, a dim used as a value', async () => {
  await check(`fn f(x: f64[n, m], y: f64[k, m], l: i32[n], b: bool[n]) = (
    concat([x * 2, exp(y)], axis=0), concat([x, x + 1, x * 3], axis=1), one_hot(abs(l) % 4, 4), one_hot(abs(l) % 3, 3, dtype=i32),
    one_hot(abs(l) % 2, 2, dtype=bool), one_hot(abs(l) % 5, 5, dtype=f64) * 2, concat([b, b], axis=0),
    cast(arange(n), f64) * 2 + sum(x, axis=1), x * cast(n, f64), arange(m) * 3, concat([x[:, 0], y[:, 1]], axis=0) + 1)`, 'f', { n: 5, m: 3, k: 2 });
});

test('odd sizes, a single element, zero-size dims and random shapes', async () => {
  const src = `fn f(x: f64[n, m], v: f64[m], w: f32[n, m]) = (exp(x) + v, sum(x, axis=0), x @ transpose(x), concat([x, x], axis=0), x[:, ::-1] * 2, sum(w * w, axis=1), transpose(w) @ w)`;
  for (const [n, m] of [[1, 1], [7, 13], [0, 3], [3, 0], [0, 0], [257, 3]] as const) await check(src, 'f', { n, m });
  let seed = 11;
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  for (let t = 0; t < 6; t++) await check(src, 'f', { n: next() % 40, m: next() % 70 }, 1);
});

// ---------------------------------------------------------------- matmul

test('matmul: matrix-matrix, vector forms, batched and broadcast batches, 1x1, 17x33x65, k=0, 70 columns (two blocks), integer, f32, epilogue', async () => {
  const src = `fn f(a: f64[m, k], b: f64[k, n], v: f64[k], w: f64[k], ba: f64[2, m, k], bb: f64[2, k, n], b1: f64[1, k, n], i: i32[m, k], j: i32[k, n], ui: u32[m, k], uj: u32[k, n], a32: f32[m, k], b32: f32[k, n], bt: f64[n, k]) = (
    a @ b, v @ b, a @ v, v @ w, ba @ b, ba @ bb, ba @ b1, a @ bb, i @ j, ui @ uj, (i * 100000) @ (j * 100000), exp(a @ b * 0.1) + 1, sum(a @ b, axis=1),
    a32 @ b32, a @ transpose(bt), transpose(a) @ a, ba @ v, v @ bb, ba @ transpose(ba, (0, 2, 1)))`;
  for (const sizes of [{ m: 17, k: 33, n: 65 }, { m: 1, k: 1, n: 1 }, { m: 3, k: 0, n: 2 }, { m: 5, k: 9, n: 70 }, { m: 0, k: 4, n: 3 }, { m: 2, k: 3, n: 0 }]) await check(src, 'f', sizes);
});

// ---------------------------------------------------------------- gather/scatter, random

test('gather and scatter-add: index tensors (broadcast, negative, u32, adjacent or not), int items, slices, gradients through repeated indices, f64 and f32', async () => {
  for (const t of ['f64', 'f32'] as const) {
    const { src, params: paramsOf } = gatherCase(t);
    const r = compileKernelsOk(src);
    const params = paramsOf(r);
    await expectJsMatchesState(r, 'f', [{ params, dims: new Map() }]);
    params.delete('u');
    await expectJsMatchesState(r, 'g', [{ params, dims: new Map() }]);
    assert.ok(scheduleOf(r, 'g').s.kernels.some(k => k.kind === 'scatter'));
  }
});

test('uniform gives exactly the interpreter\'s bits in f64 and f32 (any span, negative and large seeds, read through views)', async () => {
  const src = `fn f(x: f64[n, m]) = (
    uniform([n, m], seed=7, dtype=f64), uniform([n, m], lo=-3, hi=0.7, seed=-5, dtype=f64) + x, transpose(uniform([m, n], seed=2147483647, dtype=f64)) * 1,
    uniform([n, m], seed=1), uniform([n, m], lo=-1.5, hi=2.25, seed=9, dtype=f32), uniform([n, m], lo=0.1, hi=0.3, seed=3, dtype=f32)[::-1, 1:] * 1,
    uniform([n, m], seed=-1, dtype=f64), uniform([n], seed=-2147483647, dtype=f32))`;
  await check(src, 'f', { n: 9, m: 70 });
});

test('normal gives exactly the interpreter\'s bits over 1e5 elements in f64 and f32 (mean/std, negative and large seeds, read through views)', async () => {
  const src = `fn f(x: f64[n, m]) = (
    normal([n, m], seed=1, dtype=f64), normal([n, m], mean=-2.5, std=0.3, seed=-5, dtype=f64) + x, transpose(normal([m, n], seed=2147483647, dtype=f64))[1:, ::-1] * 1, normal([20, 30], seed=4, dtype=f64)[1::3, ::-2] * 1,
    normal([n, m], seed=1), normal([n, m], mean=1.25, std=3, seed=9, dtype=f32), normal([n, m], std=0.1, seed=3, dtype=f32)[::-1, 1:] * 1,
    normal([n, m], seed=-2147483647, dtype=f64), normal([n], seed=-2147483647, dtype=f32))`;
  await check(src, 'f', { n: 250, m: 400 });
});

// ---------------------------------------------------------------- inputs, state, samples, programs

test('a kernel reading 12 tensors; several schedule limits', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `a${i}`);
  const src = `fn f(${names.map(n => `${n}: f64[n]`).join(', ')}) = ${names.join(' * 0.5 + ')}`;
  await check(src, 'f', { n: 1000 });
  await check(src, 'f', { n: 10 }, 1, { maxBuffers: 3 });
});

test('shared variables carry over between calls; updates land at the end of each call (simultaneous swaps too)', async () => {
  await check(`shared w: f64[3] = [1, 2, 3]
shared c: i32 = 0
shared a: f32[2] = [1, 2]
shared b: f32[2] = [5, 7]
fn step(x: f64[3]) {
  w <- w * 0.5 + x
  c <- c + 1
  a <- b
  b <- a * 2
  return (sum(w), w, c, a + b)
}`, 'step', {}, 4);
});

test('every entry point of every sample runs like the interpreter, 2 calls with state', async () => {
  for (const file of readdirSync(repoPath('samples')).filter(f => f.endsWith('.th')).sort()) {
    const r = compileKernels(readFileSync(repoPath('samples', file), 'utf8'));
    if (r.diagnostics.length) { assert.equal(r.diagnostics.map(d => d.message), [], file); continue; }
    for (const g of r.graphs!.entries) {
      // Every sample compiles (normal included since the JS target has it).
      const sink = createSink();
      assert.ok(jsProgramOf(r, sink) !== undefined, `${file}: ${sink.diagnostics.map(d => d.message).join('; ')}`);
      await expectJsMatchesState(r, g.name, [1, 2].map(seed => argsFor(g, {}, seed)));
    }
  }
});

const jsProgramOf = (r: CompileResult, sink = createSink()): string | undefined => jsProgram(r, sink);

test('logistic regression (samples/logreg.th) trains 20 steps with the interpreter\'s exact bits (f64)', async () => {
  const r = compileKernelsOk(readFileSync(repoPath('samples', 'logreg.th'), 'utf8'));
  const calls = Array.from({ length: 20 }, () => ({ params: new Map<string, NDArray>([['lr', fromNumbers('f64', [], [0.1])]]), dims: new Map<string, number>() }));
  await expectJsMatchesState(r, 'train', calls);
});

test('generated programs (helpers/typed-gen.ts) run like the interpreter under several schedule limits', async () => {
  const settings: [number, ScheduleOptions][] = [[60, {}], [30, { maxBuffers: 4 }], [30, { maxRecompute: 0 }]];
  let checked = 0;
  for (const [count, opts] of settings) {
    for (let seed = 1; seed <= count; seed++) {
      const src = typedProgram(seed);
      const r = compileKernels(src, opts);
      if (r.diagnostics.length > 0) {
        assert.equal(r.diagnostics.map(d => d.code), ['TH0510'], `${JSON.stringify(opts)} seed ${seed}:\n${src}`);
        continue;
      }
      const g = r.graphs!.entries[0]!;
      const calls = [1, 2].map(k => randomArgs(g, seed * 7 + k, { n: 4 + (seed % 3), k: 5 }, smallValues));
      try {
        await expectJsMatchesState(r, 'main', calls);
      } catch (e) {
        throw new Error(`${JSON.stringify(opts)} seed ${seed}:\n${src}\n${(e as Error).message}`);
      }
      checked++;
    }
  }
  assert.ok(checked > 100, String(checked));
});

// ---------------------------------------------------------------- errors, text, refusals

test('run-time errors are the interpreter\'s (negative integer exponent, label out of range, index out of range, max of an empty axis)', () => {
  const r = compileKernelsOk(`fn p(a: i32[n], b: i32[n]) = a ^ b
fn h(l: i32[n]) = one_hot(l, 3)
fn g(x: f64[n], i: i32[2]) = x[i]
fn e(x: f64[a, b]) = max(x, axis=1)`);
  const errorOf = (entry: string, params: Map<string, NDArray>, dims: Map<string, number>): [string, string] | undefined => {
    const { g, s } = scheduleOf(r, entry);
    let want: [string, string] | undefined;
    try { runGraph(g, { params, shared: new Map(), dims }); } catch (e) { if (e instanceof RuntimeError) want = [e.code, JSON.stringify(e.args)]; }
    try {
      createJsRunner(s, r.graphs!, new Map()).runNow({ params, dims });
    } catch (e) {
      assert.instance(e, RuntimeError);
      const got: [string, string] = [(e as RuntimeError).code, JSON.stringify((e as RuntimeError).args)];
      assert.equal(got, want, entry);
      return got;
    }
    return undefined;
  };
  const i32 = (v: number[]) => fromNumbers('i32', [v.length], v);
  assert.is(errorOf('p', new Map([['a', i32([2, 2])], ['b', i32([3, -1])]]), new Map([['n', 2]]))?.[0], 'TH0691');
  assert.is(errorOf('h', new Map([['l', i32([0, 3])]]), new Map([['n', 2]]))?.[0], 'TH0694');
  assert.is(errorOf('h', new Map([['l', i32([-1, 0])]]), new Map([['n', 2]]))?.[0], 'TH0694');
  assert.is(errorOf('g', new Map([['x', fromNumbers('f64', [3], [1, 2, 3])], ['i', i32([0, 3])]]), new Map([['n', 3]]))?.[0], 'TH0693');
  assert.is(errorOf('g', new Map([['x', fromNumbers('f64', [3], [1, 2, 3])], ['i', i32([-4, 0])]]), new Map([['n', 3]]))?.[0], 'TH0693');
  assert.is(errorOf('e', new Map([['x', fromNumbers('f64', [2, 0], [])]]), new Map([['a', 2], ['b', 0]]))?.[0], 'TH0692');
});

test('thc compile --target js prints the kernels: deterministic, the executor\'s own text, names that cannot inject JS', () => {
  const src = `shared int: f64[2] = [0, 0]
fn main(x: f64[n], function: f64[n]) {
  int <- int + sum(x)
  return sigmoid(x) * function + 1 + uniform([n], seed=3, dtype=f64)
}
fn thc_fail(x: f64[n]) = x % 2`;
  const r = compileKernelsOk(src);
  const text = jsProgramOf(r)!;
  assert.is(jsProgramOf(compileKernelsOk(src)), text);
  assert.match(text, /\/\*\* k0_\w+: elementwise kernel over \[n\], from main\.th line 4 \*\//);
  assert.match(text, /function thck_main_k0_\w+\(in0, in1, out, d_n\)/);
  assert.match(text, /function thck_thc_x5f_fail_k0_mod\(/);
  // The executor runs exactly the text printed for each entry point.
  for (const g of r.graphs!.entries) {
    const { text: t, kernels } = entryKernels(scheduleOf(r, g.name).s);
    for (const k of kernels) assert.ok(text.includes(k.text), k.name);
    assert.is(buildKernels(scheduleOf(r, g.name).s).text, t);
  }
  // The printed text is a valid script on its own.
  assert.not.throws(() => new Function(text));
  const cli = thc(['compile', 'samples/logreg.th', '--target', 'js']);
  assert.is(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /function thck_train_k0_matmul_add\(/);
  assert.not.throws(() => new Function(cli.stdout));
});

test('the runtime is self-contained (runs from its source text), binds dims from the shapes and checks them; a wrong typed array is converted as a store would', () => {
  const r = compileKernelsOk(`shared acc: f32[2] = [0, 0]
fn f(x: f32[n, m], v: f32[m], i: i32[k]) {
  acc <- acc + sum(x, axis=0)[0:2]
  return (x * v + cast(sum(i), f32), concat([v, v], axis=0))
}`);
  const { g, s } = scheduleOf(r, 'f');
  const { fns, kernels } = buildKernels(s);
  const plan = jsPlan(s, g, r.graphs!, kernels);
  // As the standalone module will: the runtime from its text, the plan as data.
  const runtime = new Function(`return (${thcJsRuntime.toString()});`)() as typeof thcJsRuntime;
  const state = new Map([['acc', { dtype: 'f32', shape: [2], data: new Float32Array([1, 2]) }]]);
  const x = fromNumbers('f32', [3, 4], Array.from({ length: 12 }, (_, k) => k * 0.3 - 1));
  const v = fromNumbers('f32', [4], [0.5, -1, 2, 0.25]);
  const i = fromNumbers('i32', [5], [1, 2, 3, 4, -20]);
  const params = new Map<string, NDArray>([['x', x], ['v', v], ['i', i]]);
  const want = runGraph(g, { params, shared: new Map([['acc', fromNumbers('f32', [2], [1, 2])]]), dims: new Map([['n', 3], ['m', 4], ['k', 5]]) });
  const rt = runtime(plan, fns, state);
  const got = rt.call(params);
  for (const o of g.outputs) assertExact({ ...got.get(o.name)!, dtype: got.get(o.name)!.dtype as NDArray['dtype'] }, want.outputs.get(o.name)!, o.name);
  assertExact({ dtype: 'f32', shape: state.get('acc')!.shape, data: state.get('acc')!.data }, want.updates.get('acc')!, 'acc');
  // A Float64Array for an f32 parameter is rounded as a store into a Float32Array rounds.
  const x64 = { ...x, data: Float64Array.from(x.data, e => e + 1e-12) };
  assertExact({ ...rt.call(new Map([['x', x64], ['v', v], ['i', i]])).get('out0')!, dtype: 'f32' }, want.outputs.get('out0')!, 'converted');
  assert.throws(() => rt.call(new Map([['x', x], ['v', fromNumbers('f32', [3], [1, 2, 3])], ['i', i]])), /argument `v` has size 3 on axis 0, expected 4 \(`m`\)/);
  assert.throws(() => rt.call(new Map([['x', x], ['i', i]])), /missing argument `v`/);
  assert.throws(() => rt.call(new Map([['x', v], ['v', v], ['i', i]])), /`x` must have rank 2/);
});

test('each helper is its interpreter function bit for bit (special and random arguments; Philox at indices past 2^32, every key)', () => {
  const names = [...HELPER_TEXTS.keys()];
  const h = new Function(`${preludeFor(names.map(n => `${n}(`).join(' '))}\nreturn { ${names.join(', ')} };`)() as Record<string, (...xs: number[]) => number>;
  const specials = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, -7, 1e-300, -1e-300, 1e300, 709.8, -745.2, 2 ** 31, -(2 ** 31), 2 ** 53, Infinity, -Infinity, NaN];
  let seed = 5;
  const rnd = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const xs = [...specials, ...Array.from({ length: 400 }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 8 - 3))];
  const ints = [0, 1, -1, 2, -2, 7, -7, 2147483647, -2147483648, ...Array.from({ length: 100 }, () => Math.floor((rnd() - 0.5) * 4294967296) | 0)];
  const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  for (const x of xs) {
    for (const [name, f] of [['thc_round', roundHalfEven], ['thc_sigmoid', sigmoid], ['thc_softplus', softplus]] as const) assert.ok(same(h[name]!(x), f(x)), `${name}(${x})`);
    for (const y of specials) {
      assert.ok(same(h['thc_fmod']!(x, y), floatMod(x, y)), `fmod(${x}, ${y})`);
      assert.ok(same(h['thc_fpow']!(x, y), floatPow(x, y)), `fpow(${x}, ${y})`);
    }
  }
  for (const a of ints) {
    for (const b of ints) assert.ok(same(h['thc_imod']!(a, b), intMod(a, b)), `imod(${a}, ${b})`);
    for (const e of [0, 1, 2, 3, 10, 31, 32, 33, 1000]) assert.ok(same(h['thc_ipow']!(a, e), intPow(a, e)), `ipow(${a}, ${e})`);
  }
  for (const sd of [0, 1, -1, 7, 2147483647, -2147483648, 9007199254740991, -9007199254740991]) {
    const key = seedKey(sd);
    for (const i of [0, 1, 2, 1000, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 3, 2 ** 53 - 1]) {
      const w = elementWords(key, i);
      assert.is(h['thc_uniform_24']!(i, key[0], key[1]), uniformFromWords(w, 'f32'), `u24 seed ${sd} i ${i}`);
      assert.is(h['thc_uniform_53']!(i, key[0], key[1]), uniformFromWords(w, 'f64'), `u53 seed ${sd} i ${i}`);
      assert.ok(Object.is(h['thc_normal_24']!(i, key[0], key[1]), normalFromWords(w, 'f32')), `n24 seed ${sd} i ${i}`);
      assert.ok(Object.is(h['thc_normal_53']!(i, key[0], key[1]), normalFromWords(w, 'f64')), `n53 seed ${sd} i ${i}`);
    }
  }
  // The normal helpers on 20000 consecutive elements of two streams (every quadrant and swap of the cosine).
  for (const sd of [3, -11]) {
    const key = seedKey(sd);
    for (let i = 0; i < 10000; i++) {
      const w = elementWords(key, i);
      if (!Object.is(h['thc_normal_24']!(i, key[0], key[1]), normalFromWords(w, 'f32'))) assert.unreachable(`n24 seed ${sd} i ${i}`);
      if (!Object.is(h['thc_normal_53']!(i, key[0], key[1]), normalFromWords(w, 'f64'))) assert.unreachable(`n53 seed ${sd} i ${i}`);
    }
  }
});

test('runWithJs (the fallback\'s entry): logreg train 3 steps gives the interpreter\'s outputs and state; refusals go to the sink', () => {
  const r = compileKernelsOk(readFileSync(repoPath('samples', 'logreg.th'), 'utf8'));
  const { g } = scheduleOf(r, 'train');
  const store = initialState(r.graphs!.shared, createSink())!;
  const params = new Map<string, NDArray>([['lr', fromNumbers('f64', [], [0.1])]]);
  const got = runWithJs(r, { entry: 'train', params, state: store }, 3, createSink())!;
  const want = new Map(store);
  let outputs = new Map<string, NDArray>();
  for (let i = 0; i < 3; i++) {
    const res = runGraph(g, { params, shared: want, dims: new Map() });
    outputs = new Map(res.outputs);
    applyUpdates(want, res.updates);
  }
  for (const [name, v] of outputs) assertExact(got.outputs.get(name)!, v, name);
  for (const [name, v] of want) assertExact(got.state.get(name)!, v, `state ${name}`);
  const sink = createSink();
  assert.is(runWithJs(compileKernelsOk('fn f(x: f16[3]) = x + 1'), { entry: 'f', params: new Map(), state: new Map() }, 1, sink), undefined);
  assert.equal(sink.diagnostics.map(d => d.code), ['TH0540']);
});

test('refusals: f16 values (TH0540); normal compiles', () => {
  const codes = (src: string): string[] => {
    const sink = createSink();
    jsProgram(compileKernelsOk(src), sink);
    return sink.diagnostics.map(d => d.code);
  };
  assert.equal(codes('fn f(x: f16[3]) = x + 1'), ['TH0540']);
  assert.equal(codes('fn f() = normal([3], seed=1, dtype=f64)'), []);
});

test.run();
