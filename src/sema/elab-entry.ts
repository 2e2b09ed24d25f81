/**
 * @file Entry points -> Graphs. Each typed parameter becomes a `param` node (its signature dims are
 * the graph's dims, `_` a fresh anonymous dim), defaults are folded to constants of the declared
 * type, the body is elaborated once, and the returned values become named outputs. Generic
 * functions nobody calls are elaborated once with unknown (poisoned) arguments, so their names and
 * everything not depending on the arguments are still checked.
 */
import type { Expr, Param } from '../syntax/ast.js';
import type { Graph, GraphOutput, GraphParam } from '../graph/graph.js';
import { isPoison } from '../graph/builder.js';
import { fromNumbers, sizeOf, stridesOf, type NDArray } from '../runtime/ndarray.js';
import { anonymousDims, type Dim } from './dims.js';
import { tensorType, typeToString, widensTo, type TensorType } from './types.js';
import { resolveType } from './types-from-ast.js';
import type { FnSym } from './scope.js';
import { describeValue, newFrame, tensorValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { elabValue, poisonValue, typeCx } from './elab-expr.js';
import { checkDuplicateParams } from './elab-inline.js';
import { elabBody } from './elab-fn.js';
import { foldConst } from './static-eval.js';

export const isEntryPoint = (sym: FnSym): boolean => sym.decl.params.every(p => p.type !== null);

export function elabEntry(ctx: ElabCtx, sym: FnSym): Graph {
  ctx.graph = { fnName: sym.name, updates: new Map() };
  ctx.anon = anonymousDims();
  const frame = newFrame(sym.scope, sym.name);
  checkDuplicateParams(ctx, sym.decl);
  const params: GraphParam[] = [];
  for (const p of sym.decl.params) {
    const param = entryParam(ctx, frame, p);
    if (param) params.push(param);
  }
  const body = elabBody(ctx, frame, sym.decl);
  const outputs = nameOutputs(ctx, sym, body.value, body.expr);
  const updates = [...ctx.graph.updates.values()].map(u => ({ name: u.sym.qualified, node: u.node, span: u.span }));
  return { name: sym.name, params, outputs, updates, span: sym.decl.span };
}

function entryParam(ctx: ElabCtx, frame: Frame, p: Param, foldDefault = true): GraphParam | null {
  const name = p.name.name;
  const sig = p.type ? resolveType(p.type, frame.scope, typeCx(ctx, ctx.anon)) : null;
  if (!sig) {
    frame.locals.set(name, p.default ? elabValue(ctx, frame, p.default) : poisonValue(ctx));
    return null;
  }
  for (const [d, span] of sig.dimSpans) if (!frame.dims.has(d)) frame.dims.set(d, { dim: d, span });
  const saved = ctx.b.swapSpan(p.span);
  const node = ctx.b.param(name, sig.type);
  ctx.b.swapSpan(saved);
  const def = p.default && foldDefault ? entryDefault(ctx, frame, name, p.default, sig.type) : null;
  if (p.default && !foldDefault) elabValue(ctx, frame, p.default);
  frame.locals.set(name, tensorValue(node));
  return { name, type: sig.type, node, default: def, span: p.span };
}

/** A default folded to a constant and converted to the declared dtype and shape; null after reporting. */
function entryDefault(ctx: ElabCtx, frame: Frame, name: string, e: Expr, declared: TensorType): NDArray | null {
  const v = elabValue(ctx, frame, e);
  if (v.kind !== 'tensor') { ctx.sink.error('TH0309', { name }, e.span); return null; }
  if (isPoison(v.node)) return null;
  const c = foldConst(v.node);
  if (!c) { ctx.sink.error('TH0309', { name }, e.span); return null; }
  const t = v.node.type;
  const fits = widensTo(t, declared.dtype);
  const shape = fitShape(c.shape, declared.shape);
  if (!fits || !shape) {
    ctx.sink.error('TH0310', { name, actual: typeToString(tensorType(t.dtype, c.shape)), expected: typeToString(declared) }, e.span);
    return null;
  }
  return broadcastValue(c, declared, shape);
}

/**
 * The concrete shape a default takes: the declared shape when it is fully known and the value
 * broadcasts to it; with symbolic dims, the value's own shape if it matches rank, literals and
 * repeated names (`f32[n, n]` needs a square default).
 */
function fitShape(value: readonly number[], declared: readonly Dim[]): number[] | null {
  if (declared.every(d => typeof d === 'number')) {
    const to = declared as number[];
    const off = to.length - value.length;
    return off >= 0 && value.every((d, i) => d === 1 || d === to[off + i]) ? to : null;
  }
  if (value.length !== declared.length) return null;
  const seen = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const d = declared[i]!;
    if (typeof d === 'number') { if (d !== value[i]) return null; continue; }
    if (d.startsWith('_')) continue;
    if (seen.has(d) && seen.get(d) !== value[i]) return null;
    seen.set(d, value[i]!);
  }
  return [...value];
}

