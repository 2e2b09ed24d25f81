/**
 * @file Expressions -> Values, building graph nodes as it goes (type checking happens in the
 * Builder, which runs each op's type rule). Handles literals, names (locals > signature dims >
 * top level > imports > builtins), operators, tuples, members (`x.T`, `x.shape`, `nn.relu`) and
 * constants; arrays, indexing and calls live in their own elab-*.ts files.
 */
import type { Span } from '../source/span.js';
import type { BinaryExpr, BinaryOp, Expr, MemberExpr, NumberLit, UnaryExpr } from '../syntax/ast.js';
import { NO_ATTRS, type Node } from '../graph/node.js';
import { isPoison } from '../graph/builder.js';
import { nearbyNames } from '../diag/suggest.js';
import { fillTemplate } from '../diag/codes.js';
import { semaLabels } from '../diag/codes/sema.js';
import type { Help } from '../diag/diagnostic.js';
import { isAnonymous } from './dims.js';
import { typeToString, type TensorType } from './types.js';
import { lookupTop, visibleTopNames, type ConstSym, type NameKind, type Resolved, type SharedSym } from './scope.js';
import { resolveType, type TypeCx } from './types-from-ast.js';
import { foldDim } from './static-eval.js';
import {
  describeValue, isPoisonValue, newFrame, tensorValue, tupleValue, type ElabCtx, type Frame, type Value,
} from './elab-values.js';
import { elabArray } from './elab-array.js';
import { elabIndex } from './elab-index.js';
import { buildOp, elabCall } from './elab-call.js';

const BINARY: Record<BinaryOp, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '@': 'matmul', '^': 'pow',
  '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', and: 'logical_and', or: 'logical_or',
};

const I32_MAX = 2147483647;

export const poisonValue = (ctx: ElabCtx): Value => tensorValue(ctx.b.poison());

/** Elaborates any expression to a Value. Never throws on user input. */
export function elabValue(ctx: ElabCtx, frame: Frame, e: Expr): Value {
  // b.at without its closure: this runs once per expression node.
  const saved = ctx.b.swapSpan(e.span);
  try { return elabInner(ctx, frame, e); } finally { ctx.b.swapSpan(saved); }
}

function elabInner(ctx: ElabCtx, frame: Frame, e: Expr): Value {
  const b = ctx.b;
  switch (e.kind) {
    case 'Number': return tensorValue(numberNode(ctx, e));
    case 'Bool': return tensorValue(b.scalar(e.value ? 1 : 0, 'bool'));
    case 'String': return tensorValue(b.error('TH0316', {}));
    case 'Name': return lookupValue(ctx, frame, e.name, e.span);
    case 'Paren': return elabValue(ctx, frame, e.expr);
    case 'Tuple': return tupleValue(e.items.map(i => elabValue(ctx, frame, i)));
    case 'Array': return elabArray(ctx, frame, e);
    case 'Binary': return elabBinary(ctx, frame, e);
    case 'Unary': return elabUnary(ctx, frame, e);
    case 'Call': return elabCall(ctx, frame, e);
    case 'Index': return elabIndex(ctx, frame, e);
    case 'Member': return elabMember(ctx, frame, e);
    case 'ErrorExpr': return poisonValue(ctx);
  }
}

/** Elaborates an expression that must be a tensor (a tuple or a function there is TH0311). */
export function elabTensor(ctx: ElabCtx, frame: Frame, e: Expr): Node {
  // Operators and literals always make a tensor: build the node without wrapping it in a Value
  // (same span handling as elabValue).
  if (e.kind === 'Binary' || e.kind === 'Unary' || e.kind === 'Number') {
    const saved = ctx.b.swapSpan(e.span);
    try {
      return e.kind === 'Binary' ? binaryNode(ctx, frame, e) : e.kind === 'Unary' ? unaryNode(ctx, frame, e) : numberNode(ctx, e);
    } finally { ctx.b.swapSpan(saved); }
  }
  return asTensor(ctx, elabValue(ctx, frame, e), e.span);
}

function numberNode(ctx: ElabCtx, e: NumberLit): Node {
  if (e.isInt && Math.abs(e.value) > I32_MAX) return ctx.b.error('TH0317', { text: e.text });
  return ctx.b.scalar(e.value, e.isInt ? 'i32' : 'f64', true);
}

