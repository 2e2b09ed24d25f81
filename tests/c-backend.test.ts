/**
 * @file The C backend against the interpreter (tests/helpers/c-oracle.ts): every elementwise op
 * (asserted against the op table) in f64, f32, i32, u32 and bool, stable forms, reductions with
 * axis and keepdims, views, concat, one_hot, arange, matmul forms (batched, 1x1, 17x33x65, k=0),
 * zero sizes, 12 inputs, shared state, every sample's entry points and logreg's training; the
 * generated C builds under -Wall -Wextra -Werror (every build does); a snapshot of one program's
 * C; `uniform` bit for bit; the refusals (TH0530, TH0531 for normal); `thc run --device cpu` against `--device interp`; two concurrent builds on a cold cache. Without a C compiler the
 * suite prints one `skip:` line and skips.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/ops/index.js';
import { allOps, defineOp, getPrimitive, type PrimitiveOp } from '../src/ops/registry.js';
import { createSink } from '../src/diag/sink.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import type { Graph } from '../src/graph/graph.js';
import { cProgram } from '../src/backend/c/module.js';
import { buildC, findCompiler, runWithC, CRunError } from '../src/backend/c/run.js';
import { compileKernelsOk, gatherCase, opValues, randomArgs, scheduleOf, type Args } from './helpers/schedule-oracle.js';
import { expectCMatches, type Tolerance } from './helpers/c-oracle.js';
import { snapshots } from './helpers/snapshot.js';
import { repoPath } from './helpers/paths.js';
import { thc } from './helpers/cli.js';

// Every build of this suite goes to a fresh cache folder, removed at the end.
const cache = mkdtempSync(join(tmpdir(), 'thc-c-test-'));
process.env['THC_CACHE_DIR'] = cache;
test.after(() => rmSync(cache, { recursive: true, force: true }));

const cc = findCompiler();
const cTest = (name: string, body: () => Promise<void> | void): void => (cc ? test(name, body) : test.skip(name, body));
if (!cc) console.log('skip: no C compiler (cc, gcc or clang) on the PATH');
const snaps = snapshots(repoPath('tests', 'snapshots', 'c', 'c.snap'));

/** Random arguments for the op tests (value ranges: `opValues` in helpers/schedule-oracle.ts). */
const argsFor = (g: Graph, sizes: Readonly<Record<string, number>>, seed = 1): { params: Args; dims: Map<string, number> } => randomArgs(g, seed, sizes, opValues);

async function check(src: string, fn: string, sizes: Readonly<Record<string, number>> = {}, calls = 1, tol?: Tolerance): Promise<number> {
  const r = compileKernelsOk(src);
  const { g } = scheduleOf(r, fn);
  return expectCMatches(r, fn, Array.from({ length: calls }, (_, i) => argsFor(g, sizes, i + 1)), tol);
}

// ---------------------------------------------------------------- elementwise

const FLOATS = (t: string): string => `
fn floats(x: ${t}[n, m], y: ${t}[n, m], p: ${t}[n, m], q: ${t}[m]) = (
  x + y, x - y, x * y, x / p, x % p, -x % y, p ^ y, x ^ 2, (-p) ^ 3, -x,
  exp(x), log(p), log1p(x * 0.4), log1p(x * 1e-4), expm1(x), expm1(x * 1e-4), sqrt(p), rsqrt(p),
  sin(x * 40), cos(x), tan(x * 0.7), tanh(x * 5), tanh(x * 1e-3), sigmoid(x * 30), softplus(x * 30),
  abs(x), sign(x), floor(x * 3), ceil(x * 3), round(x * 3), maximum(x, y), minimum(x, q),
  cast(x * 3, i32), cast(p * 3, u32), cast(x * 3, bool), cast(x, f32), cast(x, f64), x == y, x != q, x < y, x <= y, x > y, x >= y,
  where(x > 0, x, y), (x > 0) and (y > 0), (x > 0) or (y > 0), not (x > 0), cast(x * 1e10, i32), cast(x * 1e10, u32))`;
