/**
 * @file Summing a gradient back to an operand's shape: an elementwise op's operand may have been
 * broadcast (missing leading axes, size-1 axes), and the gradient of the broadcast copies is the
 * sum over those axes (tinygrad's `broadcast_axes`). The driver applies this to every gradient a
 * rule returns, so rules never deal with broadcasting. Symbolic dims are compared as strings.
 */
import type { Node } from '../graph/node.js';
import type { Builder } from '../graph/builder.js';
import type { Dim } from '../sema/dims.js';

const sameShape = (a: readonly Dim[], b: readonly Dim[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** `g` (shape of a broadcast result) summed to `shape`; `g` itself when the shapes already agree. */
export function unbroadcast(b: Builder, g: Node, shape: readonly Dim[]): Node {
  const from = g.type.shape;
  if (sameShape(from, shape)) return g;
  const lead = from.length - shape.length;
  if (lead < 0) throw new Error(`gradient of shape [${from.join(', ')}] cannot be summed to [${shape.join(', ')}]`);
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && from[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? b.op('sum', [g], { axis: axes, keepdims: false }) : g;
  return sameShape(summed.type.shape, shape) ? summed : b.op('reshape', [summed], { shape: [...shape] });
}
