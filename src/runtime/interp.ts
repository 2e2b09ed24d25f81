/**
 * @file STUB (owned by the ops work): the reference interpreter, THE oracle for every backend.
 * Evaluates graph nodes with each op's `eval`, memoised per call. Failures inside a kernel become
 * RuntimeError with the node's span.
 */
import type { NDArray } from './ndarray.js';
import type { Node } from '../graph/node.js';
import type { Graph } from '../graph/graph.js';

export interface InterpEnv {
  /** Parameter values by name, already checked against the declared types. */
  readonly params: ReadonlyMap<string, NDArray>;
  /** Shared variable values by name (the values from before the call). */
  readonly shared: ReadonlyMap<string, NDArray>;
  /** Run-time sizes of dimension names (`n`, `_1`) bound from the parameters. */
  readonly dims: ReadonlyMap<string, number>;
}

/** Evaluates several roots, sharing work between them. */
export function evaluate(roots: readonly Node[], env: InterpEnv): NDArray[] {
  void env;
  throw new Error(`interpreter not implemented yet (${roots.length} roots)`);
}

export interface CallResult {
  readonly outputs: ReadonlyMap<string, NDArray>;
  /** New values for the shared variables the call updates (applied by the caller, all together). */
  readonly updates: ReadonlyMap<string, NDArray>;
}

/** One call of an entry point: all outputs and all update values computed from the pre-call state. */
export function runGraph(g: Graph, env: InterpEnv): CallResult {
  void env;
  throw new Error(`interpreter not implemented yet (${g.name})`);
}
