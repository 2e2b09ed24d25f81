/**
 * @file CST -> AST: one function per grammar rule (named like the rule), over the generated CST types.
 * Consumes: a (possibly recovered) ProgramCstNode. Produces: AST declarations with a Span on every
 * node, and reports the error productions (`**`, chained comparisons, `=` and `<-` in expressions,
 * bare expressions, misplaced `return`). Never throws: missing pieces become ErrorExpr placeholders.
 */
import type { IToken } from 'chevrotain';
import type { SourceFile } from '../source/source-file.js';
import { joinSpans, type Span } from '../source/span.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { DiagArgs, DiagExtras } from '../diag/diagnostic.js';
import { fillTemplate } from '../diag/codes.js';
import { syntaxLabels } from '../diag/codes/syntax.js';
import type * as A from './ast.js';
import type * as C from './cst.js';
import { isToken } from './parser.js';
import * as T from './tokens.js';
import { checkNumber, decodeString } from './tokens.js';

interface Cx {
  readonly file: SourceFile;
  readonly sink: DiagnosticSink;
  /** Comparison nodes whose `=`/`<-` a statement-level check already reported. */
  readonly quiet: Set<C.ComparisonCstNode>;
}

// ---------------------------------------------------------------- spans

type Piece = Span | IToken | A.Expr | { readonly span: Span } | null | undefined;

const realToken = (t: IToken): boolean => !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && Number.isFinite(t.endOffset);

function makeSpan(cx: Cx, start: number, end: number): Span {
  const s = cx.file.position(start), e = cx.file.position(end);
  return { file: cx.file.name, start, end, line: s.line, col: s.col, endLine: e.line, endCol: e.col };
}

function pieceSpan(cx: Cx, p: Piece): Span | null {
  if (!p) return null;
  if ('tokenType' in p) return realToken(p) ? makeSpan(cx, p.startOffset, p.endOffset! + 1) : null;
  if ('span' in p) return p.span;
  return p as Span;
}

/** The span covering every known piece; `fallback` when none is known (recovery removed them all). */
function cover(cx: Cx, fallback: Span, ...pieces: Piece[]): Span {
  let out: Span | null = null;
  for (const p of pieces) {
    const s = pieceSpan(cx, p);
    if (s) out = out ? joinSpans(out, s) : s;
  }
  return out ?? fallback;
}

/** A zero-width span right after `s` (where something missing should have been). */
const after = (s: Span): Span => ({ ...s, start: s.end, line: s.endLine, col: s.endCol });

const textOf = (cx: Cx, s: Span): string => cx.file.text.slice(s.start, s.end);

function cstSpan(cx: Cx, n: { location?: { startOffset: number; endOffset?: number } } | undefined, fallback: Span): Span {
  const loc = n?.location;
  if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset)) return makeSpan(cx, loc.startOffset, loc.endOffset! + 1);
  return fallback;
}

function err(cx: Cx, code: string, args: DiagArgs, span: Span, extras?: DiagExtras): void {
  cx.sink.error(code, args, span, extras);
}

const label = (template: string, args: DiagArgs): string => fillTemplate(template, args);

// ---------------------------------------------------------------- declarations

/** Converts one parsed chunk of a file into declarations (errors at top level yield nothing). */
export function programToAst(cst: C.ProgramCstNode, file: SourceFile, sink: DiagnosticSink): A.Decl[] {
  const cx: Cx = { file, sink, quiet: new Set() };
  const out: A.Decl[] = [];
  for (const item of cst.children.topItem ?? []) {
    const d = topItem(cx, item);
    if (d) out.push(d);
  }
  return out;
}

function topItem(cx: Cx, n: C.TopItemCstNode): A.Decl | null {
  const c = n.children;
  const here = cstSpan(cx, n, makeSpan(cx, 0, 0));
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
    const r = c.returnStmt[0]!;
    err(cx, 'TH0116', {}, cover(cx, here, r.children.Return?.[0]));
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
  const span = cover(cx, cstSpan(cx, n, makeSpan(cx, 0, 0)), c.Use?.[0], c.Identifier?.[0], c.StringLit?.[0]);
  if (c.Identifier?.[0] && realToken(c.Identifier[0])) return { kind: 'Use', target: { kind: 'Module', name: ident(cx, c.Identifier[0], span) }, span };
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
  const init = c.Assign ? exprOr(cx, c.expression?.[0], after(base)) : null;
  if (!type) {
    if (!c.Colon) err(cx, 'TH0125', { name: name.name }, name.span);
    return null;
  }
  return { kind: 'Shared', name, type, init, span: cover(cx, base, base, init) };
}

