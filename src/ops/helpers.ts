/**
 * @file Shared machinery for the op families: parameter specs, run-time broadcasting (strided
 * offset maps over concrete shapes), axis normalisation, and the `unary`/`binary` constructors
 * that turn a scalar function into a registered op with type rule and reference kernel.
 * Kernels compute in doubles and store through `roundTo(dtype)`, so f32/f16 rounding and
 * i32/u32 wrap-around are exact; ops whose double result can exceed 2^53 (i32 `*`) supply an
 * integer kernel of their own.
 * Gradient rules get `GradRule`'s arguments and build with `gradMath` (see autodiff/grad.ts: the
 * driver sums over broadcast axes and accumulates, so a rule returns one gradient per input in the
 * shape of its output).
 */
import { type DType, type TensorType, typeToString, tensorType } from '../sema/types.js';
import { type Dim, dimToString } from '../sema/dims.js';
import { broadcastShapes, normalizeAxis, sameDims } from '../sema/shapes.js';
import { type NDArray, allocData, roundTo, sizeOf, stridesOf } from '../runtime/ndarray.js';
import { RuntimeError } from '../runtime/runtime-error.js';
import type { DiagArgs } from '../diag/diagnostic.js';
import { defineOp, type AttrValue, type Attrs, type InferCx, type OpFlags, type ParamSpec, type PrimitiveOp, type ScalarEmit } from './registry.js';
import type { Node } from '../graph/node.js';
import type { Builder } from '../graph/builder.js';

// ---------------------------------------------------------------- parameter specs

export const tensorParam = (name: string): ParamSpec => ({ name, kind: 'tensor' });
export const attrParam = (name: string, kind: ParamSpec['kind'], def?: AttrValue): ParamSpec =>
  def === undefined ? { name, kind } : { name, kind, default: def };

// ---------------------------------------------------------------- printing

export const shapeText = (shape: readonly Dim[]): string => `[${shape.map(dimToString).join(', ')}]`;
export const typeText = typeToString;

// ---------------------------------------------------------------- run-time errors

/** Throws a RuntimeError (the interpreter adds the node's span). */
export function fail(code: string, args: DiagArgs): never {
  throw new RuntimeError(code, args);
}

// ---------------------------------------------------------------- concrete broadcasting

/**
 * For each element of `target` (C order), the flat offset of the element of `source` that
 * broadcasts onto it. `source` must broadcast to `target` (right-aligned, size-1 dims repeat).
 */
export function offsetsFor(target: readonly number[], source: readonly number[]): Int32Array {
  const rank = target.length;
  if (rank === source.length && target.every((d, i) => d === source[i])) {
    // Same shape: the identity map (the common case, worth skipping the odometer for).
    const id = new Int32Array(sizeOf(target));
    for (let k = 0; k < id.length; k++) id[k] = k;
    return id;
  }
  const srcStrides = stridesOf(source);
  // Stride 0 on the axes where the source repeats (missing leading axes or size 1).
  const strides = target.map((_, i) => {
    const j = i - (rank - source.length);
    return j < 0 || source[j] === 1 ? 0 : srcStrides[j]!;
  });
  return stridedOffsets(target, strides, 0);
}

/** Flat offsets `base + sum(idx[i] * strides[i])` for every index of `shape` in C order. */
export function stridedOffsets(shape: readonly number[], strides: readonly number[], base: number): Int32Array {
  const n = sizeOf(shape);
  const out = new Int32Array(n);
  if (n === 0) return out;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = base;
  for (let k = 0; k < n; k++) {
    out[k] = off;
    // Odometer increment: bump the last axis, carrying into earlier ones.
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]!++;
      off += strides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      off -= strides[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
  return out;
}

/** numpy broadcasting of run-time shapes; a mismatch (possible with `_` dims) is TH0690. */
export function broadcastRuntime(shapes: readonly (readonly number[])[]): number[] {
  let acc: number[] = [];
  for (const s of shapes) {
    const n = Math.max(acc.length, s.length);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = acc[acc.length - n + i] ?? 1;
      const b = s[s.length - n + i] ?? 1;
      if (a !== b && a !== 1 && b !== 1) fail('TH0690', { a: shapeText(acc), b: shapeText(s) });
      out.push(a === 1 ? b : a);
    }
    acc = out;
  }
  return acc;
}

/** A new array of `dtype`/`shape` whose element k is round(f(k)). */
export function build(dtype: DType, shape: readonly number[], f: (k: number) => number): NDArray {
  const data = allocData(dtype, sizeOf(shape));
  const round = roundTo(dtype);
  for (let k = 0; k < data.length; k++) data[k] = round(f(k));
  return { dtype, shape: [...shape], data };
}

/** Copies elements of `x` picked by `offsets` into a new array of `shape` (no rounding needed). */
export function gatherData(x: NDArray, shape: readonly number[], offsets: ArrayLike<number>): NDArray {
  const data = allocData(x.dtype, offsets.length);
  for (let k = 0; k < offsets.length; k++) data[k] = x.data[offsets[k]!]!;
  return { dtype: x.dtype, shape: [...shape], data };
}

