/**
 * @file `grad(cost, x)`, `grad(cost, (x, y, ...))` and `disconnected="raise"|"zero"`: checks the
 * call (TH040x, reported at elaboration so `thc check` shows them) and builds one `grad`
 * placeholder node per target (ops/grad-op.ts), which the `grad` stage expands later. A tuple of
 * targets gives a tuple value. Dependence follows node inputs, so a cost that goes through an
 * inner `grad` placeholder depends on whatever that placeholder's cost and target depend on.
 */
import type { Span } from '../source/span.js';
import type { CallExpr, Expr } from '../syntax/ast.js';
import type { Node } from '../graph/node.js';
import { isPoison } from '../graph/builder.js';
import { GRAD_OP } from '../ops/grad-op.js';
import { NodeMarks, postOrder } from '../graph/walk.js';
import { isFloat, typeToString } from './types.js';
import { bindArgs, type SigParam } from './call.js';
import { describeValue, isPoisonValue, tensorValue, tupleValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { elabTensor, elabValue, poisonValue } from './elab-expr.js';
import { staticArg } from './elab-call.js';

const SIG: readonly SigParam[] = [
  { name: 'cost', hasDefault: false },
  { name: 'wrt', hasDefault: false },
  { name: 'disconnected', hasDefault: true },
];

/** The `disconnected=` policies: an error (the default) or a zero gradient. */
const POLICIES = ['raise', 'zero'] as const;
type Policy = (typeof POLICIES)[number];

interface Target { readonly node: Node; readonly span: Span }

/** Elaborates a call of `grad`; reports and returns a poisoned value on any error. */
export function elabGrad(ctx: ElabCtx, frame: Frame, e: CallExpr): Value {
  const binding = bindArgs('grad', SIG, e.args, e.span, ctx.sink);
  const [costArg, wrtArg, discArg] = binding.args;
  if (!binding.ok || !costArg || !wrtArg) return poisonValue(ctx);
  const policy = discArg ? readPolicy(ctx, frame, discArg.value) : 'raise';
  const cost = checkCost(ctx, elabTensor(ctx, frame, costArg.value), costArg.value.span);
  const targets = readTargets(ctx, frame, wrtArg.value);
  if (!cost || !targets || !policy) return poisonValue(ctx);
  const reach = reachable(cost);
  const b = ctx.b;
  let ok = true;
  const results = targets.list.map(t => {
    if (reach.has(t.node)) return b.at(e.span, () => b.op(GRAD_OP, [cost, t.node]));
    if (policy === 'zero') return b.at(e.span, () => b.op('zeros_like', [t.node]));
    ctx.sink.error('TH0401', { target: targetName(t.node) }, t.span);
    ok = false;
    return b.poison();
  });
  if (!ok) return poisonValue(ctx);
  return targets.tuple ? tupleValue(results.map(tensorValue)) : tensorValue(results[0]!);
}

/** `disconnected="raise"|"zero"`; undefined after reporting. */
function readPolicy(ctx: ElabCtx, frame: Frame, e: Expr): Policy | undefined {
  const v = staticArg(ctx, frame, { name: 'disconnected', kind: 'string' }, { name: null, value: e, span: e.span }, 'grad');
  if (v === undefined) return undefined;
  if ((POLICIES as readonly unknown[]).includes(v)) return v as Policy;
  ctx.sink.error('TH0406', { value: String(v) }, e.span);
  return undefined;
}

/** The cost must be a real scalar (TH0402 non-scalar, TH0403 integer or bool). */
function checkCost(ctx: ElabCtx, cost: Node, span: Span): Node | undefined {
  if (isPoison(cost)) return undefined;
  const type = typeToString(cost.type);
  if (cost.type.shape.length !== 0) {
    ctx.sink.error('TH0402', { type }, span);
    return undefined;
  }
  if (!isFloat(cost.type.dtype)) {
    ctx.sink.error('TH0403', { type }, span);
    return undefined;
  }
  return cost;
}

/** One target or a tuple of them; each must be a real parameter or shared variable. */
function readTargets(ctx: ElabCtx, frame: Frame, e: Expr): { list: Target[]; tuple: boolean } | undefined {
  let items: { value: Value; span: Span; expr?: Expr }[];
  let tuple = false;
  const inner = e.kind === 'Paren' ? e.expr : e;
  if (inner.kind === 'Tuple') {
    tuple = true;
    items = inner.items.map(i => ({ value: elabValue(ctx, frame, i), span: i.span, expr: i }));
  } else {
    const v = elabValue(ctx, frame, e);
    if (v.kind === 'tuple') {
      tuple = true;
      items = v.items.map(value => ({ value, span: e.span }));
    } else {
      items = [{ value: v, span: e.span, expr: inner }];
    }
  }
  let ok = items.length > 0;
  if (!ok) ctx.sink.error('TH0407', { what: 'an empty tuple' }, e.span);
  const list: Target[] = [];
  for (const it of items) {
    const node = checkTarget(ctx, it.value, it.span, it.expr);
    if (node) list.push({ node, span: it.span });
    else ok = false;
  }
  return ok ? { list, tuple } : undefined;
}

function checkTarget(ctx: ElabCtx, v: Value, span: Span, expr: Expr | undefined): Node | undefined {
  if (isPoisonValue(v)) return undefined;
  if (v.kind !== 'tensor') {
    ctx.sink.error('TH0407', { what: describeValue(v) }, span);
    return undefined;
  }
  const n = v.node;
  if (n.op !== 'param' && n.op !== 'shared') {
    // A name here is a `let` value (parameters and shared variables are leaves): say so.
    const what = expr?.kind === 'Name'
      ? `\`${expr.name}\`, a local value of type ${typeToString(n.type)}`
      : `an expression of type ${typeToString(n.type)}`;
    ctx.sink.error('TH0405', { what }, span);
    return undefined;
  }
  if (!isFloat(n.type.dtype)) {
    ctx.sink.error('TH0404', { target: targetName(n), type: typeToString(n.type) }, span);
    return undefined;
  }
  return n;
}

const targetName = (n: Node): string => String(n.attrs['name']);

/** Every node the cost is computed from. */
function reachable(cost: Node): NodeMarks {
  const marks = new NodeMarks();
  postOrder(cost, n => marks.has(n), n => marks.add(n));
  return marks;
}