function fnDecl(cx: Cx, n: C.FnDeclCstNode): A.FnDecl | null {
  const c = n.children;
  const name = declName(cx, c.declName?.[0]);
  if (!name) return null;
  const head = cover(cx, name.span, c.Fn?.[0], name, c.RParen?.[0]);
  checkList(cx, c.param ?? [], c.Comma ?? [], 'a parameter');
  const params = (c.param ?? []).map(p => param(cx, p)).filter((p): p is A.Param => p !== null);
  let body: A.FnDecl['body'];
  if (c.block?.[0]) {
    const b = block(cx, c.block[0], name.name, head);
    body = { kind: 'Block', stmts: b.stmts, span: b.span };
  } else {
    body = { kind: 'ExprBody', expr: exprOr(cx, c.expression?.[0], after(head)) };
  }
  const bodySpan = body.kind === 'Block' ? body.span : body.expr.span;
  return { kind: 'Fn', name, params, body, span: cover(cx, head, head, bodySpan) };
}

function param(cx: Cx, n: C.ParamCstNode): A.Param | null {
  const c = n.children;
  const name = declName(cx, c.declName?.[0]);
  if (!name) return null;
  const type = c.typeExpr?.[0] ? typeExpr(cx, c.typeExpr[0]) : null;
  const def = c.Assign ? exprOr(cx, c.expression?.[0], after(type?.span ?? name.span)) : null;
  return { name, type, default: def, span: cover(cx, name.span, name, type, def) };
}

function typeExpr(cx: Cx, n: C.TypeExprCstNode): A.TypeExpr | null {
  const c = n.children;
  const nameTok = c.Identifier?.[0];
  if (!nameTok || !realToken(nameTok)) return null;
  const name = ident(cx, nameTok, makeSpan(cx, 0, 0));
  if (!c.LBracket) return { kind: 'TypeExpr', name, shape: null, span: name.span };
  checkList(cx, c.dim ?? [], c.Comma ?? [], 'a dimension');
  const shape = (c.dim ?? []).map(d => dim(cx, d)).filter((d): d is A.DimExpr => d !== null);
  return { kind: 'TypeExpr', name, shape, span: cover(cx, name.span, name, c.RBracket?.[0], ...shape.map(d => d.span)) };
}

function dim(cx: Cx, n: C.DimCstNode): A.DimExpr | null {
  const c = n.children;
  const num = c.NumberLit?.[0], id = c.Identifier?.[0];
  if (num && realToken(num)) {
    const span = pieceSpan(cx, num)!;
    const v = checkNumber(num.image);
    if (v && !v.isInt) err(cx, 'TH0124', { text: num.image }, span);
    return { kind: 'DimNum', value: v?.isInt ? v.value : 0, span };
  }
  if (id && realToken(id)) {
    const span = pieceSpan(cx, id)!;
    return id.image === '_' ? { kind: 'DimAny', span } : { kind: 'DimName', name: id.image, span };
  }
  return null;
}

// ---------------------------------------------------------------- statements

function block(cx: Cx, n: C.BlockCstNode, fnName: string, near: Span): { stmts: A.Stmt[]; span: Span } {
  const c = n.children;
  const close = c.RBrace?.[0];
  const span = cover(cx, cstSpan(cx, n, after(near)), c.LBrace?.[0], close);
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
  if (ret < 0 && close && realToken(close) && !n.recoveredNode) err(cx, 'TH0114', { name: fnName }, pieceSpan(cx, close)!);
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
  const base = cover(cx, cstSpan(cx, n, makeSpan(cx, 0, 0)), c.Let?.[0]);
  const destructure = c.LParen !== undefined;
  if (destructure) checkList(cx, c.tupleName ?? [], c.Comma ?? [], 'a name');
  const single = declName(cx, c.declName?.[0]);
  const names = destructure ? (c.tupleName ?? []).filter(realToken).map(t => ident(cx, t, base)) : single ? [single] : [];
  const head = cover(cx, base, base, c.RParen?.[0], ...names, c.Assign?.[0]);
  const value = exprOr(cx, c.expression?.[0], after(head));
  return { kind: 'Let', names, destructure, value, span: cover(cx, head, head, value) };
}

