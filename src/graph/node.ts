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
import type { TensorType } from '../sema/types.js';
import type { AttrValue, Attrs } from '../ops/registry.js';
import { isNDArray, type NDArray } from '../runtime/ndarray.js';

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


const LEAF_OPS: ReadonlySet<string> = new Set(['param', 'shared', 'const', 'dim', 'error']);

/** Leaves: the ops with no inputs listed in this file's header. */
export const isLeaf = (n: Node): boolean => LEAF_OPS.has(n.op);

export interface NodeTable {
  intern(op: string, inputs: readonly Node[], attrs: Attrs, type: TensorType, span: Span): Node;
  readonly size: number;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * NDArrays are immutable once built (runtime/ndarray.ts), so a large array's key is computed once:
 * hex-encoding a big constant on every intern call used to dominate graph building. Small arrays
 * (scalars, mostly freshly built literals) are cheaper to encode than to remember.
 */
const ndKeys = new WeakMap<NDArray, string>();
const CACHE_BYTES = 64;

function ndKey(a: NDArray): string {
  const big = a.data.byteLength > CACHE_BYTES;
  if (big) {
    const cached = ndKeys.get(a);
    if (cached !== undefined) return cached;
  }
  // NaN payloads and -0 matter for exactness: key on the bytes, not on the printed numbers.
  const bytes = a.data instanceof Uint8Array ? a.data : new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX[bytes[i]!]!;
  const key = `nd(${a.dtype};${a.shape.length === 0 ? '' : a.shape.join('x')};${hex})`;
  if (big) ndKeys.set(a, key);
  return key;
}

/** JSON text of string attributes (dtype names and the like: a handful of distinct values). */
const stringKeys = new Map<string, string>();

function stringKey(v: string): string {
  let k = stringKeys.get(v);
  if (k === undefined) {
    k = JSON.stringify(v);
    if (stringKeys.size < 10_000) stringKeys.set(v, k);
  }
  return k;
}

/** Canonical text of an attribute value (NDArrays by dtype, shape and contents). */
export function attrKey(v: AttrValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    // Same text as JSON.stringify, without its overhead: non-finite numbers print as null.
    case 'number': return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    case 'string': return stringKey(v);
  }
  if (Array.isArray(v)) {
    let out = '[';
    // A hole or undefined item prints as nothing, as Array.prototype.join did.
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + (v[i] === undefined ? '' : attrKey(v[i] as AttrValue));
    return out + ']';
  }
  if (isNDArray(v as AttrValue)) return ndKey(v as NDArray);
  return JSON.stringify(v);
}

/** The shared empty attribute set: most ops have none, and its key needs no work. */
export const NO_ATTRS: Attrs = Object.freeze({});

/**
 * Sorts property names in place, in the order Array.prototype.sort() gives (UTF-16 code units,
 * which is what `<` compares), without its temporary copy: attribute sets are a handful of names.
 */
function sortKeys(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) { keys[j + 1] = keys[j]!; j--; }
    keys[j + 1] = k;
  }
}

