/**
 * @file The values elaboration computes, and the state it threads: a Value is a graph node (a
 * tensor), a tuple of values, or a compile-time-only thing (function, builtin, module, dtype).
 * A Frame is one function body being elaborated (its locals and symbolic-dim bindings); ElabCtx
 * is the program-wide state (builder, sink with call frames, inlining stack, current graph).
 */
import type { Span } from '../source/span.js';
import type { Builder } from '../graph/builder.js';
import { isPoison } from '../graph/builder.js';
import type { Node } from '../graph/node.js';
import type { Dim } from './dims.js';
import type { DType } from './types.js';
import { typeToString } from './types.js';
import type { CallSink } from './elab-sink.js';
import type { ConstSym, FnSym, ModuleScope, SharedSym } from './scope.js';

export type Value =
  | { readonly kind: 'tensor'; readonly node: Node }
  | { readonly kind: 'tuple'; readonly items: readonly Value[] }
  | { readonly kind: 'fn'; readonly sym: FnSym }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'module'; readonly scope: ModuleScope }
  | { readonly kind: 'dtype'; readonly dtype: DType }
  /** `none`: a compile-time "no value", meaningful only where an argument may be null (`axis=none`). */
  | { readonly kind: 'none' };

export const tensorValue = (node: Node): Value => ({ kind: 'tensor', node });
export const tupleValue = (items: readonly Value[]): Value => ({ kind: 'tuple', items });

/** A poisoned tensor absorbs every further use silently (one mistake, one diagnostic). */
export const isPoisonValue = (v: Value): boolean => v.kind === 'tensor' && isPoison(v.node);

/** How a value is described in messages: `f32[n, 3]`, `a tuple of 2 values`, `the function `f``. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'tensor': return typeToString(v.node.type);
    case 'tuple': return `a tuple of ${v.items.length} values`;
    case 'fn': return `the function \`${v.sym.name}\``;
    case 'builtin': return `the builtin \`${v.name}\``;
    case 'module': return `the module \`${v.scope.name}\``;
    case 'dtype': return `the dtype \`${v.dtype}\``;
    case 'none': return '`none`';
  }
}

/** Where a symbolic dimension of a signature got its size, for "`n` = 784 here" labels. */
export interface DimBinding { readonly dim: Dim; readonly span: Span }

/** One function body being elaborated (an entry point, an inlined call, or a constant). */
export interface Frame {
  readonly scope: ModuleScope;
  /** The function's name (for messages); `<const k>` for a constant. */
  readonly fnName: string;
  readonly locals: Map<string, Value>;
  /** The signature's symbolic dims -> the graph's Dims. */
  readonly dims: Map<string, DimBinding>;
}

export function newFrame(scope: ModuleScope, fnName: string): Frame {
  return { scope, fnName, locals: new Map(), dims: new Map() };
}

export interface UpdateRecord { readonly sym: SharedSym; readonly node: Node; readonly span: Span }

/** The entry point being built: its updates (one per shared variable). */
export interface GraphState {
  readonly fnName: string;
  readonly updates: Map<string, UpdateRecord>;
}

export interface ElabCtx {
  readonly b: Builder;
  readonly sink: CallSink;
  /** Functions being inlined right now, outermost first (recursion detection). */
  readonly stack: { readonly sym: FnSym; readonly site: Span }[];
  graph: GraphState;
  /** Fresh anonymous dims for `_` in the current entry's signature. */
  anon: () => string;
  /** Functions that were inlined at least once (the rest are checked on their own). */
  readonly called: Set<FnSym>;
  /** Constants being elaborated right now (cycle detection). */
  readonly consts: ConstSym[];
}
