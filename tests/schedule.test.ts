/**
 * @file The kernel schedule (src/schedule/): the interpreter is the oracle. Every sample and a set of
 * small programs covering every primitive op run for several calls on the schedule executor and on
 * the interpreter, with the same bytes for every output and shared variable; hand-written
 * structural checks pin the fusion rules (docs/schedule.md), the binding limit and the buffer
 * plan; the `thc graph --stage kernels` printout of samples/logreg.th is a file-backed snapshot.
 * UPDATE_SNAPSHOTS=1 rewrites tests/snapshots/schedule/kernels.snap; an entry no test produced fails.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import '../src/ops/index.js';
import { allOps } from '../src/ops/registry.js';
import type { Graph } from '../src/graph/graph.js';
import type { Kernel, Schedule, ScheduleOptions } from '../src/schedule/types.js';
import { createSink } from '../src/diag/sink.js';
import { scheduleProgram } from '../src/schedule/index.js';
import { printScheduleText } from '../src/schedule/print.js';
import { applyStep, contiguousMap, isIdentity, offsetsOf, type IndexMap } from '../src/schedule/index-map.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { compileSource } from '../src/pipeline.js';
import { thc } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';
import { snapshots } from './helpers/snapshot.js';
import { typedProgram } from './helpers/typed-gen.js';
import {
  compileKernels, compileKernelsOk, expectScheduleMatches, randomArgs, scheduleOf, type Args,
} from './helpers/schedule-oracle.js';

const snap = snapshots(repoPath('tests', 'snapshots', 'schedule', 'kernels.snap'));

/** Every schedule a test built, for the invariants checked at the end. */
const seen: { what: string; s: Schedule }[] = [];

/** Runs every entry point of `src` for `calls` calls with random arguments (sizes per dim name). */
function expectAllMatch(src: string, sizes: Readonly<Record<string, number>> = {}, calls = 3, opts = {}): Map<string, Schedule> {
  const r = compileKernelsOk(src, opts);
  const out = new Map<string, Schedule>();
  for (const g of r.graphs!.entries) {
    const args = Array.from({ length: calls }, (_, i) => randomArgs(g, 17 * i + g.name.length, sizes));
    const s = expectScheduleMatches(r, g.name, args);
    seen.push({ what: g.name, s });
    out.set(g.name, s);
  }
  return out;
}

const args = (dims: Readonly<Record<string, number>>, params: Readonly<Record<string, NDArray>>) =>
  ({ params: new Map(Object.entries(params)) as Args, dims: new Map(Object.entries(dims)) });
const f64 = (shape: number[], data: number[]): NDArray => fromNumbers('f64', shape, data);
const i32 = (shape: number[], data: number[]): NDArray => fromNumbers('i32', shape, data);

const ops = (k: Kernel): string[] => k.members.map(m => m.op);
const kinds = (s: Schedule): string[] => s.kernels.map(k => k.kind);
const bufferName = (s: Schedule, b: number): string => s.buffers[b]!.name;

// ---------------------------------------------------------------- the oracle: samples

test('every sample: the schedule executor gives the interpreter\'s bytes over several calls', () => {
  const files = readdirSync(repoPath('samples')).filter(f => f.endsWith('.th')).sort();
  assert.ok(files.length >= 8);
  for (const f of files) expectAllMatch(readFileSync(repoPath('samples', f), 'utf8'), { n: 5, m: 4 }, 3);
});

// ---------------------------------------------------------------- the oracle: every primitive op

