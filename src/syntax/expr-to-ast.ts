/**
 * @file Expression CST -> AST: precedence climbing over the parser's flat `operand (op operand)*`.
 * Consumes: ExpressionCstNode / OperandCstNode. Produces: A.Expr trees with spans, and reports the
 * expression error productions: `**` (TH0110), chained comparisons (TH0111), `=` (TH0112), `<-`
 * (TH0113), and `not` where the layered grammar had no room for it (TH0107, as the parser would).
 */
import type { IToken, TokenType } from 'chevrotain';
import type { Span } from '../source/span.js';
import { syntaxLabels } from '../diag/codes/syntax.js';
import type * as A from './ast.js';
import type * as C from './cst.js';
import { describeToken } from './parser.js';
import * as T from './tokens.js';
import { checkNumber, decodeString } from './tokens.js';
import { type Cx, after, checkList, cover, err, errorExpr, firstOffset, join, maybeTokSpan, pieceSpan, realToken, textOf, tokSpan } from './to-ast-cx.js';

// ---------------------------------------------------------------- precedence

// Loosest first. `not` is a prefix between `and` and the comparisons: `not a == b` is not (a == b).
// Unary `-`/`+` and `^` live inside an operand (see `operand`), so they need no level here.
const OR = 1, AND = 2, NOT = 3, CMP = 4, ADD = 5, MUL = 6;

const LEVEL: ReadonlyMap<TokenType, number> = new Map<TokenType, number>([
  [T.Or, OR], [T.And, AND],
  [T.EqEq, CMP], [T.NotEq, CMP], [T.Less, CMP], [T.LessEq, CMP], [T.Greater, CMP], [T.GreaterEq, CMP],
  [T.Assign, CMP], [T.LArrow, CMP], // error productions, at the level of the operator they stand for
  [T.Plus, ADD], [T.Minus, ADD],
  [T.Star, MUL], [T.Slash, MUL], [T.Percent, MUL], [T.At, MUL],
]);

const levelOf = (t: IToken): number => LEVEL.get(t.tokenType) ?? MUL;

/**
 * Longest chain of prefix operators (and nested `^` exponents) accepted. Later phases recurse once
 * per level; past this the chain is reported like a stack overflow (TH0127), as the layered
 * recursive parser did at about this depth.
 */
export const MAX_PREFIX_CHAIN = 1024;

/**
 * Placeholders for operands that recovery left empty (`= <= x`: the parser already reported the
 * missing expression). An operator next to one is not reported again as an error production.
 */
const holes = new WeakSet<A.Expr>();

function hole(span: Span): A.Expr {
  const e = errorExpr(span);
  holes.add(e);
  return e;
}

/** The expression being climbed: its operands and operators, and how far it has been read. */
interface Climb {
  readonly operands: readonly C.OperandCstNode[];
  readonly ops: readonly IToken[];
  /** Index of the next operand to read; the operator after operand k is ops[k]. */
  next: number;
  /** Leading `not` prefixes of operands[next] already turned into nodes. */
  prefix: number;
  /** The statement check reported `=` / `<-` already (see `assignLikeOp`). */
  readonly quiet: boolean;
  /** Where a missing operand goes: after this (the last operator read). */
  anchor: Span;
}

/** An expression; `quiet` when its single `=` / `<-` was reported by the statement check. */
export function expression(cx: Cx, n: C.ExpressionCstNode, anchor: Span, quiet = false): A.Expr {
  const operands = n.children.operand ?? [];
  if (operands.length === 0) return errorExpr(after(anchor));
  // Most expressions are one operand without operators or `not`: skip the climbing state.
  const ops = n.children.op;
  if (!ops && operands.length === 1 && operands[0]!.children.prefix?.[0]?.tokenType !== T.Not) return operand(cx, operands[0]!, 0, 0, anchor);
  const st: Climb = { operands, ops: n.children.op ?? [], next: 0, prefix: 0, quiet, anchor };
  return climb(cx, st, OR);
}

/** An expression, or an ErrorExpr right after `anchor` when recovery left none. */
export function exprOr(cx: Cx, n: C.ExpressionCstNode | undefined, anchor: Span): A.Expr {
  return n ? expression(cx, n, anchor) : errorExpr(after(anchor));
}

/**
 * The `=` or `<-` of an expression that is exactly one comparison with that operator (`b = 3`,
 * `x[0] <- 1`): statements report those with a statement-level message instead.
 */
