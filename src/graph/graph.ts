/**
 * @file Graph: one compiled entry point (Theano's `function(inputs, outputs, updates)`).
 * Produced by sema's elaboration, consumed by printers, the interpreter, rewrites and backends.
 */
import type { Span } from '../source/span.js';
import type { TensorType } from '../sema/types.js';
import type { NDArray } from '../runtime/ndarray.js';
import type { Node, NodeTable } from './node.js';

export interface GraphParam {
  readonly name: string;
  /** Declared type; symbolic dims (`n`, anonymous `_1`) are bound from the value at run time. */
  readonly type: TensorType;
  /** The `param` node that stands for it in the graph. */
  readonly node: Node;
  /** A compile-time default (`lr: f64 = 0.1`), already converted to the declared dtype and shape. */
  readonly default: NDArray | null;
  readonly span: Span;
}

export interface GraphOutput {
  readonly name: string;
  readonly node: Node;
  readonly span: Span;
}

export interface GraphUpdate {
  /** Name of the shared variable written. */
  readonly name: string;
  /** New value, already cast/broadcast to the variable's declared type. */
  readonly node: Node;
  readonly span: Span;
}

export interface Graph {
  /** Entry-point name. */
  readonly name: string;
  readonly params: readonly GraphParam[];
  readonly outputs: readonly GraphOutput[];
  readonly updates: readonly GraphUpdate[];
  readonly span: Span;
}

/** How a shared variable starts life; evaluated once when a program's state is created. */
export type SharedInit =
  /** fill, array literal, zeros/ones, uniform/normal: a parameterless graph of the declared type. */
  | { readonly kind: 'expr'; readonly node: Node }
  /** `load("w.npy")`: an absolute path (resolved relative to the .th file by sema), checked against the type when loaded. */
  | { readonly kind: 'load'; readonly path: string; readonly span: Span };

export interface SharedVar {
  readonly name: string;
  /** Concrete shape (shared variables have known sizes). */
  readonly type: TensorType;
  readonly init: SharedInit;
  readonly span: Span;
}

/** A whole checked program: every entry point's graph plus the shared state they use. */
export interface ProgramGraphs {
  readonly file: string;
  /** The intern table every node lives in; stages after `graph` build into it (graph/walk.ts). */
  readonly table: NodeTable;
  readonly entries: readonly Graph[];
  readonly shared: readonly SharedVar[];
}
