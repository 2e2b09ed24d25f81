/**
 * @file The reference interpreter, THE oracle for every backend: evaluates graph nodes with each
 * op's `eval`, memoised per call, in an iterative topological order (graphs can be 100k deep).
 * Leaf ops (`param`, `shared`, `const`, `dim`) are handled here. A kernel's RuntimeError gets the
 * node's span; any other exception becomes the internal run-time error TH0699. Every result is
 * checked against the node's static shape wherever its dims are bound (TH0695). An optional
 * observer (`thc run --nan-guard`) sees every value as it is computed; without one nothing extra runs.
 */
import type { NDArray } from './ndarray.js';
import { scalar } from './ndarray.js';
import { RuntimeError } from './runtime-error.js';
import type { Node } from '../graph/node.js';
import { graphRoots } from '../graph/walk.js';
import type { Graph } from '../graph/graph.js';
import { type Dim, evalDim } from '../sema/dims.js';
import { getPrimitive, type EvalCx } from '../ops/registry.js';

export interface InterpEnv {
  /** Parameter values by name, already checked against the declared types. */
  readonly params: ReadonlyMap<string, NDArray>;
  /** Shared variable values by name (the values from before the call). */
  readonly shared: ReadonlyMap<string, NDArray>;
  /** Run-time sizes of dimension names (`n`, `_1`) bound from the parameters. */
  readonly dims: ReadonlyMap<string, number>;
  /**
   * Called with every node's value right after it is computed, in evaluation order (leaves
   * included). It may throw (a RuntimeError stops the call at that node).
   */
  readonly observe?: NodeObserver;
}

export type NodeObserver = (n: Node, value: NDArray) => void;

/**
 * The EvalCx kernels get for one call, and the size of a dimension expression (undefined when a
 * name in it is unbound). Sizes are computed once per call: every node's shape check asks for them.
 * The schedule executor (schedule/run.ts) evaluates with the same context.
 */
export function evalContext(dims: ReadonlyMap<string, number>): { cx: EvalCx; dimValue: (d: Dim) => number | undefined } {
  const known = new Map<Dim, number | undefined>();
  const dimValue = (d: Dim): number | undefined => {
    if (typeof d === 'number') return d;
    if (known.has(d)) return known.get(d);
    const v = evalDim(d, dims);
    known.set(d, v);
    return v;
  };
  const cx: EvalCx = {
    dims,
    dim(d: Dim) {
      const v = dimValue(d);
      if (v === undefined) throw new Error(`dimension ${d} is not bound`);
      return v;
    },
  };
  return { cx, dimValue };
}

/** Evaluates several roots, sharing work between them. */
export function evaluate(roots: readonly Node[], env: InterpEnv): NDArray[] {
  const memo = new Map<Node, NDArray>();
  const observe = env.observe;
  const { cx, dimValue } = evalContext(env.dims);
  for (const root of roots) {
    // Iterative post-order: a node is evaluated once all of its inputs are in the memo.
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const n = stack[stack.length - 1]!;
      if (memo.has(n)) { stack.pop(); continue; }
      const pending = n.inputs.filter(i => !memo.has(i));
      if (pending.length > 0) { for (const i of pending) stack.push(i); continue; }
      stack.pop();
      const v = evalNode(n, n.inputs.map(i => memo.get(i)!), env, cx, dimValue);
      memo.set(n, v);
      if (observe !== undefined) observe(n, v);
    }
  }
  return roots.map(r => memo.get(r)!);
}

function evalNode(n: Node, inputs: NDArray[], env: InterpEnv, cx: EvalCx, dimValue: (d: Dim) => number | undefined): NDArray {
  let v: NDArray;
  try {
    v = evalOp(n, inputs, env, cx);
  } catch (e) {
    if (e instanceof RuntimeError) throw e.span ? e : new RuntimeError(e.code, e.args, n.span);
    throw new RuntimeError('TH0699', { op: n.op, detail: e instanceof Error ? e.message : String(e) }, n.span);
  }
  checkShape(n, v, dimValue);
  return v;
}

function evalOp(n: Node, inputs: NDArray[], env: InterpEnv, cx: EvalCx): NDArray {
  switch (n.op) {
    case 'param': return lookup(env.params, n, 'parameter');
    case 'shared': return lookup(env.shared, n, 'shared variable');
    case 'const': return n.attrs['value'] as NDArray;
    case 'dim': return scalar('i32', cx.dim(n.attrs['dim'] as Dim));
    case 'error': throw new Error('a poisoned node reached the interpreter');
    default: return getPrimitive(n.op).eval(inputs, n.attrs, cx);
  }
}

function lookup(values: ReadonlyMap<string, NDArray>, n: Node, what: string): NDArray {
  const name = n.attrs['name'] as string;
  const v = values.get(name);
  if (!v) throw new Error(`no value for ${what} ${name}`);
  return v;
}

/** A result must have the static shape where it is known (anonymous dims may be unbound). */
function checkShape(n: Node, v: NDArray, dimValue: (d: Dim) => number | undefined): void {
  const want = n.type.shape;
  const bad = want.length !== v.shape.length
    || want.some((d, i) => { const e = dimValue(d); return e !== undefined && e !== v.shape[i]; });
  if (bad) {
    throw new RuntimeError('TH0695', { op: n.op, expected: `[${want.join(', ')}]`, actual: `[${v.shape.join(', ')}]` }, n.span);
  }
}

export interface CallResult {
  readonly outputs: ReadonlyMap<string, NDArray>;
  /** New values for the shared variables the call updates (applied by the caller, all together). */
  readonly updates: ReadonlyMap<string, NDArray>;
}

/** One call of an entry point: all outputs and all update values computed from the pre-call state. */
export function runGraph(g: Graph, env: InterpEnv): CallResult {
  const roots = graphRoots(g);
  const values = evaluate(roots, env);
  const outputs = new Map<string, NDArray>();
  const updates = new Map<string, NDArray>();
  g.outputs.forEach((o, i) => outputs.set(o.name, values[i]!));
  g.updates.forEach((u, i) => updates.set(u.name, values[g.outputs.length + i]!));
  return { outputs, updates };
}
