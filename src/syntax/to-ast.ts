/**
 * @file CST -> AST for declarations and statements: one function per grammar rule (named like it).
 * Consumes: a (possibly recovered) ProgramCstNode. Produces: AST declarations with a Span on every
 * node (built from tokens: see to-ast-cx.ts), and reports the statement-level error productions
 * (bare expressions, `=` as assignment, misplaced `return`...). Expressions: expr-to-ast.ts.
 * Never throws on recovered input: missing pieces become ErrorExpr placeholders.
 */
import type { IToken } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import type { Span } from '../source/span.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { DiagArgs } from '../diag/diagnostic.js';
import { fillTemplate } from '../diag/codes.js';
import { syntaxLabels } from '../diag/codes/syntax.js';
import type * as A from './ast.js';
import type * as C from './cst.js';
import * as T from './tokens.js';
import { checkNumber, decodeString } from './tokens.js';
import { type Cx, checkList, cover, err, join, makeCx, maybeTokSpan, realToken, textOf, tokSpan } from './to-ast-cx.js';
import { assignLikeOp, expression, exprOr } from './expr-to-ast.js';

// ---------------------------------------------------------------- declarations

/** Converts one parsed chunk of a file into declarations (errors at top level yield nothing). */
export function programToAst(cst: C.ProgramCstNode, file: SourceFile, sink: DiagnosticSink): A.Decl[] {
  const cx = makeCx(file, sink);
  const out: A.Decl[] = [];
  for (const item of cst.children.topItem ?? []) {
    const d = topItem(cx, item);
    if (d) out.push(d);
  }
  return out;
}

function topItem(cx: Cx, n: C.TopItemCstNode): A.Decl | null {
  const c = n.children;
  if (c.useDecl) return useDecl(cx, c.useDecl[0]!);
  if (c.typeDecl) return typeDecl(cx, c.typeDecl[0]!);
  if (c.sharedDecl) return sharedDecl(cx, c.sharedDecl[0]!);
  if (c.fnDecl) return fnDecl(cx, c.fnDecl[0]!);
  if (c.letStmt) {
    const s = letStmt(cx, c.letStmt[0]!);
    if (s.destructure) { err(cx, 'TH0121', {}, s.span); return null; }
    if (s.names.length === 0) return null;
    return { kind: 'Const', name: s.names[0]!, value: s.value, span: s.span };
  }
  if (c.returnStmt) {
    // The value is still converted: a mistake inside it (`return not`...) is a mistake of its own.
    returnStmt(cx, c.returnStmt[0]!);
    err(cx, 'TH0116', {}, cover(cx, cx.origin, c.returnStmt[0]!.children.Return?.[0]));
    return null;
  }
  if (c.simpleStmt) {
    const s = simpleStmt(cx, c.simpleStmt[0]!, 'top');
    if (s?.kind === 'Update') err(cx, 'TH0119', { name: s.target.name }, s.span);
    return null;
  }
  return null;
}

function useDecl(cx: Cx, n: C.UseDeclCstNode): A.UseDecl | null {
  const c = n.children;
  const span = cover(cx, cx.origin, c.Use?.[0], c.Identifier?.[0], c.StringLit?.[0]);
  if (c.Identifier?.[0] && realToken(c.Identifier[0])) return { kind: 'Use', target: { kind: 'Module', name: ident(cx, c.Identifier[0]) }, span };
  if (c.StringLit?.[0] && realToken(c.StringLit[0])) return { kind: 'Use', target: { kind: 'Path', path: stringLit(cx, c.StringLit[0]) }, span };
  return null;
}

function typeDecl(cx: Cx, n: C.TypeDeclCstNode): A.TypeDecl | null {
  const c = n.children;
  const name = declName(cx, c.declName?.[0]), t = c.typeExpr?.[0];
  const type = t ? typeExpr(cx, t) : null;
  if (!name || !type) return null;
  const span = cover(cx, type.span, c.Type?.[0], type.span);
  return { kind: 'TypeAlias', name, type, span };
}

function sharedDecl(cx: Cx, n: C.SharedDeclCstNode): A.SharedDecl | null {
  const c = n.children;
  const name = declName(cx, c.declName?.[0]);
  if (!name) return null;
  const type = c.typeExpr?.[0] ? typeExpr(cx, c.typeExpr[0]) : null;
  const base = cover(cx, name.span, c.Shared?.[0], name, type);
  const init = c.Assign ? exprOr(cx, c.expression?.[0], base) : null;
  if (!type) {
    if (!c.Colon) err(cx, 'TH0125', { name: name.name }, name.span);
    return null;
  }
  return { kind: 'Shared', name, type, init, span: init ? join(base, init.span) : base };
}