test('elementwise ops, comparisons, logic, where and casts', () => {
  expectAllMatch(`
fn arith(x: f64[n, m], y: f64[n, m]) {
  let a = x + y - x * y / (abs(y) + 1)
  let b = x % 1.5 + pow(abs(x), 1.3) + (-x) + abs(y) ^ 0.5
  return (a, b)
}
fn math(x: f64[n, m], y: f32[m]) {
  let e = exp(x) + log(abs(x) + 0.5) + log1p(abs(x)) + expm1(x) + sqrt(abs(x)) + rsqrt(abs(x) + 1)
  let t = sin(y) + cos(y) + tan(y * 0.1) + tanh(y) + sigmoid(y) + softplus(y)
  let r = sign(x) + floor(x) + ceil(x) + round(x * 3) + maximum(x, 0.5) + minimum(x, -0.5)
  return (e + r, t)
}
fn logic(x: f64[n, m], c: bool[n, m], k: i32[n, m], u: u32[m]) {
  let p = (x == 0.5) or (x != 1) and (x < 0.1) or not (x <= 0) and (x > -1) or (x >= 2)
  let w = where(c and p, x, -x)
  let ki = k * 3 + k % 2 - k ^ 2
  return (w, cast(ki, f64) + cast(c, f64), cast(x, i32), u * 2 + u, cast(x, f16) * 2)
}`, { n: 4, m: 5 });
});

test('reductions over axes, with and without keepdims, with fused prologues and epilogues', () => {
  expectAllMatch(`
fn red(x: f64[n, m], b: bool[n, m], k: i32[n, m]) {
  let y = exp(x) * 0.5
  return (sum(y, axis=1) + 1, prod(y, axis=0, keepdims=true), max(y), min(x, axis=-1, keepdims=true) * 2,
          argmax(x, axis=1), argmin(x), logsumexp(x * 3, axis=0), mean(x * 2, axis=1, keepdims=true),
          sum(b, axis=0), prod(k, axis=1), max(k), sum(x, axis=(0, 1), keepdims=true))
}`, { n: 4, m: 3 });
});

test('views: transpose, reshape, broadcast and basic slicing become index maps', () => {
  const all = expectAllMatch(`
fn views(x: f64[n, m], v: f64[m], c: f64[n, 1]) {
  let t = transpose(x) * 2
  let r = reshape(x, [m, n]) + 1
  let rt = reshape(transpose(x), [-1]) * 3
  let b = broadcast(v, [n, m]) * x + c
  let s = sum(reshape(x * x, [n, m, 1]), axis=2)
  return (t, r, rt, b, s, x.T @ x)
}
fn slices(x: f64[6, 5], y: f64[n, 4]) {
  return (x[1:4, ::2] * 2, x[-1] + 1, x[::-1, 3] - 1, x[4:1:-2, -2:] * 1, y[:, 1:3] + 1, y[1:] * 2, y[0] * 3, y[::-1] + 0.5)
}`, { n: 3, m: 4 });
  const s = all.get('views')!;
  // Only computations: every view is index arithmetic inside the kernels that read it.
  assert.ok(s.kernels.every(k => !ops(k).some(o => ['transpose', 'reshape', 'broadcast'].includes(o))), ops(s.kernels[0]!).join());
  const sl = all.get('slices')!;
  assert.ok(sl.kernels.every(k => k.kind === 'elementwise' && !ops(k).includes('index')));
});

test('gathers (integer-tensor indexing), scatters (index_add via a gradient) and concat', () => {
  const src = `
fn gather(x: f64[n, m], i: i32[k], j: i32[k]) = (x[i] * 2, x[i, j], x[:, j] + 1, sum(x[i], axis=0))
fn scatter(x: f64[n, m], i: i32[k]) {
  let cost = sum(x[i] ^ 2) + sum(x[i, 0])
  return grad(cost, x)
}
fn cat(a: f64[n, 2], b: f64[n, 3], c: f64[m, 2]) =
  (concat([a * 2, b, exp(a)], axis=1), concat([a, c], axis=0), stack([a, a + 1]), concat([a, a], axis=-1))`;
  const r = compileKernelsOk(src);
  const gen = (g: Graph, seed: number) => {
    const a = randomArgs(g, seed, { n: 4, m: 3, k: 5 });
    // Indices inside the smaller of n and m, repeated, negative ones included.
    for (const name of ['i', 'j']) if (a.params.has(name)) (a.params as Map<string, NDArray>).set(name, i32([5], [0, 2, -1, 2, 1].map(v => (v + seed) % 3)));
    return a;
  };
  for (const g of r.graphs!.entries) seen.push({ what: g.name, s: expectScheduleMatches(r, g.name, [1, 2, 3].map(k => gen(g, k))) });
  const { s: gs } = scheduleOf(r, 'gather');
  assert.ok(gs.kernels.some(k => k.kind === 'gather'));
  const { s: ss } = scheduleOf(r, 'scatter');
  assert.ok(ss.kernels.some(k => k.kind === 'scatter'));
  // concat: one kernel per operand, each writing its slice; `a * 2` and `exp(a)` fuse into theirs.
  const { s: cs } = scheduleOf(r, 'cat');
  const parts = cs.kernels.filter(k => k.kind === 'concat' && k.root === cs.outputs[0]!.value);
  assert.equal(parts.map(k => k.part), [0, 1, 2]);
  assert.equal(parts.map(ops), [['mul', 'concat'], ['concat'], ['exp', 'concat']]);
  assert.ok(parts.every(k => k.outputs[0]!.buffer === parts[0]!.outputs[0]!.buffer));
});