export function asTensor(ctx: ElabCtx, v: Value, span: Span): Node {
  if (v.kind === 'tensor') return v.node;
  if (v.kind === 'tuple' && v.items.some(isPoisonValue)) return ctx.b.poison();
  const what = describeValue(v);
  ctx.sink.error('TH0311', { what }, span);
  return ctx.b.poison();
}

const elabBinary = (ctx: ElabCtx, frame: Frame, e: BinaryExpr): Value => tensorValue(binaryNode(ctx, frame, e));

function binaryNode(ctx: ElabCtx, frame: Frame, e: BinaryExpr): Node {
  const l = elabTensor(ctx, frame, e.left);
  const r = elabTensor(ctx, frame, e.right);
  // Errors point at the operator, with each operand labelled: the three spans never overlap.
  return ctx.b.op(BINARY[e.op], [l, r], NO_ATTRS, { primary: e.opSpan, inputs: [e.left.span, e.right.span] });
}

const elabUnary = (ctx: ElabCtx, frame: Frame, e: UnaryExpr): Value => tensorValue(unaryNode(ctx, frame, e));

function unaryNode(ctx: ElabCtx, frame: Frame, e: UnaryExpr): Node {
  const x = elabTensor(ctx, frame, e.operand);
  if (e.op === '+') return x;
  return ctx.b.op(e.op === '-' ? 'neg' : 'logical_not', [x], NO_ATTRS, { inputs: [e.operand.span] });
}

// ---------------------------------------------------------------- names

/** A name used as a value: locals, then the signature's dims, then the top level. */
export function lookupValue(ctx: ElabCtx, frame: Frame, name: string, span: Span): Value {
  const local = frame.locals.get(name);
  if (local) return local;
  const dim = frame.dims.get(name);
  if (dim) return tensorValue(ctx.b.dim(dim.dim));
  return resolvedValue(ctx, frame, lookupTop(frame.scope, name), name, span);
}

export function resolvedValue(ctx: ElabCtx, frame: Frame, r: Resolved, name: string, span: Span): Value {
  switch (r.kind) {
    case 'top': {
      const s = r.sym;
      if (s.kind === 'fn') return { kind: 'fn', sym: s };
      if (s.kind === 'const') return constValue(ctx, s, span);
      if (s.kind === 'shared') return tensorValue(sharedNode(ctx, s));
      ctx.sink.error('TH0222', { name, what: 'a type alias' }, span);
      return poisonValue(ctx);
    }
    case 'module': return { kind: 'module', scope: r.scope };
    case 'builtin': return { kind: 'builtin', name: r.name };
    case 'dtype': return { kind: 'dtype', dtype: r.dtype };
    case 'noneValue': return { kind: 'none' };
    case 'ambiguous':
      ctx.sink.error('TH0205', { name, a: r.a.qualifier, b: r.b.qualifier }, span, {
        secondary: [{ span: r.a.span, message: `\`${r.a.qualifier}\`` }, { span: r.b.span, message: `\`${r.b.qualifier}\`` }],
      });
      return poisonValue(ctx);
    case 'none':
      reportUnknownName(ctx, frame, name, span);
      return poisonValue(ctx);
  }
}

export function reportUnknownName(ctx: ElabCtx, frame: Frame, name: string, span: Span): void {
  const kinds = new Map<string, NameKind>(visibleTopNames(frame.scope));
  for (const d of frame.dims.keys()) kinds.set(d, 'a dimension');
  for (const l of frame.locals.keys()) kinds.set(l, 'a local value');
  ctx.sink.error('TH0201', { name }, span, { help: suggestionHelp(name, kinds) });
}

export function suggestionHelp(name: string, kinds: ReadonlyMap<string, string>): Help[] {
  const near = nearbyNames(name, kinds.keys())[0];
  return near ? [{ message: fillTemplate(semaLabels.similarName, { what: kinds.get(near) ?? 'a name', name: near }) }] : [];
}

