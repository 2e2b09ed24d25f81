/**
 * @file Immutable, hash-consed graph nodes.
 * A NodeTable interns nodes by (op, type, attrs, input ids): building the same node twice returns the
 * same object, so common subexpressions merge for free and "did a rewrite change anything" is `===`.
 * The span is not part of the key: the first builder of a node gives it its span.
 * Leaf ops (not in the builtin surface): `param` {name}, `shared` {name}, `const` {value: NDArray},
 * `dim` {dim: Dim} (a symbolic dimension's size as an i32 scalar), and `error` (a poisoned value
 * that stops cascading diagnostics).
 */
import type { Span } from '../source/span.js';
import type { DType, TensorType } from '../sema/types.js';
import type { Dim } from '../sema/dims.js';
import type { AttrValue, Attrs } from '../ops/registry.js';
import type { NDArray } from '../runtime/ndarray.js';

export interface Node {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Node[];
  readonly attrs: Attrs;
  readonly type: TensorType;
  readonly span: Span;
  /** The interning key (also a stable structural fingerprint within one table). */
  readonly key: string;
}

export const dtypeOf = (n: Node): DType => n.type.dtype;
export const shapeOf = (n: Node): readonly Dim[] => n.type.shape;

export interface NodeTable {
  intern(op: string, inputs: readonly Node[], attrs: Attrs, type: TensorType, span: Span): Node;
  readonly size: number;
}

function isNDArray(v: AttrValue): v is NDArray {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in (v as object);
}

/** Canonical text of an attribute value (NDArrays by dtype, shape and contents). */
export function attrKey(v: AttrValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(attrKey).join(',')}]`;
  if (isNDArray(v as AttrValue)) {
    const a = v as NDArray;
    // NaN payloads and -0 matter for exactness: key on the bytes, not on the printed numbers.
    const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    let hex = '';
    for (const x of bytes) hex += x.toString(16).padStart(2, '0');
    return `nd(${a.dtype};${a.shape.join('x')};${hex})`;
  }
  return JSON.stringify(v);
}

export function attrsKey(attrs: Attrs): string {
  return Object.keys(attrs).sort().map(k => `${k}=${attrKey(attrs[k]!)}`).join(';');
}

export function createNodeTable(): NodeTable {
  const nodes = new Map<string, Node>();
  let next = 0;
  return {
    intern(op, inputs, attrs, type, span) {
      const key = `${op}|${type.dtype}${type.weak ? '~' : ''}[${type.shape.join(',')}]|${attrsKey(attrs)}|${inputs.map(i => i.id).join(',')}`;
      const found = nodes.get(key);
      if (found) return found;
      const node: Node = Object.freeze({ id: next++, op, inputs: Object.freeze([...inputs]), attrs: Object.freeze({ ...attrs }), type, span, key });
      nodes.set(key, node);
      return node;
    },
    get size() { return nodes.size; },
  };
}
