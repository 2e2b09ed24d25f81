/**
 * @file Test harness for the op table: builds one op on concrete parameters through the real
 * builder (promotion + type rule), runs it in the interpreter, and compares with numpy results
 * computed by python3 in one batch (inputs are sent as JSON, so both sides see the same values).
 */
import { execFileSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import '../../src/ops/index.js';
import { createBuilder } from '../../src/graph/builder.js';
import { createSink } from '../../src/diag/sink.js';
import { type DType, tensorType, NUMPY_NAME } from '../../src/sema/types.js';
import type { Attrs } from '../../src/ops/registry.js';
import { evaluate } from '../../src/runtime/interp.js';
import { type NDArray, fromNumbers } from '../../src/runtime/ndarray.js';
import { RuntimeError } from '../../src/runtime/runtime-error.js';

/** A literal value: numbers, or 'nan' / 'inf' / '-inf' / '-0' for the special ones. */
export type Num = number | 'nan' | 'inf' | '-inf' | '-0';
export interface Arr { readonly dtype: DType; readonly shape: readonly number[]; readonly data: readonly Num[] }

export const arr = (dtype: DType, shape: readonly number[], data: readonly Num[]): Arr => ({ dtype, shape, data });
export const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);
export const toND = (a: Arr): NDArray => fromNumbers(a.dtype, a.shape, a.data.map(num));

/** Builds `op` over parameters a, b, c, ... (concrete types), returning diagnostics and the node. */
export function buildOp(op: string, inputs: readonly Arr[], attrs: Attrs = {}) {
  const sink = createSink();
  const b = createBuilder(sink);
  const params = inputs.map((a, i) => b.param(String.fromCharCode(97 + i), tensorType(a.dtype, a.shape)));
  const node = b.op(op, params, attrs);
  return { sink, node, b };
}

/** Runs `op` on concrete inputs; fails the test if the type rule reported anything. */
export function runOp(op: string, inputs: readonly Arr[], attrs: Attrs = {}): NDArray {
  const { sink, node } = buildOp(op, inputs, attrs);
  assert.equal(sink.diagnostics.map(d => `${d.code} ${d.message}`), [], `${op}: unexpected diagnostics`);
  const params = new Map(inputs.map((a, i) => [String.fromCharCode(97 + i), toND(a)] as const));
  return evaluate([node], { params, shared: new Map(), dims: new Map() })[0]!;
}

/** The RuntimeError code `op` throws on these inputs (or 'none'). */
export function runErrorCode(op: string, inputs: readonly Arr[], attrs: Attrs = {}): string {
  try { runOp(op, inputs, attrs); return 'none'; } catch (e) {
    if (e instanceof RuntimeError) return e.code;
    throw e;
  }
}

export interface NpResult { readonly dtype: string; readonly shape: number[]; readonly data: Num[]; readonly error?: string }

const PY = `
import json, sys, math, warnings
import numpy as np
warnings.simplefilter('ignore')
np.seterr(all='ignore')
def val(v):
    return {'nan': math.nan, 'inf': math.inf, '-inf': -math.inf, '-0': -0.0}.get(v, v) if isinstance(v, str) else v
def enc(v):
    if isinstance(v, bool): return int(v)
    if isinstance(v, float):
        if math.isnan(v): return 'nan'
        if math.isinf(v): return 'inf' if v > 0 else '-inf'
        if v == 0 and math.copysign(1, v) < 0: return '-0'
    return v
NAMES = {'f16': 'float16', 'f32': 'float32', 'f64': 'float64', 'i32': 'int32', 'u32': 'uint32', 'bool': 'bool'}
out = []
for case in json.load(sys.stdin):
    env = {'np': np, 'math': math}
    for i, a in enumerate(case['inputs']):
        env['abcdefgh'[i]] = np.array([val(v) for v in a['data']], dtype=NAMES[a['dtype']]).reshape(a['shape'])
    try:
        r = np.asarray(eval(case['py'], env))
        out.append({'dtype': str(r.dtype), 'shape': list(r.shape), 'data': [enc(v) for v in r.ravel().tolist()]})
    except Exception as e:
        out.append({'dtype': '', 'shape': [], 'data': [], 'error': type(e).__name__ + ': ' + str(e)})
print(json.dumps(out))
`;

/** Evaluates numpy expressions (inputs bound to a, b, c, ...) in one python3 process. */
export function numpyBatch(cases: readonly { inputs: readonly Arr[]; py: string }[]): NpResult[] {
  const text = execFileSync('python3', ['-c', PY], { input: JSON.stringify(cases), maxBuffer: 1 << 28 }).toString();
  return JSON.parse(text) as NpResult[];
}

export interface Compare { readonly tol?: number; readonly signedZero?: boolean; readonly dtype?: DType }

/** Compares an interpreter result with numpy's: dtype, shape and values (NaN == NaN; relative tolerance). */
export function assertMatches(actual: NDArray, expected: NpResult, what: string, opts: Compare = {}): void {
  assert.is(expected.error, undefined, `${what}: numpy raised ${expected.error}`);
  assert.is(NUMPY_NAME[actual.dtype], NUMPY_NAME[opts.dtype ?? actual.dtype], `${what}: dtype`);
  if (!opts.dtype) assert.is(NUMPY_NAME[actual.dtype], expected.dtype, `${what}: dtype vs numpy`);
  assert.equal([...actual.shape], expected.shape, `${what}: shape`);
  const tol = opts.tol ?? 0;
  expected.data.forEach((e, i) => {
    const want = num(e), got = actual.data[i]!;
    const ok = Number.isNaN(want) ? Number.isNaN(got)
      : want === got ? (!opts.signedZero || Object.is(want, got))
        : Math.abs(got - want) <= tol * Math.max(Math.abs(want), 1e-300) && Number.isFinite(want);
    if (!ok) assert.unreachable(`${what}: element ${i} is ${Object.is(got, -0) ? '-0' : got}, numpy gives ${e} (tol ${tol})`);
  });
}