const INTS = `
fn ints(a: i32[n], b: i32[n], u: u32[n], v: u32[n], c: bool[n], d: bool[n]) = (
  a + b, a - b, a * b, a % b, a ^ abs(b), -a, abs(a), sign(a), floor(a), ceil(a), round(a),
  maximum(a, b), minimum(a, b), cast(a, f32), cast(a, f64), cast(a, u32), cast(u, i32), cast(a, bool),
  u + v, u - v, u * v, u % v, u ^ v, -u, abs(u), sign(u), maximum(u, v), u < v, a / b, exp(a),
  maximum(c, d), minimum(c, d), c == d, c < d, c >= d, cast(c, f32), cast(c, i32), where(c, a, b),
  a * 1000000 * 1000000, a + 2147483647)`;

cTest('every elementwise op in f64, f32, i32, u32 and bool matches the interpreter (f64 to 1e-12)', async () => {
  const r64 = compileKernelsOk(FLOATS('f64') + INTS);
  await expectCMatches(r64, 'floats', [argsFor(scheduleOf(r64, 'floats').g, { n: 7, m: 45 })]);
  await expectCMatches(r64, 'ints', [argsFor(scheduleOf(r64, 'ints').g, { n: 301 })]);
  const r32 = compileKernelsOk(FLOATS('f32'));
  await expectCMatches(r32, 'floats', [argsFor(scheduleOf(r32, 'floats').g, { n: 7, m: 45 })]);
  // The entries use every elementwise op of the table: a new op without a test (or a C printer) fails here.
  const used = new Set<string>();
  for (const fn of ['floats', 'ints']) for (const k of scheduleOf(r64, fn).s.kernels) for (const m of k.members) used.add(m.op);
  const elementwise = allOps().filter(o => o.kind === 'primitive' && o.flags?.elementwise);
  assert.equal(elementwise.filter(o => !used.has(o.name)).map(o => o.name), []);
  assert.equal(elementwise.filter(o => o.kind === 'primitive' && !o.emit?.c).map(o => o.name), []);
});

cTest('stable forms: log1p, expm1, tanh, sigmoid and softplus at tiny and large arguments, f64 and f32', async () => {
  for (const t of ['f64', 'f32'] as const) {
    const r = compileKernelsOk(`fn f(x: ${t}[n]) = (log1p(x), expm1(x), tanh(x), sigmoid(x), softplus(x), sigmoid(-x), softplus(-x), logsumexp(x), logsumexp(-x * 40))`);
    const values = [1e-30, -1e-20, 1e-7, -3e-6, 1e-3, 0.3, -0.45, 0.99, 3, -7, 20, 80, -80, 0, 700, -745];
    const x = fromNumbers(t, [values.length], values);
    await expectCMatches(r, 'f', [{ params: new Map([['x', x]]), dims: new Map([['n', values.length]]) }]);
  }
});

// ---------------------------------------------------------------- reductions, views, concat

cTest('reductions: every op over each axis, several axes, all axes, keepdims, empty axes; f64 sums in the interpreter\'s order', async () => {
  const src = `fn f(x: f64[a, b, c], y: f32[a, b, c], k: i32[a, b, c], c2: bool[a, b, c]) = (
    sum(x), sum(x, axis=1), sum(x, axis=(0, 2), keepdims=true), prod(x * 0.2 + 1, axis=2), max(x, axis=0), min(x, axis=-1, keepdims=true),
    argmax(x, axis=2), argmin(x, axis=1), argmax(x), logsumexp(x, axis=2), logsumexp(x * 40), mean(x, axis=(1, 2)),
    sum(y, axis=1), prod(y, axis=0), max(y), logsumexp(y, axis=0, keepdims=true),
    sum(k, axis=2), prod(k, axis=0), max(k), min(k, axis=1), argmax(k, axis=0), sum(c2, axis=2), max(c2, axis=1), argmin(c2, axis=2),
    exp(sum(x, axis=2) * 0.1) + 1)`;
  await check(src, 'f', { a: 3, b: 4, c: 70 });
  await check(`fn f(x: f64[a, b]) = (sum(x, axis=1), logsumexp(x, axis=1), sum(x), prod(x, axis=0))`, 'f', { a: 3, b: 0 });
});

