/**
 * @file What each graph node is to the scheduler, read from the op table (OpDef.flags.elementwise
 * and OpDef.schedule) and from the leaf ops: inlined scalar, external buffer, index source, view,
 * elementwise op, or the core of a kernel of some kind. Consumes nodes; produces Roles, memoised
 * per schedule run (a view's step is computed once per node).
 */
import type { Node } from '../graph/node.js';
import { getOp, type KernelKind } from '../ops/registry.js';
import type { ViewStep } from './index-map.js';

export type Role =
  /** A rank-0 constant or a `dim` size: inlined as a literal or a uniform value. */
  | { readonly kind: 'scalar' }
  /** A parameter, a shared variable or a constant array: a buffer that exists before the call. */
  | { readonly kind: 'buffer' }
  /** Computed from the element index alone (arange, uniform, normal). */
  | { readonly kind: 'source' }
  | { readonly kind: 'view'; readonly step: ViewStep }
  | { readonly kind: 'elementwise' }
  /** Heads a kernel of this kind (reduce, matmul, gather, scatter, concat, other). */
  | { readonly kind: 'core'; readonly kernel: Exclude<KernelKind, 'elementwise'> }
  /** Nothing the scheduler knows how to run (a `grad` placeholder, a poisoned node). */
  | { readonly kind: 'none' };

const SCALAR: Role = { kind: 'scalar' };
const BUFFER: Role = { kind: 'buffer' };
const SOURCE: Role = { kind: 'source' };
const ELEMENTWISE: Role = { kind: 'elementwise' };
const NONE: Role = { kind: 'none' };

function classify(n: Node): Role {
  switch (n.op) {
    case 'param': case 'shared': return BUFFER;
    case 'const': return n.type.shape.length === 0 ? SCALAR : BUFFER;
    case 'dim': return SCALAR;
    case 'error': return NONE;
  }
  const op = getOp(n.op);
  if (!op || op.kind !== 'primitive') return NONE;
  if (op.flags?.elementwise) return ELEMENTWISE;
  const facts = op.schedule;
  if (!facts) return NONE;
  if (facts.source) return SOURCE;
  const step = facts.view?.(n);
  if (step) return { kind: 'view', step };
  const kernel = facts.kernel ?? 'other';
  return kernel === 'elementwise' ? ELEMENTWISE : { kind: 'core', kernel };
}

export interface Roles {
  of(n: Node): Role;
}

export function createRoles(): Roles {
  const memo = new Map<Node, Role>();
  return {
    of(n) {
      let r = memo.get(n);
      if (r === undefined) memo.set(n, r = classify(n));
      return r;
    },
  };
}

/** Leaves of a kernel's expression: never computed by a kernel of their own unless returned. */
export const isLeafRole = (r: Role): boolean => r.kind === 'scalar' || r.kind === 'buffer' || r.kind === 'source';
