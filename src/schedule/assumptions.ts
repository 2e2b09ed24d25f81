/**
 * @file The size equalities compiled code takes for granted. Consumes an entry point's graph;
 * produces the pairs of symbolic sizes that must be equal at run time for its kernels to read what
 * the interpreter would, and a check of them against a call's bound sizes.
 *
 * Why: the type checker lets two `_` dimensions meet (`fn f(a: f32[_], b: f32[_]) = a + b`) and
 * leaves the check to run time. The interpreter makes it as it computes (TH0690, TH0695), but a
 * kernel is printed from the static shapes: `a` read through `broadcast [_2]` with stride 1
 * assumes that `_1` equals `_2`, and a matmul loops over one operand's inner size. Named sizes are
 * unified by the checker and bound once per call, so only pairs the checker could not prove equal
 * are listed; an entry with no `_` dimensions has none. A backend run checks them after binding the
 * arguments; where one fails, the caller runs the interpreter instead, which computes numpy's
 * answer (a size-1 axis stretched) or reports the mismatch at the operation.
 */
import type { Graph } from '../graph/graph.js';
import type { Node } from '../graph/node.js';
import { graphRoots, topoOrder } from '../graph/walk.js';
import { type Dim, dimEquals, dimMul, evalDim } from '../sema/dims.js';
import { createRoles } from './roles.js';

export interface SizeAssumption {
  readonly a: Dim;
  readonly b: Dim;
  /** The node whose kernel relies on it (for messages). */
  readonly node: Node;
}

const product = (ds: readonly Dim[]): Dim => ds.reduce<Dim>((p, d) => dimMul(p, d), 1);

/** Every pair of sizes the entry's kernels assume equal that the checker did not prove equal. */
export function sizeAssumptions(g: Graph): SizeAssumption[] {
  const roles = createRoles();
  const out: SizeAssumption[] = [];
  const seen = new Set<string>();
  const need = (a: Dim, b: Dim, node: Node): void => {
    if (a === b || (typeof a !== 'number' && typeof b !== 'number' && dimEquals(a, b))) return;
    if (typeof a === 'number' && typeof b === 'number') return; // the checker compared them
    const key = `${a}=${b}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ a, b, node });
  };
  for (const n of topoOrder(graphRoots(g))) {
    const role = roles.of(n);
    const shape = n.type.shape;
    // Right-aligned, numpy's way: a size-1 axis repeats (stride 0); any other axis is read with
    // its stride, so it must be the result's size.
    const sameAs = (x: readonly Dim[]): void => {
      const lead = shape.length - x.length;
      x.forEach((d, k) => { if (d !== 1 && lead + k >= 0) need(d, shape[lead + k]!, n); });
    };
    if (role.kind === 'view' && role.step.op === 'broadcast') sameAs(n.inputs[0]!.type.shape);
    // A reshape (a view, or an `other` kernel where sizes are unknown) keeps the element count.
    if (n.op === 'reshape') need(product(n.inputs[0]!.type.shape), product(shape), n);
    if (role.kind === 'elementwise') {
      for (const x of n.inputs) sameAs(x.type.shape);
    } else if (role.kind === 'core' && role.kernel === 'matmul') {
      const [a, b] = n.inputs.map(x => x.type.shape) as [readonly Dim[], readonly Dim[]];
      const ka = a[a.length - 1], kb = b.length === 1 ? b[0] : b[b.length - 2];
      if (ka !== undefined && kb !== undefined) need(ka, kb, n);
    } else if (role.kind === 'core' && role.kernel === 'concat') {
      const axis = shape.length > 0 ? Number(n.attrs['axis'] ?? 0) : 0;
      const ax = axis < 0 ? axis + shape.length : axis;
      for (const x of n.inputs) x.type.shape.forEach((d, k) => { if (k !== ax && x.type.shape.length === shape.length) need(d, shape[k]!, n); });
    }
  }
  return out;
}

/** The first assumption the bound sizes break, or undefined when all hold (or a size is unbound). */
export function brokenAssumption(list: readonly SizeAssumption[], dims: ReadonlyMap<string, number>):
  { a: { dim: Dim; size: number }; b: { dim: Dim; size: number }; node: Node } | undefined {
  for (const s of list) {
    const a = evalDim(s.a, dims), b = evalDim(s.b, dims);
    if (a !== undefined && b !== undefined && a !== b) return { a: { dim: s.a, size: a }, b: { dim: s.b, size: b }, node: s.node };
  }
  return undefined;
}
