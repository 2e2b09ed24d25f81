/**
 * @file Compile-time values from graph nodes. Arguments that must be known at compile time (axes,
 * shapes, dims, flags) are elaborated like any expression and then folded here: integer
 * arithmetic over literals, constants and symbolic dims (`b * n`, `x.shape[0] + 1`) gives a Dim;
 * other constant subgraphs are folded with the ops' reference kernels.
 */
import type { Node } from '../graph/node.js';
import { getOp, type Attrs } from '../ops/registry.js';
import type { NDArray } from '../runtime/ndarray.js';
import { dimAdd, dimDiv, dimMul, dimSub, type Dim } from './dims.js';
import { isInt } from './types.js';

const constValue = (n: Node): NDArray | undefined =>
  n.op === 'const' ? (n.attrs['value'] as NDArray | undefined) : undefined;

/** An integer-valued scalar node as a Dim (number or symbolic polynomial); undefined if not static. */
export function foldDim(n: Node, depth = 0, relaxed = false): Dim | undefined {
  if (depth > 64 || n.type.shape.length !== 0) return undefined;
  const c = constValue(n);
  if (c) {
    // Under `/` the operands were converted to floats: an integral value still counts (`6 / 2`).
    const v = c.data[0];
    return v !== undefined && (isInt(c.dtype) || (relaxed && c.dtype !== 'bool')) && Number.isInteger(v) ? v : undefined;
  }
  if (n.op === 'dim') return n.attrs['dim'] as Dim;
  const args = n.inputs.map(i => foldDim(i, depth + 1, relaxed || n.op === 'div'));
  if (args.some(a => a === undefined)) return undefined;
  const [a, b] = args as Dim[];
  switch (n.op) {
    case 'cast': return a;
    case 'neg': return dimSub(0, a!);
    case 'add': return dimAdd(a!, b!);
    case 'sub': return dimSub(a!, b!);
    case 'mul': return dimMul(a!, b!);
    case 'div': return dimDiv(a!, b!);
    default: return undefined;
  }
}

/** A constant subgraph's value (folded with the reference kernels); undefined if not constant. */
export function foldConst(n: Node, depth = 0): NDArray | undefined {
  const c = constValue(n);
  if (c) return c;
  if (depth > 64 || n.inputs.length === 0) return undefined;
  const op = getOp(n.op);
  if (!op || op.kind !== 'primitive') return undefined;
  const inputs: NDArray[] = [];
  for (const i of n.inputs) {
    const v = foldConst(i, depth + 1);
    if (!v) return undefined;
    inputs.push(v);
  }
  try {
    return op.eval(inputs, n.attrs as Attrs, { dims: new Map(), dim: d => { if (typeof d === 'number') return d; throw new Error('symbolic'); } });
  } catch {
    return undefined;
  }
}

/** A static scalar number (int or float) from a node, undefined if not constant. */
export function foldNumber(n: Node): number | undefined {
  if (n.type.shape.length !== 0) return undefined;
  const d = foldDim(n);
  if (typeof d === 'number') return d;
  const c = foldConst(n);
  return c && c.shape.length === 0 && c.dtype !== 'bool' ? c.data[0] : undefined;
}

export function foldBool(n: Node): boolean | undefined {
  if (n.type.shape.length !== 0) return undefined;
  const c = foldConst(n);
  return c && c.shape.length === 0 && c.dtype === 'bool' ? c.data[0] !== 0 : undefined;
}
