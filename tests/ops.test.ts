/**
 * @file Reference kernels against numpy: every case builds one op through the real builder
 * (promotion + type rule), runs it in the interpreter and compares dtype, shape and values with
 * numpy computed by python3 on the same inputs (one python process for the whole table).
 * Deliberate differences from numpy are written into the python side with `.astype(...)`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getOp, allOps, type Attrs } from '../src/ops/registry.js';
import { createBuilder } from '../src/graph/builder.js';
import { createSink } from '../src/diag/sink.js';
import type { Diagnostic } from '../src/diag/diagnostic.js';
import { opCodes } from '../src/diag/codes/ops.js';
import { type DType, tensorType, typeToString } from '../src/sema/types.js';
import { indexAttrs, type IndexItem } from '../src/ops/indexing.js';
import { type Arr, arr, assertMatches, numpyBatch, runOp, runErrorCode, type Compare } from './helpers/ops-harness.js';

interface Case extends Compare { readonly name: string; readonly op: string; readonly inputs: readonly Arr[]; readonly attrs?: Attrs; readonly py: string }

const SPECIAL = ['nan', 'inf', '-inf', '-0', 0] as const;
const f64v = arr('f64', [11], [0.5, -1.25, 3, 100, 1e-20, -700, ...SPECIAL]);
const f32v = arr('f32', [8], [0.1, -2.5, 7.3, 1e-8, 'nan', 'inf', '-inf', 88]);
const pos = arr('f64', [6], [0.25, 1, 2, 1e10, 1e-300, 'inf']);
const i32big = arr('i32', [4], [2147483647, -2147483648, 123456789, -7]);
const x345 = arr('f64', [3, 4, 5], Array.from({ length: 60 }, (_, i) => (i * 37) % 23 - 11 + i / 8));
const i32a = (shape: number[], data: number[]) => arr('i32', shape, data);

const cases: Case[] = [
  // ---- arithmetic, exact single roundings
  { name: 'add f32 broadcast', op: 'add', inputs: [arr('f32', [2, 3], [0.1, 0.2, 'nan', 'inf', '-inf', 1e30]), arr('f32', [3], [0.2, 'inf', 1e30])], py: 'a + b' },
  { name: 'add i32 wraps', op: 'add', inputs: [i32big, i32a([4], [1, -1, 2147483647, 7])], py: 'a + b' },
  { name: 'sub u32 wraps', op: 'sub', inputs: [arr('u32', [3], [0, 5, 4294967295]), arr('u32', [3], [1, 3, 4294967295])], py: 'a - b' },
  { name: 'sub f64 -0', op: 'sub', inputs: [arr('f64', [3], ['-0', 0, 1]), arr('f64', [3], [0, 0, 1])], py: 'a - b', signedZero: true },
  { name: 'mul i32 wraps', op: 'mul', inputs: [i32a([4], [196608, 123456789, -2147483648, 46341]), i32a([4], [65536, 987654321, -1, 46341])], py: 'a * b' },
  { name: 'mul u32 wraps', op: 'mul', inputs: [arr('u32', [2], [4294967295, 3000000000]), arr('u32', [2], [4294967295, 3])], py: 'a * b' },
  { name: 'mul f16', op: 'mul', inputs: [arr('f16', [4], [0.1, 300, 1e-4, 2049]), arr('f16', [4], [3, 300, 1e-4, 1])], py: 'a * b' },
  { name: 'div i32 -> f64', op: 'div', inputs: [i32a([4], [7, -7, 1, 0]), i32a([4], [2, 2, 0, 0])], py: 'a / b' },
  { name: 'div f32', op: 'div', inputs: [arr('f32', [4], [1, -1, 0, 10]), arr('f32', [4], [3, 0, 0, 7])], py: 'a / b' },
  { name: 'mod f64 sign of divisor', op: 'mod', inputs: [arr('f64', [8], [5, -5, 5, -5, '-0', 0, 7, 'inf']), arr('f64', [8], [3, 3, -3, -3, 3, -3, 0, 2])], py: 'np.mod(a, b)', signedZero: true },
  { name: 'mod i32', op: 'mod', inputs: [i32a([5], [7, -7, 7, -7, 5]), i32a([5], [3, 3, -3, -3, 0])], py: 'np.mod(a, b)' },
  { name: 'pow f64 specials', op: 'pow', inputs: [arr('f64', [7], [2, 1, -1, 0, 'nan', 2, -8]), arr('f64', [7], [10, 'nan', 'inf', -1, 0, 0.5, 1 / 3])], py: 'np.power(a, b)' },
  { name: 'pow i32 wraps', op: 'pow', inputs: [i32a([5], [3, -2, 2, 7, 0]), i32a([5], [4, 3, 31, 0, 0])], py: 'np.power(a, b)' },
  { name: 'pow f32', op: 'pow', inputs: [arr('f32', [3], [1.5, 2, 10]), arr('f32', [3], [2.5, -1, 20])], py: 'np.power(a, b)', tol: 1e-7 },
  { name: 'neg i32', op: 'neg', inputs: [i32big], py: '-a' },
  { name: 'neg u32', op: 'neg', inputs: [arr('u32', [3], [0, 1, 4294967295])], py: '-a' },
  { name: 'neg f64', op: 'neg', inputs: [f64v], py: '-a', signedZero: true },
  // ---- float math (libm differs from V8 by an ulp at most)
  ...(['exp', 'log', 'log1p', 'expm1', 'sqrt', 'sin', 'cos', 'tan', 'tanh'] as const).flatMap((f): Case[] => [
    { name: `${f} f64`, op: f, inputs: [f64v], py: `np.${f}(a)`, tol: 1e-14, signedZero: true },
    { name: `${f} f32`, op: f, inputs: [f32v], py: `np.${f}(a)`, tol: 2e-7 },
  ]),
  { name: 'exp i32 -> f64', op: 'exp', inputs: [i32a([3], [0, 1, -2])], py: 'np.exp(a)', tol: 1e-15 },
  { name: 'rsqrt', op: 'rsqrt', inputs: [pos], py: '1 / np.sqrt(a)', tol: 1e-15 },
  { name: 'log1p tiny', op: 'log1p', inputs: [arr('f64', [2], [1e-20, -1e-20])], py: 'np.log1p(a)' },
  { name: 'expm1 tiny', op: 'expm1', inputs: [arr('f64', [2], [1e-20, -1e-20])], py: 'np.expm1(a)' },
  { name: 'sigmoid stable', op: 'sigmoid', inputs: [arr('f64', [9], [-1000, -745, -700, -30, 0, 1e-10, 30, 1000, 'nan'])], py: 'np.exp(-np.logaddexp(0, -a))', tol: 1e-14 },
  { name: 'sigmoid f32', op: 'sigmoid', inputs: [f32v], py: '(np.exp(-np.logaddexp(0, -a.astype(np.float64)))).astype(np.float32)', tol: 1e-7 },
  { name: 'softplus stable', op: 'softplus', inputs: [arr('f64', [9], [-1000, -40, -1, 0, 1e-8, 1, 40, 1000, '-inf'])], py: 'np.logaddexp(0, a)', tol: 1e-15 },
  { name: 'abs i32', op: 'abs', inputs: [i32big], py: 'np.abs(a)' },
  { name: 'abs f64', op: 'abs', inputs: [f64v], py: 'np.abs(a)', signedZero: true },
  { name: 'sign f64', op: 'sign', inputs: [f64v], py: 'np.sign(a)', signedZero: true },
  { name: 'sign i32', op: 'sign', inputs: [i32big], py: 'np.sign(a)' },
  ...(['floor', 'ceil', 'round'] as const).flatMap((f): Case[] => [
    { name: `${f} f64`, op: f, inputs: [arr('f64', [12], [-0.5, 0.5, 1.5, 2.5, -2.5, -1.7, 1e300, 'nan', 'inf', '-0', 4503599627370497, -0.2])], py: `np.${f}(a)`, signedZero: true },
    { name: `${f} f32`, op: f, inputs: [f32v], py: `np.${f}(a)`, signedZero: true },
    { name: `${f} i32`, op: f, inputs: [i32big], py: `np.${f}(a)` },
  ]),
  { name: 'maximum nan', op: 'maximum', inputs: [arr('f64', [4], ['nan', 1, 2, '-inf']), arr('f64', [4], [1, 'nan', 3, -5])], py: 'np.maximum(a, b)' },
  { name: 'minimum i32 + f64 promotes', op: 'minimum', inputs: [i32a([3], [1, -2, 5]), arr('f64', [3], [0.5, 'nan', 9])], py: 'np.minimum(a, b)' },
  { name: 'clip', op: 'clip', inputs: [arr('f64', [5], [-3, 0.5, 7, 'nan', 2]), arr('f64', [], [0]), arr('f64', [], [2])], py: 'np.clip(a, b, c)' },
  // ---- cast
  { name: 'cast f64->i32 truncates', op: 'cast', inputs: [arr('f64', [5], [1.9, -1.9, 0.5, -0.5, 2147483647])], attrs: { dtype: 'i32' }, py: 'a.astype(np.int32)' },
  { name: 'cast i32->u32 wraps', op: 'cast', inputs: [i32big], attrs: { dtype: 'u32' }, py: 'a.astype(np.uint32)' },
  { name: 'cast f64->f16', op: 'cast', inputs: [arr('f64', [7], [65519, 65520, 1e-8, 0.1, 6e-8, 2049, 'nan'])], attrs: { dtype: 'f16' }, py: 'a.astype(np.float16)' },
  { name: 'cast f64->f32', op: 'cast', inputs: [f64v], attrs: { dtype: 'f32' }, py: 'a.astype(np.float32)', signedZero: true },
  { name: 'cast f64->bool', op: 'cast', inputs: [arr('f64', [5], [0, '-0', 'nan', 2, '-inf'])], attrs: { dtype: 'bool' }, py: 'a.astype(bool)' },
  { name: 'cast bool->f32', op: 'cast', inputs: [arr('bool', [2], [1, 0])], attrs: { dtype: 'f32' }, py: 'a.astype(np.float32)' },
  // ---- comparisons and logic
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((f): Case => ({
    name: `${f} nan`, op: f, inputs: [arr('f64', [2, 3], ['nan', 1, 2, '-0', 'inf', 3]), arr('f64', [3], ['nan', 2, 2])],
    py: `np.${({ eq: 'equal', ne: 'not_equal', lt: 'less', le: 'less_equal', gt: 'greater', ge: 'greater_equal' })[f]}(a, b)`,
  })),
  { name: 'eq bool', op: 'eq', inputs: [arr('bool', [2], [1, 0]), arr('bool', [2], [1, 1])], py: 'a == b' },
  { name: 'logical_and', op: 'logical_and', inputs: [arr('bool', [2, 2], [1, 1, 0, 0]), arr('bool', [2], [1, 0])], py: 'np.logical_and(a, b)' },
  { name: 'logical_or', op: 'logical_or', inputs: [arr('bool', [2, 2], [1, 1, 0, 0]), arr('bool', [2], [1, 0])], py: 'np.logical_or(a, b)' },
  { name: 'logical_not', op: 'logical_not', inputs: [arr('bool', [3], [1, 0, 1])], py: 'np.logical_not(a)' },
  { name: 'where broadcast + promote', op: 'where', inputs: [arr('bool', [2, 1], [1, 0]), i32a([3], [1, 2, 3]), arr('f64', [], [0.5])], py: 'np.where(a, b, c)' },
  // ---- reductions
  { name: 'sum axes tuple keepdims', op: 'sum', inputs: [x345], attrs: { axis: [0, -1], keepdims: true }, py: 'np.sum(a, axis=(0, 2), keepdims=True)', tol: 1e-15 },
  { name: 'sum all', op: 'sum', inputs: [x345], py: 'np.sum(a)', tol: 1e-15 },
  { name: 'sum axis -2', op: 'sum', inputs: [x345], attrs: { axis: -2 }, py: 'np.sum(a, axis=-2)', tol: 1e-15 },
  { name: 'sum i32 wraps', op: 'sum', inputs: [i32big], py: 'np.sum(a).astype(np.int32)' },
  { name: 'sum bool -> i32', op: 'sum', inputs: [arr('bool', [2, 3], [1, 1, 0, 1, 0, 0])], attrs: { axis: 1 }, py: 'np.sum(a, axis=1).astype(np.int32)' },
  { name: 'sum f32', op: 'sum', inputs: [arr('f32', [4], [0.1, 0.2, 0.3, 1e8])], py: 'np.sum(a)', tol: 1e-7 },
  { name: 'sum empty axis', op: 'sum', inputs: [arr('f64', [0, 3], [])], attrs: { axis: 0 }, py: 'np.sum(a, axis=0)' },
  { name: 'prod i32 wraps', op: 'prod', inputs: [i32a([2, 3], [65536, 65536, 3, 7, -1, 2147483647])], attrs: { axis: 1 }, py: 'np.prod(a, axis=1).astype(np.int32)' },
  { name: 'prod f64', op: 'prod', inputs: [x345], attrs: { axis: [1, 2] }, py: 'np.prod(a, axis=(1, 2))', tol: 1e-13 },
  { name: 'max nan', op: 'max', inputs: [arr('f64', [2, 3], [1, 'nan', 3, -1, -5, '-inf'])], attrs: { axis: 1 }, py: 'np.max(a, axis=1)' },
  { name: 'min all', op: 'min', inputs: [x345], py: 'np.min(a)' },
  { name: 'max bool', op: 'max', inputs: [arr('bool', [2, 2], [0, 1, 0, 0])], attrs: { axis: 1, keepdims: true }, py: 'np.max(a, axis=1, keepdims=True)' },
  { name: 'max empty other axis', op: 'max', inputs: [arr('f64', [0, 3], [])], attrs: { axis: 1 }, py: 'np.max(a, axis=1)' },
  { name: 'argmax ties nan', op: 'argmax', inputs: [arr('f64', [2, 4], [1, 3, 3, 0, 2, 'nan', 5, 'nan'])], attrs: { axis: 1 }, py: 'np.argmax(a, axis=1).astype(np.int32)' },
  { name: 'argmin flat', op: 'argmin', inputs: [x345], py: 'np.int32(np.argmin(a))' },
  { name: 'argmin axis 0 keepdims', op: 'argmin', inputs: [x345], attrs: { axis: 0, keepdims: true }, py: 'np.argmin(a, axis=0, keepdims=True).astype(np.int32)' },
  { name: 'argmin nan', op: 'argmin', inputs: [arr('f64', [4], [1, 'nan', 'nan', -1])], py: 'np.int32(np.argmin(a))' },
  { name: 'logsumexp large', op: 'logsumexp', inputs: [arr('f64', [4, 2], [1000, 1000, -1000, -1000, '-inf', 0, 'inf', 1])], attrs: { axis: 1 }, py: 'np.logaddexp.reduce(a, axis=1)', tol: 1e-15 },
  { name: 'logsumexp all-inf/nan', op: 'logsumexp', inputs: [arr('f64', [3, 2], ['-inf', '-inf', 'nan', 1, 'inf', 'inf'])], attrs: { axis: 1 }, py: 'np.logaddexp.reduce(a, axis=1)' },
  { name: 'logsumexp empty', op: 'logsumexp', inputs: [arr('f64', [2, 0], [])], attrs: { axis: 1 }, py: 'np.logaddexp.reduce(a, axis=1)' },
  { name: 'logsumexp axes', op: 'logsumexp', inputs: [x345], attrs: { axis: [0, 2] }, py: 'np.log(np.sum(np.exp(a), axis=(0, 2)))', tol: 1e-14 },
  { name: 'mean axis', op: 'mean', inputs: [x345], attrs: { axis: [1] }, py: 'np.mean(a, axis=1)', tol: 1e-15 },
  { name: 'mean i32 -> f64', op: 'mean', inputs: [i32big], py: 'np.mean(a)', tol: 1e-15 },
  { name: 'mean f32', op: 'mean', inputs: [arr('f32', [2, 2], [0.1, 0.2, 0.3, 0.7])], attrs: { axis: 0 }, py: 'np.mean(a, axis=0)', tol: 1e-7 },
  // ---- shape
  { name: 'reshape -1', op: 'reshape', inputs: [x345], attrs: { shape: [-1, 10] }, py: 'a.reshape(-1, 10)' },
  { name: 'transpose perm', op: 'transpose', inputs: [x345], attrs: { axes: [2, 0, 1] }, py: 'np.transpose(a, (2, 0, 1))' },
  { name: 'transpose reverse', op: 'transpose', inputs: [x345], py: 'a.T' },
  { name: 'broadcast', op: 'broadcast', inputs: [arr('f64', [3, 1], [1, 2, 3])], attrs: { shape: [2, 3, 4] }, py: 'np.broadcast_to(a, (2, 3, 4))' },
  { name: 'concat promote', op: 'concat', inputs: [i32a([2, 1], [1, 2]), arr('f32', [2, 2], [0.5, 1.5, 2.5, 3.5])], attrs: { axis: 1 }, py: 'np.concatenate([a, b], axis=1)' },
  { name: 'concat zero-size', op: 'concat', inputs: [arr('f64', [0, 2], []), arr('f64', [1, 2], [1, 2])], py: 'np.concatenate([a, b])' },
  { name: 'stack axis 1', op: 'stack', inputs: [arr('f64', [2, 2], [1, 2, 3, 4]), arr('f64', [2, 2], [5, 6, 7, 8])], attrs: { axis: 1 }, py: 'np.stack([a, b], axis=1)' },
  { name: 'stack axis -1', op: 'stack', inputs: [arr('f64', [3], [1, 2, 3]), arr('f64', [3], [4, 5, 6])], attrs: { axis: -1 }, py: 'np.stack([a, b], axis=-1)' },
  { name: 'zeros_like', op: 'zeros_like', inputs: [i32a([2, 2], [1, 2, 3, 4])], py: 'np.zeros_like(a)' },
  { name: 'ones_like', op: 'ones_like', inputs: [arr('f32', [3], [1, 2, 3])], py: 'np.ones_like(a)' },
  { name: 'zeros', op: 'zeros', inputs: [], attrs: { shape: [2, 3] }, py: 'np.zeros((2, 3))' },
  { name: 'ones i32', op: 'ones', inputs: [], attrs: { shape: [4], dtype: 'i32' }, py: 'np.ones(4, dtype=np.int32)' },
  { name: 'arange', op: 'arange', inputs: [], attrs: { n: 5 }, py: 'np.arange(5, dtype=np.int32)' },
  { name: 'arange 0', op: 'arange', inputs: [], attrs: { n: 0 }, py: 'np.arange(0, dtype=np.int32)' },
  { name: 'one_hot', op: 'one_hot', inputs: [i32a([2, 2], [0, 3, 1, 1])], attrs: { k: 4 }, py: '(a[..., None] == np.arange(4)).astype(np.float32)' },
  { name: 'one_hot f64', op: 'one_hot', inputs: [i32a([3], [2, 0, 1])], attrs: { k: 3, dtype: 'f64' }, py: 'np.eye(3)[a]' },
  // ---- linear algebra
  { name: 'matmul 2x2', op: 'matmul', inputs: [arr('f64', [2, 3], [1, 2, 3, 4, 5, 6]), arr('f64', [3, 2], [7, 8, 9, 10, 11, 12])], py: 'a @ b' },
  { name: 'matmul 1-D @ 2-D', op: 'matmul', inputs: [arr('f64', [3], [1, 2, 3]), arr('f64', [3, 2], [7, 8, 9, 10, 11, 12])], py: 'a @ b' },
  { name: 'matmul 2-D @ 1-D', op: 'matmul', inputs: [arr('f64', [2, 3], [1, 2, 3, 4, 5, 6]), arr('f64', [3], [1, 0, -1])], py: 'a @ b' },
  { name: 'matmul 1-D @ 1-D', op: 'matmul', inputs: [arr('f64', [3], [1, 2, 3]), arr('f64', [3], [4, 5, 6])], py: 'a @ b' },
  { name: 'matmul batched broadcast', op: 'matmul', inputs: [arr('f64', [2, 1, 2, 3], Array.from({ length: 12 }, (_, i) => i - 4)), arr('f64', [3, 3, 2], Array.from({ length: 18 }, (_, i) => (i * 7) % 5))], py: 'a @ b' },
  { name: 'matmul batch @ 1-D', op: 'matmul', inputs: [x345, arr('f64', [5], [1, -1, 2, 0.5, 3])], py: 'a @ b', tol: 1e-15 },
  { name: 'matmul f32', op: 'matmul', inputs: [arr('f32', [2, 3], [0.1, 0.2, 0.3, 1e7, 1, -1e7]), arr('f32', [3, 1], [0.3, 0.7, 1.1])], py: 'a @ b', tol: 1e-6 },
  { name: 'matmul i32 wraps', op: 'matmul', inputs: [i32a([1, 2], [65536, 3]), i32a([2, 1], [65536, 1000000000])], py: 'a @ b' },
  { name: 'matmul zero-size inner', op: 'matmul', inputs: [arr('f64', [2, 0], []), arr('f64', [0, 3], [])], py: 'a @ b' },
  { name: 'dot 1-D', op: 'dot', inputs: [arr('f64', [3], [1, 2, 3]), arr('f64', [3], [4, 5, 6])], py: 'np.dot(a, b)' },
  { name: 'dot scalar', op: 'dot', inputs: [arr('f64', [], [2]), arr('f64', [2], [4, 5])], py: 'np.dot(a, b)' },
  { name: 'outer flattens', op: 'outer', inputs: [arr('f64', [2, 2], [1, 2, 3, 4]), arr('f64', [3], [1, 10, 100])], py: 'np.outer(a, b)' },
];

/** Indexing cases on x345 (f64[3, 4, 5]); tensor inputs follow x. */
const idx = (name: string, items: IndexItem[], tensors: Arr[], py: string): Case =>
  ({ name: `index ${name}`, op: 'index', inputs: [x345, ...tensors], attrs: indexAttrs(items), py });
