/**
 * @file Scalar expressions in C: the shared printer (clike/expr-text.ts) with C's spelling,
 * `const T <prefix>v<j> = ...;` per value, ops through their op table entry's `emit.c`, a `dim`
 * scalar as an int32_t. Expressions are inlined into the kernel's loops (C has no nested functions).
 */
import type { DType } from '../../sema/types.js';
import type { Expr } from '../../schedule/types.js';
import { exprText, type ExprCode, type ExprCx, type ExprSyntax } from '../clike/expr-text.js';
import { C_INDEX, cType, literal } from './types.js';

export { exprDtype, type ExprCode } from '../clike/expr-text.js';

/** What an expression needs from its kernel: the pointer names of inputs and the dim printer. */
export type CExprCx = ExprCx;

/** C's spelling of scalar expressions. */
export const C_EXPR: ExprSyntax = {
  emit: 'c', name: 'C', index: C_INDEX, literal,
  dimScalar: size => `((int32_t)${size})`,
  decl: (t, name, rhs) => `const ${cType(t)} ${name} = ${rhs};`,
};

/** The statements of `e` at the multi-index `idx` (clike/expr-text.ts's `exprText`). */
export const exprLines = (e: Expr, idx: readonly string[], prefix: string, cx: CExprCx, core: { name: string; dtype: DType } | null): ExprCode =>
  exprText(C_EXPR, e, idx, prefix, cx, core);
