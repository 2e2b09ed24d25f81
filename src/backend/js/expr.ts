/**
 * @file Scalar expressions: a schedule Expr (schedule/types.ts) as JS statements at one element of
 * its index space, `const <prefix>v<j> = ...;` per value. Loads index their typed array through the
 * index map printed as index arithmetic (clike/index-text.ts); elementwise and index-function ops
 * print through their op table entry's `emit.js` (this file holds no list of ops), which rounds
 * each result as the interpreter's store does; a `dim` scalar is its size.
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { getPrimitive } from '../../ops/registry.js';
import type { Expr, Kernel, Value } from '../../schedule/types.js';
import { offsetLines, type DimText } from '../clike/index-text.js';
import { JS_INDEX, literal } from './types.js';

/** What an expression needs from its kernel: the array names of inputs and the dim printer. */
export interface JsExprCx {
  readonly dim: DimText;
  /** The typed array parameter of kernel input `i`. */
  readonly input: (i: number) => string;
  readonly kernel: Kernel;
}

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
 * share one scope. `core` is the variable and dtype of the kernel's core result (epilogues only).
 */
export function exprLines(e: Expr, idx: readonly string[], prefix: string, cx: JsExprCx, core: { name: string; dtype: DType } | null): ExprCode {
  const lines: string[] = [];
  const types = e.values.map(v => valueDtype(v, cx.kernel, core?.dtype ?? null));
  const name = (j: number): string => `${prefix}v${j}`;
  e.values.forEach((v, j) => {
    const t = types[j]!;
    let rhs: string;
    switch (v.kind) {
      case 'load':
        lines.push(...offsetLines(v.map, idx, `${prefix}o${j}`, cx.dim, JS_INDEX));
        rhs = `${cx.input(v.input)}[${prefix}o${j}]`;
        break;
      case 'scalar':
        rhs = v.node.op === 'dim' ? cx.dim(v.node.attrs['dim'] as Dim) : literal(t, (v.node.attrs['value'] as NDArray).data[0]!);
        break;
      case 'source': {
        // An index function of the flat element index its map reads (arange: the index itself).
        lines.push(...offsetLines(v.map, idx, `${prefix}o${j}`, cx.dim, JS_INDEX));
        const printer = getPrimitive(v.node.op).emit?.js;
        if (!printer) throw new Error(`${v.node.op} has no JS printer (support.ts should have rejected it)`);
        rhs = printer([`${prefix}o${j}`], t, t, v.node.attrs);
        break;
      }
      case 'op': {
        const printer = getPrimitive(v.node.op).emit?.js;
        if (!printer) throw new Error(`${v.node.op} has no JS printer (support.ts should have rejected it)`);
        rhs = printer(v.args.map(name), types[v.args[v.args.length - 1]!]!, t, v.node.attrs);
        break;
      }
      case 'core':
        rhs = core!.name;
        break;
    }
    lines.push(`const ${name(j)} = ${rhs};`);
  });
  return { lines, result: name(e.values.length - 1), dtype: types[types.length - 1]! };
}
