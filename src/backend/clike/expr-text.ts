/**
 * @file Scalar expressions for the C-like CPU targets (C, JS): a schedule Expr (schedule/types.ts)
 * as statements at one element of its index space, one `const` per value named `<prefix>v<j>`.
 * Loads index their input through the index map printed as index arithmetic (index-text.ts);
 * elementwise and index-function ops print through their op table entry's emitter for the target
 * (`emit.c`, `emit.js`: this file holds no list of ops); a `dim` scalar is its size. The targets
 * differ only in the `ExprSyntax` they pass (ARCHITECTURE.md rule 7).
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { getPrimitive } from '../../ops/registry.js';
import type { Expr, Kernel, Value } from '../../schedule/types.js';
import { offsetLines, type DimText, type IndexSyntax } from './index-text.js';

/** What an expression needs from its kernel: the names of inputs and the dim printer. */
export interface ExprCx {
  readonly dim: DimText;
  /** The pointer (C) or typed array (JS) of kernel input `i`. */
  readonly input: (i: number) => string;
  readonly kernel: Kernel;
}

/** A target's spelling of scalar expressions. */
export interface ExprSyntax {
  /** The op table's emitter key, and the target's name in messages. */
  readonly emit: 'c' | 'js';
  readonly name: string;
  readonly index: IndexSyntax;
  /** A constant of dtype `t`. */
  readonly literal: (t: DType, v: number) => string;
  /** A `dim` scalar from its size text. */
  readonly dimScalar: (size: string) => string;
  /** The declaration of value variable `name` of dtype `t`. */
  readonly decl: (t: DType, name: string, rhs: string) => string;
}

/** The dtype a value has (loads: the stored node's; scalars, sources and ops: their node's). */
function valueDtype(v: Value, k: Kernel, core: DType | null): DType {
  switch (v.kind) {
    case 'load': return k.inputs[v.input]!.value.type.dtype;
    case 'core': return core!;
    default: return v.node.type.dtype;
  }
}

/** The dtype an expression produces. */
export function exprDtype(e: Expr, k: Kernel, core: DType | null): DType {
  return valueDtype(e.values[e.values.length - 1]!, k, core);
}

export interface ExprCode {
  readonly lines: string[];
  /** The variable holding the result. */
  readonly result: string;
  readonly dtype: DType;
}

/**
 * The statements of `e` at the multi-index `idx`; names start with `prefix` so several expressions
 * (a matmul's operands, a reduction's argument and epilogue) share one scope. `core` is the
 * variable and dtype of the kernel's core result (epilogues only).
 */
export function exprText(syn: ExprSyntax, e: Expr, idx: readonly string[], prefix: string, cx: ExprCx, core: { name: string; dtype: DType } | null): ExprCode {
  const lines: string[] = [];
  const types = e.values.map(v => valueDtype(v, cx.kernel, core?.dtype ?? null));
  const name = (j: number): string => `${prefix}v${j}`;
  const printerOf = (op: string) => {
    const printer = getPrimitive(op).emit?.[syn.emit];
    if (!printer) throw new Error(`${op} has no ${syn.name} printer (support.ts should have rejected it)`);
    return printer;
  };
  e.values.forEach((v, j) => {
    const t = types[j]!;
    let rhs: string;
    switch (v.kind) {
      case 'load':
        lines.push(...offsetLines(v.map, idx, `${prefix}o${j}`, cx.dim, syn.index));
        rhs = `${cx.input(v.input)}[${prefix}o${j}]`;
        break;
      case 'scalar':
        rhs = v.node.op === 'dim' ? syn.dimScalar(cx.dim(v.node.attrs['dim'] as Dim)) : syn.literal(t, (v.node.attrs['value'] as NDArray).data[0]!);
        break;
      case 'source':
        // An index function of the flat element index its map reads (arange: the index itself).
        lines.push(...offsetLines(v.map, idx, `${prefix}o${j}`, cx.dim, syn.index));
        rhs = printerOf(v.node.op)([`${prefix}o${j}`], t, t, v.node.attrs);
        break;
      case 'op':
        rhs = printerOf(v.node.op)(v.args.map(name), types[v.args[v.args.length - 1]!]!, t, v.node.attrs);
        break;
      case 'core':
        rhs = core!.name;
        break;
    }
    lines.push(syn.decl(t, name(j), rhs));
  });
  return { lines, result: name(e.values.length - 1), dtype: types[types.length - 1]! };
}