cTest('views: broadcast, transpose, reshape of a transpose (two views), slices with steps, integer indices', async () => {
  await check(`fn f(x: f64[5, 6], v: f64[6], s: f64) = (
    x + v, x * s, transpose(x) * 2, reshape(transpose(x), [30]) + 1, x[1:, ::2] - 1, x[::-1, 1] * 3,
    reshape(x[:, 1:3], [10]) + 0, broadcast(v, [4, 6]) + 0, transpose(reshape(x, [6, 5]))[0] * 1, x[-2:0:-2, 4:1:-1] + 1)`, 'f');
});

cTest('concat of computed parts, one_hot, arange, a dim used as a value', async () => {
  await check(`fn f(x: f64[n, m], y: f64[k, m], l: i32[n]) = (
    concat([x * 2, exp(y)], axis=0), concat([x, x + 1], axis=1), one_hot(abs(l) % 4, 4), one_hot(abs(l) % 3, 3, dtype=i32),
    cast(arange(n), f64) * 2 + sum(x, axis=1), x * cast(n, f64))`, 'f', { n: 5, m: 3, k: 2 });
});

cTest('odd sizes, a single element and zero-size dims', async () => {
  const src = `fn f(x: f64[n, m], v: f64[m]) = (exp(x) + v, sum(x, axis=0), x @ transpose(x), concat([x, x], axis=0))`;
  for (const [n, m] of [[1, 1], [7, 13], [0, 3], [3, 0], [257, 3]] as const) await check(src, 'f', { n, m });
});

// ---------------------------------------------------------------- matmul

cTest('matmul: matrix-matrix, vector forms, batched and broadcast batches, 1x1, 17x33x65, k=0, 70 columns (two blocks), integer, f32, epilogue', async () => {
  const src = `fn f(a: f64[m, k], b: f64[k, n], v: f64[k], w: f64[k], ba: f64[2, m, k], bb: f64[2, k, n], b1: f64[1, k, n], i: i32[m, k], j: i32[k, n], a32: f32[m, k], b32: f32[k, n]) = (
    a @ b, v @ b, a @ v, v @ w, ba @ b, ba @ bb, ba @ b1, a @ bb, i @ j, exp(a @ b * 0.1) + 1, sum(a @ b, axis=1), a32 @ b32)`;
  for (const sizes of [{ m: 17, k: 33, n: 65 }, { m: 1, k: 1, n: 1 }, { m: 3, k: 0, n: 2 }, { m: 5, k: 9, n: 70 }]) await check(src, 'f', sizes);
});

// ---------------------------------------------------------------- inputs, state, samples

cTest('a kernel reading 12 tensors', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `a${i}`);
  await check(`fn f(${names.map(n => `${n}: f64[n]`).join(', ')}) = ${names.join(' * 0.5 + ')}`, 'f', { n: 1000 });
});

cTest('shared variables carry over between calls; updates land at the end of each call', async () => {
  await check(`shared w: f64[3] = [1, 2, 3]
shared c: i32 = 0
fn step(x: f64[3]) {
  w <- w * 0.5 + x
  c <- c + 1
  return (sum(w), w, c)
}`, 'step', {}, 4);
});

cTest('every entry point of every sample runs like the interpreter, 2 calls with state', async () => {
  for (const file of readdirSync(repoPath('samples')).filter(f => f.endsWith('.th')).sort()) {
    const r = compileKernelsOk(readFileSync(repoPath('samples', file), 'utf8'));
    for (const g of r.graphs!.entries) await expectCMatches(r, g.name, [1, 2].map(seed => argsFor(g, {}, seed)));
  }
});

cTest('logistic regression (samples/logreg.th) trains 20 steps like the interpreter (f64, rtol 1e-12)', async () => {
  const r = compileKernelsOk(readFileSync(repoPath('samples', 'logreg.th'), 'utf8'));
  const calls = Array.from({ length: 20 }, () => ({ params: new Map<string, NDArray>([['lr', fromNumbers('f64', [], [0.1])]]), dims: new Map<string, number>() }));
  // Near-zero weights come from cancellation, so an absolute floor of 1e-14 (the weights are O(1)).
  await expectCMatches(r, 'train', calls, { rtol: 1e-12, atol: 1e-14 });
});

