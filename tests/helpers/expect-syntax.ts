/**
 * @file One-line syntax test helpers (esbuild style): parse a snippet, compare the printed AST or
 * the list of diagnostic codes with their `line:col`. Used by tests/syntax.test.ts.
 */
import * as assert from 'uvu/assert';
import { sourceFile } from '../../src/source/source-file.js';
import { createSink } from '../../src/diag/sink.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import type { Expr, Program } from '../../src/syntax/ast.js';
import { parseSource } from '../../src/syntax/parse.js';
import { printAst } from '../../src/syntax/print-ast.js';

export interface Parsed { readonly program: Program; readonly diagnostics: readonly Diagnostic[] }

export function parse(src: string, name = 'test.th'): Parsed {
  const sink = createSink();
  const program = parseSource(sourceFile(name, src), sink);
  return { program, diagnostics: sink.diagnostics };
}

const brief = (d: Diagnostic): string => `${d.code} ${d.primary ? `${d.primary.span.line}:${d.primary.span.col}` : '-'}`;
const listing = (ds: readonly Diagnostic[]): string => ds.map(d => `${brief(d)} ${d.message}`).join('\n');

/** Parses `src` without errors and compares its printed AST (one declaration per line). */
export function expectAst(src: string, sexpr: string): void {
  const { program, diagnostics } = parse(src);
  assert.is(diagnostics.length, 0, `unexpected diagnostics for ${JSON.stringify(src)}:\n${listing(diagnostics)}`);
  assert.is(printAst(program), sexpr, `AST of ${JSON.stringify(src)}`);
}

/** The body expression of `fn t() = <src>`, parsed without errors. */
export function exprOf(src: string): Expr {
  const { program, diagnostics } = parse(`fn t() = ${src}`);
  assert.is(diagnostics.length, 0, `unexpected diagnostics for ${JSON.stringify(src)}:\n${listing(diagnostics)}`);
  const fn = program.decls[0];
  if (fn?.kind !== 'Fn' || fn.body.kind !== 'ExprBody') throw new Error(`no expression body for ${src}`);
  return fn.body.expr;
}

/** Parses `src` as the expression body of a function and compares its printed AST. */
export function expectExpr(src: string, sexpr: string): void {
  assert.is(printAst(exprOf(src)), sexpr, `AST of ${JSON.stringify(src)}`);
}

/** Diagnostics of `src`, as `CODE line:col` of the primary span, in order. */
export function expectDiag(src: string, expected: readonly string[]): void {
  const { diagnostics } = parse(src);
  assert.equal(diagnostics.map(brief), [...expected], `diagnostics of ${JSON.stringify(src)}:\n${listing(diagnostics)}`);
}

/** The one diagnostic of `src` (fails unless there is exactly one). */
export function onlyDiag(src: string): Diagnostic {
  const { diagnostics } = parse(src);
  assert.is(diagnostics.length, 1, `expected one diagnostic for ${JSON.stringify(src)}:\n${listing(diagnostics)}`);
  return diagnostics[0]!;
}