function returnStmt(cx: Cx, n: C.ReturnStmtCstNode): A.ReturnStmt {
  const c = n.children;
  const kw = cover(cx, cstSpan(cx, n, makeSpan(cx, 0, 0)), c.Return?.[0]);
  let value = exprOr(cx, c.expression?.[0], after(kw));
  if (c.extra?.length) {
    const items = [value, ...c.extra.map(e => expression(cx, e))];
    const span = cover(cx, value.span, ...items);
    err(cx, 'TH0122', { values: items.map(i => textOf(cx, i.span)).join(', ') }, items[1]!.span);
    value = { kind: 'Tuple', items, span };
  }
  return { kind: 'Return', value, span: cover(cx, kw, kw, value) };
}

/** `name <- e`, or a bare expression (an error in every position; `where` picks the wording). */
function simpleStmt(cx: Cx, n: C.SimpleStmtCstNode, where: 'block' | 'top'): A.Stmt | null {
  const c = n.children;
  const target = c.target?.[0];
  if (target && realToken(target)) {
    const t = ident(cx, target, makeSpan(cx, 0, 0));
    const value = exprOr(cx, c.value?.[0], after(pieceSpan(cx, c.LArrow?.[0]) ?? t.span));
    return { kind: 'Update', target: t, value, span: cover(cx, t.span, t, value) };
  }
  const e = c.expression?.[0];
  if (!e) return null;
  const cmp = soleComparison(e);
  const op = cmp?.children.op;
  if (cmp && op?.length === 1 && (isToken(op[0], T.Assign) || isToken(op[0], T.LArrow))) {
    cx.quiet.add(cmp);
    const expr = expression(cx, e);
    const left = expr.kind === 'Binary' ? expr.left : expr;
    if (isToken(op[0], T.Assign)) err(cx, 'TH0118', { name: textOf(cx, left.span) }, pieceSpan(cx, op[0]) ?? expr.span);
    else err(cx, 'TH0120', { target: textOf(cx, left.span) }, left.span);
    return { kind: 'ExprStmt', expr, span: expr.span };
  }
  const expr = expression(cx, e);
  if (expr.kind !== 'ErrorExpr') err(cx, where === 'top' ? 'TH0109' : 'TH0117', {}, expr.span);
  return { kind: 'ExprStmt', expr, span: expr.span };
}

/** The comparison node when `e` is exactly one comparison (no `or`/`and`/`not` around it). */
function soleComparison(e: C.ExpressionCstNode): C.ComparisonCstNode | undefined {
  const or = e.children.orExpr?.[0];
  if (!or || or.children.Or || (or.children.andExpr?.length ?? 0) !== 1) return undefined;
  const and = or.children.andExpr![0]!;
  if (and.children.And || (and.children.notExpr?.length ?? 0) !== 1) return undefined;
  return and.children.notExpr![0]!.children.comparison?.[0];
}

// ---------------------------------------------------------------- expressions

function exprOr(cx: Cx, n: C.ExpressionCstNode | undefined, near: Span): A.Expr {
  return n ? expression(cx, n, near) : { kind: 'ErrorExpr', span: near };
}

function expression(cx: Cx, n: C.ExpressionCstNode, near?: Span): A.Expr {
  const fallback = cstSpan(cx, n, near ?? makeSpan(cx, 0, 0));
  const or = n.children.orExpr?.[0];
  return or ? orExpr(cx, or, fallback) : { kind: 'ErrorExpr', span: fallback };
}

/** Left-folds `operands[0] op operands[1] op ...`; a missing operand (recovery) becomes ErrorExpr. */
function foldLeft(cx: Cx, operands: A.Expr[], ops: IToken[], opOf: (t: IToken) => A.BinaryOp, fallback: Span): A.Expr {
  let acc = operands[0] ?? { kind: 'ErrorExpr', span: fallback };
  ops.forEach((t, i) => {
    const opSpan = pieceSpan(cx, t) ?? after(acc.span);
    const right = operands[i + 1] ?? { kind: 'ErrorExpr', span: after(opSpan) };
    acc = { kind: 'Binary', op: opOf(t), left: acc, right, opSpan, span: cover(cx, opSpan, acc, right) };
  });
  return acc;
}

function orExpr(cx: Cx, n: C.OrExprCstNode, fb: Span): A.Expr {
  const operands = (n.children.andExpr ?? []).map(a => andExpr(cx, a, fb));
  return foldLeft(cx, operands, n.children.Or ?? [], () => 'or', fb);
}

function andExpr(cx: Cx, n: C.AndExprCstNode, fb: Span): A.Expr {
  const operands = (n.children.notExpr ?? []).map(a => notExpr(cx, a, fb));
  return foldLeft(cx, operands, n.children.And ?? [], () => 'and', fb);
}

