/**
 * @file Shape ops: reshape, transpose, broadcast, concat (primitives); stack, zeros_like,
 * ones_like, zeros, ones (composites); arange and one_hot.
 * Data movement never rounds; reshape shares its input's (immutable) storage.
 * Shapes with `_` dims are accepted statically where they might fit and checked at run time.
 */
import { type TensorType, isDType, isInt, tensorType, type DType } from '../sema/types.js';
import { type Dim, dimAdd, dimDiv, dimEquals, dimMul, isAnonymous } from '../sema/dims.js';
import { broadcastsTo, normalizeAxis } from '../sema/shapes.js';
import { allocData, sizeOf, stridesOf } from '../runtime/ndarray.js';
import { defineOp, type CompositeOp, type PrimitiveOp } from './registry.js';
import {
  attrParam, axesAttr, broadcastRuntime, build, shapeAttr, fail, gatherData, offsetsFor, shapeText, stridedOffsets, tensorParam, typeText,
} from './helpers.js';
import { indexAttrs, type IndexItem } from './indexing.js';

const product = (shape: readonly Dim[]): Dim => shape.reduce<Dim>((p, d) => dimMul(p, d), 1);
const mentionsAnonymous = (shape: readonly Dim[]): boolean => shape.some(isAnonymous);
const sameDim = (a: Dim, b: Dim): boolean => dimEquals(a, b) || isAnonymous(a) || isAnonymous(b);
/** Whether `from` broadcasts to `to` for every binding: each axis is 1 or exactly the target's size. */
const staticBroadcast = (from: readonly Dim[], to: readonly Dim[]): boolean =>
  from.length <= to.length && from.every((d, i) => d === 1 || dimEquals(d, to[to.length - from.length + i]!));

// ---------------------------------------------------------------- reshape

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'reshape', builtin: true,
  doc: 'reshape(x, [d0, d1, ...]): same elements in C order; one entry may be -1 (inferred, like numpy)',
  params: [tensorParam('x'), attrParam('shape', 'shape')],
  // A view when the element counts are provably equal (else `eval` must check them at run time).
  schedule: { view: n => (dimEquals(product(n.inputs[0]!.type.shape), product(n.type.shape)) ? { op: 'reshape', to: n.type.shape } : undefined) },
  infer([x], attrs, cx) {
    const shape = shapeAttr(attrs['shape']);
    const args = { type: typeText(x!), shape: shapeText(shape) };
    const holes = shape.filter(d => d === -1).length;
    if (holes > 1) return cx.error('TH0357', { ...args, reason: 'more than one -1' }, { inputs: [0] });
    if (shape.some(d => typeof d === 'number' && d < -1)) return cx.error('TH0357', { ...args, reason: 'negative size' }, { inputs: [0] });
    const total = product(x!.shape);
    const known = product(shape.filter(d => d !== -1));
    const loose = mentionsAnonymous(x!.shape) || mentionsAnonymous(shape);
    if (holes === 1) {
      const inferred = dimDiv(total, known);
      if (inferred === undefined) {
        if (!loose) return cx.error('TH0356', { ...args, from: String(total), to: `a multiple of ${known}` }, { inputs: [0] });
        return cx.error('TH0357', { ...args, reason: 'the -1 size cannot be inferred statically' }, { inputs: [0] });
      }
      return tensorType(x!.dtype, shape.map(d => (d === -1 ? inferred : d)));
    }
    if (!dimEquals(total, known) && !loose) return cx.error('TH0356', { ...args, from: String(total), to: String(known) }, { inputs: [0] });
    return tensorType(x!.dtype, shape);
  },
  // d reshape(x) = reshape(g, x.shape)
  grad(g, y, b) {
    return [b.op('reshape', [g], { shape: [...y.inputs[0]!.type.shape] })];
  },
  eval([x], attrs, cx) {
    const raw = shapeAttr(attrs['shape']);
    const known = raw.filter(d => d !== -1).map(d => cx.dim(d));
    const rest = sizeOf(known);
    const total = sizeOf(x!.shape);
    const hole = rest === 0 ? 0 : total / rest;
    const shape = raw.map(d => (d === -1 ? hole : cx.dim(d)));
    if (sizeOf(shape) !== total || !Number.isInteger(hole)) fail('TH0697', { from: shapeText(x!.shape), to: shapeText(raw) });
    return { dtype: x!.dtype, shape, data: x!.data };
  },
});

