/**
 * @file Linear algebra: `matmul` (`@`, numpy matmul semantics: 1-D operands are promoted to
 * matrices and the added axis removed, leading axes broadcast as a batch) and the composites
 * `dot` (numpy dot for 0/1/2-D) and `outer` (flattens both operands).
 * Accumulation: floats sum each output in f64 and round once; i32/u32 wrap at every step; bool is
 * "any(a and b)" like numpy.
 */
import { type TensorType, tensorType } from '../sema/types.js';
import { type Dim, dimEquals, dimMul, isAnonymous } from '../sema/dims.js';
import { broadcastShapes } from '../sema/shapes.js';
import { allocData, roundTo, sizeOf, type NDArray } from '../runtime/ndarray.js';
import { defineOp, type CompositeOp, type PrimitiveOp } from './registry.js';
import type { Node } from '../graph/node.js';
import type { Builder } from '../graph/builder.js';
import { broadcastRuntime, fail, offsetsFor, shapeText, tensorParam, typeText } from './helpers.js';

/** Static matmul shape; reports TH0362/TH0363/TH0364 naming both operand types. */
function matmulShape(a: TensorType, b: TensorType, cx: Parameters<PrimitiveOp['infer']>[2]): Dim[] | undefined {
  if (a.shape.length === 0 || b.shape.length === 0) {
    return cx.error('TH0363', { a: typeText(a), b: typeText(b) }, { inputs: [0, 1] });
  }
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const k1 = as[as.length - 1]!, k2 = bs[bs.length - 2]!;
  if (!dimEquals(k1, k2) && !isAnonymous(k1) && !isAnonymous(k2)) {
    return cx.error('TH0362', { a: typeText(a), b: typeText(b), ka: String(k1), kb: String(k2) }, { inputs: [0, 1] });
  }
  const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
  if (!batch.ok) return cx.error('TH0364', { a: typeText(a), b: typeText(b) }, { inputs: [0, 1] });
  const out = [...batch.shape];
  if (a.shape.length > 1) out.push(as[as.length - 2]!);
  if (b.shape.length > 1) out.push(bs[bs.length - 1]!);
  return out;
}

function matmulKernel(a: NDArray, b: NDArray): NDArray {
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const m = as[as.length - 2]!, k = as[as.length - 1]!, n = bs[bs.length - 1]!;
  if (bs[bs.length - 2] !== k) fail('TH0696', { a: shapeText(a.shape), b: shapeText(b.shape) });
  const ba = as.slice(0, -2), bb = bs.slice(0, -2);
  const batch = broadcastRuntime([ba, bb]);
  const oa = offsetsFor(batch, ba), ob = offsetsFor(batch, bb);
  const shape = [...batch];
  if (a.shape.length > 1) shape.push(m);
  if (b.shape.length > 1) shape.push(n);
  const dtype = a.dtype;
  const out = allocData(dtype, sizeOf(shape));
  const round = roundTo(dtype);
  const integer = dtype === 'i32' || dtype === 'u32';
  const da = a.data, db = b.data;
  let w = 0;
  for (let t = 0; t < oa.length; t++) {
    const a0 = oa[t]! * m * k, b0 = ob[t]! * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const x = da[a0 + i * k + p]!, y = db[b0 + p * n + j]!;
          acc = integer ? round(acc + Math.imul(x, y)) : acc + x * y;
        }
        out[w++] = round(acc);
      }
    }
  }
  return { dtype, shape, data: out };
}

// ---------------------------------------------------------------- gradient

/** x with its last two axes swapped (`x.T`'s own node for a matrix, so forward and backward share it). */
function swapLast(b: Builder, x: Node): Node {
  const r = x.type.shape.length;
  if (r === 2) return b.op('transpose', [x], { axes: null });
  const axes = [...Array(r).keys()];
  [axes[r - 2], axes[r - 1]] = [r - 1, r - 2];
  return b.op('transpose', [x], { axes });
}