cTest('gather and scatter-add: index tensors (broadcast, negative, u32, adjacent or not), int items, slices, gradients through repeated indices', async () => {
  const { src, params: paramsOf } = gatherCase('f64');
  const r = compileKernelsOk(src);
  const params = paramsOf(r);
  await expectCMatches(r, 'f', [{ params, dims: new Map() }]);
  params.delete('u');
  await expectCMatches(r, 'g', [{ params, dims: new Map() }]);
  assert.ok(scheduleOf(r, 'g').s.kernels.some(k => k.kind === 'scatter'));
});

cTest('uniform gives exactly the interpreter\'s bits in f64 and f32 (Philox; any span, negative and large seeds (the high key word), read through views)', async () => {
  const src = `fn f(x: f64[n, m]) = (
    uniform([n, m], seed=7, dtype=f64), uniform([n, m], lo=-3, hi=0.7, seed=-5, dtype=f64) + x, transpose(uniform([m, n], seed=2147483647, dtype=f64)) * 1,
    uniform([n, m], seed=1), uniform([n, m], lo=-1.5, hi=2.25, seed=9, dtype=f32), uniform([n, m], lo=0.1, hi=0.3, seed=3, dtype=f32)[::-1, 1:] * 1)`;
  await check(src, 'f', { n: 9, m: 70 }, 1, { rtol: 0, atol: 0 });
});

// ---------------------------------------------------------------- text, refusals, cache

cTest('the C of a small program is deterministic (snapshot) and names cannot inject C', async () => {
  const src = `shared int: f64[2] = [0, 0]
fn main(x: f64[n], double: f64[n]) {
  int <- int + sum(x)
  return exp(x) * double + 1
}`;
  const text = (): string => cProgram(compileKernelsOk(src), createSink())!;
  const first = text();
  assert.is(text(), first);
  snaps.expect('small program', first);
  assert.not.match(first, /\bdouble \*double\b/);
  // An entry named like a prelude helper still gets its own function.
  const clash = cProgram(compileKernelsOk('fn fail(x: f64[n]) = x * 2\nfn run(x: f64[n]) = x + 1'), createSink())!;
  assert.match(clash, /int thc_entry_fail\(/);
  await buildC(clash);
});

cTest('refusals: f16 values (TH0530), an op without a C form (TH0531)', () => {
  // Every op of the table has a C form now: a copy of `normal` without one stands for a future op.
  if (!allOps().some(o => o.name === 'normal_without_forms')) defineOp<PrimitiveOp>({ ...getPrimitive('normal'), name: 'normal_without_forms', emit: {} });
  const codes = (src: string): string[] => {
    const sink = createSink();
    cProgram(compileKernelsOk(src), sink);
    return sink.diagnostics.map(d => d.code);
  };
  assert.equal(codes('fn f(x: f16[3]) = x + 1'), ['TH0530']);
  assert.equal(codes('fn f() = normal_without_forms([3], seed=1, dtype=f64)'), ['TH0531']);
  assert.equal(codes('fn f() = normal([3], seed=1, dtype=f64)'), []);
});

cTest('run-time errors the interpreter reports come back as THC_E* codes (negative integer exponent, label out of range, index out of range, unequal `_` sizes where they meet)', async () => {
  const r = compileKernelsOk(`fn p(a: i32[n], b: i32[n]) = a ^ b
fn h(l: i32[n]) = one_hot(l, 3)
fn g(x: f64[n], i: i32[2]) = x[i]
fn u(a: f64[_], b: f64[_]) = a + b
fn v(a: f64[n, _], b: f64[_, m]) = a @ b`);
  const fail = async (entry: string, params: Map<string, NDArray>): Promise<string | undefined> => {
    try { await runWithC(r, { entry, params, state: new Map() }, 1, createSink()); return undefined; } catch (e) { return e instanceof CRunError ? e.error : String(e); }
  };
  const i32 = (v: number[]) => fromNumbers('i32', [v.length], v);
  assert.is(await fail('p', new Map([['a', i32([2, 2])], ['b', i32([3, -1])]])), 'negativePower');
  assert.is(await fail('h', new Map([['l', i32([0, 3])]])), 'label');
  assert.is(await fail('g', new Map([['x', fromNumbers('f64', [3], [1, 2, 3])], ['i', i32([0, 3])]])), 'index');
  assert.is(await fail('p', new Map([['a', i32([2, 2])], ['b', i32([3])]])), 'shape');
  // Two `_` dimensions that meet (schedule/assumptions.ts): unequal sizes are a shape error, not reads past a buffer.
  const f64 = (shape: number[]) => fromNumbers('f64', shape, Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i));
  assert.is(await fail('u', new Map([['a', f64([2])], ['b', f64([3])]])), 'shape');
  assert.is(await fail('v', new Map([['a', f64([2, 3])], ['b', f64([4, 2])]])), 'shape');
  assert.is(await fail('u', new Map([['a', f64([3])], ['b', f64([3])]])), undefined);
});

