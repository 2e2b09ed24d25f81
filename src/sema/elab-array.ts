/**
 * @file Array literals: `[[1, 2], [3, 4]]` of constants becomes one constant (weak when every
 * element is a literal); with run-time elements (`[a, b]`, `[n, 2]`) it becomes `stack` of the
 * rows. Rows whose nesting differs are ragged (TH0318, at the bad row); `[]` is TH0319.
 */
import type { ArrayExpr, Expr } from '../syntax/ast.js';
import type { Node } from '../graph/node.js';
import { isPoison } from '../graph/builder.js';
import { semaLabels } from '../diag/codes/sema.js';
import { fillTemplate } from '../diag/codes.js';
import { fromNumbers, type NDArray } from '../runtime/ndarray.js';
import { promote, tensorType, type DType } from './types.js';
import { foldConst } from './static-eval.js';
import { tensorValue, type ElabCtx, type Frame, type Value } from './elab-values.js';
import { elabTensor } from './elab-expr.js';
import { buildOp } from './elab-call.js';

const isNumberLike = (e: Expr): boolean =>
  e.kind === 'Number' || e.kind === 'Bool' || (e.kind === 'Unary' && e.op !== 'not' && e.operand.kind === 'Number');

/** The nesting shape of a literal, as far as the syntax shows it (non-array items are scalars). */
function syntaxShape(e: Expr): number[] {
  return e.kind === 'Array' ? [e.items.length, ...(e.items[0] ? syntaxShape(e.items[0]) : [])] : [];
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Reports the first row whose nesting differs from the first row's; true when consistent. */
function checkRows(ctx: ElabCtx, e: ArrayExpr): boolean {
  const first = e.items[0]!;
  // Only literal rows have a shape the syntax fixes; other expressions are checked by `stack`.
  const known = (x: Expr) => x.kind === 'Array' || isNumberLike(x);
  if (!known(first)) return true;
  const want = syntaxShape(first);
  for (const row of e.items.slice(1)) {
    if (!known(row)) continue;
    const got = syntaxShape(row);
    if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
      ctx.sink.error('TH0318', { first: shapeText(want), other: shapeText(got) }, row.span, {
        secondary: [{ span: first.span, message: fillTemplate(semaLabels.firstRow, { shape: shapeText(want) }) }],
      });
      return false;
    }
  }
  return true;
}

export function elabArray(ctx: ElabCtx, frame: Frame, e: ArrayExpr): Value {
  const b = ctx.b;
  if (e.items.length === 0) return tensorValue(b.error('TH0319', {}));
  if (!checkRows(ctx, e)) return tensorValue(b.poison());
  const rows: Node[] = e.items.map(item => (item.kind === 'Array' ? b.at(item.span, () => elabArrayNode(ctx, frame, item)) : elabTensor(ctx, frame, item)));
  if (rows.some(isPoison)) return tensorValue(b.poison());
  const merged = mergeConstants(rows);
  if (merged) return tensorValue(b.constant(merged.value, merged.weak));
  return tensorValue(buildOp(ctx, 'stack', commonDtype(ctx, rows), { axis: 0 }));
}

/**
 * Rows converted to their common dtype first (weak literals adopt it), because `stack` reshapes
 * each row before joining and a reshaped literal is no longer weak: `[1, x[0]]` must stay f32.
 */
function commonDtype(ctx: ElabCtx, rows: readonly Node[]): Node[] {
  let common: { dtype: DType; weak: boolean } | undefined = { dtype: rows[0]!.type.dtype, weak: !!rows[0]!.type.weak };
  for (const r of rows.slice(1)) {
    common = promote(tensorType(common.dtype, [], common.weak), r.type);
    if (!common) return [...rows]; // `stack` reports the clash
  }
  if (common.weak) return [...rows];
  const dtype = common.dtype;
  return rows.map(r => ctx.b.at(r.span, () => ctx.b.cast(r, dtype)));
}

function elabArrayNode(ctx: ElabCtx, frame: Frame, e: ArrayExpr): Node {
  const v = elabArray(ctx, frame, e);
  return v.kind === 'tensor' ? v.node : ctx.b.poison();
}

/** One constant from equal-shaped constant rows, in the rows' common dtype; undefined otherwise. */
function mergeConstants(rows: readonly Node[]): { value: NDArray; weak: boolean } | undefined {
  const values: NDArray[] = [];
  for (const r of rows) {
    const v = foldConst(r);
    if (!v) return undefined;
    values.push(v);
  }
  const shape = values[0]!.shape;
  if (values.some(v => v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i]))) return undefined;
  let common: { dtype: DType; weak: boolean } | undefined = { dtype: rows[0]!.type.dtype, weak: !!rows[0]!.type.weak };
  for (const r of rows.slice(1)) {
    common = promote(tensorType(common.dtype, [], common.weak), r.type);
    if (!common) return undefined;
  }
  const data: number[] = [];
  for (const v of values) for (const x of v.data) data.push(x);
  return { value: fromNumbers(common.dtype, [rows.length, ...shape], data), weak: common.weak };
}