/** A top-level constant: elaborated once in its own module's scope, on first use. */
export function constValue(ctx: ElabCtx, sym: ConstSym, span: Span): Value {
  if (sym.state === 'done' && sym.value) return sym.value;
  if (sym.state === 'busy') {
    const from = ctx.consts.indexOf(sym);
    const chain = [...ctx.consts.slice(Math.max(0, from)).map(c => c.name), sym.name].join(' -> ');
    ctx.sink.error('TH0220', { name: sym.name, chain }, span);
    return poisonValue(ctx);
  }
  sym.state = 'busy';
  ctx.consts.push(sym);
  const frame = newFrame(sym.scope, `<const ${sym.name}>`);
  try {
    sym.value = ctx.sink.withoutFrames(() => elabValue(ctx, frame, sym.decl.value));
  } finally {
    ctx.consts.pop();
    sym.state = 'done';
  }
  return sym.value ?? poisonValue(ctx);
}

/** The resolver for types: anonymous dims from `anon`, constant dims folded from constants. */
export function typeCx(ctx: ElabCtx, anon: () => string): TypeCx {
  return {
    sink: ctx.sink,
    anon,
    constDim(sym) {
      const v = constValue(ctx, sym, sym.decl.name.span);
      if (v.kind !== 'tensor') return 'not-int';
      if (isPoison(v.node)) return 0;
      const d = foldDim(v.node);
      return typeof d === 'number' ? d : 'not-int';
    },
  };
}

/** A shared variable's declared type: resolved once; every dim must be a known size (TH0320). */
export function sharedType(ctx: ElabCtx, sym: SharedSym): TensorType | null {
  if (sym.type !== undefined) return sym.type;
  sym.type = null;
  const sig = ctx.sink.withoutFrames(() => resolveType(sym.decl.type, sym.scope, typeCx(ctx, () => '_')));
  if (!sig) return null;
  const bad = sig.type.shape.findIndex(d => typeof d === 'string');
  if (bad >= 0) {
    const dimExpr = sym.decl.type.shape?.[bad];
    const dim = String(sig.type.shape[bad]);
    ctx.sink.error('TH0320', { name: sym.name, type: typeToString(sig.type), dim: isAnonymous(dim) ? '_' : dim }, dimExpr?.span ?? sym.decl.type.span);
    return null;
  }
  sym.type = sig.type;
  return sym.type;
}

export function sharedNode(ctx: ElabCtx, sym: SharedSym): Node {
  const t = sharedType(ctx, sym);
  return t ? ctx.b.shared(sym.qualified, t) : ctx.b.poison();
}

// ---------------------------------------------------------------- members

/** The value before `.`: a bare name there prefers a module qualifier over an imported name. */
function memberTarget(ctx: ElabCtx, frame: Frame, e: Expr): Value {
  if (e.kind !== 'Name' || frame.locals.has(e.name) || frame.dims.has(e.name)) return elabValue(ctx, frame, e);
  const saved = ctx.b.swapSpan(e.span);
  try {
    return resolvedValue(ctx, frame, lookupTop(frame.scope, e.name, true), e.name, e.span);
  } finally { ctx.b.swapSpan(saved); }
}

function elabMember(ctx: ElabCtx, frame: Frame, e: MemberExpr): Value {
  const target = memberTarget(ctx, frame, e.target);
  const name = e.member.name;
  const span = e.member.span;
  if (isPoisonValue(target)) return target;
  if (target.kind === 'module') {
    const sym = target.scope.decls.get(name);
    if (sym) return resolvedValue(ctx, frame, { kind: 'top', sym }, name, span);
    const kinds = new Map<string, string>([...target.scope.decls].map(([n, s]) => [n, s.kind === 'fn' ? 'a function' : `a ${s.kind}`]));
    ctx.sink.error('TH0211', { module: target.scope.name, name }, span, { help: suggestionHelp(name, kinds) });
    return poisonValue(ctx);
  }
  if (target.kind === 'tensor') {
    const x = target.node;
    if (name === 'T') return tensorValue(buildOp(ctx, 'transpose', [x], {}));
    if (name === 'shape') return tupleValue(x.type.shape.map(d => tensorValue(ctx.b.dim(d))));
    ctx.sink.error('TH0212', { name }, span, { help: suggestionHelp(name, new Map([['T', 'a member'], ['shape', 'a member']])) });
    return poisonValue(ctx);
  }
  const what = describeValue(target);
  ctx.sink.error('TH0331', { name, what }, span);
  return poisonValue(ctx);
}
