/**
 * @file Indexing with index tensors for the C-like CPU targets (C, JS): the gather kernel (`index`)
 * reads x at the multi-index the plan (gather-plan.ts) gives for each result element; the scatter
 * kernel (`index_add`) adds every source element into a double accumulator at its destination, in
 * source order, then rounds once per destination: the interpreter's order and precision, so
 * repeated indices sum exactly as it does. The targets differ only in their `GatherSyntax`: how an
 * index tensor's value is checked against its axis (each target's bounds policy), and how the
 * accumulator is allocated, added to, rounded and freed.
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import { decodeItems } from '../../ops/indexing.js';
import { shapeAttr } from '../../ops/helpers.js';
import type { Kernel } from '../../schedule/types.js';
import { indexVars } from './index-text.js';
import { planOf, sourceIndices, type AxisPlan, type Plan } from './gather-plan.js';
import { exprText, type ExprCx, type ExprSyntax } from './expr-text.js';

/** Nested loops of `vars` over `sizes` around `body` (the target's kernel.ts). */
export type Loops = (vars: readonly string[], sizes: readonly string[], body: readonly string[]) => string[];
/** The lines that store `core` at the result multi-index `idx` (the target's kernel.ts). */
export type Epilogue = (k: Kernel, idx: readonly string[], cx: ExprCx) => string[];

/** A target's spelling of gather and scatter kernels. */
export interface GatherSyntax {
  readonly expr: ExprSyntax;
  /**
   * Lines giving `name`, the index `value` (of an index tensor) normalized (negative counts from
   * the end) and checked against the axis `axis` of size `size`.
   */
  readonly checkIndex: (name: string, value: string, size: string, axis: number) => string[];
  /** Lines allocating `acc`, `count` zeros of double precision (`count` is a product of `sizes`). */
  readonly accOpen: (sizes: readonly string[]) => string[];
  /** The statement adding `value` into `acc[at]`. */
  readonly accAdd: (at: string, value: string) => string;
  /** The double `acc` element `v` rounded to dtype `t` as the interpreter's store does. */
  readonly round: (t: DType, v: string) => string;
  /** Lines after the last use of `acc`. */
  readonly accClose: readonly string[];
}

/** Lines giving `name`, the value of index tensor `p.arg` at broadcast position `bpos`, normalized and checked. */
function tensorIndex(syn: GatherSyntax, k: Kernel, plan: Plan, p: Extract<AxisPlan, { kind: 'tensor' }>, bpos: readonly string[], name: string, axis: number, dim: Dim, cx: ExprCx): string[] {
  const e = k.args[p.arg]!;
  const nb = plan.bShape.length;
  const at = e.shape.map((d, q) => (d === 1 ? '0' : bpos[nb - e.shape.length + q]!));
  const v = exprText(syn.expr, e, at, `${name}_`, cx, null);
  return [...v.lines, ...syn.checkIndex(name, v.result, cx.dim(dim), axis)];
}

/** The x multi-index for output multi-index `idx` (`t<axis>` variables for index-tensor axes), and the lines computing those. */
function sourceIndex(syn: GatherSyntax, k: Kernel, plan: Plan, idx: readonly string[], xShape: readonly Dim[], cx: ExprCx): { lines: string[]; xi: string[] } {
  const bpos = idx.slice(plan.bFirst, plan.bFirst + plan.bShape.length);
  const lines: string[] = [];
  const xi = sourceIndices(plan, idx, cx.dim, String, (a, p) => {
    lines.push(...tensorIndex(syn, k, plan, p, bpos, `t${a}`, a, xShape[a]!, cx));
    return `t${a}`;
  });
  return { lines, xi };
}

/** x[items]: per result element, x at the planned multi-index. */
export function gatherText(syn: GatherSyntax, k: Kernel, cx: ExprCx, loops: Loops, epilogue: Epilogue): string[] {
  const core = k.core!;
  const xShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, core.type.shape);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const { lines, xi } = sourceIndex(syn, k, plan, idx, xShape, cx);
  const src = exprText(syn.expr, k.args[0]!, xi, 's', cx, null);
  return loops(idx, shape.map(cx.dim), [...lines, ...src.lines, syn.expr.decl(core.type.dtype, 'core', src.result), ...epilogue(k, idx, cx)]);
}

/** The C-order flat offset of the multi-index `idx` over `shape`. */
function flat(idx: readonly string[], shape: readonly Dim[], cx: ExprCx): string {
  return idx.reduce((acc, v, a) => (a === 0 ? v : `(${acc}) * ${cx.dim(shape[a]!)} + ${v}`), '0');
}

/** index_add(g, ...; items, shape): zeros of `shape` plus every g element added at its destination, in order. */
export function scatterText(syn: GatherSyntax, k: Kernel, cx: ExprCx, loops: Loops, epilogue: Epilogue): string[] {
  const core = k.core!;
  const xShape = shapeAttr(core.attrs['shape']);
  const gShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, gShape);
  const gi = indexVars(gShape.length, 'g');
  const { lines, xi } = sourceIndex(syn, k, plan, gi, xShape, cx);
  const src = exprText(syn.expr, k.args[0]!, gi, 's', cx, null);
  const t = core.type.dtype;
  const xIdx = indexVars(xShape.length);
  return [
    ...syn.accOpen(xShape.map(cx.dim)),
    ...loops(gi, gShape.map(cx.dim), [...lines, ...src.lines, syn.accAdd(flat(xi, xShape, cx), src.result)]),
    ...loops(xIdx, xShape.map(cx.dim), [syn.expr.decl(t, 'core', syn.round(t, `acc[${flat(xIdx, xShape, cx)}]`)), ...epilogue(k, xIdx, cx)]),
    ...syn.accClose,
  ];
}
