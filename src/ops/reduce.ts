/**
 * @file Reductions `(x, axis=null, keepdims=false)`: sum prod max min argmax argmin logsumexp,
 * and `mean` as a composite (sum / count, the count taken from the static dims).
 * Accumulation policy: floats accumulate in f64 and round once to the dtype (more accurate than
 * numpy's pairwise f32 sums; tests use tolerances); integers wrap modulo 2^32 at every step; sum and
 * prod of bool give i32 (numpy gives int64, which .th lacks). max/min/argmax/argmin of an empty
 * axis are run-time errors (TH0692) like numpy's; logsumexp of an empty axis is -inf.
 */
import { type DType, isFloat, isInt, tensorType } from '../sema/types.js';
import { type Dim, dimMul } from '../sema/dims.js';
import { type NDArray, roundTo, sizeOf, stridesOf } from '../runtime/ndarray.js';
import { defineOp, type Attrs, type CompositeOp, type PrimitiveOp } from './registry.js';
import {
  attrParam, axesAt, axesAttr, build, fail, gradMath, normalizeAxes, offsetsFor, shapeText, tensorParam, type GradRule,
} from './helpers.js';
import { isPoison, type Builder } from '../graph/builder.js';
import type { Node } from '../graph/node.js';

const reduceParams = [tensorParam('x'), attrParam('axis', 'axes', null), attrParam('keepdims', 'bool', false)];

/** Static result shape of reducing `axes` (already normalised). */
function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/** Groups for a run-time reduction: output shape, and for each input element its output slot. */
interface Groups { readonly shape: number[]; readonly size: number; readonly slot: Int32Array; readonly count: number }

function groups(x: NDArray, attrs: Attrs): Groups {
  const axes = axesAt(attrs, 'axis', x.shape.length);
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const shape = reducedShape(x.shape, axes, !!attrs['keepdims']) as number[];
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return { shape, size: sizeOf(shape), slot: offsetsFor(x.shape, keep), count };
}

/** Result dtype from the input dtype. */
type Rule = (t: DType) => DType;

/** Registers a reduction: `dtype` gives the result dtype, `kernel` fills per-group accumulators. */
function reduction(name: string, doc: string, dtype: Rule, kernel: (x: NDArray, g: Groups, attrs: Attrs) => ArrayLike<number>,
  grad: GradRule, promoteFloat = false): PrimitiveOp {
  return defineOp<PrimitiveOp>({
    kind: 'primitive', name, builtin: true, doc, params: reduceParams, grad, schedule: { kernel: 'reduce' },
    ...(promoteFloat ? { promote: { inputs: 'all' as const, float: true } } : {}),
    infer([x], attrs, cx) {
      const axes = normalizeAxes(axesAttr(attrs['axis']), x!.shape.length, x!, cx);
      if (!axes) return undefined;
      return tensorType(dtype(x!.dtype), reducedShape(x!.shape, axes, !!attrs['keepdims']));
    },
    eval([x], attrs) {
      const g = groups(x!, attrs);
      const acc = kernel(x!, g, attrs);
      return build(dtype(x!.dtype), g.shape, k => acc[k]!);
    },
  });
}

// ---------------------------------------------------------------- gradient rules

/**
 * `v` (shaped like the reduction's result) made to broadcast against x: reshaped to x's rank with
 * the reduced axes as 1, unless they are leading axes (right-aligned broadcasting restores those).
 */
function kept(b: Builder, v: Node, y: Node): Node {
  const x = y.inputs[0]!;
  const axes = axesAt(y.attrs, 'axis', x.type.shape.length);
  if (axes.every((a, i) => a === i)) return v;
  const shape = x.type.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const same = shape.length === v.type.shape.length && shape.every((d, i) => d === v.type.shape[i]);
  return same ? v : b.op('reshape', [v], { shape });
}

/** d sum(x) = g copied over the reduced axes */
const sumGrad: GradRule = (g, y, b) => [b.op('broadcast', [kept(b, g, y)], { shape: [...y.inputs[0]!.type.shape] })];

