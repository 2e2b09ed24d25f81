/**
 * @file Index maps: views as index arithmetic. Consumes the view steps that view ops declare in the
 * op table (`schedule.view`: broadcast, reshape, permute, basic slicing) and produces an IndexMap,
 * tinygrad's ShapeTracker: a stack of strided views that takes an element index of the space a
 * kernel reads in to a flat offset in the buffer (C order) holding the value. Sizes, strides and
 * offsets are symbolic Dims (sema/dims.ts), so one map serves every binding of `n`; `offsetsOf`
 * evaluates a map for concrete sizes (the schedule executor; backends print the same arithmetic).
 */
import { type Dim, dimAdd, dimMul, dimToString } from '../sema/dims.js';
import { stridedOffsets } from '../ops/helpers.js';

/** One axis of a basic (static) slice: an integer drops the axis, a range keeps it. */
export type SliceAxis =
  | { readonly kind: 'int'; readonly index: Dim }
  | { readonly kind: 'range'; readonly start: Dim; readonly len: Dim; readonly step: number };

/** What a view op does to the index space of its input (the op table states it per node). */
export type ViewStep =
  /** numpy broadcast_to the shape `to` (right-aligned; size-1 and missing axes repeat). */
  | { readonly op: 'broadcast'; readonly to: readonly Dim[] }
  /** Same elements in C order, new shape. */
  | { readonly op: 'reshape'; readonly to: readonly Dim[] }
  /** Axis i of the result is axis axes[i] of the input. */
  | { readonly op: 'permute'; readonly axes: readonly number[] }
  /** One entry per input axis. */
  | { readonly op: 'slice'; readonly axes: readonly SliceAxis[] };

/** One strided view: index i of `shape` is at `offset + sum(i[k] * strides[k])`. */
export interface View {
  readonly shape: readonly Dim[];
  readonly strides: readonly Dim[];
  readonly offset: Dim;
}

/**
 * A stack of views, buffer side first. The last view's shape is the space the map is read in; its
 * offset is a flat C-order index into the previous view's shape, which is unravelled and mapped by
 * that view, and so on down to views[0], whose offset is the buffer's element offset. One view is
 * enough until a reshape meets a view whose strides are not contiguous.
 */
export interface IndexMap {
  readonly views: readonly View[];
}

const isOne = (d: Dim): boolean => d === 1;

/** C-order strides of `shape` (symbolic where the sizes are). */
export function contiguousStrides(shape: readonly Dim[]): Dim[] {
  const strides = new Array<Dim>(shape.length);
  let acc: Dim = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc = dimMul(acc, shape[i]!);
  }
  return strides;
}

/** The map of a buffer read in its own shape: one contiguous view. */
export function contiguousMap(shape: readonly Dim[]): IndexMap {
  return { views: [{ shape: [...shape], strides: contiguousStrides(shape), offset: 0 }] };
}

/** The shape a map is read in. */
export const mapShape = (m: IndexMap): readonly Dim[] => m.views[m.views.length - 1]!.shape;

/** Whether a view visits its elements in C order from its offset (strides of size-1 axes never matter). */
function isContiguous(v: View): boolean {
  const c = contiguousStrides(v.shape);
  return v.shape.every((d, i) => isOne(d) || v.strides[i] === c[i]);
}

/** True when the map reads a buffer of its own shape element by element (no index arithmetic). */
export function isIdentity(m: IndexMap): boolean {
  return m.views.length === 1 && m.views[0]!.offset === 0 && isContiguous(m.views[0]!);
}

const withTop = (m: IndexMap, top: View): IndexMap => ({ views: [...m.views.slice(0, -1), top] });

/** The map after one more view step (the step's input space is the map's current shape). */
export function applyStep(m: IndexMap, step: ViewStep): IndexMap {
  const top = m.views[m.views.length - 1]!;
  switch (step.op) {
    case 'permute':
      return withTop(m, { shape: step.axes.map(a => top.shape[a]!), strides: step.axes.map(a => top.strides[a]!), offset: top.offset });
    case 'broadcast': {
      const lead = step.to.length - top.shape.length;
      // New leading axes repeat (stride 0); a size-1 axis stretched to another size repeats too.
      const strides = step.to.map((d, i) => (i < lead || (isOne(top.shape[i - lead]!) && !isOne(d)) ? 0 : top.strides[i - lead]!));
      return withTop(m, { shape: [...step.to], strides, offset: top.offset });
    }
    case 'slice': {
      let offset = top.offset;
      const shape: Dim[] = [], strides: Dim[] = [];
      step.axes.forEach((ax, i) => {
        const s = top.strides[i]!;
        if (ax.kind === 'int') { offset = dimAdd(offset, dimMul(ax.index, s)); return; }
        offset = dimAdd(offset, dimMul(ax.start, s));
        shape.push(ax.len);
        strides.push(dimMul(ax.step, s));
      });
      return withTop(m, { shape, strides, offset });
    }
    case 'reshape':
      return reshapeMap(m, top, step.to);
  }
}