cTest('thc run --device cpu: prints what the interpreter prints (add, logreg train with --steps and --save-state); TH0534; a THC_E* stop is reported by the interpreter; --backend c is a deprecated alias', () => {
  const env = { THC_CACHE_DIR: cache };
  const add = ['run', 'samples/add.th', 'x=[[1, 2]]', 'y=[[3, 4.5]]'];
  const c = thc([...add, '--device', 'cpu', '--verbose'], { env });
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stderr, /^note: --device cpu: running `add` on the CPU as generated C/);
  assert.is(c.stdout, thc([...add, '--device', 'interp']).stdout);
  const dir = mkdtempSync(join(tmpdir(), 'thc-c-cli-'));
  try {
    // logreg.th's entries compile to C (the `normal` initialisers of its shared variables run in thc before the C).
    const train = ['run', 'samples/logreg.th', '--fn', 'train', '--steps', '3'];
    const viaC = thc([...train, '--device', 'cpu', '--save-state', join(dir, 'c.npz')], { env });
    assert.is(viaC.code, 0, viaC.stderr);
    assert.is(viaC.stderr, '');
    assert.is(viaC.stdout, thc([...train, '--device', 'interp', '--save-state', join(dir, 'i.npz')]).stdout);
    const predict = (state: string): string => thc(['run', 'samples/logreg.th', '--fn', 'predict', '--device', 'interp', '--load-state', join(dir, state)]).stdout;
    assert.is(predict('c.npz'), predict('i.npz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const check = thc([...add, '--device', 'cpu', '--check'], { env });
  assert.is(check.code, 1);
  assert.match(check.stderr, /error\[TH0534\]: `--check` is not available with `--device cpu`/);
  const neg = thc(['run', '-', 'a=[2]', 'b=[-1]', '--device', 'cpu'], { env, stdin: 'fn p(a: i32[n], b: i32[n]) = a ^ b\n' });
  assert.is(neg.code, 1);
  const negInterp = thc(['run', '-', 'a=[2]', 'b=[-1]', '--device', 'interp'], { stdin: 'fn p(a: i32[n], b: i32[n]) = a ^ b\n' });
  assert.is(negInterp.code, 1);
  assert.is(neg.stderr, negInterp.stderr);
  const alias = thc([...add, '--backend', 'c'], { env });
  assert.is(alias.code, 0, alias.stderr);
  assert.is(alias.stdout, c.stdout);
  assert.is(alias.stderr, 'note: `--backend c` is deprecated; it means `--device cpu` now\n');
  const both = thc([...add, '--backend', 'c', '--device', 'gpu'], { env });
  assert.is(both.code, 2);
  assert.match(both.stderr, /'--backend c' \(deprecated\) means '--device cpu'/);
});

cTest('two concurrent builds of one program on a cold cache both succeed and leave one executable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'thc-c-cold-'));
  try {
    const text = cProgram(compileKernelsOk('fn f(x: f64[n]) = x * 3'), createSink())!;
    const [a, b] = await Promise.all([buildC(text, dir), buildC(text, dir)]);
    assert.is(a, b);
    assert.equal(readdirSync(dir), [a.split('/').pop()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshots: no stale blocks', () => { if (cc) snaps.finish(); });

test.run();