function notExpr(cx: Cx, n: C.NotExprCstNode, fb: Span): A.Expr {
  const c = n.children;
  const kw = c.Not?.[0];
  if (kw) {
    const opSpan = pieceSpan(cx, kw) ?? fb;
    const operand: A.Expr = c.notExpr?.[0] ? notExpr(cx, c.notExpr[0], after(opSpan)) : { kind: 'ErrorExpr', span: after(opSpan) };
    return { kind: 'Unary', op: 'not', operand, opSpan, span: cover(cx, opSpan, opSpan, operand) };
  }
  return c.comparison?.[0] ? comparison(cx, c.comparison[0], fb) : { kind: 'ErrorExpr', span: fb };
}

function comparison(cx: Cx, n: C.ComparisonCstNode, fb: Span): A.Expr {
  const operands = (n.children.additive ?? []).map(a => additive(cx, a, fb));
  const ops = n.children.op ?? [];
  const quiet = cx.quiet.has(n);
  const text = (i: number): string => (operands[i] ? textOf(cx, operands[i]!.span) : '...');
  ops.forEach((t, i) => {
    const at = pieceSpan(cx, t);
    if (!at || quiet) return;
    if (isToken(t, T.Assign)) err(cx, 'TH0112', { left: text(i), right: text(i + 1) }, at);
    if (isToken(t, T.LArrow)) err(cx, 'TH0113', { left: text(i), right: text(i + 1) }, at);
  });
  if (ops.length > 1 && pieceSpan(cx, ops[1])) {
    const args = { left: text(0), op1: ops[0]!.image, mid: text(1), op2: ops[1]!.image, right: text(2) };
    const first = pieceSpan(cx, ops[0]);
    err(cx, 'TH0111', args, pieceSpan(cx, ops[1])!, { secondary: first ? [{ span: first, message: syntaxLabels.firstComparison }] : [] });
  }
  // `=` and `<-` become what the user most likely meant (`==`, `< -x`) so later phases see sane trees.
  const fixed = operands.map((o, i) => (i > 0 && isToken(ops[i - 1], T.LArrow) ? negate(o, pieceSpan(cx, ops[i - 1]) ?? o.span) : o));
  return foldLeft(cx, fixed, ops, t => (isToken(t, T.Assign) ? '==' : isToken(t, T.LArrow) ? '<' : (t.image as A.BinaryOp)), fb);
}

const negate = (e: A.Expr, opSpan: Span): A.Expr => ({ kind: 'Unary', op: '-', operand: e, opSpan, span: joinSpans(opSpan, e.span) });

function additive(cx: Cx, n: C.AdditiveCstNode, fb: Span): A.Expr {
  const operands = (n.children.multiplicative ?? []).map(a => multiplicative(cx, a, fb));
  return foldLeft(cx, operands, n.children.AddOp ?? [], t => t.image as A.BinaryOp, fb);
}

function multiplicative(cx: Cx, n: C.MultiplicativeCstNode, fb: Span): A.Expr {
  const operands = (n.children.unary ?? []).map(a => unary(cx, a, fb));
  return foldLeft(cx, operands, n.children.MulOp ?? [], t => t.image as A.BinaryOp, fb);
}

function unary(cx: Cx, n: C.UnaryCstNode, fb: Span): A.Expr {
  const c = n.children;
  const opTok = c.UnaryOp?.[0];
  if (opTok) {
    const opSpan = pieceSpan(cx, opTok) ?? fb;
    const operand: A.Expr = c.unary?.[0] ? unary(cx, c.unary[0], after(opSpan)) : { kind: 'ErrorExpr', span: after(opSpan) };
    return { kind: 'Unary', op: opTok.image as A.UnaryOp, operand, opSpan, span: cover(cx, opSpan, opSpan, operand) };
  }
  return c.power?.[0] ? power(cx, c.power[0], fb) : { kind: 'ErrorExpr', span: fb };
}

function power(cx: Cx, n: C.PowerCstNode, fb: Span): A.Expr {
  const c = n.children;
  const base = c.postfix?.[0] ? postfix(cx, c.postfix[0], fb) : ({ kind: 'ErrorExpr', span: fb } as A.Expr);
  const opTok = c.PowOp?.[0];
  if (!opTok) return base;
  const opSpan = pieceSpan(cx, opTok) ?? after(base.span);
  const exp: A.Expr = c.unary?.[0] ? unary(cx, c.unary[0], after(opSpan)) : { kind: 'ErrorExpr', span: after(opSpan) };
  if (isToken(opTok, T.StarStar)) err(cx, 'TH0110', { left: textOf(cx, base.span), right: textOf(cx, exp.span) }, opSpan);
  return { kind: 'Binary', op: '^', left: base, right: exp, opSpan, span: cover(cx, opSpan, base, exp) };
}