const reshape = (b: Builder, x: Node, shape: readonly Dim[]): Node => b.op('reshape', [x], { shape: [...shape] });
const matmul = (b: Builder, x: Node, y: Node): Node => b.op('matmul', [x, y]);
const mul = (b: Builder, x: Node, y: Node): Node => b.op('mul', [x, y]);

/**
 * d (A @ B) = g @ B^T, A^T @ g, with 1-D operands handled as numpy promotes them (a row or a
 * column, removed again). Batch axes come out in the broadcast shape; the driver sums them back.
 */
function matmulGrad(g: Node, y: Node, b: Builder): Node[] {
  const [p, q] = y.inputs as [Node, Node];
  const ra = p.type.shape.length, rb = q.type.shape.length;
  // a . b = sum(a * b): d = g * b, g * a
  if (ra === 1 && rb === 1) return [mul(b, g, q), mul(b, g, p)];
  // (A [m, k]) @ (v [k]) = [m]: d = outer(g, v), g @ A
  if (ra === 2 && rb === 1) return [mul(b, reshape(b, g, [p.type.shape[0]!, 1]), q), matmul(b, g, p)];
  // (v [k]) @ (B [k, n]) = [n]: d = B @ g, outer(v, g)
  if (ra === 1 && rb === 2) return [matmul(b, q, g), mul(b, reshape(b, p, [p.type.shape[0]!, 1]), g)];
  // General (batched) case on the promoted operands: A [.., m, k], B [.., k, n], G [.., m, n].
  const k = p.type.shape[ra - 1]!;
  const A = ra === 1 ? reshape(b, p, [1, k]) : p;
  const B = rb === 1 ? reshape(b, q, [k, 1]) : q;
  const ys = y.type.shape;
  const G = ra === 1 ? reshape(b, g, [...ys.slice(0, -1), 1, ys[ys.length - 1]!])
    : rb === 1 ? reshape(b, g, [...ys, 1]) : g;
  let ga = matmul(b, G, swapLast(b, B));
  let gb = matmul(b, swapLast(b, A), G);
  const drop = (x: Node, axis: number) => reshape(b, x, x.type.shape.filter((_, i) => i !== x.type.shape.length + axis));
  if (ra === 1) ga = drop(ga, -2);
  if (rb === 1) gb = drop(gb, -1);
  return [ga, gb];
}

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'matmul', builtin: false,
  doc: 'a @ b: matrix product with numpy matmul semantics (1-D operands, broadcast batch axes)',
  params: [tensorParam('a'), tensorParam('b')],
  promote: { inputs: 'all' },
  schedule: { kernel: 'matmul' },
  infer([a, b], _attrs, cx) {
    const shape = matmulShape(a!, b!, cx);
    return shape && tensorType(a!.dtype, shape);
  },
  grad: matmulGrad,
  eval([a, b]) {
    return matmulKernel(a!, b!);
  },
});

defineOp<CompositeOp>({
  kind: 'composite', name: 'dot', builtin: true,
  doc: 'numpy dot for operands of rank <= 2 (a scalar operand multiplies); use @ for batches',
  params: [tensorParam('a'), tensorParam('b')],
  expand(b, [x, y]) {
    const rx = x!.type.shape.length, ry = y!.type.shape.length;
    if (rx === 0 || ry === 0) return b.op('mul', [x!, y!]);
    if (rx > 2 || ry > 2) return b.error('TH0371', { a: typeText(x!.type), b: typeText(y!.type) });
    return b.op('matmul', [x!, y!]);
  },
});

defineOp<CompositeOp>({
  kind: 'composite', name: 'outer', builtin: true,
  doc: 'outer product of the flattened operands: out[i, j] = a[i] * b[j]',
  params: [tensorParam('a'), tensorParam('b')],
  expand(b, [x, y]) {
    const size = (t: TensorType) => t.shape.reduce<Dim>((p, d) => dimMul(p, d), 1);
    const col = b.op('reshape', [x!], { shape: [size(x!.type), 1] });
    const row = b.op('reshape', [y!], { shape: [size(y!.type)] });
    return b.op('mul', [col, row]);
  },
});