// ---------------------------------------------------------------- static checks

/** Broadcast for a type rule: reports TH0350 naming both types when the shapes cannot broadcast. */
export function broadcastTypes(ts: readonly TensorType[], idx: readonly number[], op: string, cx: InferCx): Dim[] | undefined {
  // Most elementwise calls combine scalars with operands of one shape: that shape is the answer.
  let common: readonly Dim[] | null = null;
  let simple = true;
  for (let k = 0; k < idx.length && simple; k++) {
    const shape = ts[idx[k]!]!.shape;
    if (shape.length === 0) continue;
    if (common === null) common = shape;
    else simple = sameDims(common, shape);
  }
  if (simple) return common === null ? [] : common.slice();
  let acc: readonly Dim[] = [];
  let accType = ts[idx[0]!]!;
  for (const i of idx) {
    const r = broadcastShapes(acc, ts[i]!.shape);
    if (!r.ok) {
      return cx.error('TH0350', { a: typeText(accType), b: typeText(ts[i]!), op, da: dimToString(r.a), db: dimToString(r.b) },
        { inputs: [idx[0]!, i] });
    }
    acc = r.shape;
    accType = tensorType(ts[i]!.dtype, acc);
  }
  return [...acc];
}

/** Reads a `shape` attribute (a list of Dims; none means a scalar). */
export const shapeAttr = (v: AttrValue | undefined): Dim[] => ((v ?? []) as readonly AttrValue[]).map(d => d as Dim);

/** Reads an `axes` attribute (int, list of ints or null) as a list, or null for "all axes". */
export function axesAttr(v: AttrValue | undefined): number[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return [v];
  return (v as readonly AttrValue[]).map(Number);
}