/**
 * d prod(x) / dx_i = the product of the other elements: prod(x) / x_i where x_i != 0; where x_i
 * is 0 it is the product of the nonzero elements if x_i is the group's only zero, else 0.
 */
const prodGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), x = y.inputs[0]!;
  const reduceKept = (name: string, v: Node): Node => b.op(name, [v], { axis: y.attrs['axis'] ?? null, keepdims: true });
  const isZero = m.eq(x, m.c(0));
  const zeros = reduceKept('sum', b.cast(isZero, x.type.dtype));
  const othersAtZero = m.mul(reduceKept('prod', m.where(isZero, m.c(1), x)), b.cast(m.eq(zeros, m.c(1)), x.type.dtype));
  // The divisor is 1 where x is 0, so that branch of `where` is finite too.
  const ratio = m.div(kept(b, y, y), m.where(isZero, m.c(1), x));
  return [m.mul(kept(b, g, y), m.where(isZero, othersAtZero, ratio))];
};

/** d max(x) = g at the maximum, shared equally between tied elements (min likewise) */
const extremeGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), x = y.inputs[0]!;
  const mask = m.eq(x, kept(b, y, y));
  const count = b.op('sum', [b.cast(mask, x.type.dtype)], { axis: y.attrs['axis'] ?? null, keepdims: true });
  return [m.where(mask, m.div(kept(b, g, y), count), m.c(0))];
};

/** d logsumexp(x) = g * exp(x - logsumexp(x)) = g * softmax(x) */
const logsumexpGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), x = y.inputs[0]!;
  return [m.mul(kept(b, g, y), m.exp(m.sub(x, kept(b, y, y))))];
};

/** Result dtype of sum/prod: bool counts as i32. */
const sumDtype = (t: DType): DType => (t === 'bool' ? 'i32' : t);
const sameDtype: Rule = sumDtype;

/** Folds every group with `step`; integers wrap through `wrap` after each step. */
function fold(x: NDArray, g: Groups, init: number, step: (acc: number, v: number) => number): Float64Array {
  const acc = new Float64Array(g.size).fill(init);
  const wrap = isInt(x.dtype) || x.dtype === 'bool' ? roundTo(sumDtype(x.dtype)) : (v: number) => v;
  const d = x.data;
  for (let k = 0; k < d.length; k++) acc[g.slot[k]!] = wrap(step(acc[g.slot[k]!]!, d[k]!));
  return acc;
}

reduction('sum', 'sum of elements over axis (all by default); bool and i32 give i32 (wraps)', sameDtype,
  (x, g) => fold(x, g, 0, (a, v) => a + v), sumGrad);
reduction('prod', 'product of elements over axis (all by default); integers wrap', sameDtype,
  (x, g) => fold(x, g, 1, isInt(x.dtype) || x.dtype === 'bool' ? Math.imul : (a, v) => a * v), prodGrad);

/** NaN wins, like numpy's maximum.reduce. */
const better = (max: boolean) => (v: number, best: number): boolean =>
  !Number.isNaN(best) && (Number.isNaN(v) || (max ? v > best : v < best));

/** Index of the best element per group (first on ties); also the best values. */
function extremes(x: NDArray, g: Groups, max: boolean, op: string): { index: Int32Array; value: Float64Array } {
  if (g.count === 0 && g.size > 0) fail('TH0692', { op, shape: shapeText(x.shape) });
  const index = new Int32Array(g.size).fill(-1);
  const value = new Float64Array(g.size);
  const beats = better(max);
  const d = x.data;
  for (let k = 0; k < d.length; k++) {
    const s = g.slot[k]!;
    if (index[s] === -1 || beats(d[k]!, value[s]!)) { index[s] = k; value[s] = d[k]!; }
  }
  return { index, value };
}

const keepDtype: Rule = t => t;
reduction('max', 'maximum over axis (NaN propagates; empty axis is a run-time error)', keepDtype,
  (x, g) => extremes(x, g, true, 'maximum').value, extremeGrad);