test('matmul in every form: matrix, matrix-vector, vector-matrix, dot, batched, broadcast batch', () => {
  const all = expectAllMatch(`
fn mm(a: f64[n, k], b: f64[k, m], v: f64[k], w: f64[k], bt: f64[2, n, k], bb: f64[2, k, m], bias: f64[m]) {
  return (a @ b, a @ v, v @ b, v @ w, bt @ bb, bt @ b, tanh(a @ b + bias), dot(v, w) * 2, outer(v, w), a @ transpose(a))
}
fn ints(a: i32[n, k], b: i32[k, m]) = a @ b + 1`, { n: 3, k: 4, m: 2 });
  // a @ b is one node (hash-consing) read by its output and by the tanh kernel; dot(v, w) is v @ w.
  const s = all.get('mm')!;
  assert.is(s.kernels.filter(k => k.kind === 'matmul').length, 7);
});

test('random ops, arange and one_hot; zero-size dims', () => {
  expectAllMatch(`
fn rnd(y: i32[n]) {
  let u = uniform([3, 4], seed=5) + cast(arange(4), f32)
  return (u, normal([n, 2], seed=7, dtype=f64) * 2, one_hot(y, 3) * 2, sum(uniform([n], -1, 1, seed=3, dtype=f64)), transpose(u))
}`, { n: 5 });
  for (const sizes of [{ n: 0, m: 3 }, { n: 3, m: 0 }]) {
    expectAllMatch(`
fn empty(x: f64[n, m], v: f64[m]) = (sum(x, axis=1), x * 2 + v, x @ transpose(x), transpose(x) @ x, prod(x, axis=0), concat([x, x], axis=0), logsumexp(x, axis=1))`, sizes, 2);
  }
});

test('fuzz: generated well-typed programs run alike on the schedule and the interpreter, under several limits', () => {
  const settings: [number, ScheduleOptions][] = [[300, {}], [150, { maxBuffers: 4 }], [100, { maxRecompute: 0 }], [100, { maxRecompute: 4 }]];
  let checked = 0;
  for (const [count, opts] of settings) {
    for (let seed = 1; seed <= count; seed++) {
      const src = typedProgram(seed);
      const r = compileKernels(src, opts);
      // A `where` of three distinct buffers cannot fit four bindings and one is too few; nothing else may fail.
      if (r.diagnostics.length > 0) {
        assert.equal(r.diagnostics.map(d => d.code), ['TH0510'], `${JSON.stringify(opts)} seed ${seed}:\n${src}`);
        continue;
      }
      const g = r.graphs!.entries[0]!;
      const calls = [1, 2].map(k => randomArgs(g, seed * 7 + k, { n: 4, k: 5 }));
      const s = expectScheduleMatches(r, 'main', calls);
      const max = opts.maxBuffers ?? 8;
      for (const k of s.kernels) assert.ok(k.inputs.length + k.outputs.length <= max, `${k.name} over ${max} in seed ${seed}`);
      seen.push({ what: `fuzz ${seed}`, s });
      checked++;
    }
  }
  assert.ok(checked > 600, String(checked));
});

// ---------------------------------------------------------------- shared state and copy steps