// ---------------------------------------------------------------- transpose

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'transpose', builtin: true,
  doc: 'transpose(x, axes=null): permute axes (null reverses them, like numpy and `x.T`)',
  params: [tensorParam('x'), attrParam('axes', 'axes', null)],
  schedule: {
    view(n) {
      const rank = n.type.shape.length;
      const axes = axesAttr(n.attrs['axes'])?.map(a => (a < 0 ? a + rank : a)) ?? [...Array(rank).keys()].reverse();
      return { op: 'permute', axes };
    },
  },
  infer([x], attrs, cx) {
    const rank = x!.shape.length;
    const axes = axesAttr(attrs['axes']);
    if (axes === null) return tensorType(x!.dtype, [...x!.shape].reverse());
    const norm = axes.map(a => normalizeAxis(a, rank));
    if (norm.length !== rank || norm.some(a => a === undefined) || new Set(norm).size !== rank) {
      return cx.error('TH0358', { axes: shapeText(axes), rank, type: typeText(x!) }, { inputs: [0] });
    }
    return tensorType(x!.dtype, norm.map(a => x!.shape[a!]!));
  },
  // d transpose(x, p) = transpose(g, p^-1) (null, the reversal, is its own inverse)
  grad(g, y, b) {
    const rank = y.type.shape.length;
    const axes = axesAttr(y.attrs['axes']);
    if (axes === null) return [b.op('transpose', [g], { axes: null })];
    const inverse = new Array<number>(rank);
    axes.forEach((a, i) => { inverse[a < 0 ? a + rank : a] = i; });
    return [b.op('transpose', [g], { axes: inverse })];
  },
  eval([x], attrs) {
    const rank = x!.shape.length;
    const axes = axesAttr(attrs['axes'])?.map(a => (a < 0 ? a + rank : a)) ?? [...Array(rank).keys()].reverse();
    const strides = stridesOf(x!.shape);
    const shape = axes.map(a => x!.shape[a]!);
    return gatherData(x!, shape, stridedOffsets(shape, axes.map(a => strides[a]!), 0));
  },
});

// ---------------------------------------------------------------- broadcast

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'broadcast', builtin: true,
  doc: 'broadcast(x, shape): numpy broadcast_to',
  params: [tensorParam('x'), attrParam('shape', 'shape')],
  // A view when every axis provably repeats or matches (a `_` dim might need the run-time check).
  schedule: { view: n => (staticBroadcast(n.inputs[0]!.type.shape, n.type.shape) ? { op: 'broadcast', to: n.type.shape } : undefined) },
  infer([x], attrs, cx) {
    const shape = shapeAttr(attrs['shape']);
    const neg = shape.find(d => typeof d === 'number' && d < 0);
    if (neg !== undefined) return cx.error('TH0373', { size: neg, op: 'broadcast' });
    if (!broadcastsTo(x!.shape, shape)) return cx.error('TH0359', { type: typeText(x!), shape: shapeText(shape) }, { inputs: [0] });
    return tensorType(x!.dtype, shape);
  },
  // d broadcast(x) = g, summed back to x's shape by the driver
  grad: g => [g],
  eval([x], attrs, cx) {
    const shape = shapeAttr(attrs['shape']).map(d => cx.dim(d));
    const got = broadcastRuntime([x!.shape, shape]);
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) fail('TH0690', { a: shapeText(x!.shape), b: shapeText(shape) });
    return gatherData(x!, shape, offsetsFor(shape, x!.shape));
  },
});

// ---------------------------------------------------------------- concat / stack