function postfix(cx: Cx, n: C.PostfixCstNode, fb: Span): A.Expr {
  const c = n.children;
  let acc = c.primary?.[0] ? primary(cx, c.primary[0], fb) : ({ kind: 'ErrorExpr', span: fb } as A.Expr);
  for (const s of c.suffix ?? []) acc = suffix(cx, s, acc);
  return acc;
}

function suffix(cx: Cx, n: C.SuffixCstNode, target: A.Expr): A.Expr {
  const c = n.children;
  if (c.callSuffix?.[0]) {
    const k = c.callSuffix[0].children;
    const span = cover(cx, target.span, target, k.RParen?.[0], k.LParen?.[0]);
    checkList(cx, k.arg ?? [], k.Comma ?? [], 'an argument');
    return { kind: 'Call', callee: target, args: args(cx, k.arg ?? [], span), span };
  }
  if (c.indexSuffix?.[0]) {
    const k = c.indexSuffix[0].children;
    const span = cover(cx, target.span, target, k.RBracket?.[0], k.LBracket?.[0]);
    // The grammar is `item ("," item)* "]"`, so item i ends at comma i (or at the `]`).
    const seps = [...(k.Comma ?? []), ...(k.RBracket ?? [])];
    const parts = k.indexItem ?? [];
    // A trailing comma (`x[1,]`) leaves an empty last item, which numpy-style indexing allows.
    const last = parts[parts.length - 1];
    const kept = parts.length > 1 && last && !last.children.start && !last.children.colon ? parts.slice(0, -1) : parts;
    const items = kept.map((it, i) => indexItem(cx, it, span, seps[i]));
    return { kind: 'Index', target, items, span };
  }
  const m = c.memberSuffix?.[0]?.children;
  const id = m?.Identifier?.[0];
  if (!id || !realToken(id)) return target;
  const member = ident(cx, id, target.span);
  return { kind: 'Member', target, member, span: cover(cx, target.span, target, member) };
}

function args(cx: Cx, ns: C.ArgCstNode[], near: Span): A.Arg[] {
  const out: A.Arg[] = [];
  let sawKeyword: A.Arg | null = null;
  for (const n of ns) {
    const c = n.children;
    const key = c.key?.[0];
    if (key && realToken(key)) {
      const name = ident(cx, key, near);
      const value = exprOr(cx, c.value?.[0], after(pieceSpan(cx, c.Assign?.[0]) ?? name.span));
      const a: A.Arg = { name, value, span: cover(cx, name.span, name, value) };
      sawKeyword ??= a;
      out.push(a);
      continue;
    }
    const value = exprOr(cx, c.expression?.[0], near);
    if (sawKeyword && value.kind !== 'ErrorExpr') {
      err(cx, 'TH0123', {}, value.span, { secondary: [{ span: sawKeyword.span, message: syntaxLabels.keywordArgHere }] });
    }
    out.push({ name: null, value, span: value.span });
  }
  return out;
}

function indexItem(cx: Cx, n: C.IndexItemCstNode, near: Span, sep: IToken | undefined): A.IndexItem {
  const c = n.children;
  const start = c.start?.[0] ? expression(cx, c.start[0], near) : null;
  const colons = c.colon ?? [];
  const fb = cstSpan(cx, n, near);
  if (colons.length === 0) {
    if (start) return { kind: 'IndexExpr', expr: start, span: start.span };
    // `x[]` or `x[1,,2]`: report at the token that follows the empty item.
    const at = pieceSpan(cx, sep) ?? fb;
    if (sep && realToken(sep)) err(cx, 'TH0102', { expected: 'an index', found: `\`${sep.image}\`` }, at);
    return { kind: 'IndexExpr', expr: { kind: 'ErrorExpr', span: at }, span: at };
  }
  const stop = c.stop?.[0] ? expression(cx, c.stop[0], near) : null;
  const step = c.step?.[0] ? expression(cx, c.step[0], near) : null;
  return { kind: 'Slice', start, stop, step, span: cover(cx, fb, start, ...colons, stop, step) };
}