function fnDecl(cx: Cx, n: C.FnDeclCstNode): A.FnDecl | null {
  const c = n.children;
  const name = declName(cx, c.declName?.[0]);
  if (!name) return null;
  const head = cover(cx, name.span, c.Fn?.[0], name, c.RParen?.[0]);
  const paramNodes = c.param ?? [];
  checkList(cx, paramNodes, c.Comma, 'a parameter');
  const params: A.Param[] = [];
  for (const p of paramNodes) {
    const q = param(cx, p);
    if (q) params.push(q);
  }
  let body: A.FnDecl['body'];
  if (c.block?.[0]) {
    const b = block(cx, c.block[0], name.name, head);
    body = { kind: 'Block', stmts: b.stmts, span: b.span };
  } else {
    body = { kind: 'ExprBody', expr: exprOr(cx, c.expression?.[0], head) };
  }
  const bodySpan = body.kind === 'Block' ? body.span : body.expr.span;
  return { kind: 'Fn', name, params, body, span: join(head, bodySpan) };
}

function param(cx: Cx, n: C.ParamCstNode): A.Param | null {
  const c = n.children;
  const name = declName(cx, c.declName?.[0]);
  if (!name) return null;
  const type = c.typeExpr?.[0] ? typeExpr(cx, c.typeExpr[0]) : null;
  const def = c.Assign ? exprOr(cx, c.expression?.[0], type?.span ?? name.span) : null;
  return { name, type, default: def, span: cover(cx, name.span, name, type, def) };
}

function typeExpr(cx: Cx, n: C.TypeExprCstNode): A.TypeExpr | null {
  const c = n.children;
  const nameTok = c.Identifier?.[0];
  if (!nameTok || !realToken(nameTok)) return null;
  const name = ident(cx, nameTok);
  if (!c.LBracket) return { kind: 'TypeExpr', name, shape: null, span: name.span };
  const dimNodes = c.dim ?? [];
  checkList(cx, dimNodes, c.Comma, 'a dimension');
  const shape: A.DimExpr[] = [];
  for (const d of dimNodes) {
    const x = dim(cx, d);
    if (x) shape.push(x);
  }
  return { kind: 'TypeExpr', name, shape, span: cover(cx, name.span, name, c.RBracket?.[0], ...shape.map(d => d.span)) };
}

function dim(cx: Cx, n: C.DimCstNode): A.DimExpr | null {
  const c = n.children;
  const num = c.NumberLit?.[0], id = c.Identifier?.[0];
  if (num && realToken(num)) {
    const span = tokSpan(cx, num);
    const v = checkNumber(num.image);
    if (v && !v.isInt) err(cx, 'TH0124', { text: num.image }, span);
    return { kind: 'DimNum', value: v?.isInt ? v.value : 0, span };
  }
  if (id && realToken(id)) {
    const span = tokSpan(cx, id);
    return id.image === '_' ? { kind: 'DimAny', span } : { kind: 'DimName', name: id.image, span };
  }
  return null;
}

// ---------------------------------------------------------------- statements

function block(cx: Cx, n: C.BlockCstNode, fnName: string, near: Span): { stmts: A.Stmt[]; span: Span } {
  const c = n.children;
  const close = c.RBrace?.[0];
  const span = cover(cx, near, c.LBrace?.[0], close);
  const stmts: A.Stmt[] = [];
  for (const s of c.stmt ?? []) {
    const st = stmt(cx, s);
    if (st) stmts.push(st);
  }
  const ret = stmts.findIndex(s => s.kind === 'Return');
  if (ret >= 0 && ret < stmts.length - 1) {
    err(cx, 'TH0115', {}, stmts[ret + 1]!.span, { secondary: [{ span: stmts[ret]!.span, message: syntaxLabels.returnHere }] });
  }
  // A missing `}` was already reported; "no return" at a guessed position would only add noise.
  if (ret < 0 && close && realToken(close) && !n.recoveredNode) err(cx, 'TH0114', { name: fnName }, tokSpan(cx, close));
  return { stmts, span };
}