const I = (value: number): IndexItem => ({ kind: 'int', value });
const S = (start: number | null, stop: number | null, step: number | null = null): IndexItem => ({ kind: 'slice', start, stop, step });
const T = (input: number): IndexItem => ({ kind: 'tensor', input });
cases.push(
  idx('int + negative step', [I(1), S(null, null), S(null, null, -2)], [], 'a[1, :, ::-2]'),
  idx('negative int', [I(-1), S(1, 3)], [], 'a[-1, 1:3]'),
  idx('mixed slices', [S(null, null, 2), S(-3, null), S(1, -1, 2)], [], 'a[::2, -3:, 1:-1:2]'),
  idx('clamped', [S(10, null), S(-10, 2)], [], 'a[10:, -10:2]'),
  idx('reverse past ends', [S(5, -10, -1), S(-1, null, -3)], [], 'a[5:-10:-1, -1::-3]'),
  idx('all ints', [I(2), I(3), I(-5)], [], 'a[2, 3, -5]'),
  idx('gather axis 0', [T(0)], [i32a([4], [2, 0, -1, 2])], 'a[b]'),
  idx('gather pairs', [T(0), T(1)], [i32a([3], [0, 2, 1]), i32a([3], [3, 0, -1])], 'a[b, c]'),
  idx('gather 2-D index middle', [S(null, null), T(0)], [i32a([2, 2], [0, 3, 2, 1])], 'a[:, b]'),
  idx('int and tensor apart', [I(0), S(null, null), T(0)], [i32a([5], [1, 2, 0, 1, 4])], 'a[0, :, b]'),
  idx('tensors apart', [T(0), S(1, 3), T(1)], [i32a([2, 1], [0, 2]), i32a([3], [4, 0, 1])], 'a[b, 1:3, c]'),
  idx('adjacent in place', [S(null, 2), T(0), I(1)], [i32a([2], [3, 0])], 'a[:2, b, 1]'),
  idx('empty gather', [T(0)], [i32a([0], [])], 'a[b]'),
);