test('updates are copied after every read of the old values (swaps, chains, outputs of old state)', () => {
  const s = expectAllMatch(`
shared a: f64[3] = [1.0, 2.0, 3.0]
shared b: f64[3] = [-1.0, 0.5, 4.0]
shared c: i32 = 0
shared w: f64[3] = 0
fn step(x: f64[3]) {
  let y = exp(x * 0.1) + a
  a <- b
  b <- a
  w <- y * 0.5 + w
  c <- c + 1
  return (sum(y) + sum(b), a, w)
}
fn keep() {
  a <- a
  return sum(a)
}`, {}, 4).get('step')!;
  // `a <- b` copies b into a temp (b changes too); `b <- a` reads the old a from the output that returns it.
  assert.equal(s.copies.map(c => `${c.shared} <- ${bufferName(s, c.from)}`), ['a <- t2', 'b <- out_a', 'w <- t3', 'c <- t4']);
  assert.equal(s.kernels.find(k => bufferName(s, k.outputs[0]!.buffer) === 't2')!.inputs.map(x => bufferName(s, x.buffer)), ['b']);
  // An update is never written into its shared buffer by a kernel.
  const shared = new Set(s.buffers.filter(b => b.kind === 'shared').map(b => b.id));
  assert.ok(s.kernels.every(k => k.outputs.every(o => !shared.has(o.buffer))));
});

test('an update value read by later kernels keeps its buffer until the copy', () => {
  // y is an update and is read by sum(y); after that read, q needs a temp of y's size.
  const s = expectAllMatch(`
shared s: f64[3] = [1.0, 2.0, 3.0]
fn pin(x: f64[3]) {
  let y = exp(x) + s
  s <- y
  let q = sigmoid(tanh(x * sum(y)) + 1)
  return (sum(q), q * s)
}`, {}, 3).get('pin')!;
  const y = s.copies[0]!.from;
  assert.ok(s.kernels.every(k => k.outputs[0]!.buffer !== y || k.root === s.buffers[y]!.values[0]));
});

// ---------------------------------------------------------------- fusion rules, by hand

const only = (src: string, fn = 'f', opts = {}): Schedule => {
  const r = compileKernelsOk(src, opts);
  const s = scheduleOf(r, fn).s;
  seen.push({ what: fn, s });
  return s;
};

test('sum(sigmoid(x) * x + log1p(x * x)) is one reduce kernel', () => {
  const s = only('fn f(x: f32[n]) = sum(sigmoid(x) * x + log1p(x * x))');
  assert.equal(kinds(s), ['reduce']);
  assert.equal(ops(s.kernels[0]!).sort(), ['add', 'log1p', 'mul', 'mul', 'sigmoid', 'sum']);
  assert.equal(s.kernels[0]!.inputs.map(x => bufferName(s, x.buffer)), ['x']);
});

test('softmax over rows is three kernels: max, sum of the shifted exponentials, the division', () => {
  // exp(x - max) is used by the sum and by the division; it is two ops over stored values, so
  // both kernels recompute it instead of storing it (a fourth kernel and a round trip).
  const s = only('use nn\nfn f(x: f32[n, m]) = softmax(x)');
  assert.equal(kinds(s), ['reduce', 'reduce', 'elementwise']);
  assert.equal(s.kernels.map(k => k.core?.op ?? k.root.op), ['max', 'sum', 'div']);
  assert.equal(ops(s.kernels[1]!), ['sub', 'exp', 'sum']);
  assert.equal(ops(s.kernels[2]!), ['sub', 'exp', 'div']);
  // With recomputation off, the shifted exponentials get a kernel and a buffer of their own.
  assert.equal(kinds(only('use nn\nfn f(x: f32[n, m]) = softmax(x)', 'f', { maxRecompute: 0 })), ['reduce', 'elementwise', 'reduce', 'elementwise']);
});