function stmt(cx: Cx, n: C.StmtCstNode): A.Stmt | null {
  const c = n.children;
  if (c.letStmt) {
    const s = letStmt(cx, c.letStmt[0]!);
    return s.names.length ? s : null; // no name: the parse error was reported
  }
  if (c.returnStmt) return returnStmt(cx, c.returnStmt[0]!);
  if (c.simpleStmt) return simpleStmt(cx, c.simpleStmt[0]!, 'block');
  return null;
}

function letStmt(cx: Cx, n: C.LetStmtCstNode): A.LetStmt {
  const c = n.children;
  const base = cover(cx, cx.origin, c.Let?.[0]);
  const destructure = c.LParen !== undefined;
  if (destructure) checkList(cx, c.tupleName ?? [], c.Comma, 'a name');
  const single = declName(cx, c.declName?.[0]);
  const names = destructure ? (c.tupleName ?? []).filter(realToken).map(t => ident(cx, t)) : single ? [single] : [];
  const head = cover(cx, base, base, c.RParen?.[0], ...names, c.Assign?.[0]);
  const value = exprOr(cx, c.expression?.[0], head);
  return { kind: 'Let', names, destructure, value, span: join(head, value.span) };
}

function returnStmt(cx: Cx, n: C.ReturnStmtCstNode): A.ReturnStmt {
  const c = n.children;
  const kw = cover(cx, cx.origin, c.Return?.[0]);
  let value = exprOr(cx, c.expression?.[0], kw);
  if (c.extra?.length) {
    const items = [value, ...c.extra.map(e => expression(cx, e, kw))];
    const span = cover(cx, value.span, ...items);
    err(cx, 'TH0122', { values: items.map(i => textOf(cx, i.span)).join(', ') }, items[1]!.span);
    value = { kind: 'Tuple', items, span };
  }
  return { kind: 'Return', value, span: join(kw, value.span) };
}

/** `name <- e`, or a bare expression (an error in every position; `where` picks the wording). */
function simpleStmt(cx: Cx, n: C.SimpleStmtCstNode, where: 'block' | 'top'): A.Stmt | null {
  const c = n.children;
  const target = c.target?.[0];
  if (target && realToken(target)) {
    const t = ident(cx, target);
    const value = exprOr(cx, c.value?.[0], maybeTokSpan(cx, c.LArrow?.[0]) ?? t.span);
    return { kind: 'Update', target: t, value, span: join(t.span, value.span) };
  }
  const e = c.expression?.[0];
  if (!e) return null;
  // `b = 3` and `x[0] <- 1` as statements: one statement-level error instead of TH0112/TH0113.
  const op = assignLikeOp(e);
  if (op) {
    const expr = expression(cx, e, cx.origin, true);
    const left = expr.kind === 'Binary' ? expr.left : expr;
    if (op.tokenType === T.Assign) err(cx, 'TH0118', { name: textOf(cx, left.span) }, tokSpan(cx, op));
    else err(cx, 'TH0120', { target: textOf(cx, left.span) }, left.span);
    return { kind: 'ExprStmt', expr, span: expr.span };
  }
  const expr = expression(cx, e, cx.origin);
  if (expr.kind !== 'ErrorExpr') err(cx, where === 'top' ? 'TH0109' : 'TH0117', {}, expr.span);
  return { kind: 'ExprStmt', expr, span: expr.span };
}

// ---------------------------------------------------------------- leaves

/** A declared name; a keyword in its place is reported (TH0126) and kept, so parsing goes on. */
function declName(cx: Cx, n: C.DeclNameCstNode | undefined): A.Ident | null {
  const id = n?.children.Identifier?.[0];
  if (id && realToken(id)) return ident(cx, id);
  const kw = n?.children.Keyword?.[0];
  if (!kw || !realToken(kw)) return null;
  const name = ident(cx, kw);
  err(cx, 'TH0126', { name: kw.image }, name.span);
  return name;
}

/** The identifier of a real token. */
const ident = (cx: Cx, tok: IToken): A.Ident => ({ kind: 'Ident', name: tok.image, span: tokSpan(cx, tok) });

const stringLit = (cx: Cx, tok: IToken): A.StringLit => ({ kind: 'String', value: decodeString(tok.image).value, span: tokSpan(cx, tok) });

/** Renders a secondary label from the syntax label table (exported for parse.ts). */
export const syntaxLabel = (key: keyof typeof syntaxLabels, args: DiagArgs): string => fillTemplate(syntaxLabels[key], args);