function broadcastValue(c: NDArray, declared: TensorType, shape: readonly number[]): NDArray {
  const n = sizeOf(shape);
  const off = shape.length - c.shape.length;
  const src = stridesOf(c.shape);
  const dst = stridesOf(shape);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    let at = 0;
    for (let i = 0; i < c.shape.length; i++) {
      const coord = Math.floor(k / dst[off + i]!) % shape[off + i]!;
      at += (c.shape[i] === 1 ? 0 : coord) * src[i]!;
    }
    out[k] = c.data[at]!;
  }
  return fromNumbers(declared.dtype, shape, out);
}

/** Outputs named after returned identifiers, else `out<i>` by position (tuples flatten). */
function nameOutputs(ctx: ElabCtx, sym: FnSym, value: Value, expr: Expr | null): GraphOutput[] {
  const outputs: GraphOutput[] = [];
  const used = new Set<string>();
  let leaf = 0;
  const walk = (v: Value, e: Expr | null): void => {
    while (e?.kind === 'Paren') e = e.expr;
    if (v.kind === 'tuple') {
      const items = e?.kind === 'Tuple' && e.items.length === v.items.length ? e.items : null;
      v.items.forEach((item, i) => walk(item, items?.[i] ?? null));
      return;
    }
    const index = leaf++;
    let name = e?.kind === 'Name' ? e.name : `out${index}`;
    if (used.has(name)) name = used.has(`out${index}`) ? `${name}_${index}` : `out${index}`;
    used.add(name);
    if (v.kind !== 'tensor') {
      const what = describeValue(v);
      ctx.sink.error('TH0326', { name, fn: sym.name, what }, e?.span ?? sym.decl.name.span);
      return;
    }
    if (isPoison(v.node)) return;
    // Outputs have a definite dtype: a literal output (`= 1`) stops being weak here.
    const node = v.node.type.weak ? ctx.b.at(v.node.span, () => ctx.b.cast(v.node, v.node.type.dtype)) : v.node;
    outputs.push({ name, node, span: e?.span ?? v.node.span });
  };
  walk(value, expr);
  return outputs;
}

/** Checks a generic function nobody called: typed params are params, untyped ones unknown. */
export function checkUncalled(ctx: ElabCtx, sym: FnSym): void {
  ctx.graph = { fnName: sym.name, updates: new Map() };
  ctx.anon = anonymousDims();
  const frame = newFrame(sym.scope, sym.name);
  checkDuplicateParams(ctx, sym.decl);
  for (const p of sym.decl.params) {
    if (p.type) entryParam(ctx, frame, p, false);
    else frame.locals.set(p.name.name, p.default ? elabValue(ctx, frame, p.default) : poisonValue(ctx));
  }
  elabBody(ctx, frame, sym.decl);
}
