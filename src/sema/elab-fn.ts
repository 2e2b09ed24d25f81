/**
 * @file Function bodies: an expression body, or a block of `let`, `let (a, b) =`, `name <- e`,
 * `return e` and bare expressions. `let` may shadow an earlier name (like Rust). Updates are
 * recorded on the current graph after being converted to the shared variable's exact type; a
 * body without `return` yields the empty tuple.
 */
import type { Expr, FnDecl, LetStmt, UpdateStmt } from '../syntax/ast.js';
import { isPoison } from '../graph/builder.js';
import { semaLabels } from '../diag/codes/sema.js';
import { fillTemplate } from '../diag/codes.js';
import { broadcastsTo } from '../sema/shapes.js';
import { dimEquals } from './dims.js';
import { typeToString, widensTo, type TensorType } from './types.js';
import { lookupTop } from './scope.js';
import { describeValue, isPoisonValue, tupleValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { asTensor, elabValue, poisonValue, reportUnknownName, resolvedValue, sharedType } from './elab-expr.js';
import { buildOp } from './elab-call.js';

export interface BodyResult {
  readonly value: Value;
  /** The returned expression (for naming outputs), null when the body has no `return`. */
  readonly expr: Expr | null;
}

export function elabBody(ctx: ElabCtx, frame: Frame, decl: FnDecl): BodyResult {
  if (decl.body.kind === 'ExprBody') return { value: elabValue(ctx, frame, decl.body.expr), expr: decl.body.expr };
  let result: BodyResult | null = null;
  for (const st of decl.body.stmts) {
    if (result) {
      ctx.sink.error('TH0324', {}, st.span);
      break;
    }
    switch (st.kind) {
      case 'Let': elabLet(ctx, frame, st); break;
      case 'Update': elabUpdate(ctx, frame, st); break;
      case 'Return': result = { value: elabValue(ctx, frame, st.value), expr: st.value }; break;
      case 'ExprStmt': {
        const v = elabValue(ctx, frame, st.expr);
        const unit = v.kind === 'tuple' && v.items.length === 0;
        if (!unit && !isPoisonValue(v)) ctx.sink.error('TH0330', {}, st.expr.span, { severity: 'warning' });
        break;
      }
    }
  }
  return result ?? { value: tupleValue([]), expr: null };
}

function elabLet(ctx: ElabCtx, frame: Frame, st: LetStmt): void {
  const v = elabValue(ctx, frame, st.value);
  if (!st.destructure) {
    frame.locals.set(st.names[0]!.name, v);
    return;
  }
  const names = st.names.length;
  let items: readonly Value[];
  if (isPoisonValue(v)) items = st.names.map(() => v);
  else if (v.kind !== 'tuple') {
    const what = describeValue(v);
    ctx.sink.error('TH0313', { what, names }, st.value.span);
    items = st.names.map(() => poisonValue(ctx));
  } else if (v.items.length !== names) {
    ctx.sink.error('TH0312', { count: v.items.length, names }, st.value.span);
    items = st.names.map((_, i) => v.items[i] ?? poisonValue(ctx));
  } else items = v.items;
  st.names.forEach((n, i) => frame.locals.set(n.name, items[i]!));
}

function elabUpdate(ctx: ElabCtx, frame: Frame, st: UpdateStmt): void {
  const name = st.target.name;
  const span = st.target.span;
  const value = elabValue(ctx, frame, st.value);
  if (frame.locals.has(name) || frame.dims.has(name)) {
    ctx.sink.error('TH0301', { name }, span, { help: [{ message: fillTemplate(semaLabels.updateLocal, { name }) }] });
    return;
  }
  const r = lookupTop(frame.scope, name);
  if (r.kind === 'none') { reportUnknownName(ctx, frame, name, span); return; }
  if (r.kind !== 'top' || r.sym.kind !== 'shared') {
    // Ambiguity gets its own diagnostic from the ordinary lookup.
    if (r.kind === 'ambiguous') resolvedValue(ctx, frame, r, name, span);
    else ctx.sink.error('TH0301', { name }, span);
    return;
  }
  const sym = r.sym;
  const type = sharedType(ctx, sym);
  const node = asTensor(ctx, value, st.value.span);
  if (!type || isPoison(node)) return;
  const prev = ctx.graph.updates.get(sym.qualified);
  if (prev) {
    ctx.sink.error('TH0302', { name }, st.span, { secondary: [{ span: prev.span, message: semaLabels.firstUpdate }] });
    return;
  }
  const saved = ctx.b.swapSpan(st.value.span);
  let converted;
  try { converted = convertUpdate(ctx, name, type, node); } finally { ctx.b.swapSpan(saved); }
  if (!isPoison(converted)) ctx.graph.updates.set(sym.qualified, { sym, node: converted, span: st.span });
}

/** The update value as exactly the variable's type: dtype may only widen to it; shape broadcasts. */
function convertUpdate(ctx: ElabCtx, name: string, target: TensorType, node: ReturnType<typeof asTensor>): typeof node {
  const b = ctx.b;
  const t = node.type;
  const fits = widensTo(t, target.dtype);
  if (!fits) return b.error('TH0303', { name, target: typeToString(target), value: t.dtype, dtype: target.dtype });
  if (!broadcastsTo(t.shape, target.shape)) {
    return b.error('TH0304', { name, target: typeToString(target), value: `[${t.shape.join(', ')}]`, valueType: typeToString(t) });
  }
  const cast = b.cast(node, target.dtype);
  const same = cast.type.shape.length === target.shape.length && cast.type.shape.every((d, i) => dimEquals(d, target.shape[i]!));
  return same ? cast : buildOp(ctx, 'broadcast', [cast], { shape: [...target.shape] });
}
