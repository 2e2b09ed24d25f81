/**
 * @file Patterns as plain data, and the matcher. A `Pat` names the op(s) a node must have, the
 * patterns its inputs must match, a name to bind the node to, and an optional guard. Commutative
 * ops (registry flag) try both operand orders; a name bound twice must be the same node, which
 * hash-consing makes an identity test (`x - x`). A pattern with an op sees through a cast that
 * only drops a weak flag (same dtype). Consumes nodes; produces a Match (name -> node).
 */
import type { Node } from '../graph/node.js';
import type { NDArray } from '../runtime/ndarray.js';
import { getOp } from '../ops/registry.js';

/** Bound names to nodes. */
export type Match = Readonly<Record<string, Node>>;

export interface Pat {
  /** The node's op, or one of several; absent = any op. */
  readonly op?: string | readonly string[];
  /** Patterns for the inputs, in order (the node must have exactly this many). */
  readonly src?: readonly Pat[];
  /** Binds the matched node to this name. */
  readonly bind?: string;
  /** A guard run after the inputs matched, with the bindings so far. */
  readonly where?: (n: Node, m: Bindings) => boolean;
}

const commutativeCache = new Map<string, boolean>();

function isCommutative(op: string): boolean {
  let c = commutativeCache.get(op);
  if (c === undefined) {
    const def = getOp(op);
    c = def?.kind === 'primitive' && !!def.flags?.commutative;
    commutativeCache.set(op, c);
  }
  return c;
}

/** Read access to the bindings made so far (what a `where` guard sees). */
export interface Bindings {
  get(name: string): Node | undefined;
}

/**
 * The bindings of the match in progress: parallel arrays used as a stack, so backtracking is
 * truncation and a failed attempt (most of them) allocates nothing. Matching never re-enters itself.
 */
const names: string[] = [];
const values: Node[] = [];
let top = 0;

const bindings: Bindings = {
  get(name) {
    for (let i = 0; i < top; i++) if (names[i] === name) return values[i];
    return undefined;
  },
};

const opMatches = (p: Pat, n: Node): boolean =>
  p.op === undefined || (typeof p.op === 'string' ? p.op === n.op : p.op.includes(n.op));

/** Matches `p` against `n`; returns the bindings or null. */
export function match(p: Pat, n: Node): Match | null {
  return matchRooted(p, n, false);
}

/**
 * `match` for a node whose op the caller already knows matches the pattern's root (the engine
 * indexes rules by root op), skipping that test when `rootKnown`.
 */
export function matchRooted(p: Pat, n: Node, rootKnown: boolean): Match | null {
  top = 0;
  if (!(rootKnown ? matchBody(p, n) : matchInto(p, n))) return null;
  const out: Record<string, Node> = {};
  for (let i = 0; i < top; i++) out[names[i]!] = values[i]!;
  return out;
}

function matchInto(p: Pat, n: Node): boolean {
  if (!opMatches(p, n)) {
    // A cast that only makes a weak value strong (`exp(1000.0)` meeting a strong operand) changes
    // no value: patterns look through it, so literal programs stabilize like run-time ones.
    return p.op !== undefined && isWeakDrop(n) && matchInto(p, n.inputs[0]!);
  }
  return matchBody(p, n);
}

/** Everything but the op test: binding, inputs (both orders when commutative), guard. */
function matchBody(p: Pat, n: Node): boolean {
  const mark = top;
  if (p.bind !== undefined) {
    const prev = bindings.get(p.bind);
    if (prev !== undefined) { if (prev !== n) return false; } else { names[top] = p.bind; values[top++] = n; }
  }
  const src = p.src;
  if (src !== undefined) {
    if (src.length !== n.inputs.length) { top = mark; return false; }
    const afterBind = top;
    if (inputsInto(src, n.inputs, false) && (!p.where || p.where(n, bindings))) return true;
    top = afterBind;
    // Commutative binary ops: the other operand order (`1 + exp(x)` matches `exp(x) + 1`).
    if (src.length === 2 && isCommutative(n.op) && inputsInto(src, n.inputs, true) && (!p.where || p.where(n, bindings))) return true;
    top = mark;
    return false;
  }
  if (!p.where || p.where(n, bindings)) return true;
  top = mark;
  return false;
}

function isWeakDrop(n: Node): boolean {
  return n.op === 'cast' && !!n.inputs[0]!.type.weak && n.inputs[0]!.type.dtype === n.type.dtype;
}

function inputsInto(src: readonly Pat[], inputs: readonly Node[], swap: boolean): boolean {
  for (let i = 0; i < src.length; i++) {
    if (!matchInto(src[i]!, inputs[swap ? src.length - 1 - i : i]!)) return false;
  }
  return true;
}

/** Every op name a pattern mentions (for validating rule lists against the registry). */
export function patternOps(p: Pat): string[] {
  const own = p.op === undefined ? [] : typeof p.op === 'string' ? [p.op] : [...p.op];
  return [...own, ...(p.src ?? []).flatMap(patternOps)];
}

// ---------------------------------------------------------------- constants

/**
 * The values of a constant node: a `const`, or a constant fill `broadcast(const, shape)` (its
 * elements are the inner constant's, repeated). Undefined for anything else.
 */
export function constValue(n: Node): NDArray | undefined {
  if (n.op === 'const') return n.attrs['value'] as NDArray;
  if (n.op === 'broadcast' && n.inputs[0]!.op === 'const') return n.inputs[0]!.attrs['value'] as NDArray;
  return undefined;
}

/** The single value every element of a constant node holds, or undefined (not constant, mixed, empty). */
export function uniformValue(n: Node): number | undefined {
  const v = constValue(n);
  if (!v || v.data.length === 0) return undefined;
  const first = v.data[0]!;
  for (let i = 1; i < v.data.length; i++) if (!Object.is(v.data[i], first)) return undefined;
  return first;
}

// ---------------------------------------------------------------- builders (the `P` helpers)

/** Any node, bound to `name`. */
const v = (name: string, where?: Pat['where']): Pat => (where ? { bind: name, where } : { bind: name });

/** A node of op `name` whose inputs match `src`. */
const op = (name: string | readonly string[], ...src: Pat[]): Pat => ({ op: name, src });

/** `p`, also bound to `name` (and guarded by `where`). */
const as = (p: Pat, name: string, where?: Pat['where']): Pat => ({ ...p, bind: name, ...(where ? { where } : {}) });

/** A constant node whose elements all equal `value` (any dtype, weak or not, scalar or a fill). */
const constant = (value: number, name?: string): Pat => ({
  ...(name ? { bind: name } : {}),
  where: n => uniformValue(n) === value,
});

/** A constant node whose single repeated value satisfies `pred`. */
const constWhere = (pred: (value: number, n: Node) => boolean, name?: string): Pat => ({
  ...(name ? { bind: name } : {}),
  where: n => { const u = uniformValue(n); return u !== undefined && pred(u, n); },
});

/** Pattern helpers: `P.op('log', P.op('add', P.one, P.v('x')))`. */
export const P = {
  v, op, as, constant, constWhere,
  any: {} as Pat,
  one: constant(1),
  zero: constant(0),
} as const;