test('logreg training: one matmul kernel for D_x @ w with its epilogue (+ b)', () => {
  const r = compileKernelsOk(readFileSync(repoPath('samples', 'logreg.th'), 'utf8'));
  const { s } = scheduleOf(r, 'train');
  const fwd = s.kernels.filter(k => k.kind === 'matmul' && k.core!.inputs.map(x => x.op).join() === 'shared,shared');
  assert.is(fwd.length, 1);
  const k = fwd[0]!;
  assert.equal(k.core!.inputs.map(x => x.attrs['name']), ['D_x', 'w']);
  assert.equal(ops(k), ['matmul', 'add']);
  assert.equal(k.inputs.map(x => bufferName(s, x.buffer)), ['D_x', 'w', 'b']);
  // The backward matmul takes the whole update w - lr * (... + g @ D_x) as its epilogue.
  const back = s.kernels.find(x => x.kind === 'matmul' && x !== k)!;
  assert.is(bufferName(s, s.copies.find(c => c.shared === 'w')!.from), bufferName(s, back.outputs[0]!.buffer));
  assert.equal(s.copies.map(c => c.shared), ['w', 'b']);
});

test('tanh(h @ w + b) is one matmul kernel with its epilogue', () => {
  const s = only('fn f(h: f32[n, k], w: f32[k, m], b: f32[m]) = tanh(h @ w + b)');
  assert.equal(kinds(s), ['matmul']);
  assert.equal(ops(s.kernels[0]!), ['matmul', 'add', 'tanh']);
  assert.equal(s.kernels[0]!.inputs.map(x => bufferName(s, x.buffer)), ['h', 'w', 'b']);
});

test('a value two kernels read, too costly to recompute, is stored once', () => {
  // (The optimizer moves `* 2` out of the sum, so the shared value is tanh(exp(x) + 1): three ops.)
  const s = only('fn f(x: f64[n]) { let y = tanh(exp(x) + 1) * 2\n return (sum(y), y * x) }');
  assert.equal(kinds(s), ['elementwise', 'reduce', 'elementwise']);
  assert.equal(ops(s.kernels[0]!), ['exp', 'add', 'tanh']);
  assert.equal(s.kernels.slice(1).map(k => k.inputs.map(x => bufferName(s, x.buffer))), [['t0'], ['t0', 'x']]);
});

test('12 distinct inputs: the expression is split into kernels binding at most 8 buffers each', () => {
  const names = 'abcdefghijkl'.split('');
  const src = `fn f(${names.map(n => `${n}: f64[n]`).join(', ')}) = ${names.map((n, i) => (i % 2 ? `${n})` : `(${n} * `)).join(' + ').replace(/\* \+ /g, '* ')}`;
  for (const max of [8, 5, 4]) {
    const r = compileKernelsOk(src, { maxBuffers: max });
    const { s, g } = scheduleOf(r, 'f');
    assert.ok(s.kernels.length >= 2, src);
    for (const k of s.kernels) assert.ok(k.inputs.length + k.outputs.length <= max, `${k.name} binds ${k.inputs.length + k.outputs.length} > ${max}`);
    assert.equal(new Set(s.kernels.flatMap(k => k.inputs.map(x => x.value)).filter(v => v.op === 'param').map(v => v.attrs['name'])).size, 12);
    seen.push({ what: `f/${max}`, s: expectScheduleMatches(r, 'f', [1, 2].map(seed => randomArgs(g, seed, { n: 4 }))) });
  }
  assert.equal(scheduleOf(compileKernelsOk(src), 'f').s.kernels.length, 2);
});

test('buffer reuse: a chain of elementwise steps separated by reductions needs two vector temps', () => {
  const steps = 6;
  const lines = Array.from({ length: steps }, (_, i) => `  let y${i + 1} = tanh(sin(y${i} * sum(y${i})) + 1)`);
  const s = only(`fn f(x: f64[n]) {\n  let y0 = tanh(sin(x) + 1)\n${lines.join('\n')}\n  return y${steps}\n}`);
  const temps = s.buffers.filter(b => b.kind === 'temp');
  const vectors = temps.filter(b => b.count === 'n');
  // y_i is read by sum(y_i) and by y_{i+1}'s kernel; then its buffer takes y_{i+2}.
  assert.is(vectors.length, 2, temps.map(b => `${b.name}:${b.count}`).join());
  assert.is(temps.filter(b => b.count === '1').length, 1);
  assert.ok(vectors.every(b => b.values.length >= steps / 2));
  assert.equal(kinds(s), ['elementwise', ...Array.from({ length: steps }, () => ['reduce', 'elementwise']).flat()]);
  expectScheduleMatches(compileKernelsOk(`fn f(x: f64[n]) {\n  let y0 = tanh(sin(x) + 1)\n${lines.join('\n')}\n  return y${steps}\n}`), 'f',
    [args({ n: 4 }, { x: f64([4], [0.1, -0.5, 2, 0.3]) })]);
});