export function assignLikeOp(n: C.ExpressionCstNode): IToken | undefined {
  let found: IToken | undefined;
  for (const t of n.children.op ?? []) {
    const level = levelOf(t);
    if (level < CMP) return undefined;
    if (level === CMP) {
      if (found) return undefined;
      found = t;
    }
  }
  if (!found || (found.tokenType !== T.Assign && found.tokenType !== T.LArrow)) return undefined;
  return n.children.operand?.[0]?.children.prefix?.[0]?.tokenType === T.Not ? undefined : found;
}

/** Reads operators of level >= min (left-assoc), starting with one operand. */
function climb(cx: Cx, st: Climb, min: number): A.Expr {
  let left = prefixed(cx, st, min);
  while (st.next <= st.ops.length) {
    const op = st.ops[st.next - 1]!;
    const level = levelOf(op);
    if (level < min) break;
    if (level === CMP) {
      left = comparison(cx, st, left);
      continue;
    }
    const opSpan = tokSpan(cx, op);
    st.anchor = opSpan;
    const right = climb(cx, st, level + 1);
    left = { kind: 'Binary', op: op.image as A.BinaryOp, left, right, opSpan, span: join(left.span, right.span) };
  }
  return left;
}

/** The next operand, or `not` applied to everything binding tighter than `and`. */
function prefixed(cx: Cx, st: Climb, min: number): A.Expr {
  const n = st.operands[st.next];
  if (!n) {
    st.next++;
    return hole(after(st.anchor));
  }
  const pre = n.children.prefix;
  const p = st.prefix;
  // A `not` stands at the start of an expression, after `and`/`or`, or after another `not`.
  if (pre && p < pre.length && pre[p]!.tokenType === T.Not && (min <= NOT || p > 0)) {
    if (pre.length > MAX_PREFIX_CHAIN) throw new RangeError('prefix operator chain too long');
    const opSpan = tokSpan(cx, pre[p]!);
    st.prefix = p + 1;
    st.anchor = opSpan;
    const operand = climb(cx, st, NOT + 1);
    return { kind: 'Unary', op: 'not', operand, opSpan, span: join(opSpan, operand.span) };
  }
  const e = operand(cx, n, p, 0, st.anchor);
  st.next++;
  st.prefix = 0;
  return e;
}

/** `a < b`, and the error productions: chains (`a < b < c`), `=` for `==`, `<-` for `< -`. */
function comparison(cx: Cx, st: Climb, first: A.Expr): A.Expr {
  const operands = [first];
  const ops: IToken[] = [];
  while (st.next <= st.ops.length && levelOf(st.ops[st.next - 1]!) === CMP) {
    const op = st.ops[st.next - 1]!;
    ops.push(op);
    st.anchor = tokSpan(cx, op);
    operands.push(climb(cx, st, CMP + 1));
  }
  const text = (i: number): string => (operands[i] ? textOf(cx, operands[i]!.span) : '...');
  if (!st.quiet) {
    ops.forEach((t, i) => {
      if (holes.has(operands[i]!)) return;
      if (t.tokenType === T.Assign) err(cx, 'TH0112', { left: text(i), right: text(i + 1) }, tokSpan(cx, t));
      if (t.tokenType === T.LArrow) err(cx, 'TH0113', { left: text(i), right: text(i + 1) }, tokSpan(cx, t));
    });
  }
  if (ops.length > 1 && !holes.has(first)) {
    const args = { left: text(0), op1: ops[0]!.image, mid: text(1), op2: ops[1]!.image, right: text(2) };
    err(cx, 'TH0111', args, tokSpan(cx, ops[1]!), { secondary: [{ span: tokSpan(cx, ops[0]!), message: syntaxLabels.firstComparison }] });
  }
  // `=` and `<-` become what the user most likely meant (`==`, `< -x`) so later phases see sane trees.
  let acc = first;
  ops.forEach((t, i) => {
    const opSpan = tokSpan(cx, t);
    let right = operands[i + 1]!;
    if (t.tokenType === T.LArrow) right = { kind: 'Unary', op: '-', operand: right, opSpan, span: join(opSpan, right.span) };
    const op = t.tokenType === T.Assign ? '==' : t.tokenType === T.LArrow ? '<' : (t.image as A.BinaryOp);
    acc = { kind: 'Binary', op, left: acc, right, opSpan, span: join(acc.span, right.span) };
  });
  return acc;
}

/**
 * One operand from its `from`-th prefix on: prefixes, atom, suffixes and `^` exponent. A `not`
 * among these prefixes (after `-`, in an exponent, or after a tighter operator) is an error.
 */