/** Checks that every operand matches the first outside `axis`; reports TH0360 naming both. */
function checkConcat(ts: readonly TensorType[], axis: number, op: string, cx: Parameters<PrimitiveOp['infer']>[2], stack: boolean): boolean {
  const first = ts[0]!;
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i]!;
    const ok = t.shape.length === first.shape.length && t.shape.every((d, j) => (j === axis && !stack) || sameDim(d, first.shape[j]!));
    if (!ok) { cx.error('TH0360', { op, a: typeText(first), b: typeText(t), axis }, { inputs: [0, i] }); return false; }
  }
  return true;
}

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'concat', builtin: true,
  doc: 'concat([a, b, ...], axis=0): join along an existing axis (dtypes promoted together)',
  params: [{ name: 'xs', kind: 'tensors' }, attrParam('axis', 'int', 0)],
  promote: { inputs: 'all' },
  schedule: { kernel: 'concat' },
  infer(ts, attrs, cx) {
    if (ts.length === 0) return cx.error('TH0361', { op: 'concat' });
    const rank = ts[0]!.shape.length;
    const axis = normalizeAxis(Number(attrs['axis'] ?? 0), rank);
    if (axis === undefined) return cx.error('TH0354', { axis: Number(attrs['axis'] ?? 0), rank, last: rank - 1, type: typeText(ts[0]!) }, { inputs: [0] });
    if (!checkConcat(ts, axis, 'concat', cx, false)) return undefined;
    const shape = [...ts[0]!.shape];
    shape[axis] = ts.slice(1).reduce<Dim>((s, t) => dimAdd(s, t.shape[axis]!), shape[axis]!);
    return tensorType(ts[0]!.dtype, shape);
  },
  // d concat(xs) = the slice of g along `axis` where each operand landed
  grad(g, y, b) {
    const rank = y.type.shape.length;
    const axis = normalizeAxis(Number(y.attrs['axis'] ?? 0), rank)!;
    const full = { kind: 'slice', start: null, stop: null, step: null } as const;
    let start: Dim = 0;
    return y.inputs.map(x => {
      const stop = dimAdd(start, x.type.shape[axis]!);
      const items: IndexItem[] = [...Array<IndexItem>(axis).fill(full), { kind: 'slice', start, stop, step: null }];
      start = stop;
      return b.op('index', [g], indexAttrs(items));
    });
  },
  eval(xs, attrs) {
    const rank = xs[0]!.shape.length;
    const axis = normalizeAxis(Number(attrs['axis'] ?? 0), rank)!;
    for (const x of xs) {
      if (x.shape.some((d, j) => j !== axis && d !== xs[0]!.shape[j])) fail('TH0690', { a: shapeText(xs[0]!.shape), b: shapeText(x.shape) });
    }
    const shape = [...xs[0]!.shape];
    shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
    const outer = sizeOf(shape.slice(0, axis)), inner = sizeOf(shape.slice(axis + 1));
    const data = allocData(xs[0]!.dtype, sizeOf(shape));
    let w = 0;
    for (let o = 0; o < outer; o++) {
      for (const x of xs) {
        const chunk = x.shape[axis]! * inner;
        data.set(x.data.subarray(o * chunk, (o + 1) * chunk), w);
        w += chunk;
      }
    }
    return { dtype: xs[0]!.dtype, shape, data };
  },
});

defineOp<CompositeOp>({
  kind: 'composite', name: 'stack', builtin: true,
  doc: 'stack([a, b, ...], axis=0): join equal-shaped tensors along a new axis (reshape each, then concat)',
  params: [{ name: 'xs', kind: 'tensors' }, attrParam('axis', 'int', 0)],
  expand(b, xs, attrs) {
    if (xs.length === 0) return b.error('TH0361', { op: 'stack' });
    const first = xs[0]!.type;
    const axisArg = Number(attrs['axis'] ?? 0);
    const axis = normalizeAxis(axisArg, first.shape.length + 1);
    if (axis === undefined) return b.error('TH0354', { axis: axisArg, rank: first.shape.length + 1, last: first.shape.length, type: typeText(first) });
    const bad = xs.find(x => x.type.shape.length !== first.shape.length || x.type.shape.some((d, j) => !sameDim(d, first.shape[j]!)));
    if (bad) return b.error('TH0360', { op: 'stack', a: typeText(first), b: typeText(bad.type), axis: axisArg });
    const parts = xs.map(x => {
      const shape = [...x.type.shape];
      shape.splice(axis, 0, 1);
      return b.op('reshape', [x], { shape });
    });
    return b.op('concat', parts, { axis });
  },
});

