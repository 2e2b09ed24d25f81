/**
 * @file Calls: `f(a, k=v)` where f is a user function (inlined, elab-inline.ts), a builtin from the
 * op table (arguments read per ParamSpec kind: tensors become inputs, every other kind must be
 * known at compile time and becomes an attribute), or `grad` (elab-grad.ts).
 */
import type { Span } from '../source/span.js';
import type { Arg, CallExpr, Expr } from '../syntax/ast.js';
import type { Node } from '../graph/node.js';
import { isPoison } from '../graph/builder.js';
import { getOp, type AttrValue, type Attrs, type OpDef, type ParamSpec } from '../ops/registry.js';
import type { Dim } from './dims.js';
import { isInt } from './types.js';
import { bindArgs, type SigParam } from './call.js';
import { foldBool, foldConst, foldDim, foldNumber } from './static-eval.js';
import { describeValue, isPoisonValue, tensorValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { asTensor, elabTensor, elabValue, poisonValue } from './elab-expr.js';
import { inlineCall } from './elab-inline.js';
import { lookupTop } from './scope.js';
import { elabGrad } from './elab-grad.js';

export function elabCall(ctx: ElabCtx, frame: Frame, e: CallExpr): Value {
  const c = e.callee;
  if (c.kind === 'Name' && !frame.locals.has(c.name) && !frame.dims.has(c.name)) {
    // The usual callee, a top-level function or builtin by name, dispatched without building its
    // Value (looking a name up reports nothing and builds no nodes for these two kinds).
    const r = lookupTop(frame.scope, c.name);
    if (r.kind === 'builtin') return callBuiltin(ctx, frame, r.name, e);
    if (r.kind === 'top' && r.sym.kind === 'fn') return inlineCall(ctx, frame, r.sym, e);
  }
  const callee = elabValue(ctx, frame, e.callee);
  if (isPoisonValue(callee)) return callee;
  if (callee.kind === 'fn') return inlineCall(ctx, frame, callee.sym, e);
  if (callee.kind === 'builtin') return callBuiltin(ctx, frame, callee.name, e);
  const what = describeValue(callee);
  ctx.sink.error('TH0214', { what }, e.callee.span);
  return poisonValue(ctx);
}

/** Builds op `name` with `attrs`, filling omitted attributes from the op's ParamSpec defaults. */
export function buildOp(ctx: ElabCtx, name: string, inputs: readonly Node[], attrs: Attrs): Node {
  const op = getOp(name);
  const full: Record<string, AttrValue> = op ? { ...attrDefaults(op) } : {};
  for (const k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) full[k] = attrs[k]!;
  return ctx.b.op(name, inputs, full);
}

/** Each op's attribute defaults in parameter order (op params never change once defined). */
const defaultsByOp = new WeakMap<OpDef, Attrs>();

function attrDefaults(op: OpDef): Attrs {
  let d = defaultsByOp.get(op);
  if (!d) {
    const out: Record<string, AttrValue> = {};
    for (const p of op.params) if (p.kind !== 'tensor' && p.kind !== 'tensors' && p.default !== undefined) out[p.name] = p.default;
    defaultsByOp.set(op, d = out);
  }
  return d;
}

/** Binding signatures of builtins called without presets (op params never change once defined). */
const plainSigs = new WeakMap<OpDef, readonly SigParam[]>();
const NO_PRESET: Attrs = {};

function builtinSig(op: OpDef, preset: Attrs): readonly SigParam[] {
  const make = () => op.params.map(p => ({ name: p.name, hasDefault: p.default !== undefined, preset: p.name in preset }));
  if (preset !== NO_PRESET) return make();
  let sig = plainSigs.get(op);
  if (!sig) plainSigs.set(op, sig = make());
  return sig;
}

/** How many `tensor` params an op has; -1 when it takes a `tensors` list (the count varies). */
const arities = new WeakMap<OpDef, number>();

function tensorArity(op: OpDef): number {
  let n = arities.get(op);
  if (n === undefined) {
    n = 0;
    for (const p of op.params) {
      if (p.kind === 'tensors') { n = -1; break; }
      if (p.kind === 'tensor') n++;
    }
    arities.set(op, n);
  }
  return n;
}

/**
 * Calls builtin `name`. `preset` attributes are supplied by the caller (a shared initializer gives
 * `uniform` its shape and dtype) and cannot be passed as arguments.
 */
export function callBuiltin(ctx: ElabCtx, frame: Frame, name: string, e: CallExpr, preset: Attrs = NO_PRESET): Value {
  const b = ctx.b;
  if (name === 'grad') return elabGrad(ctx, frame, e);
  if (name === 'load') return tensorValue(b.at(e.callee.span, () => b.error('TH0327', {})));
  const op = getOp(name);
  if (!op) return poisonValue(ctx);
  const binding = bindArgs(name, builtinSig(op, preset), e.args, e.span, ctx.sink);
  let ok = binding.ok;
  // Sized up front when the count is known (an empty array's first push reserves 17 slots).
  const arity = preset === NO_PRESET ? tensorArity(op) : -1;
  const inputs: Node[] = arity >= 0 ? new Array<Node>(arity) : [];
  // Where each tensor input is written, so type errors label the arguments themselves.
  const inputSpans: Span[] = arity >= 0 ? new Array<Span>(arity) : [];
  let next = 0;
  const attrs: Record<string, AttrValue> = preset === NO_PRESET ? {} : { ...preset };
  const params = op.params;
  for (let i = 0; i < params.length; i++) {
    const spec = params[i]!;
    if (preset !== NO_PRESET && spec.name in preset) continue;
    const arg = binding.args[i] ?? null;
    if (spec.kind === 'tensor') {
      inputs[next] = arg ? elabTensor(ctx, frame, arg.value) : b.poison();
      inputSpans[next++] = arg ? arg.value.span : e.span;
      continue;
    }
    if (spec.kind === 'tensors') {
      const list = arg ? tensorList(ctx, frame, arg.value) : [b.poison()];
      inputs.push(...list);
      const items = arg?.value.kind === 'Array' ? arg.value.items : [];
      list.forEach((_, k) => inputSpans.push(items[k]?.span ?? arg?.value.span ?? e.span));
      next = inputs.length;
      continue;
    }
    if (!arg) {
      if (spec.default !== undefined) attrs[spec.name] = spec.default;
      continue;
    }
    const v = staticArg(ctx, frame, spec, arg, name);
    if (v === undefined) ok = false; else attrs[spec.name] = v;
  }
  if (!ok || inputs.some(isPoison)) return poisonValue(ctx);
  // Errors point at the function's name, with each tensor argument labelled (spans never overlap).
  const saved = b.swapSpan(e.span);
  try {
    return tensorValue(b.op(name, inputs, attrs, { primary: e.callee.span, inputs: inputSpans }));
  } finally { b.swapSpan(saved); }
}

/** `[a, b, c]` (or a tuple value) as a list of tensors. */
function tensorList(ctx: ElabCtx, frame: Frame, e: Expr): Node[] {
  if (e.kind === 'Array') return e.items.map(i => elabTensor(ctx, frame, i));
  const v = elabValue(ctx, frame, e);
  if (v.kind === 'tuple') return v.items.map(i => asTensor(ctx, i, e.span));
  return [asTensor(ctx, v, e.span)];
}

type Static = AttrValue | undefined;

/** A compile-time argument of kind spec.kind; undefined after reporting an error. */
export function staticArg(ctx: ElabCtx, frame: Frame, spec: ParamSpec, arg: Arg, fn: string): Static {
  const e = arg.value;
  const param = spec.name;
  const wrong = (expected: string, actual: string): undefined => {
    ctx.sink.error('TH0308', { param, fn, expected, actual }, e.span);
    return undefined;
  };
  switch (spec.kind) {
    case 'string':
      return e.kind === 'String' ? e.value : wrong('a string', 'an expression');
    case 'dtype': {
      const v = elabValue(ctx, frame, e);
      if (isPoisonValue(v)) return undefined;
      return v.kind === 'dtype' ? v.dtype : wrong('a dtype', describeValue(v));
    }
    case 'shape': return staticShape(ctx, frame, e, param, fn);
    case 'dim': return staticDim(ctx, frame, e, param);
    case 'axes': return staticAxes(ctx, frame, e, param, fn);
    default: return staticScalar(ctx, frame, spec.kind, e, param, fn);
  }
}

type ScalarKind = 'int' | 'float' | 'bool' | 'tensor' | 'tensors';

function staticScalar(ctx: ElabCtx, frame: Frame, kind: ScalarKind, e: Expr, param: string, fn: string): Static {
  return scalarOf(ctx, elabTensor(ctx, frame, e), kind, e, param, fn);
}

/** The compile-time scalar `node` (elaborated from `e`) holds; undefined after reporting. */
function scalarOf(ctx: ElabCtx, node: Node, kind: ScalarKind, e: Expr, param: string, fn: string): Static {
  if (isPoison(node)) return undefined;
  const expected = kind === 'int' ? 'an integer' : kind === 'float' ? 'a number' : 'a bool';
  if (node.type.shape.length !== 0) {
    ctx.sink.error('TH0308', { param, fn, expected, actual: describeValue(tensorValue(node)) }, e.span);
    return undefined;
  }
  const v = kind === 'bool' ? foldBool(node) : foldNumber(node);
  if (v === undefined) {
    if (foldConst(node) === undefined) ctx.sink.error('TH0307', { param }, e.span);
    else ctx.sink.error('TH0308', { param, fn, expected, actual: node.type.dtype }, e.span);
    return undefined;
  }
  if (kind === 'int' && (typeof v !== 'number' || !Number.isInteger(v) || !isInt(node.type.dtype))) {
    ctx.sink.error('TH0308', { param, fn, expected, actual: node.type.weak ? String(v) : node.type.dtype }, e.span);
    return undefined;
  }
  return v;
}

/** One dimension: an integer expression over literals, constants, symbolic dims and `x.shape[i]`. */
export function staticDim(ctx: ElabCtx, frame: Frame, e: Expr, param: string): Dim | undefined {
  return dimOf(ctx, elabTensor(ctx, frame, e), e, param);
}

/** The dimension `node` (elaborated from `e`) stands for; undefined after reporting. */
function dimOf(ctx: ElabCtx, node: Node, e: Expr, param: string): Dim | undefined {
  if (isPoison(node)) return undefined;
  const d = node.type.shape.length === 0 ? foldDim(node) : undefined;
  if (d !== undefined) return d;
  const n = node.type.shape.length === 0 ? foldNumber(node) : undefined;
  if (n !== undefined) ctx.sink.error('TH0328', { actual: String(n) }, e.span);
  else ctx.sink.error('TH0307', { param }, e.span);
  return undefined;
}

function staticShape(ctx: ElabCtx, frame: Frame, e: Expr, param: string, fn: string): Static {
  if (e.kind === 'Array' || e.kind === 'Tuple') {
    const dims = e.items.map(i => staticDim(ctx, frame, i, param));
    return dims.every(d => d !== undefined) ? (dims as Dim[]) : undefined;
  }
  const v = elabValue(ctx, frame, e);
  if (isPoisonValue(v)) return undefined;
  if (v.kind === 'tuple') {
    const dims = v.items.map(i => (i.kind === 'tensor' && i.node.type.shape.length === 0 ? foldDim(i.node) : undefined));
    if (dims.every(d => d !== undefined)) return dims as Dim[];
    ctx.sink.error('TH0307', { param }, e.span);
    return undefined;
  }
  if (v.kind === 'tensor' && v.node.type.shape.length <= 1) {
    if (v.node.type.shape.length === 0) {
      const d = dimOf(ctx, v.node, e, param);
      return d === undefined ? undefined : [d];
    }
    const c = foldConst(v.node);
    if (c && (c.dtype === 'i32' || c.dtype === 'u32')) return [...c.data];
    ctx.sink.error('TH0307', { param }, e.span);
    return undefined;
  }
  ctx.sink.error('TH0308', { param, fn, expected: 'a shape', actual: describeValue(v) }, e.span);
  return undefined;
}

function staticAxes(ctx: ElabCtx, frame: Frame, e: Expr, param: string, fn: string): Static {
  const one = (x: Expr): number | undefined => {
    const v = staticScalar(ctx, frame, 'int', x, param, fn);
    return typeof v === 'number' ? v : undefined;
  };
  if (e.kind === 'Array' || e.kind === 'Tuple') {
    const axes = e.items.map(one);
    return axes.every(a => a !== undefined) ? (axes as number[]) : undefined;
  }
  const v = elabValue(ctx, frame, e);
  if (isPoisonValue(v)) return undefined;
  if (v.kind === 'none') return null; // every axis
  if (v.kind === 'tuple') {
    const axes = v.items.map(i => (i.kind === 'tensor' ? foldDim(i.node) : undefined));
    if (axes.every(a => typeof a === 'number')) return axes as number[];
    ctx.sink.error('TH0307', { param }, e.span);
    return undefined;
  }
  // `e` is elaborated already: read its value rather than elaborating it again.
  const a = scalarOf(ctx, asTensor(ctx, v, e.span), 'int', e, param, fn);
  return typeof a === 'number' ? [a] : undefined;
}
