/**
 * @file The stdlib (stdlib/nn.th, stdlib/stats.th) compiled through the real pipeline and run on
 * the reference interpreter (runtime/interp.ts runGraph), compared with numpy (python3 child process).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { compileSource } from '../src/pipeline.js';
import { runGraph } from '../src/runtime/interp.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import type { DType } from '../src/sema/types.js';
import type { Graph } from '../src/graph/graph.js';
import { compactDiagnostic } from '../src/diag/compact.js';
import { repoPath } from './helpers/paths.js';

/** Entry points that call every stdlib function, with and without their keyword arguments. */
const PROGRAM = `
use nn
use stats
fn t_relu(x: f64[n, m]) = relu(x)
fn t_leaky(x: f64[n, m]) = leaky_relu(x)
fn t_leaky2(x: f64[n, m]) = leaky_relu(x, alpha=0.2)
fn t_softmax(x: f64[n, m]) = softmax(x)
fn t_softmax0(x: f64[n, m]) = softmax(x, axis=0)
fn t_softmax32(v: f32[k]) = softmax(v)
fn t_log_softmax(x: f64[n, m]) = log_softmax(x)
fn t_xent(p: f64[n, k], y: i32[n]) = cross_entropy(p, y)
fn t_bce(q: f64[k], t: f64[k]) = binary_cross_entropy(q, t)
fn t_mse(x: f64[n, m], z: f64[n, m]) = mse(x, z)
fn t_l2(x: f64[n, m]) = l2(x)
fn t_nn_qualified(x: f64[n, m]) = nn.relu(x)
fn t_var(x: f64[n, m]) = variance(x)
fn t_var0(x: f64[n, m]) = variance(x, axis=0, keepdims=true)
fn t_std(x: f64[n, m]) = std(x)
fn t_std1(x: f64[n, m]) = std(x, axis=-1)
fn t_norm(x: f64[n, m]) = normalize(x)
fn t_norm0(x: f64[n, m]) = normalize(x, axis=0, eps=0.5)
`;

const X = [[1, -2, 3, 0.5], [0.5, 0, -1, 4], [-3, 2, 2, 1]];
const Z = [[0, 1, 1, 0], [2, 0, -1, 1], [1, 1, 1, 1]];
const P = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25], [0.05, 0.05, 0.9]];
const Y = [1, 0, 2];
const Q = [0.9, 0.2, 0.6, 0.35], T = [1, 0, 1, 0];
const V = [1, 2, 3, 0.5];

/** [entry, {param: [value, dtype]}, numpy expression over those names] */
const CASES: [string, Record<string, [unknown, DType]>, string][] = [
  ['t_relu', { x: [X, 'f64'] }, 'np.maximum(x, 0)'],
  ['t_leaky', { x: [X, 'f64'] }, 'np.where(x > 0, x, 0.01 * x)'],
  ['t_leaky2', { x: [X, 'f64'] }, 'np.where(x > 0, x, 0.2 * x)'],
  ['t_softmax', { x: [X, 'f64'] }, 'np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)'],
  ['t_softmax0', { x: [X, 'f64'] }, 'np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)'],
  ['t_softmax32', { v: [V, 'f32'] }, 'np.exp(v) / np.exp(v).sum()'],
  ['t_log_softmax', { x: [X, 'f64'] }, 'x - np.log(np.exp(x).sum(axis=-1, keepdims=True))'],
  ['t_xent', { p: [P, 'f64'], y: [Y, 'i32'] }, '-np.mean(np.log(p)[np.arange(p.shape[0]), y])'],
  ['t_bce', { q: [Q, 'f64'], t: [T, 'f64'] }, 'np.mean(-t * np.log(q) - (1 - t) * np.log(1 - q))'],
  ['t_mse', { x: [X, 'f64'], z: [Z, 'f64'] }, 'np.mean((x - z) ** 2)'],
  ['t_l2', { x: [X, 'f64'] }, 'np.sum(x ** 2)'],
  ['t_nn_qualified', { x: [X, 'f64'] }, 'np.maximum(x, 0)'],
  ['t_var', { x: [X, 'f64'] }, 'np.var(x)'],
  ['t_var0', { x: [X, 'f64'] }, 'np.var(x, axis=0, keepdims=True)'],
  ['t_std', { x: [X, 'f64'] }, 'np.std(x)'],
  ['t_std1', { x: [X, 'f64'] }, 'np.std(x, axis=-1)'],
  ['t_norm', { x: [X, 'f64'] }, '(x - x.mean(axis=-1, keepdims=True)) / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-8)'],
  ['t_norm0', { x: [X, 'f64'] }, '(x - x.mean(axis=0, keepdims=True)) / np.sqrt(x.var(axis=0, keepdims=True) + 0.5)'],
];