const expected = numpyBatch(cases.map(c => ({ inputs: c.inputs, py: c.py })));

cases.forEach((c, i) => {
  test(`${c.op}: ${c.name}`, () => {
    assertMatches(runOp(c.op, c.inputs, c.attrs), expected[i]!, c.name, c);
  });
});

test('run-time errors: numpy raises, and so do we', () => {
  const x = arr('f64', [0, 3], []);
  assert.is(runErrorCode('max', [x], { axis: 0 }), 'TH0692');
  assert.is(runErrorCode('argmax', [x]), 'TH0692');
  assert.is(runErrorCode('min', [arr('i32', [0], [])]), 'TH0692');
  assert.is(runErrorCode('pow', [i32a([2], [2, 2]), i32a([2], [1, -1])]), 'TH0691');
  assert.is(runErrorCode('index', [x345, i32a([1], [3])], indexAttrs([T(0)])), 'TH0693');
  assert.is(runErrorCode('index', [x345, i32a([1], [-4])], indexAttrs([T(0)])), 'TH0693');
  assert.is(runErrorCode('one_hot', [i32a([2], [0, 3])], { k: 3 }), 'TH0694');
  assert.is(runErrorCode('one_hot', [i32a([1], [-1])], { k: 3 }), 'TH0694');
  // numpy agrees these are errors
  const np = numpyBatch([
    { inputs: [x], py: 'np.max(a, axis=0)' },
    { inputs: [i32a([1], [2]), i32a([1], [-1])], py: 'np.power(a, b)' },
    { inputs: [x345, i32a([1], [3])], py: 'a[b]' },
  ]);
  for (const r of np) assert.ok(r.error, 'numpy raised');
});

