/**
 * @file Helpers rule builders share: making a replacement fit the replaced node's exact type
 * (`x * 1` where the `1` broadcasts x must become `broadcast(x, shape)`, not `x`), constant fills
 * of a possibly symbolic shape (`broadcast(scalar, shape)`), and reduction-axis comparisons.
 * Each returns undefined where no replacement of that type can be built (the rule declines).
 */
import type { Builder } from '../graph/builder.js';
import { sameTypeKey, type Node } from '../graph/node.js';
import type { TensorType } from '../sema/types.js';
import { broadcastShapes } from '../sema/shapes.js';

/** `x` made to have exactly type `t` by broadcasting it (and dropping a weak flag), or undefined. */
export function fit(b: Builder, x: Node, t: TensorType): Node | undefined {
  if (sameTypeKey(x.type, t)) return x;
  if (x.type.dtype !== t.dtype || (!x.type.weak && t.weak)) return undefined;
  let out = x;
  // A weak value used where a strong one stood: `cast` to its own dtype makes it strong.
  if (out.type.weak && !t.weak) out = b.cast(out, t.dtype);
  if (!sameShape(out.type.shape, t.shape)) {
    const r = broadcastShapes(out.type.shape, t.shape);
    if (!r.ok || !sameShape(r.shape, t.shape)) return undefined;
    out = b.op('broadcast', [out], { shape: [...t.shape] });
  }
  return sameTypeKey(out.type, t) ? out : undefined;
}

const sameShape = (a: readonly (number | string)[], b: readonly (number | string)[]): boolean =>
  a.length === b.length && a.every((d, i) => String(d) === String(b[i]));

/** A tensor of type `t` whose every element is `value`: a scalar constant, or a fill of it. */
export function fill(b: Builder, value: number, t: TensorType): Node | undefined {
  const s = b.scalar(value, t.dtype, !!t.weak);
  return t.shape.length === 0 ? s : fit(b, s, t);
}

/** The reduced axes of a reduction node, normalised and sorted (null axis = all). */
export function reducedAxes(n: Node): number[] {
  const rank = n.inputs[0]!.type.shape.length;
  const a = n.attrs['axis'];
  const list = a === undefined || a === null ? [...Array(rank).keys()] : (typeof a === 'number' ? [a] : (a as readonly number[]).map(Number));
  return [...new Set(list.map(x => (x < 0 ? x + rank : x)))].sort((x, y) => x - y);
}

/** Whether two reductions reduce the same axes of inputs of the same rank. */
export function sameAxes(a: Node, b: Node): boolean {
  const x = reducedAxes(a), y = reducedAxes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Whether a reduction's result broadcasts back along the reduced axes (keepdims, or every axis
 * reduced to a scalar), so `x / sum(x)`-style normalisations are per-slice.
 */
export function broadcastsBack(red: Node): boolean {
  return !!red.attrs['keepdims'] || reducedAxes(red).length === red.inputs[0]!.type.shape.length;
}