const NP_DTYPE: Record<DType, string> = { f16: 'float16', f32: 'float32', f64: 'float64', i32: 'int32', u32: 'uint32', bool: 'bool_' };

/** numpy's results for every case at once: [{dtype, shape, data}] (one python start, not 17). */
function numpyAll(): { dtype: string; shape: number[]; data: number[] }[] {
  const code = [
    'import json, sys, numpy as np',
    'out = []',
    'for params, expr in json.loads(sys.argv[1]):',
    '    env = {"np": np}',
    '    for k, (v, t) in params.items(): env[k] = np.array(v, dtype=getattr(np, t))',
    '    r = np.asarray(eval(expr, env))',
    '    out.append({"dtype": str(r.dtype), "shape": list(r.shape), "data": r.ravel().tolist()})',
    'print(json.dumps(out))',
  ].join('\n');
  const arg = CASES.map(([, params, expr]) => [Object.fromEntries(Object.entries(params).map(([k, [v, t]]) => [k, [v, NP_DTYPE[t]]])), expr]);
  return JSON.parse(execFileSync('python3', ['-c', code, JSON.stringify(arg)], { encoding: 'utf8' }));
}

/** An NDArray from nested lists (rectangular). */
function arrayOf(value: unknown, dtype: DType): NDArray {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return fromNumbers(dtype, shape, (Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value]) as number[]);
}

/** Binds each named dimension of the declared parameter types from the values' shapes. */
function dimsOf(g: Graph, params: ReadonlyMap<string, NDArray>): Map<string, number> {
  const dims = new Map<string, number>();
  for (const p of g.params) p.type.shape.forEach((d, i) => { if (typeof d === 'string') dims.set(d, params.get(p.name)!.shape[i]!); });
  return dims;
}

const path = repoPath('tests', 'stdlib-program.th');

// Compiled once, and numpy asked once, for all the cases below.
const compiled = compileSource({ source: PROGRAM, path, displayName: 'stdlib-program.th' });
const graphs = new Map((compiled.graphs?.entries ?? []).map(g => [g.name, g]));
let expected: ReturnType<typeof numpyAll> | undefined;

test('the stdlib compiles without diagnostics', () => {
  assert.equal(compiled.diagnostics.map(compactDiagnostic), []);
});

CASES.forEach(([name, params, expr], i) => {
  test(`${name}: ${expr}`, () => {
    expected ??= numpyAll();
    const g = graphs.get(name);
    assert.ok(g, `entry ${name} was built`);
    const values = new Map(Object.entries(params).map(([k, [v, t]]) => [k, arrayOf(v, t)]));
    const out = runGraph(g!, { params: values, shared: new Map(), dims: dimsOf(g!, values) });
    const got = [...out.outputs.values()][0]!;
    const want = expected[i]!;
    assert.is(NP_DTYPE[got.dtype].replace('_', ''), want.dtype, `${name} dtype`);
    assert.equal([...got.shape], want.shape, `${name} shape`);
    // f64 results agree to rounding; the f32 case to f32 precision (sum order may differ).
    const tol = got.dtype === 'f64' ? 1e-12 : 1e-6;
    want.data.forEach((w, k) => {
      const v = got.data[k]!;
      assert.ok(Math.abs(v - w) <= tol * Math.max(1, Math.abs(w)), `${name} [${k}]: ${v} vs ${w}`);
    });
  });
});

test('stdlib functions check their arguments at the call site', () => {
  const bad = compileSource({ source: 'use nn\nfn f(x: f64[3], y: f64[4]) = mse(x, y)\n', path, displayName: 'bad.th' });
  assert.ok(!bad.ok, 'mse of f64[3] and f64[4] is rejected');
  const d = bad.diagnostics[0]!;
  // The error sits in stdlib/nn.th and a label points back at the call in the user's file.
  assert.match(d.message, /f64\[3\].*f64\[4\]/);
  assert.is(d.primary?.span.file, '<stdlib>/nn.th');
  assert.ok(d.secondary.some(l => l.span.file === 'bad.th' && l.span.line === 2 && l.message.includes('mse')), JSON.stringify(d.secondary));
});

test.run();