test('cast: NaN and inf to integers give 0 (numpy leaves them undefined)', () => {
  const r = runOp('cast', [arr('f64', [4], ['nan', 'inf', '-inf', -2.9])], { dtype: 'i32' });
  assert.equal([...r.data], [0, 0, 0, -2]);
  const u = runOp('cast', [arr('f64', [2], [-1, 4294967296 + 5])], { dtype: 'u32' });
  assert.equal([...u.data], [4294967295, 5]);
});

test('int % 0 is 0 and float % 0 is NaN', () => {
  assert.equal([...runOp('mod', [i32a([2], [5, -5]), i32a([2], [0, 0])]).data], [0, 0]);
  assert.ok(Number.isNaN(runOp('mod', [arr('f64', [1], [5]), arr('f64', [1], [0])]).data[0]!));
});

// ---------------------------------------------------------------- type rules

/** Builds `op` on symbolic parameter types; returns the result type text or the diagnostic codes. */
function typeOf(op: string, types: readonly string[], attrs: Attrs = {}): string {
  const sink = createSink();
  const b = createBuilder(sink);
  const params = types.map((t, i) => {
    if (t === 'lit-int') return b.scalar(1, 'i32', true);
    if (t === 'lit-float') return b.scalar(1.5, 'f64', true);
    const m = /^(\w+)(?:\[(.*)\])?$/.exec(t)!;
    const shape = m[2] ? m[2].split(',').map(d => (/^-?\d+$/.test(d.trim()) ? Number(d) : d.trim())) : [];
    return b.param(`p${i}`, tensorType(m[1] as DType, shape));
  });
  const n = b.op(op, params, attrs);
  if (sink.diagnostics.length > 0) return sink.diagnostics.map(d => d.code).join(' ');
  return typeToString(n.type) + (n.type.weak ? '~' : '');
}