reduction('min', 'minimum over axis (NaN propagates; empty axis is a run-time error)', keepDtype,
  (x, g) => extremes(x, g, false, 'minimum').value, extremeGrad);

/** argmax/argmin: a single axis (or null: index into the flattened array), i32 result. */
function argReduction(name: string, max: boolean): void {
  defineOp<PrimitiveOp>({
    kind: 'primitive', name, builtin: true, params: reduceParams, schedule: { kernel: 'reduce' },
    doc: `index of the ${max ? 'largest' : 'smallest'} element along one axis (flattened when axis is null); `
      + 'first on ties, NaN counts as the extreme; i32 result',
    infer([x], attrs, cx) {
      const axes = axesAttr(attrs['axis']);
      if (axes !== null && axes.length !== 1) return cx.error('TH0369', { op: name, axis: shapeText(axes) });
      const norm = normalizeAxes(axes, x!.shape.length, x!, cx);
      if (!norm) return undefined;
      return tensorType('i32', reducedShape(x!.shape, norm, !!attrs['keepdims']));
    },
    eval([x], attrs) {
      const g = groups(x!, attrs);
      const { index } = extremes(x!, g, max, max ? 'argmax' : 'argmin');
      const axes = axesAttr(attrs['axis']);
      if (axes === null) return build('i32', g.shape, k => index[k]!);
      const a = axes[0]! < 0 ? axes[0]! + x!.shape.length : axes[0]!;
      const stride = stridesOf(x!.shape)[a]!;
      return build('i32', g.shape, k => Math.floor(index[k]! / stride) % x!.shape[a]!);
    },
  });
}
argReduction('argmax', true);
argReduction('argmin', false);

reduction('logsumexp', 'log(sum(exp(x))) over axis, shifted by the maximum so it never overflows; empty gives -inf',
  keepDtype, (x, g) => {
    const m = new Float64Array(g.size).fill(-Infinity);
    const at = new Int32Array(g.size).fill(-1);
    const d = x.data;
    const beats = better(true);
    for (let k = 0; k < d.length; k++) {
      const j = g.slot[k]!;
      if (at[j] === -1 || beats(d[k]!, m[j]!)) { m[j] = d[k]!; at[j] = k; }
    }
    // m + log1p(sum of exp(x - m) over the OTHER elements): the maximum's own term is exactly 1,
    // and leaving it out of the sum keeps full relative accuracy when the result is near m
    // (logsumexp([0, -40]) is 4.2e-18, where m + log(1 + tiny) would give 0).
    const s = new Float64Array(g.size);
    for (let k = 0; k < d.length; k++) if (at[g.slot[k]!] !== k) s[g.slot[k]!] += Math.exp(d[k]! - m[g.slot[k]!]!);
    // An infinite or NaN maximum is the answer itself (and avoids inf - inf).
    return m.map((mx, i) => (Number.isFinite(mx) ? mx + Math.log1p(s[i]!) : mx));
  }, logsumexpGrad, true);

defineOp<CompositeOp>({
  kind: 'composite', name: 'mean', builtin: true, params: reduceParams,
  doc: 'sum / count over axis; integer and bool inputs are averaged in f64 (mean of an empty axis is NaN)',
  expand(b, [x], attrs) {
    const xf = isFloat(x!.type.dtype) ? x! : b.cast(x!, 'f64');
    const s = b.op('sum', [xf], attrs);
    if (isPoison(s)) return s;
    const rank = x!.type.shape.length;
    const axes = axesAttr(attrs['axis'])?.map(a => (a < 0 ? a + rank : a)) ?? [...Array(rank).keys()];
    const count = axes.reduce<Dim>((n, a) => dimMul(n, x!.type.shape[a]!), 1);
    const dt = xf.type.dtype;
    const c = typeof count === 'number' ? b.scalar(count, dt) : b.cast(b.dim(count), dt);
    return b.op('div', [s, c]);
  },
});