function primary(cx: Cx, n: C.PrimaryCstNode, fb: Span): A.Expr {
  const c = n.children;
  const tok = c.NumberLit?.[0] ?? c.True?.[0] ?? c.False?.[0] ?? c.StringLit?.[0] ?? c.Identifier?.[0];
  if (tok) {
    const span = pieceSpan(cx, tok);
    if (!span) return { kind: 'ErrorExpr', span: fb };
    if (isToken(tok, T.NumberLit)) {
      const v = checkNumber(tok.image); // invalid numbers were reported by the lexical scan
      return v ? { kind: 'Number', value: v.value, isInt: v.isInt, text: tok.image, span } : { kind: 'ErrorExpr', span };
    }
    if (isToken(tok, T.True) || isToken(tok, T.False)) return { kind: 'Bool', value: isToken(tok, T.True), span };
    if (isToken(tok, T.StringLit)) return stringLit(cx, tok);
    return { kind: 'Name', name: tok.image, span };
  }
  if (c.parenExpr?.[0]) return parenExpr(cx, c.parenExpr[0], fb);
  if (c.arrayExpr?.[0]) return arrayExpr(cx, c.arrayExpr[0], fb);
  return { kind: 'ErrorExpr', span: cstSpan(cx, n, fb) };
}

function parenExpr(cx: Cx, n: C.ParenExprCstNode, fb: Span): A.Expr {
  const c = n.children;
  const span = cover(cx, cstSpan(cx, n, fb), c.LParen?.[0], c.RParen?.[0]);
  const items = (c.expression ?? []).map(e => expression(cx, e, span));
  checkList(cx, c.expression ?? [], c.Comma ?? [], 'an expression');
  if (items.length === 1 && !c.Comma) return { kind: 'Paren', expr: items[0]!, span };
  return { kind: 'Tuple', items, span };
}

function arrayExpr(cx: Cx, n: C.ArrayExprCstNode, fb: Span): A.Expr {
  const c = n.children;
  const span = cover(cx, cstSpan(cx, n, fb), c.LBracket?.[0], c.RBracket?.[0]);
  checkList(cx, c.expression ?? [], c.Comma ?? [], 'an expression');
  return { kind: 'Array', items: (c.expression ?? []).map(e => expression(cx, e, span)), span };
}

// ---------------------------------------------------------------- leaves and helpers

/** A declared name; a keyword in its place is reported (TH0126) and kept, so parsing goes on. */
function declName(cx: Cx, n: C.DeclNameCstNode | undefined): A.Ident | null {
  const id = n?.children.Identifier?.[0];
  if (id && realToken(id)) return ident(cx, id, makeSpan(cx, 0, 0));
  const kw = n?.children.Keyword?.[0];
  if (!kw || !realToken(kw)) return null;
  const name = ident(cx, kw, makeSpan(cx, 0, 0));
  err(cx, 'TH0126', { name: kw.image }, name.span);
  return name;
}

function ident(cx: Cx, tok: IToken, fallback: Span): A.Ident {
  return { kind: 'Ident', name: tok.image, span: pieceSpan(cx, tok) ?? fallback };
}

function stringLit(cx: Cx, tok: IToken): A.StringLit {
  return { kind: 'String', value: decodeString(tok.image).value, span: pieceSpan(cx, tok)! };
}

type Located = IToken | { location?: { startOffset: number } };
const startOf = (x: Located): number => ('tokenType' in x ? x.startOffset : x.location?.startOffset ?? NaN);

/**
 * Checks the optional-item comma lists (`(a, b,)` is fine, `(a,, b)` is not): the grammar accepts
 * an empty slot after any comma so that a trailing comma works; a comma must follow an item.
 */
function checkList(cx: Cx, items: Located[], commas: IToken[], what: string): void {
  const seq = [...items.map(i => ({ comma: false, at: startOf(i), tok: undefined as IToken | undefined })),
    ...commas.map(t => ({ comma: true, at: startOf(t), tok: t }))]
    .filter(x => Number.isFinite(x.at)).sort((a, b) => a.at - b.at);
  let needItem = true;
  for (const x of seq) {
    if (x.comma && needItem && x.tok && realToken(x.tok)) {
      err(cx, 'TH0102', { expected: what, found: '`,`' }, pieceSpan(cx, x.tok)!);
      return;
    }
    needItem = x.comma;
  }
}

/** Renders a secondary label from the syntax label table (exported for parse.ts). */
export const syntaxLabel = (key: keyof typeof syntaxLabels, args: DiagArgs): string => label(syntaxLabels[key], args);
