/**
 * @file Indexing `x[...]`. On a tensor: static integers and slices become the `index` op's items
 * (ops/indexing.ts `indexAttrs`), any other integer expression becomes a tensor item (gather).
 * On a tuple: one integer known at compile time picks an element (negative counts from the end).
 */
import type { Expr, IndexExpr } from '../syntax/ast.js';
import type { Node } from '../graph/node.js';
import { isPoison } from '../graph/builder.js';
import { indexAttrs, type IndexItem } from '../ops/indexing.js';
import type { Dim } from './dims.js';
import { foldDim, foldNumber } from './static-eval.js';
import { describeValue, isPoisonValue, tensorValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { elabTensor, elabValue, poisonValue } from './elab-expr.js';

export function elabIndex(ctx: ElabCtx, frame: Frame, e: IndexExpr): Value {
  const target = elabValue(ctx, frame, e.target);
  if (isPoisonValue(target)) return target;
  if (target.kind === 'tuple') return indexTuple(ctx, frame, target.items, e);
  if (target.kind !== 'tensor') {
    const what = describeValue(target);
    ctx.sink.error('TH0332', { what }, e.target.span);
    return poisonValue(ctx);
  }
  const items: IndexItem[] = [];
  const tensors: Node[] = [];
  let ok = true;
  for (const it of e.items) {
    if (it.kind === 'Slice') {
      const start = sliceBound(ctx, frame, it.start, 'slice start');
      const stop = sliceBound(ctx, frame, it.stop, 'slice stop');
      const step = it.step ? sliceStep(ctx, frame, it.step) : null;
      if (start === undefined || stop === undefined || step === undefined) { ok = false; continue; }
      items.push({ kind: 'slice', start, stop, step });
      continue;
    }
    const node = elabTensor(ctx, frame, it.expr);
    if (isPoison(node)) { ok = false; continue; }
    const d = node.type.shape.length === 0 ? foldDim(node) : undefined;
    if (typeof d === 'number') items.push({ kind: 'int', value: d });
    else { items.push({ kind: 'tensor', input: tensors.length }); tensors.push(node); }
  }
  if (!ok) return poisonValue(ctx);
  const saved = ctx.b.swapSpan(e.span);
  try {
    return tensorValue(ctx.b.op('index', [target.node, ...tensors], indexAttrs(items)));
  } finally { ctx.b.swapSpan(saved); }
}

/** A slice bound: null when omitted, a Dim when static, undefined after reporting. */
function sliceBound(ctx: ElabCtx, frame: Frame, e: Expr | null, param: string): Dim | null | undefined {
  if (e === null) return null;
  const node = elabTensor(ctx, frame, e);
  if (isPoison(node)) return undefined;
  const d = foldDim(node);
  if (d !== undefined) return d;
  ctx.sink.error('TH0307', { param }, e.span);
  return undefined;
}

function sliceStep(ctx: ElabCtx, frame: Frame, e: Expr): number | undefined {
  const node = elabTensor(ctx, frame, e);
  if (isPoison(node)) return undefined;
  const d = foldDim(node);
  if (typeof d === 'number') return d;
  ctx.sink.error('TH0307', { param: 'slice step' }, e.span);
  return undefined;
}

function indexTuple(ctx: ElabCtx, frame: Frame, items: readonly Value[], e: IndexExpr): Value {
  const only = e.items.length === 1 ? e.items[0]! : undefined;
  if (!only || only.kind !== 'IndexExpr') {
    ctx.sink.error('TH0315', {}, e.items[0]?.span ?? e.span);
    return poisonValue(ctx);
  }
  const node = elabTensor(ctx, frame, only.expr);
  if (isPoison(node)) return poisonValue(ctx);
  const i = node.type.shape.length === 0 ? foldNumber(node) : undefined;
  if (i === undefined || !Number.isInteger(i) || node.type.dtype === 'bool') {
    ctx.sink.error('TH0315', {}, only.span);
    return poisonValue(ctx);
  }
  const k = i < 0 ? i + items.length : i;
  const v = items[k];
  if (!v) {
    ctx.sink.error('TH0314', { index: i, count: items.length }, only.span);
    return poisonValue(ctx);
  }
  return v;
}
