/**
 * @file Indexing with index tensors in JS: the gather kernel (`index`) reads x at the multi-index
 * the plan (clike/gather-plan.ts) gives for each result element; the scatter kernel (`index_add`)
 * adds every source element into a Float64Array at its destination, in source order, then rounds
 * once per destination: the interpreter's order and precision. An index outside its axis is the
 * interpreter's TH0693.
 */
import type { Dim } from '../../sema/dims.js';
import { decodeItems } from '../../ops/indexing.js';
import { shapeAttr } from '../../ops/helpers.js';
import { jsStore } from '../../ops/elementwise.js';
import type { Kernel } from '../../schedule/types.js';
import { indexVars } from '../clike/index-text.js';
import { planOf, sourceIndices, type AxisPlan, type Plan } from '../clike/gather-plan.js';
import { exprLines, type JsExprCx } from './expr.js';
import { loops } from './kernel.js';

type Epilogue = (k: Kernel, idx: readonly string[], cx: JsExprCx) => string[];

/** Lines giving `name`, the value of index tensor `p.arg` at broadcast position `bpos`, normalized and checked. */
function tensorIndex(k: Kernel, plan: Plan, p: Extract<AxisPlan, { kind: 'tensor' }>, bpos: readonly string[], name: string, axis: number, dim: Dim, cx: JsExprCx): string[] {
  const e = k.args[p.arg]!;
  const nb = plan.bShape.length;
  const at = e.shape.map((d, q) => (d === 1 ? '0' : bpos[nb - e.shape.length + q]!));
  const v = exprLines(e, at, `${name}_`, cx, null);
  const D = cx.dim(dim);
  return [...v.lines, `const ${name}_i = ${v.result};`,
    `if (${name}_i < -${D} || ${name}_i >= ${D}) thc_fail('TH0693', { index: ${name}_i, axis: ${axis}, size: ${D} });`,
    `const ${name} = ${name}_i < 0 ? ${name}_i + ${D} : ${name}_i;`];
}

/** x[items]: per result element, x at the planned multi-index. */
export function gatherBody(k: Kernel, cx: JsExprCx, epilogue: Epilogue): string[] {
  const core = k.core!;
  const xShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, core.type.shape);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const bpos = idx.slice(plan.bFirst, plan.bFirst + plan.bShape.length);
  const lines: string[] = [];
  const xi = sourceIndices(plan, idx, cx.dim, String, (a, p) => {
    lines.push(...tensorIndex(k, plan, p, bpos, `t${a}`, a, xShape[a]!, cx));
    return `t${a}`;
  });
  const src = exprLines(k.args[0]!, xi, 's', cx, null);
  return loops(idx, shape.map(cx.dim), [...lines, ...src.lines, `const core = ${src.result};`, ...epilogue(k, idx, cx)]);
}

/** The C-order flat offset of the multi-index `idx` over `shape`. */
function flat(idx: readonly string[], shape: readonly Dim[], cx: JsExprCx): string {
  return idx.reduce((acc, v, a) => (a === 0 ? v : `(${acc}) * ${cx.dim(shape[a]!)} + ${v}`), '0');
}

/** index_add(g, ...; items, shape): zeros of `shape` plus every g element added at its destination, in order. */
export function scatterBody(k: Kernel, cx: JsExprCx, epilogue: Epilogue): string[] {
  const core = k.core!;
  const xShape = shapeAttr(core.attrs['shape']);
  const gShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, gShape);
  const gi = indexVars(gShape.length, 'g');
  const bpos = gi.slice(plan.bFirst, plan.bFirst + plan.bShape.length);
  const lines: string[] = [];
  const xi = sourceIndices(plan, gi, cx.dim, String, (a, p) => {
    lines.push(...tensorIndex(k, plan, p, bpos, `t${a}`, a, xShape[a]!, cx));
    return `t${a}`;
  });
  const src = exprLines(k.args[0]!, gi, 's', cx, null);
  const count = xShape.length ? xShape.map(d => cx.dim(d)).join(' * ') : '1';
  const xIdx = indexVars(xShape.length);
  return [
    `const acc = new Float64Array(${count});`,
    ...loops(gi, gShape.map(cx.dim), [...lines, ...src.lines, `acc[${flat(xi, xShape, cx)}] += ${src.result};`]),
    ...loops(xIdx, xShape.map(cx.dim), [`const core = ${jsStore(core.type.dtype, `acc[${flat(xIdx, xShape, cx)}]`)};`, ...epilogue(k, xIdx, cx)]),
  ];
}