export function attrsKey(attrs: Attrs): string {
  if (attrs === NO_ATTRS) return '';
  const keys = Object.keys(attrs);
  if (keys.length === 0) return '';
  if (keys.length > 1) sortKeys(keys);
  let out = '';
  for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ';'}${keys[i]!}=${attrKey(attrs[keys[i]!]!)}`;
  return out;
}

/** The type part of the interning key: dtype, `~` when weak, the shape. */
function typeKey(t: TensorType): string {
  return `${t.dtype}${t.weak ? '~' : ''}[${t.shape.join(',')}]`;
}

/**
 * Whether two types are exactly the same (dtype, weak flag, every dim): what interning compares,
 * and what a rewrite must preserve.
 */
export function sameTypeKey(a: TensorType, b: TensorType): boolean {
  if (a.dtype !== b.dtype || !a.weak !== !b.weak || a.shape.length !== b.shape.length) return false;
  for (let i = 0; i < a.shape.length; i++) {
    const x = a.shape[i]!, y = b.shape[i]!;
    if (x !== y && String(x) !== String(y)) return false;
  }
  return true;
}

/**
 * A node as the table makes it. `key` is computed on demand: only tests and debugging read it, and
 * building it for every node was a large share of what compiling a big graph allocated.
 */
class TableNode implements Node {
  constructor(
    readonly id: number,
    readonly op: string,
    readonly inputs: readonly Node[],
    readonly attrs: Attrs,
    readonly type: TensorType,
    readonly span: Span,
    /** attrsKey(attrs), kept for equality tests in the intern index. */
    readonly attrsText: string,
  ) {}

  get key(): string {
    return `${this.op}|${typeKey(this.type)}|${this.attrsText}|${this.inputs.map(x => x.id).join(',')}`;
  }
}

/** 32-bit FNV-1a of a string (op names and attribute texts are short; '' hashes to a constant). */
function hashText(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

const mixId = (h: number, id: number): number => Math.imul(h ^ id, 16777619) ^ (h >>> 15);

/**
 * Equal keys (`op|type|attrs|ids`) means equal (op, type, attrs, ids), and that is what the index
 * compares: nodes are found by a hash of op, attribute text and input ids (the type only decides
 * among the few nodes with one hash). The index is an open-addressing table of typed arrays (node
 * id and hash per slot, linear probing): nearly every intern call is a hit, a miss allocates just
 * the node, and a graph of 100k nodes costs two flat arrays instead of a Map entry (and a bucket
 * array on collisions) per node, which the garbage collector would copy and trace on every pass.
 */
export function createNodeTable(): NodeTable {
  const nodes: TableNode[] = [];
  let ids = new Int32Array(1024).fill(-1);
  let hashes = new Int32Array(1024);
  let mask = 1023;
  const opHashes = new Map<string, number>();
  const matches = (n: TableNode, op: string, ak: string, inputs: readonly Node[], type: TensorType): boolean => {
    if (n.op !== op || n.attrsText !== ak || n.inputs.length !== inputs.length) return false;
    for (let i = 0; i < inputs.length; i++) if (n.inputs[i] !== inputs[i]) return false;
    return sameTypeKey(n.type, type);
  };
  /** Doubles the index (kept at most half full, so probe runs stay short). */
  const grow = (): void => {
    const oldIds = ids, oldHashes = hashes;
    ids = new Int32Array(oldIds.length * 2).fill(-1);
    hashes = new Int32Array(oldIds.length * 2);
    mask = ids.length - 1;
    for (let i = 0; i < oldIds.length; i++) {
      const id = oldIds[i]!;
      if (id < 0) continue;
      let j = oldHashes[i]! & mask;
      while (ids[j]! >= 0) j = (j + 1) & mask;
      ids[j] = id;
      hashes[j] = oldHashes[i]!;
    }
  };
  return {
    intern(op, inputs, attrs, type, span) {
      const ak = attrsKey(attrs);
      let h = opHashes.get(op);
      if (h === undefined) opHashes.set(op, h = hashText(2166136261, op));
      if (ak !== '') h = hashText(h, ak);
      for (let i = 0; i < inputs.length; i++) h = mixId(h, inputs[i]!.id);
      h |= 0;
      let j = h & mask;
      for (let id = ids[j]!; id >= 0; j = (j + 1) & mask, id = ids[j]!) {
        if (hashes[j] === h && matches(nodes[id]!, op, ak, inputs, type)) return nodes[id]!;
      }
      const node = new TableNode(nodes.length, op, Object.freeze(inputs.slice()), ak === '' ? NO_ATTRS : Object.freeze({ ...attrs }), type, span, ak);
      Object.freeze(node);
      nodes.push(node);
      ids[j] = node.id;
      hashes[j] = h;
      if (nodes.length * 2 > ids.length) grow();
      return node;
    },
    get size() { return nodes.length; },
  };
}
