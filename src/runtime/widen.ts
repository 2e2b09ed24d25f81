/**
 * @file Rebuilds a graph with every f16/f32 value widened to f64, so `thc gradcheck` can take
 * finite differences of an f32 program's cost in f64. Consumes one root node; produces the same
 * computation in a fresh NodeTable (parameters and shared variables keep their names, float
 * constants are converted exactly, `dtype` attributes of casts and generators become f64), or
 * undefined when some node cannot be rebuilt that way: the caller then evaluates in the program's
 * own dtype.
 */
import type { Node } from '../graph/node.js';
import type { Attrs } from '../ops/registry.js';
import { createBuilder, type Builder } from '../graph/builder.js';
import { createSink } from '../diag/sink.js';
import { topoOrder } from '../graph/walk.js';
import { type DType, type TensorType, tensorType } from '../sema/types.js';
import type { Dim } from '../sema/dims.js';
import { type NDArray, fromNumbers } from './ndarray.js';

const NARROW: ReadonlySet<string> = new Set(['f16', 'f32']);

export const widenDType = (d: DType): DType => (NARROW.has(d) ? 'f64' : d);
const widenType = (t: TensorType): TensorType => tensorType(widenDType(t.dtype), t.shape, t.weak === true);

/** An array converted to f64 when it is f16/f32 (exact: every such value is an f64). */
export function widenArray(a: NDArray): NDArray {
  return NARROW.has(a.dtype) ? fromNumbers('f64', a.shape, a.data) : a;
}

function widenAttrs(attrs: Attrs): Attrs {
  const d = attrs['dtype'];
  return typeof d === 'string' && NARROW.has(d) ? { ...attrs, dtype: 'f64' } : attrs;
}

function rebuild(b: Builder, n: Node, inputs: readonly Node[]): Node {
  switch (n.op) {
    case 'param': return b.param(n.attrs['name'] as string, widenType(n.type));
    case 'shared': return b.shared(n.attrs['name'] as string, widenType(n.type));
    case 'const': return b.constant(widenArray(n.attrs['value'] as NDArray), n.type.weak === true);
    case 'dim': return b.dim(n.attrs['dim'] as Dim);
    default: return b.op(n.op, inputs, widenAttrs(n.attrs));
  }
}

/** `root` recomputed in f64, or undefined when the graph does not rebuild cleanly. */
export function widenToF64(root: Node): Node | undefined {
  const sink = createSink();
  const b = createBuilder(sink);
  const memo = new Map<Node, Node>();
  try {
    for (const n of topoOrder([root])) {
      const m = b.at(n.span, () => rebuild(b, n, n.inputs.map(i => memo.get(i)!)));
      // Same computation, only wider: anything else (a poisoned node, another rank) gives up.
      if (m.op === 'error' || m.type.dtype !== widenDType(n.type.dtype) || m.type.shape.length !== n.type.shape.length) return undefined;
      memo.set(n, m);
    }
  } catch {
    return undefined;
  }
  return sink.hasErrors() ? undefined : memo.get(root);
}
