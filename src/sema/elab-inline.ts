/**
 * @file Inlining a user function at a call: arguments are elaborated in the caller, bound to the
 * callee's parameters (defaults evaluated in the callee's scope), typed parameters are checked
 * (dtype exact, weak literals adapt; rank and literal dims exact; symbolic dims unify with the
 * caller's Dims, remembering where each got its size), then the body is elaborated in a new frame.
 * Diagnostics raised inside the body get an "in this call to `f`" label at the call site.
 */
import type { Span } from '../source/span.js';
import type { CallExpr, FnDecl, Param } from '../syntax/ast.js';
import type { Node } from '../graph/node.js';
import { fillTemplate } from '../diag/codes.js';
import { semaLabels } from '../diag/codes/sema.js';
import { anonymousDims, dimEquals, dimToString, isAnonymous, type Dim } from './dims.js';
import { promote, tensorType, typeToString, type TensorType } from './types.js';
import { bindArgs, type SigParam } from './call.js';
import { resolveType } from './types-from-ast.js';
import type { FnSym } from './scope.js';
import { describeValue, isPoisonValue, newFrame, tensorValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { elabValue, poisonValue, typeCx } from './elab-expr.js';
import { elabBody } from './elab-fn.js';

/** Recursion limit as a backstop; direct and mutual recursion are caught by the stack check. */
const MAX_DEPTH = 200;

export function inlineCall(ctx: ElabCtx, caller: Frame, sym: FnSym, e: CallExpr): Value {
  let onStack = -1;
  for (let i = 0; i < ctx.stack.length; i++) if (ctx.stack[i]!.sym === sym) { onStack = i; break; }
  if (onStack >= 0 || ctx.stack.length >= MAX_DEPTH) {
    const chain = [...ctx.stack.slice(Math.max(0, onStack)).map(s => s.sym.name), sym.name].join(' -> ');
    ctx.sink.error('TH0213', { name: sym.name, chain }, e.span);
    return poisonValue(ctx);
  }
  ctx.called.add(sym);
  checkDuplicateParams(ctx, sym.decl);
  const binding = bindArgs(sym.name, fnSig(sym.decl), e.args, e.span, ctx.sink);
  const args: ({ value: Value; span: Span } | null)[] = [];
  for (let i = 0; i < binding.args.length; i++) {
    const a = binding.args[i];
    args.push(a ? { value: elabValue(ctx, caller, a.value), span: a.value.span } : null);
  }
  const frame = newFrame(sym.scope, sym.name);
  ctx.stack.push({ sym, site: e.span });
  ctx.sink.push(e.span, sym.name);
  try {
    const params = sym.decl.params;
    for (let i = 0; i < params.length; i++) frame.locals.set(params[i]!.name.name, bindParam(ctx, frame, sym, params[i]!, args[i] ?? null, e.span));
    return elabBody(ctx, frame, sym.decl).value;
  } finally {
    ctx.sink.pop();
    ctx.stack.pop();
  }
}

/** A function's binding signature, built once per declaration (ASTs are not mutated). */
const fnSigs = new WeakMap<FnDecl, readonly SigParam[]>();

function fnSig(decl: FnDecl): readonly SigParam[] {
  let sig = fnSigs.get(decl);
  if (!sig) fnSigs.set(decl, sig = decl.params.map(p => ({ name: p.name.name, hasDefault: p.default !== null })));
  return sig;
}

/**
 * Declarations already found free of duplicate parameters: checking again would report nothing.
 * (Ones with duplicates are re-checked each time; the sink drops the repeated diagnostics.)
 */
const distinctParams = new WeakSet<FnDecl>();

export function checkDuplicateParams(ctx: ElabCtx, decl: FnDecl): void {
  if (distinctParams.has(decl)) return;
  let clean = true;
  const seen = new Map<string, Param>();
  for (const p of decl.params) {
    const prev = seen.get(p.name.name);
    if (prev) {
      clean = false;
      ctx.sink.withoutFrames(() => ctx.sink.error('TH0207', { name: p.name.name, fn: decl.name.name }, p.name.span, {
        secondary: [{ span: prev.name.span, message: semaLabels.firstDefined }],
      }));
    } else {
      seen.set(p.name.name, p);
    }
  }
  if (clean) distinctParams.add(decl);
}

function bindParam(ctx: ElabCtx, frame: Frame, sym: FnSym, p: Param, arg: { value: Value; span: Span } | null, site: Span): Value {
  let value: Value;
  let span: Span;
  if (arg) { value = arg.value; span = arg.span; }
  else if (p.default) { value = elabValue(ctx, frame, p.default); span = p.default.span; }
  else return poisonValue(ctx); // missing: already reported by bindArgs
  if (!p.type) return value;
  const sig = resolveType(p.type, sym.scope, typeCx(ctx, anonymousDims()));
  if (!sig) return poisonValue(ctx);
  if (!arg) return checkArg(ctx, frame, sym.name, p, sig.type, value, span);
  // A bad argument is the caller's mistake: report it without the "in this call" label.
  ctx.sink.pop();
  try {
    return checkArg(ctx, frame, sym.name, p, sig.type, value, span);
  } finally {
    ctx.sink.push(site, sym.name);
  }
}

/** Checks an argument against a typed parameter and binds the parameter's symbolic dims. */
function checkArg(ctx: ElabCtx, frame: Frame, fn: string, p: Param, declared: TensorType, v: Value, span: Span): Value {
  if (isPoisonValue(v)) return v;
  const mismatch = (actual: string): Value => {
    const expected = typeToString(declared);
    ctx.sink.error('TH0305', { param: p.name.name, fn, expected, actual }, span, {
      secondary: [{ span: p.type!.span, message: fillTemplate(semaLabels.paramDeclared, { type: expected }) }],
    });
    return poisonValue(ctx);
  };
  if (v.kind !== 'tensor') return mismatch(describeValue(v));
  let node: Node = v.node;
  const t = node.type;
  const dtypeOk = t.weak ? promote(t, tensorType(declared.dtype))?.dtype === declared.dtype : t.dtype === declared.dtype;
  const literalDimsOk = t.shape.length === declared.shape.length
    && declared.shape.every((d, i) => typeof d !== 'number' || d === t.shape[i] || isAnonymous(t.shape[i]!));
  if (!dtypeOk || !literalDimsOk) return mismatch(typeToString(t));
  for (let i = 0; i < declared.shape.length; i++) {
    const d = declared.shape[i]!;
    if (typeof d === 'string' && !unifyDim(ctx, frame, fn, d, t.shape[i]!, span)) return poisonValue(ctx);
  }
  if (t.weak) {
    const saved = ctx.b.swapSpan(span);
    try { node = ctx.b.cast(node, declared.dtype); } finally { ctx.b.swapSpan(saved); }
  }
  return tensorValue(node);
}

/** Binds callee dim `name` to the caller's `actual`, or checks it against the earlier binding. */
function unifyDim(ctx: ElabCtx, frame: Frame, fn: string, name: string, actual: Dim, span: Span): boolean {
  if (isAnonymous(name)) return true;
  const bound = frame.dims.get(name);
  if (!bound || (isAnonymous(bound.dim) && !isAnonymous(actual))) {
    frame.dims.set(name, { dim: actual, span });
    return true;
  }
  if (dimEquals(bound.dim, actual) || isAnonymous(actual)) return true;
  const sameArg = bound.span.file === span.file && bound.span.start === span.start && bound.span.end === span.end;
  ctx.sink.error('TH0306', { dim: name, fn, first: dimToString(bound.dim), second: dimToString(actual) }, span, {
    secondary: sameArg ? [] : [{ span: bound.span, message: fillTemplate(semaLabels.dimBound, { dim: name, value: dimToString(bound.dim) }) }],
  });
  return false;
}
