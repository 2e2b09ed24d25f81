/**
 * @file Indexing `x[...]`: one primitive `index` over inputs [x, ...index tensors] with numpy's
 * semantics for static ints, static slices (clamping, negative steps) and integer index tensors
 * (advanced indexing: the index tensors and any int items broadcast together; their dims replace
 * the indexed axes in place when those are adjacent, else they go first).
 * Attribute encoding (sema builds it with `indexAttrs`): `items` is an array with one entry per
 * index item, in order: ['int', v] | ['slice', start, stop, step] (start/stop a Dim or null, step
 * a number or null) | ['tensor', k] (inputs[1 + k]). Missing trailing items mean full slices.
 * `index_add` is its adjoint (the gradient of indexing): a scatter-add through the same offsets.
 */
import { type TensorType, isInt, tensorType } from '../sema/types.js';
import { type Dim, dimAdd, dimDiv, dimSub, dimToString } from '../sema/dims.js';
import { broadcastAll } from '../sema/shapes.js';
import { sizeOf, stridesOf } from '../runtime/ndarray.js';
import type { NDArray } from '../runtime/ndarray.js';
import type { Node } from '../graph/node.js';
import type { SliceAxis, ViewStep } from '../schedule/index-map.js';
import { defineOp, type AttrValue, type Attrs, type EvalCx, type InferCx, type PrimitiveOp } from './registry.js';
import {
  broadcastRuntime, build, shapeAttr, fail, gatherData, offsetsFor, shapeText, stridedOffsets, tensorParam, typeText,
} from './helpers.js';

export type IndexItem =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'slice'; readonly start: Dim | null; readonly stop: Dim | null; readonly step: number | null }
  | { readonly kind: 'tensor'; readonly input: number };

/** The attrs of an `index` node for these items (inputs: [x, ...tensors in `input` order]). */
export function indexAttrs(items: readonly IndexItem[]): Attrs {
  return {
    items: items.map((it): AttrValue => it.kind === 'int' ? ['int', it.value]
      : it.kind === 'slice' ? ['slice', it.start, it.stop, it.step] : ['tensor', it.input]),
  };
}

/** Decodes `items`, padded with full slices to `rank` items. */
export function decodeItems(v: AttrValue | undefined, rank = 0): IndexItem[] {
  const items = ((v ?? []) as readonly (readonly AttrValue[])[]).map((e): IndexItem =>
    e[0] === 'int' ? { kind: 'int', value: e[1] as number }
      : e[0] === 'slice' ? { kind: 'slice', start: e[1] as Dim | null, stop: e[2] as Dim | null, step: e[3] as number | null }
        : { kind: 'tensor', input: e[1] as number });
  while (items.length < rank) items.push({ kind: 'slice', start: null, stop: null, step: null });
  return items;
}

/** numpy's slice.indices for a concrete size: start, step and length. */
export function sliceIndices(n: number, start: number | null, stop: number | null, step: number): { start: number; len: number } {
  const [lo, hi] = step > 0 ? [0, n] : [-1, n - 1];
  const clamp = (v: number | null, dflt: number) => (v === null ? dflt : v < 0 ? Math.max(v + n, lo) : Math.min(v, hi));
  const s = clamp(start, step > 0 ? lo : hi), e = clamp(stop, step > 0 ? hi : lo);
  const len = step > 0 ? Math.ceil((e - s) / step) : Math.ceil((s - e) / -step);
  return { start: s, len: Math.max(0, len) };
}

/** Static slice length; symbolic sizes assume the bounds lie inside the dim (checked at run time). */
function sliceLength(dim: Dim, it: Extract<IndexItem, { kind: 'slice' }>, cx: InferCx): Dim | undefined {
  const step = it.step ?? 1;
  if (step === 0) return cx.error('TH0367', {});
  const { start, stop } = it;
  if (typeof dim === 'number' && typeof start !== 'string' && typeof stop !== 'string') return sliceIndices(dim, start, stop, step).len;
  const abs = (v: Dim) => (typeof v === 'number' && v < 0 ? dimSub(dim, -v) : v);
  const s = start === null ? (step > 0 ? 0 : dimSub(dim, 1)) : abs(start);
  const e = stop === null ? (step > 0 ? dim : -1) : abs(stop);
  const span = step > 0 ? dimSub(e, s) : dimSub(s, e);
  if (typeof span === 'number') return Math.max(0, Math.ceil(span / Math.abs(step)));
  const len = Math.abs(step) === 1 ? span : dimDiv(span, Math.abs(step));
  if (len === undefined) {
    const txt = (v: Dim | null) => (v === null ? '' : dimToString(v));
    return cx.error('TH0372', { slice: `${txt(start)}:${txt(stop)}:${step}`, dim: dimToString(dim) }, { inputs: [0] });
  }
  return len;
}