function messageOf(op: string, types: readonly string[], attrs: Attrs = {}): Diagnostic {
  const sink = createSink();
  const b = createBuilder(sink);
  const params = types.map((t, i) => {
    const m = /^(\w+)(?:\[(.*)\])?$/.exec(t)!;
    const shape = m[2] ? m[2].split(',').map(d => (/^\d+$/.test(d.trim()) ? Number(d) : d.trim())) : [];
    return b.param(`p${i}`, tensorType(m[1] as DType, shape));
  });
  b.op(op, params, attrs);
  assert.is(sink.diagnostics.length, 1, `${op}: one diagnostic`);
  return sink.diagnostics[0]!;
}

test('infer: elementwise types, promotion and weak literals', () => {
  assert.is(typeOf('add', ['f32[n, 3]', 'f32[3]']), 'f32[n, 3]');
  assert.is(typeOf('add', ['f32[n]', 'lit-int']), 'f32[n]');
  assert.is(typeOf('mul', ['i32[2]', 'lit-float']), 'f64[2]');
  assert.is(typeOf('add', ['f32', 'f64[4]']), 'f64[4]');
  assert.is(typeOf('add', ['lit-int', 'lit-int']), 'i32~');
  assert.is(typeOf('div', ['i32[2]', 'i32[2]']), 'f64[2]');
  assert.is(typeOf('div', ['f16[2]', 'lit-int']), 'f16[2]');
  assert.is(typeOf('pow', ['i32[2]', 'lit-int']), 'i32[2]');
  assert.is(typeOf('exp', ['i32[n]']), 'f64[n]');
  assert.is(typeOf('exp', ['f16[n]']), 'f16[n]');
  assert.is(typeOf('floor', ['i32[n]']), 'i32[n]');
  assert.is(typeOf('lt', ['f32[n, 1]', 'f32[m]']), 'bool[n, m]');
  assert.is(typeOf('add', ['f32[_1, 3]', 'f32[5, 1]']), 'f32[5, 3]');
  assert.is(typeOf('where', ['bool[n]', 'i32', 'f32[n]']), 'f64[n]');
  assert.is(typeOf('cast', ['f64[n]'], { dtype: 'u32' }), 'u32[n]');
  assert.is(typeOf('clip', ['f32[n]', 'lit-int', 'lit-float']), 'f32[n]');
  assert.is(typeOf('maximum', ['bool[2]', 'bool[2]']), 'bool[2]');
});