/** Normalises axes against `rank`; reports out-of-range (TH0354) and duplicates (TH0355). */
export function normalizeAxes(axes: readonly number[] | null, rank: number, t: TensorType, cx: InferCx): number[] | undefined {
  if (axes === null) return [...Array(rank).keys()];
  const out: number[] = [];
  for (const a of axes) {
    const n = normalizeAxis(a, rank);
    if (n === undefined) return cx.error('TH0354', { axis: a, rank, last: rank - 1, type: typeText(t) }, { inputs: [0] });
    if (out.includes(n)) return cx.error('TH0355', { axis: a, type: typeText(t) }, { inputs: [0] });
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}

/** Run-time twin of normalizeAxes (the type rule already rejected bad axes). */
export function axesAt(attrs: Attrs, key: string, rank: number): number[] {
  const axes = axesAttr(attrs[key]);
  if (axes === null) return [...Array(rank).keys()];
  return axes.map(a => (a < 0 ? a + rank : a)).sort((x, y) => x - y);
}

/** Reports TH0351 when an op that needs numbers gets bool operands. */
export function rejectBool(t: TensorType, op: string, cx: InferCx, inputs: number[] = [0]): boolean {
  if (t.dtype !== 'bool') return false;
  cx.error('TH0351', { op, type: typeText(t) }, { inputs });
  return true;
}

// ---------------------------------------------------------------- gradient rules

/** An op's gradient rule: `g` is d cost / d node; one result per input (null: none). */
export type GradRule = (g: Node, node: Node, b: Builder) => (Node | null)[];

/**
 * Terse node constructors for gradient rules. Constants take the dtype of `like` (strong, so
 * nothing is promoted); `pow` is built as the op so the optimizer can specialise it later.
 */
export function gradMath(b: Builder, like: Node) {
  const op = (name: string) => (...xs: Node[]): Node => b.op(name, xs);
  return {
    c: (v: number): Node => b.scalar(v, like.type.dtype),
    add: op('add'), sub: op('sub'), mul: op('mul'), div: op('div'), pow: op('pow'), neg: op('neg'),
    where: op('where'), eq: op('eq'), gt: op('gt'), lt: op('lt'),
    exp: op('exp'), log: op('log'), sin: op('sin'), cos: op('cos'), sign: op('sign'), floor: op('floor'),
    sigmoid: op('sigmoid'),
  };
}

// ---------------------------------------------------------------- elementwise constructors

/** Per-dtype scalar kernels: `f` works on doubles; integer dtypes may override it. */
export interface ScalarKernels<F> {
  readonly f: F;
  readonly i32?: F;
  readonly u32?: F;
  readonly bool?: F;
}

function pick<F>(k: ScalarKernels<F>, dtype: DType): F {
  if (dtype === 'i32' && k.i32) return k.i32;
  if (dtype === 'u32' && k.u32) return k.u32;
  if (dtype === 'bool' && k.bool) return k.bool;
  return k.f;
}

export interface UnarySpec extends ScalarKernels<(x: number) => number> {
  readonly doc: string;
  /** Integer and bool inputs are promoted to f64 first (exp, log, ...). */
  readonly float?: boolean;
  /** Bool inputs are accepted (default: rejected with TH0351 unless `float`). */
  readonly allowBool?: boolean;
  readonly builtin?: boolean;
  readonly params?: readonly ParamSpec[];
  /** Gradient rule (none: the op passes no gradient, like floor or sign). */
  readonly grad?: GradRule;
  /** The WGSL scalar printer (src/backend/wgsl): none means the op does not run on the GPU. */
  readonly wgsl?: ScalarEmit;
  /** The C scalar printer (src/backend/c): none means the C backend refuses the op (TH0531). */
  readonly c?: ScalarEmit;
  /** The JS scalar printer (src/backend/js): none means the JS target refuses the op (TH0541). */
  readonly js?: ScalarEmit;
}

/** The op table's `emit` entry from a spec's per-target printers (only the targets it has). */
function emitOf(spec: { readonly wgsl?: ScalarEmit; readonly c?: ScalarEmit; readonly js?: ScalarEmit }): { emit?: { wgsl?: ScalarEmit; c?: ScalarEmit; js?: ScalarEmit } } {
  if (!spec.wgsl && !spec.c && !spec.js) return {};
  return { emit: { ...(spec.wgsl ? { wgsl: spec.wgsl } : {}), ...(spec.c ? { c: spec.c } : {}), ...(spec.js ? { js: spec.js } : {}) } };
}

/** Defines an elementwise op of one tensor `x` whose result has the input's type. */
export function unary(name: string, spec: UnarySpec): PrimitiveOp {
  return defineOp<PrimitiveOp>({
    kind: 'primitive', name, builtin: spec.builtin ?? true, doc: spec.doc,
    params: spec.params ?? [tensorParam('x')],
    flags: { elementwise: true },
    promote: spec.float ? { inputs: 'all', float: true } : { inputs: 'all' },
    ...(spec.grad ? { grad: spec.grad } : {}),
    ...emitOf(spec),
    infer([x], _attrs, cx) {
      if (!spec.float && !spec.allowBool && rejectBool(x!, name, cx)) return undefined;
      return tensorType(x!.dtype, x!.shape);
    },
    eval([x]) {
      const f = pick(spec, x!.dtype);
      const d = x!.data;
      return build(x!.dtype, x!.shape, k => f(d[k]!));
    },
  });
}

export interface BinarySpec extends ScalarKernels<(a: number, b: number) => number> {
  readonly doc: string;
  readonly builtin?: boolean;
  readonly params?: readonly ParamSpec[];
  readonly flags?: OpFlags;
  /** Integer operands are promoted to f64 (true division). */
  readonly float?: boolean;
  /** Result dtype is bool (comparisons). */
  readonly predicate?: boolean;
  /** Bool operands are accepted (comparisons); arithmetic rejects them with TH0351. */
  readonly allowBool?: boolean;
  /** Extra type check on the promoted input types (logical ops). */
  readonly check?: (ts: readonly TensorType[], cx: InferCx) => boolean;
  /** Gradient rule, in the broadcast output's shape (the driver sums it back per operand). */
  readonly grad?: GradRule;
  /** The WGSL scalar printer (src/backend/wgsl): none means the op does not run on the GPU. */
  readonly wgsl?: ScalarEmit;
  /** The C scalar printer (src/backend/c): none means the C backend refuses the op (TH0531). */
  readonly c?: ScalarEmit;
  /** The JS scalar printer (src/backend/js): none means the JS target refuses the op (TH0541). */
  readonly js?: ScalarEmit;
}

/** Defines a broadcasting elementwise op of two tensors. */
export function binary(name: string, spec: BinarySpec): PrimitiveOp {
  return defineOp<PrimitiveOp>({
    kind: 'primitive', name, builtin: spec.builtin ?? false, doc: spec.doc,
    params: spec.params ?? [tensorParam('a'), tensorParam('b')],
    flags: { elementwise: true, ...spec.flags },
    promote: { inputs: 'all', float: !!spec.float },
    ...(spec.grad ? { grad: spec.grad } : {}),
    ...emitOf(spec),
    infer(ts, _attrs, cx) {
      if (spec.check && !spec.check(ts, cx)) return undefined;
      if (!spec.allowBool && !spec.float && rejectBool(ts[0]!, name, cx, [0, 1])) return undefined;
      const shape = broadcastTypes(ts, [0, 1], name, cx);
      if (!shape) return undefined;
      return tensorType(spec.predicate ? 'bool' : ts[0]!.dtype, shape);
    },
    eval([a, b]) {
      const shape = broadcastRuntime([a!.shape, b!.shape]);
      const oa = offsetsFor(shape, a!.shape), ob = offsetsFor(shape, b!.shape);
      const f = pick(spec, a!.dtype);
      const da = a!.data, db = b!.data;
      return build(spec.predicate ? 'bool' : a!.dtype, shape, k => f(da[oa[k]!]!, db[ob[k]!]!));
    },
  });
}