// ---------------------------------------------------------------- constant fills

/** A constant broadcast to a (possibly symbolic) shape. */
function fill(name: string, value: number, doc: string, like: boolean): void {
  defineOp<CompositeOp>({
    kind: 'composite', name, builtin: true, doc,
    params: like ? [tensorParam('x')] : [attrParam('shape', 'shape'), attrParam('dtype', 'dtype', 'f64')],
    expand(b, inputs, attrs) {
      const dtype = like ? inputs[0]!.type.dtype : attrs['dtype'] ?? 'f64';
      if (typeof dtype !== 'string' || !isDType(dtype)) return b.error('TH0374', { dtype: String(dtype) });
      const shape = like ? [...inputs[0]!.type.shape] : shapeAttr(attrs['shape']);
      return b.op('broadcast', [b.scalar(value, dtype as DType)], { shape });
    },
  });
}
fill('zeros_like', 0, 'zeros with the dtype and shape of x', true);
fill('ones_like', 1, 'ones with the dtype and shape of x', true);
fill('zeros', 0, 'zeros(shape, dtype=f64)', false);
fill('ones', 1, 'ones(shape, dtype=f64)', false);

// ---------------------------------------------------------------- arange / one_hot

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'arange', builtin: true,
  doc: 'arange(n): the i32 vector 0, 1, ..., n - 1',
  params: [attrParam('n', 'dim')],
  schedule: { source: true },
  // WGSL: element k of arange is k.
  emit: { wgsl: ([k]) => k!, c: ([k]) => `((int32_t)${k})`, js: ([k]) => k! },
  infer(_ts, attrs, cx) {
    const n = attrs['n'] as Dim;
    if (typeof n === 'number' && n < 0) return cx.error('TH0373', { size: n, op: 'arange' });
    return tensorType('i32', [n]);
  },
  eval(_xs, attrs, cx) {
    return build('i32', [Math.max(0, cx.dim(attrs['n'] as Dim))], k => k);
  },
});

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'one_hot', builtin: true,
  doc: 'one_hot(y, k, dtype=f32): y[..., None] == arange(k) as dtype; a label outside 0..k-1 is a run-time error',
  params: [tensorParam('y'), attrParam('k', 'dim'), attrParam('dtype', 'dtype', 'f32')],
  // Its own kernel: a fused form would compare y[..] with the last index, which only pays off once
  // backends exist (docs/schedule.md).
  schedule: { kernel: 'other' },
  infer([y], attrs, cx) {
    if (!isInt(y!.dtype)) return cx.error('TH0370', { op: 'one_hot', type: typeText(y!) }, { inputs: [0] });
    const k = attrs['k'] as Dim;
    if (typeof k === 'number' && k < 0) return cx.error('TH0373', { size: k, op: 'one_hot' });
    const dt = attrs['dtype'] ?? 'f32';
    if (typeof dt !== 'string' || !isDType(dt)) return cx.error('TH0374', { dtype: String(dt) });
    return tensorType(dt, [...y!.shape, k]);
  },
  eval([y], attrs, cx) {
    const k = cx.dim(attrs['k'] as Dim);
    const d = y!.data;
    for (const v of d) if (v < 0 || v >= k) fail('TH0694', { label: v, k });
    return build((attrs['dtype'] ?? 'f32') as DType, [...y!.shape, k], i => +(d[Math.floor(i / k)] === i % k));
  },
});