test('outputs get their own buffers; a repeated output and a returned parameter are copies', () => {
  const s = only('fn f(x: f64[n]) { let y = x * 2\n return (y, y, x, sum(y)) }');
  const outs = s.outputs.map(o => s.buffers[o.buffer]!);
  assert.equal(outs.map(b => b.kind), ['output', 'output', 'output', 'output']);
  assert.is(outs[0], outs[1]);
  const copy = s.kernels.find(k => k.root.op === 'param')!;
  assert.equal(ops(copy), []);
  assert.ok(copy.name.endsWith('_copy'));
});

test('index maps: composition through views and reshapes of strided views', () => {
  const offsets = (m: IndexMap, dims: Record<string, number> = {}) => [...offsetsOf(m, d => (typeof d === 'number' ? d : dims[d]!))];
  const x = contiguousMap([2, 3]);
  assert.ok(isIdentity(x));
  const t = applyStep(x, { op: 'permute', axes: [1, 0] });
  assert.equal(offsets(t), [0, 3, 1, 4, 2, 5]);
  // Flattening a transposed view cannot keep one view: a second one unravels the index.
  const flat = applyStep(t, { op: 'reshape', to: [6] });
  assert.is(flat.views.length, 2);
  assert.equal(offsets(flat), [0, 3, 1, 4, 2, 5]);
  const b = applyStep(applyStep(contiguousMap(['n']), { op: 'reshape', to: ['n', 1] }), { op: 'broadcast', to: ['n', 2] });
  assert.is(b.views.length, 1);
  assert.equal(offsets(b, { n: 3 }), [0, 0, 1, 1, 2, 2]);
  const s = applyStep(contiguousMap([4, 5]), { op: 'slice', axes: [{ kind: 'range', start: 3, len: 2, step: -2 }, { kind: 'int', index: 4 }] });
  assert.equal(offsets(s), [19, 9]);
});

// ---------------------------------------------------------------- diagnostics and wiring

test('what cannot fit the binding limit is TH0510; an op without a rule is TH0511', () => {
  const r = compileKernels('fn f(x: f64[n, m], i: i32[k], j: i32[k]) = x[i, j]', { maxBuffers: 3 });
  assert.equal(r.diagnostics.map(d => `${d.code} ${d.primary?.span.line}:${d.primary?.span.col}`), ['TH0510 1:44']);
  assert.match(r.diagnostics[0]!.message, 'needs 4 storage buffers, more than the limit of 3');
  assert.is(r.schedules, undefined);
  // A `grad` placeholder (the graph stage) has no kernel.
  const g = compileSource({ source: 'fn f(x: f64) = grad(x * x, x)', path: '/virtual/g.th' }, { stopAfter: 'graph' });
  const sink = createSink();
  assert.is(scheduleProgram(g.graphs!, {}, sink), undefined);
  assert.equal(sink.diagnostics.map(d => d.code), ['TH0511']);
});

test('every primitive op states how it is scheduled (elementwise, or schedule facts)', () => {
  const missing = allOps().filter(o => o.kind === 'primitive' && !o.flags?.elementwise && !o.schedule && o.name !== 'grad');
  assert.equal(missing.map(o => o.name), []);
});