/**
 * A reshape keeps one view when it can: a contiguous view takes the new shape directly, and a
 * reshape that only adds or removes size-1 axes keeps the other axes' strides. Anything else
 * (merging axes of a transposed or broadcast view) pushes a new contiguous view on the stack.
 */
function reshapeMap(m: IndexMap, top: View, to: readonly Dim[]): IndexMap {
  if (isContiguous(top)) return withTop(m, { shape: [...to], strides: contiguousStrides(to), offset: top.offset });
  const kept = top.shape.map((d, i) => [d, top.strides[i]!] as const).filter(([d]) => !isOne(d));
  const target = to.filter(d => !isOne(d));
  if (kept.length === target.length && kept.every(([d], i) => d === target[i])) {
    let k = 0;
    const strides = to.map(d => (isOne(d) ? 0 : kept[k++]![1]));
    return withTop(m, { shape: [...to], strides, offset: top.offset });
  }
  return { views: [...m.views, { shape: [...to], strides: contiguousStrides(to), offset: 0 }] };
}

/** Applies steps in order (buffer side first). */
export const applySteps = (m: IndexMap, steps: readonly ViewStep[]): IndexMap => steps.reduce(applyStep, m);

// ---------------------------------------------------------------- text

const dims = (ds: readonly Dim[]): string => `[${ds.map(dimToString).join(', ')}]`;

/** `[n, 16] strides [0, 1] offset 0`, views joined by ` <- ` (read space first). */
export function mapText(m: IndexMap): string {
  return [...m.views].reverse().map(v => `${dims(v.shape)} strides ${dims(v.strides)} offset ${dimToString(v.offset)}`).join(' <- ');
}

/** A canonical key (equal keys, equal maps). */
export const mapKey = (m: IndexMap): string => m.views.map(v => `${v.shape.join(',')}/${v.strides.join(',')}/${v.offset}`).join(';');

/** `transpose`, `broadcast [16] -> [200, 16]`: a step as the printers show it. */
export function stepText(s: ViewStep): string {
  switch (s.op) {
    case 'broadcast': return `broadcast ${dims(s.to)}`;
    case 'reshape': return `reshape ${dims(s.to)}`;
    case 'permute': return `permute (${s.axes.join(', ')})`;
    case 'slice': return `slice [${s.axes.map(a => (a.kind === 'int' ? dimToString(a.index) : `${dimToString(a.start)}:+${dimToString(a.len)}:${a.step}`)).join(', ')}]`;
  }
}

export function mapToJson(m: IndexMap): unknown {
  const j = (ds: readonly Dim[]) => ds.map(dimToString);
  return m.views.map(v => ({ shape: j(v.shape), strides: j(v.strides), offset: dimToString(v.offset) }));
}

// ---------------------------------------------------------------- concrete evaluation

/**
 * For every element of the map's space (C order), the buffer offset it reads; `size` evaluates a
 * Dim for the bindings of this call. This is the arithmetic a backend emits per element.
 */
export function offsetsOf(m: IndexMap, size: (d: Dim) => number): Int32Array {
  const concrete = m.views.map(v => ({ shape: v.shape.map(size), strides: v.strides.map(size), offset: size(v.offset) }));
  const top = concrete[concrete.length - 1]!;
  const out = stridedOffsets(top.shape, top.strides, top.offset);
  for (let k = concrete.length - 2; k >= 0; k--) {
    const v = concrete[k]!;
    // out holds flat indices into v.shape: unravel each one and apply v's strides.
    for (let e = 0; e < out.length; e++) {
      let flat = out[e]!, off = v.offset;
      for (let ax = v.shape.length - 1; ax >= 0; ax--) {
        const d = v.shape[ax]!;
        off += (flat % d) * v.strides[ax]!;
        flat = Math.floor(flat / d);
      }
      out[e] = off;
    }
  }
  return out;
}