test('infer: elementwise errors name both sides', () => {
  const d = messageOf('add', ['f32[n, 784]', 'f32[10]']);
  assert.is(d.code, 'TH0350');
  assert.is(d.message, 'cannot broadcast f32[n, 784] with f32[10]');
  assert.is(typeOf('add', ['f32[n]', 'f32[m]']), 'TH0350');
  assert.is(typeOf('add', ['bool[2]', 'bool[2]']), 'TH0351');
  assert.is(typeOf('neg', ['bool']), 'TH0351');
  assert.is(typeOf('mod', ['bool', 'bool']), 'TH0351');
  const l = messageOf('logical_and', ['f32[2]', 'bool[2]']);
  assert.is(l.code, 'TH0352');
  assert.ok(l.help.some(h => h.message.includes('x != 0')), 'help suggests x != 0');
  assert.is(typeOf('logical_not', ['i32']), 'TH0352');
  assert.is(typeOf('where', ['f32[2]', 'f32[2]', 'f32[2]']), 'TH0353');
  assert.is(typeOf('cast', ['f32'], { dtype: 'f8' }), 'TH0374');
  assert.is(typeOf('add', ['i32', 'u32']), 'TH0340');
});

test('infer: reductions', () => {
  assert.is(typeOf('sum', ['f32[n, m, 3]'], { axis: [0, -1] }), 'f32[m]');
  assert.is(typeOf('sum', ['f32[n, m, 3]'], { axis: [0, -1], keepdims: true }), 'f32[1, m, 1]');
  assert.is(typeOf('sum', ['bool[n]']), 'i32');
  assert.is(typeOf('prod', ['u32[n]']), 'u32');
  assert.is(typeOf('max', ['bool[n, 2]'], { axis: 1 }), 'bool[n]');
  assert.is(typeOf('argmax', ['f32[n, 10]'], { axis: 1 }), 'i32[n]');
  assert.is(typeOf('argmin', ['f32[n, 10]']), 'i32');
  assert.is(typeOf('logsumexp', ['i32[n]']), 'f64');
  assert.is(typeOf('mean', ['i32[n, 4]'], { axis: 0 }), 'f64[4]');
  assert.is(typeOf('mean', ['f32[n, 4]'], { axis: [0, 1] }), 'f32');
  const d = messageOf('sum', ['f32[n, m]'], { axis: 2 });
  assert.is(d.code, 'TH0354');
  assert.ok(d.message.includes('rank 2'), d.message);
  assert.is(typeOf('sum', ['f32[n, m]'], { axis: [0, -2] }), 'TH0355');
  assert.is(typeOf('argmax', ['f32[n, m]'], { axis: [0, 1] }), 'TH0369');
  assert.is(typeOf('mean', ['f32[n, m]'], { axis: 5 }), 'TH0354');
});