/** Where the advanced dims go: `before` = number of sliced axes that precede them in the result. */
function layout(items: readonly IndexItem[]): { advanced: boolean; before: number } {
  const adv = items.map((it, i) => (it.kind !== 'slice' ? i : -1)).filter(i => i >= 0);
  const advanced = items.some(it => it.kind === 'tensor');
  if (!advanced) return { advanced, before: 0 };
  const adjacent = adv[adv.length - 1]! - adv[0]! === adv.length - 1;
  return { advanced, before: adjacent ? items.slice(0, adv[0]).length : 0 };
}

function inferIndex(ts: readonly TensorType[], attrs: Attrs, cx: InferCx): TensorType | undefined {
  const x = ts[0]!;
  const given = decodeItems(attrs['items']);
  if (given.length > x.shape.length) return cx.error('TH0365', { type: typeText(x), count: given.length, rank: x.shape.length }, { inputs: [0] });
  const items = decodeItems(attrs['items'], x.shape.length);
  const sliced: Dim[] = [];
  const advShapes: (readonly Dim[])[] = [];
  for (let axis = 0; axis < items.length; axis++) {
    const it = items[axis]!, dim = x.shape[axis]!;
    if (it.kind === 'int') {
      if (typeof dim === 'number' && (it.value < -dim || it.value >= dim)) {
        return cx.error('TH0366', { index: it.value, axis, type: typeText(x), size: dim }, { inputs: [0] });
      }
    } else if (it.kind === 'tensor') {
      const t = ts[1 + it.input]!;
      if (!isInt(t.dtype)) return cx.error('TH0368', { type: typeText(t) }, { inputs: [1 + it.input] });
      advShapes.push(t.shape);
    } else {
      const len = sliceLength(dim, it, cx);
      if (len === undefined) return undefined;
      sliced.push(len);
    }
  }
  const { advanced, before } = layout(items);
  if (!advanced) return tensorType(x.dtype, sliced);
  let acc: Dim[] = [];
  for (const s of advShapes) {
    const r = broadcastAll([acc, s]);
    if (!r.ok) return cx.error('TH0375', { a: shapeText(acc), b: shapeText(s) });
    acc = r.shape;
  }
  return tensorType(x.dtype, [...sliced.slice(0, before), ...acc, ...sliced.slice(before)]);
}

/**
 * Where each element of `x[items]` comes from: the result's shape and, per result element (C
 * order), the flat offset into x. `index` gathers through it; `index_add` scatter-adds through it.
 */
function indexPlan(xShape: readonly number[], inputs: readonly NDArray[], attrs: Attrs, cx: EvalCx): { shape: number[]; offsets: Int32Array } {
  const items = decodeItems(attrs['items'], xShape.length);
  const strides = stridesOf(xShape);
  let base = 0;
  const sliceShape: number[] = [], sliceStrides: number[] = [];
  const adv: { values: ArrayLike<number>; shape: readonly number[]; axis: number }[] = [];
  items.forEach((it, axis) => {
    const n = xShape[axis]!;
    if (it.kind === 'int') adv.push({ values: [it.value], shape: [], axis });
    else if (it.kind === 'tensor') adv.push({ values: inputs[1 + it.input]!.data, shape: inputs[1 + it.input]!.shape, axis });
    else {
      const step = it.step ?? 1;
      const at = (d: Dim | null) => (d === null ? null : cx.dim(d));
      const { start, len } = sliceIndices(n, at(it.start), at(it.stop), step);
      base += start * strides[axis]!;
      sliceShape.push(len);
      sliceStrides.push(step * strides[axis]!);
    }
  });
  const { advanced, before } = layout(items);
  const bShape = advanced ? broadcastRuntime(adv.map(a => a.shape)) : [];
  const nB = sizeOf(bShape);
  // Offset contributed by the advanced (and, without tensors, the int) items for each broadcast position.
  const advOff = new Float64Array(advanced ? nB : 1);
  for (const a of adv) {
    const map = advanced ? offsetsFor(bShape, a.shape) : [0];
    const n = xShape[a.axis]!;
    for (let k = 0; k < advOff.length; k++) {
      const v = a.values[map[k]!]!;
      if (v < -n || v >= n) fail('TH0693', { index: v, axis: a.axis, size: n });
      advOff[k] += (v < 0 ? v + n : v) * strides[a.axis]!;
    }
  }
  const sOff = stridedOffsets(sliceShape, sliceStrides, base);
  const nA = sizeOf(sliceShape.slice(before)), nS = sOff.length;
  const shape = [...sliceShape.slice(0, before), ...bShape, ...sliceShape.slice(before)];
  const offsets = new Int32Array(sizeOf(shape));
  const nb = advOff.length;
  for (let s = 0; s < nS; s++) {
    const sb = Math.floor(s / nA), sa = s % nA;
    for (let b = 0; b < nb; b++) offsets[(sb * nb + b) * nA + sa] = sOff[s]! + advOff[b]!;
  }
  return { shape, offsets };
}