test('thc graph --stage kernels: logreg printout (snapshot), facts, json, determinism', () => {
  const r = thc(['graph', 'samples/logreg.th', '--fn', 'train', '--stage', 'kernels']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  snap.expect('logreg train', r.stdout.trimEnd());
  const lines = r.stdout.split('\n');
  assert.is(lines[0], 'fn train(lr: f64 = 0.1)');
  assert.match(r.stdout, /^ {4}k0_matmul_add: matmul \[400\] {3}# lines 21$/m);
  assert.match(r.stdout, /^ {6}in {2}b: f64 \| broadcast \[400\] => \[400\] strides \[0\] offset 0$/m);
  assert.match(r.stdout, /copies \(after every kernel\):\n {4}w <- t\d+\n {4}b <- t\d+\n/);
  assert.match(r.stdout.trimEnd(), /outputs:\n {4}cost = out_cost\n {4}accuracy = out_accuracy$/);
  assert.is(thc(['graph', 'samples/logreg.th', '--fn', 'train', '--stage', 'kernels']).stdout, r.stdout);
  const j = thc(['graph', 'samples/logreg.th', '--fn', 'train', '--stage', 'kernels', '--format', 'json']);
  assert.is(j.code, 0, j.stderr);
  const parsed = JSON.parse(j.stdout) as { kernels: { name: string; kind: string; inputs: { buffer: string }[] }[]; copies: { shared: string }[] };
  assert.is(parsed.kernels[0]!.name, 'k0_matmul_add');
  assert.equal(parsed.kernels[0]!.inputs.map(x => x.buffer), ['D_x', 'w', 'b']);
  assert.equal(parsed.copies.map(c => c.shared), ['w', 'b']);
  const dot = thc(['graph', 'samples/logreg.th', '--fn', 'train', '--stage', 'kernels', '--format', 'dot']);
  assert.is(dot.code, 2);
  snap.expect('mlp predict', thc(['graph', 'samples/mlp.th', '--fn', 'predict', '--stage', 'kernels']).stdout.trimEnd());
});

test('the printout names every kernel, buffer and copy of a schedule', () => {
  const r = compileKernelsOk(readFileSync(repoPath('samples', 'mlp.th'), 'utf8'));
  const { g, s } = scheduleOf(r, 'train');
  const text = printScheduleText(s, g);
  for (const k of s.kernels) assert.ok(text.includes(`    ${k.name}: ${k.kind} `), k.name);
  for (const b of s.buffers) assert.ok(text.includes(`    ${b.name} `), b.name);
});

// ---------------------------------------------------------------- invariants over every schedule built

test('the programs above exercise every primitive op inside some kernel', () => {
  const computed = new Set<string>();
  for (const { s } of seen) {
    for (const k of s.kernels) {
      for (const m of k.members) computed.add(m.op);
      // Views and index sources are not members: they live in the loads' index maps and values.
      for (const e of [...k.args, k.body]) {
        for (const v of e.values) if (v.kind === 'source') computed.add(v.node.op);
      }
    }
  }
  const viewOps = new Set<string>();
  for (const { s } of seen) for (const k of s.kernels) for (const e of [...k.args, k.body]) for (const v of e.values) {
    if (v.kind === 'load' || v.kind === 'source') for (const step of v.steps) viewOps.add(step.op);
  }
  const missing = allOps().filter(o => o.kind === 'primitive' && o.name !== 'grad' && !computed.has(o.name)).map(o => o.name);
  // reshape, transpose, broadcast and basic indexing appear as view steps instead.
  assert.equal(missing.sort(), ['broadcast', 'reshape', 'transpose']);
  assert.equal([...viewOps].sort(), ['broadcast', 'permute', 'reshape', 'slice']);
});

test('no kernel binds a buffer as both input and output; params, shared and constants are never written by kernels', () => {
  assert.ok(seen.length > 30, String(seen.length));
  for (const { what, s } of seen) {
    for (const k of s.kernels) {
      for (const o of k.outputs) {
        assert.not.ok(k.inputs.some(x => x.buffer === o.buffer), `${what}: ${k.name} reads and writes ${bufferName(s, o.buffer)}`);
        assert.ok(['temp', 'output'].includes(s.buffers[o.buffer]!.kind), `${what}: ${k.name} writes ${bufferName(s, o.buffer)}`);
      }
    }
    for (const c of s.copies) assert.is(s.buffers[c.to]!.kind, 'shared');
  }
});

test('snapshot file has no stale entries', () => snap.finish());

test.run();