test('infer: shape ops', () => {
  assert.is(typeOf('reshape', ['f32[n, 784]'], { shape: [-1, 28, 28] }), 'f32[n, 28, 28]');
  assert.is(typeOf('reshape', ['f32[b, n, k]'], { shape: ['b*n', 'k'] }), 'f32[b*n, k]');
  assert.is(typeOf('reshape', ['f32[_1, 784]'], { shape: [-1, 28, 28] }), 'f32[_1, 28, 28]');
  const r = messageOf('reshape', ['f32[n, 784]'], { shape: ['n', 785] });
  assert.is(r.code, 'TH0356');
  assert.ok(r.message.includes('f32[n, 784]') && r.message.includes('[n, 785]'), r.message);
  assert.is(typeOf('reshape', ['f32[6]'], { shape: [-1, -1] }), 'TH0357');
  assert.is(typeOf('reshape', ['f32[6]'], { shape: [-1, 4] }), 'TH0356');
  assert.is(typeOf('transpose', ['f32[a, b, c]']), 'f32[c, b, a]');
  assert.is(typeOf('transpose', ['f32[a, b, c]'], { axes: [1, -1, 0] }), 'f32[b, c, a]');
  assert.is(typeOf('transpose', ['f32[a, b]'], { axes: [0, 0] }), 'TH0358');
  assert.is(typeOf('broadcast', ['f32[3]'], { shape: ['n', 3] }), 'f32[n, 3]');
  assert.is(typeOf('broadcast', ['f32[3]'], { shape: [2, 4] }), 'TH0359');
  assert.is(typeOf('concat', ['f32[n, 3]', 'f64[m, 3]']), 'f64[m+n, 3]');
  assert.is(typeOf('concat', ['f32[n, 3]', 'f32[n, 4]']), 'TH0360');
  assert.is(typeOf('concat', ['f32[n, 3]', 'f32[n, 4]'], { axis: 1 }), 'f32[n, 7]');
  assert.is(typeOf('concat', []), 'TH0361');
  assert.is(typeOf('stack', ['f32[n]', 'f32[n]'], { axis: 1 }), 'f32[n, 2]');
  assert.is(typeOf('stack', ['f32[n]', 'f32[m]']), 'TH0360');
  assert.is(typeOf('zeros_like', ['i32[n, 2]']), 'i32[n, 2]');
  assert.is(typeOf('zeros', [], { shape: ['n', 2] }), 'f64[n, 2]');
  assert.is(typeOf('arange', [], { n: 'n' }), 'i32[n]');
  assert.is(typeOf('arange', [], { n: -1 }), 'TH0373');
  assert.is(typeOf('one_hot', ['i32[n]'], { k: 10 }), 'f32[n, 10]');
  assert.is(typeOf('one_hot', ['f32[n]'], { k: 10 }), 'TH0370');
  assert.is(typeOf('uniform', [], { shape: [3, 'n'] }), 'f32[3, n]');
  assert.is(typeOf('normal', [], { shape: [2], dtype: 'f64' }), 'f64[2]');
});