function operand(cx: Cx, n: C.OperandCstNode, from: number, depth: number, anchor: Span): A.Expr {
  const pre = n.children.prefix;
  const end = pre ? pre.length : 0;
  if (depth + end - from > MAX_PREFIX_CHAIN) throw new RangeError('prefix operator chain too long');
  let bad = end;
  for (let i = from; i < end; i++) if (pre![i]!.tokenType === T.Not) { bad = i; break; }
  let e: A.Expr;
  if (bad < end) {
    const at = tokSpan(cx, pre![bad]!);
    err(cx, 'TH0107', { found: describeToken(pre![bad]!) }, at);
    e = errorExpr(at);
  } else {
    e = powered(cx, n, depth + end - from, end > 0 ? tokSpan(cx, pre![end - 1]!) : anchor);
  }
  for (let i = bad - 1; i >= from; i--) {
    const t = pre![i]!;
    const opSpan = tokSpan(cx, t);
    e = { kind: 'Unary', op: t.image as A.UnaryOp, operand: e, opSpan, span: join(opSpan, e.span) };
  }
  return e;
}

/** The atom with its suffixes, raised to the exponent operand if there is one. */
function powered(cx: Cx, n: C.OperandCstNode, depth: number, anchor: Span): A.Expr {
  const c = n.children;
  const base = suffixes(cx, c, atom(cx, c, anchor));
  const pow = c.PowOp?.[0];
  if (!pow) return base;
  const opSpan = tokSpan(cx, pow);
  const expNode = c.exponent?.[0];
  const exp = expNode ? operand(cx, expNode, 0, depth + 1, opSpan) : errorExpr(after(opSpan));
  if (pow.tokenType === T.StarStar) err(cx, 'TH0110', { left: textOf(cx, base.span), right: textOf(cx, exp.span) }, opSpan);
  return { kind: 'Binary', op: '^', left: base, right: exp, opSpan, span: join(base.span, exp.span) };
}

function atom(cx: Cx, c: C.OperandCstChildren, anchor: Span): A.Expr {
  const tok = c.Identifier?.[0] ?? c.NumberLit?.[0] ?? c.StringLit?.[0] ?? c.True?.[0] ?? c.False?.[0];
  if (tok) {
    if (!realToken(tok)) return errorExpr(after(anchor));
    const span = tokSpan(cx, tok);
    switch (tok.tokenType) {
      case T.Identifier: return { kind: 'Name', name: tok.image, span };
      case T.NumberLit: {
        const v = checkNumber(tok.image); // invalid numbers were reported by the lexical scan
        return v ? { kind: 'Number', value: v.value, isInt: v.isInt, text: tok.image, span } : errorExpr(span);
      }
      case T.StringLit: return { kind: 'String', value: decodeString(tok.image).value, span };
      default: return { kind: 'Bool', value: tok.tokenType === T.True, span };
    }
  }
  if (c.parenExpr?.[0]) return parenExpr(cx, c.parenExpr[0], anchor);
  if (c.arrayExpr?.[0]) return arrayExpr(cx, c.arrayExpr[0], anchor);
  return hole(after(anchor));
}

// ---------------------------------------------------------------- suffixes

/** Where a suffix starts (its opener); unknown ones sort last but before exhausted lists. */
const startOf = (t: IToken | undefined): number => (t && Number.isFinite(t.startOffset) ? t.startOffset : Number.MAX_VALUE);

/**
 * Applies the call, index and member suffixes in source order. The CST groups them by kind, so
 * the three lists are merged by the offsets of their openers (`(`, `[`, `.`).
 */
function suffixes(cx: Cx, c: C.OperandCstChildren, base: A.Expr): A.Expr {
  const calls = c.callSuffix, idxs = c.indexSuffix, dots = c.Dot;
  if (!calls && !idxs && !dots) return base;
  const nc = calls?.length ?? 0, ni = idxs?.length ?? 0, nd = dots?.length ?? 0;
  let acc = base;
  for (let ci = 0, ii = 0, di = 0; ci < nc || ii < ni || di < nd;) {
    const co = ci < nc ? startOf(calls![ci]!.children.LParen?.[0]) : Infinity;
    const io = ii < ni ? startOf(idxs![ii]!.children.LBracket?.[0]) : Infinity;
    const dof = di < nd ? startOf(dots![di]) : Infinity;
    if (co <= io && co <= dof) acc = call(cx, calls![ci++]!, acc);
    else if (io <= dof) acc = index(cx, idxs![ii++]!, acc);
    else {
      acc = member(cx, c.member?.[di], acc); // (`di++` inside `?.[]` would be skipped when there is no member)
      di++;
    }
  }
  return acc;
}