/**
 * Basic indexing (ints and slices, no index tensors) as a view: a fixed offset and strides. The
 * lengths come from the node's static type; with symbolic sizes the start follows the same
 * assumption as the type rule (bounds inside the dim), which the interpreter checks at run time
 * (TH0695), so the view reads what `eval` would. Integer items on symbolic dims are not
 * bounds-checked by the view: the schedule executor raises on a read outside its buffer.
 */
function basicIndexView(n: Node): ViewStep | undefined {
  if (n.inputs.length !== 1) return undefined; // index tensors: a gather
  const xShape = n.inputs[0]!.type.shape;
  const items = decodeItems(n.attrs['items'], xShape.length);
  const out = n.type.shape;
  let k = 0;
  const axes: SliceAxis[] = [];
  for (let axis = 0; axis < items.length; axis++) {
    const it = items[axis]!, dim = xShape[axis]!;
    if (it.kind === 'tensor') return undefined;
    if (it.kind === 'int') {
      axes.push({ kind: 'int', index: it.value < 0 ? dimAdd(dim, it.value) : it.value });
      continue;
    }
    const step = it.step ?? 1;
    const len = out[k++]!;
    let start: Dim;
    if (typeof dim === 'number' && typeof it.start !== 'string' && typeof it.stop !== 'string') {
      start = sliceIndices(dim, it.start, it.stop, step).start;
    } else if (it.start === null) {
      start = step > 0 ? 0 : dimSub(dim, 1);
    } else {
      start = typeof it.start === 'number' && it.start < 0 ? dimAdd(dim, it.start) : it.start;
    }
    axes.push({ kind: 'range', start, len, step });
  }
  return { op: 'slice', axes };
}

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'index', builtin: false,
  doc: 'x[i, a:b:s, idx]: numpy basic and advanced (integer tensor) indexing; attrs.items encodes the items',
  params: [tensorParam('x'), { name: 'indices', kind: 'tensors' }],
  schedule: { kernel: 'gather', view: basicIndexView },
  infer: inferIndex,
  // d x[items] = g scatter-added into zeros of x's shape (repeated indices accumulate)
  grad(g, y, b) {
    const x = y.inputs[0]!;
    const add = b.op('index_add', [g, ...y.inputs.slice(1)], { items: y.attrs['items']!, shape: [...x.type.shape] });
    return [add, ...y.inputs.slice(1).map(() => null)];
  },
  eval(inputs, attrs, cx) {
    const x = inputs[0]!;
    const { shape, offsets } = indexPlan(x.shape, inputs, attrs, cx);
    return gatherData(x, shape, offsets);
  },
});

/**
 * The adjoint of `index` (internal; gradients build it): zeros of `shape` with g's elements added
 * at the positions `x[items]` reads, so repeated gather indices accumulate (numpy `np.add.at`).
 */
defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'index_add', builtin: false,
  doc: 'index_add(g, ...indices; items, shape): zeros(shape) with g added at x[items] (the gradient of indexing)',
  params: [tensorParam('g'), { name: 'indices', kind: 'tensors' }],
  schedule: { kernel: 'scatter' },
  infer([g], attrs) {
    return tensorType(g!.dtype, shapeAttr(attrs['shape']));
  },
  // d index_add(g) = the gradient gathered back: x[items]
  grad(g, y, b) {
    return [b.op('index', [g, ...y.inputs.slice(1)], { items: y.attrs['items']! }), ...y.inputs.slice(1).map(() => null)];
  },
  eval(inputs, attrs, cx) {
    const g = inputs[0]!;
    const shape = shapeAttr(attrs['shape']).map(d => cx.dim(d));
    const { offsets } = indexPlan(shape, inputs, attrs, cx);
    // Accumulate in doubles, round once per element (like the reductions).
    const acc = new Float64Array(sizeOf(shape));
    for (let k = 0; k < offsets.length; k++) acc[offsets[k]!] += g.data[k]!;
    return build(g.dtype, shape, k => acc[k]!);
  },
});
