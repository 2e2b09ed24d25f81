/**
 * @file Scalar expressions in JS: the shared printer (clike/expr-text.ts) with JS's spelling,
 * `const <prefix>v<j> = ...;` per value, ops through their op table entry's `emit.js` (which
 * rounds each result as the interpreter's store does), a `dim` scalar as its size.
 */
import type { DType } from '../../sema/types.js';
import type { Expr } from '../../schedule/types.js';
import { exprText, type ExprCode, type ExprCx, type ExprSyntax } from '../clike/expr-text.js';
import { JS_INDEX, literal } from './types.js';

export { exprDtype, type ExprCode } from '../clike/expr-text.js';

/** What an expression needs from its kernel: the array names of inputs and the dim printer. */
export type JsExprCx = ExprCx;

/** JS's spelling of scalar expressions. */
export const JS_EXPR: ExprSyntax = {
  emit: 'js', name: 'JS', index: JS_INDEX, literal,
  dimScalar: size => size,
  decl: (_t, name, rhs) => `const ${name} = ${rhs};`,
};

/** The statements of `e` at the multi-index `idx` (clike/expr-text.ts's `exprText`). */
export const exprLines = (e: Expr, idx: readonly string[], prefix: string, cx: JsExprCx, core: { name: string; dtype: DType } | null): ExprCode =>
  exprText(JS_EXPR, e, idx, prefix, cx, core);