test('infer: matmul, dot, outer', () => {
  const d = messageOf('matmul', ['f32[n, 784]', 'f32[10]']);
  assert.is(d.code, 'TH0362');
  assert.is(d.message, 'cannot multiply f32[n, 784] by f32[10]: inner dimensions 784 and 10 differ');
  assert.is(typeOf('matmul', ['f32[n, k]', 'f32[m, k]']), 'TH0362');
  assert.is(typeOf('matmul', ['f32[n, 784]', 'f32[784]']), 'f32[n]');
  assert.is(typeOf('matmul', ['f32[784]', 'f32[784, 10]']), 'f32[10]');
  assert.is(typeOf('matmul', ['f32[k]', 'f32[k]']), 'f32');
  assert.is(typeOf('matmul', ['f32[b, n, k]', 'f64[k, m]']), 'f64[b, n, m]');
  assert.is(typeOf('matmul', ['f32[2, n, k]', 'f32[3, k, m]']), 'TH0364');
  assert.is(typeOf('matmul', ['f32', 'f32[3]']), 'TH0363');
  assert.is(typeOf('matmul', ['f32[n, _1]', 'f32[5, 2]']), 'f32[n, 2]');
  assert.is(typeOf('dot', ['f32[n, k]', 'f32[k]']), 'f32[n]');
  assert.is(typeOf('dot', ['f32[2, 2, 2]', 'f32[2]']), 'TH0371');
  assert.is(typeOf('outer', ['f32[n]', 'f32[a, b]']), 'f32[n, a*b]');
});

test('infer: indexing', () => {
  const at = (items: IndexItem[]) => indexAttrs(items);
  assert.is(typeOf('index', ['f32[n, k]'], at([I(0)])), 'f32[k]');
  assert.is(typeOf('index', ['f32[n]'], at([S(1, null)])), 'f32[n-1]');
  assert.is(typeOf('index', ['f32[n]'], at([S(null, -1)])), 'f32[n-1]');
  assert.is(typeOf('index', ['f32[n]'], at([S(null, null, -1)])), 'f32[n]');
  assert.is(typeOf('index', ['f32[2*n]'], at([S(null, null, 2)])), 'f32[n]');
  assert.is(typeOf('index', ['f32[n]'], at([S(null, null, 2)])), 'TH0372');
  assert.is(typeOf('index', ['f32[10, 4]'], at([S(2, 8, 3), I(-1)])), 'f32[2]');
  assert.is(typeOf('index', ['f32[n, k]', 'i32[n]', 'i32[n]'], at([T(0), T(1)])), 'f32[n]');
  assert.is(typeOf('index', ['f32[a, b, c]', 'i32[m]'], at([I(0), S(null, null), T(0)])), 'f32[m, b]');
  assert.is(typeOf('index', ['f32[a, b, c]', 'i32[m]'], at([S(null, null), T(0), I(1)])), 'f32[a, m]');
  assert.is(typeOf('index', ['f32[n]'], at([I(0), I(0)])), 'TH0365');
  const d = messageOf('index', ['f32[4]'], at([I(4)]));
  assert.is(d.code, 'TH0366');
  assert.is(d.message, 'index 4 is out of bounds for axis 0 of f32[4]');
  assert.is(typeOf('index', ['f32[4]'], at([S(null, null, 0)])), 'TH0367');
  assert.is(typeOf('index', ['f32[4]', 'f32[2]'], at([T(0)])), 'TH0368');
  assert.is(typeOf('index', ['f32[4]', 'bool[4]'], at([T(0)])), 'TH0368');
  assert.is(typeOf('index', ['f32[4, 4]', 'i32[2]', 'i32[3]'], at([T(0), T(1)])), 'TH0375');
});

// ---------------------------------------------------------------- the table itself

/** LANGUAGE.md's core built-in list (elementwise, reductions, shape, linalg, indexing, random). */
const CORE_BUILTINS = `exp log log1p expm1 sqrt rsqrt abs sign sin cos tan tanh sigmoid softplus floor ceil round maximum
  minimum clip pow where cast sum mean prod max min argmax argmin logsumexp reshape transpose concat stack broadcast
  zeros_like ones_like dot outer one_hot arange uniform normal zeros ones`.split(/\s+/);
const OPERATORS = 'add sub mul div mod pow matmul neg eq ne lt le gt ge logical_and logical_or logical_not index'.split(' ');

test('completeness: every core builtin and operator is registered', () => {
  for (const name of CORE_BUILTINS) {
    const op = getOp(name);
    assert.ok(op, `${name} is registered`);
    assert.ok(op!.builtin, `${name} is a builtin`);
  }
  for (const name of OPERATORS) assert.ok(getOp(name), `${name} is registered`);
  for (const name of OPERATORS.filter(n => n !== 'pow')) assert.not.ok(getOp(name)!.builtin, `${name} is internal`);
});

test('table hygiene: docs, params, and diagnostic wording', () => {
  for (const op of allOps()) {
    assert.ok(op.doc.length > 5, `${op.name} has a doc line`);
    const kinds = op.params.map(p => p.kind);
    assert.ok(kinds.every(k => typeof k === 'string'), op.name);
    for (const p of op.params) if (p.kind === 'tensor') assert.is(p.default, undefined, `${op.name}.${p.name}: tensor params have no default`);
  }
  for (const [code, info] of Object.entries(opCodes)) {
    assert.ok(/^TH(03[5-9]\d|069\d)$/.test(code), `${code} is in the ops range`);
    assert.ok(/^[a-z`]/.test(info.message) && !info.message.endsWith('.'), `${code}: lowercase, no trailing period`);
  }
});

test.run();