function call(cx: Cx, n: C.CallSuffixCstNode, callee: A.Expr): A.Expr {
  const k = n.children;
  // Through the `)`; through the `(` when recovery lost the `)`.
  const close = maybeTokSpan(cx, k.RParen?.[0]) ?? maybeTokSpan(cx, k.LParen?.[0]);
  const span = close ? join(callee.span, close) : callee.span;
  const items = argItems(k);
  checkList(cx, items, k.Comma, 'an argument');
  return { kind: 'Call', callee, args: args(cx, k, items, span), span };
}

/**
 * The arguments in source order: a keyword argument as its `key` token (its `=` and value share
 * its index: the alternative is chosen on `name =`, and only the last value can be lost to
 * recovery), a positional one as its expression node (whose first token is real: it was chosen
 * on it). The parser groups the two kinds, so a mixed list is merged by offsets.
 */
function argItems(k: C.CallSuffixCstChildren): (IToken | C.ExpressionCstNode)[] {
  const keys = k.key, pos = k.expression;
  if (!keys) return pos ?? [];
  if (!pos) return keys;
  const out: (IToken | C.ExpressionCstNode)[] = [];
  let i = 0, j = 0;
  let po = firstOffset(pos[0]!);
  while (i < keys.length || j < pos.length) {
    if (j >= pos.length || (i < keys.length && !(po < keys[i]!.startOffset))) out.push(keys[i++]!);
    else {
      out.push(pos[j++]!);
      po = j < pos.length ? firstOffset(pos[j]!) : NaN;
    }
  }
  return out;
}

function index(cx: Cx, n: C.IndexSuffixCstNode, target: A.Expr): A.Expr {
  const k = n.children;
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

function member(cx: Cx, id: IToken | undefined, target: A.Expr): A.Expr {
  if (!id || !realToken(id)) return target;
  const m: A.Ident = { kind: 'Ident', name: id.image, span: tokSpan(cx, id) };
  return { kind: 'Member', target, member: m, span: join(target.span, m.span) };
}

function args(cx: Cx, k: C.CallSuffixCstChildren, items: readonly (IToken | C.ExpressionCstNode)[], near: Span): A.Arg[] {
  const out: A.Arg[] = [];
  let sawKeyword: A.Arg | null = null;
  let ki = 0;
  for (const it of items) {
    if ('tokenType' in it) {
      const i = ki++;
      if (!realToken(it)) {
        const hole = errorExpr(after(near));
        out.push({ name: null, value: hole, span: hole.span });
        continue;
      }
      const name: A.Ident = { kind: 'Ident', name: it.image, span: tokSpan(cx, it) };
      const value = exprOr(cx, k.value?.[i], maybeTokSpan(cx, k.Assign?.[i]) ?? name.span);
      const a: A.Arg = { name, value, span: join(name.span, value.span) };
      sawKeyword ??= a;
      out.push(a);
      continue;
    }
    const value = expression(cx, it, near);
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
  if (colons.length === 0) {
    if (start) return { kind: 'IndexExpr', expr: start, span: start.span };
    // `x[]` or `x[1,,2]`: report at the token that follows the empty item.
    const at = pieceSpan(cx, sep) ?? near;
    if (sep && realToken(sep)) err(cx, 'TH0102', { expected: 'an index', found: `\`${sep.image}\`` }, at);
    return { kind: 'IndexExpr', expr: errorExpr(at), span: at };
  }
  const stop = c.stop?.[0] ? expression(cx, c.stop[0], near) : null;
  const step = c.step?.[0] ? expression(cx, c.step[0], near) : null;
  return { kind: 'Slice', start, stop, step, span: cover(cx, near, start, ...colons, stop, step) };
}

// ---------------------------------------------------------------- brackets

function parenExpr(cx: Cx, n: C.ParenExprCstNode, anchor: Span): A.Expr {
  const c = n.children;
  const span = cover(cx, after(anchor), c.LParen?.[0], c.RParen?.[0]);
  const nodes = c.expression ?? [];
  const items = nodes.map(e => expression(cx, e, span));
  checkList(cx, nodes, c.Comma, 'an expression');
  if (items.length === 1 && !c.Comma) return { kind: 'Paren', expr: items[0]!, span };
  return { kind: 'Tuple', items, span };
}

function arrayExpr(cx: Cx, n: C.ArrayExprCstNode, anchor: Span): A.Expr {
  const c = n.children;
  const span = cover(cx, after(anchor), c.LBracket?.[0], c.RBracket?.[0]);
  const nodes = c.expression ?? [];
  checkList(cx, nodes, c.Comma, 'an expression');
  return { kind: 'Array', items: nodes.map(e => expression(cx, e, span)), span };
}
