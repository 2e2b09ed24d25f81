/**
 * @file Indexing with index tensors in C: the gather kernel (`index`) reads x at the multi-index
 * the plan (clike/gather-plan.ts) gives for each result element; the scatter kernel (`index_add`)
 * adds every source element into a double accumulator at its destination, in source order, then
 * rounds once per destination: the interpreter's order and precision, so repeated indices sum
 * exactly as it does. An index outside its axis, a run-time error on the interpreter, sets
 * THC_EINDEX (and reads or writes element 0 meanwhile, never outside the buffer).
 */
import type { Dim } from '../../sema/dims.js';
import { decodeItems } from '../../ops/indexing.js';
import { shapeAttr } from '../../ops/helpers.js';
import type { Kernel } from '../../schedule/types.js';
import { indexVars } from '../clike/index-text.js';
import { planOf, sourceIndices, type AxisPlan, type Plan } from '../clike/gather-plan.js';
import { exprLines, type CExprCx } from './expr.js';
import { cType } from './types.js';

type Loops = (vars: readonly string[], sizes: readonly string[], body: readonly string[]) => string[];
type Epilogue = (k: Kernel, idx: readonly string[], cx: CExprCx) => string[];

/** Lines giving `name`, the value of index tensor `p.arg` at broadcast position `bpos`, normalized and checked. */
function tensorIndex(k: Kernel, plan: Plan, p: Extract<AxisPlan, { kind: 'tensor' }>, bpos: readonly string[], name: string, dim: Dim, cx: CExprCx): string[] {
  const e = k.args[p.arg]!;
  const nb = plan.bShape.length;
  const at = e.shape.map((d, q) => (d === 1 ? '0' : bpos[nb - e.shape.length + q]!));
  const v = exprLines(e, at, `${name}_`, cx, null);
  const D = cx.dim(dim);
  // Through a long variable: a u32 index compared with 0 directly is a -Wtype-limits warning.
  return [...v.lines, `const long ${name}_i = (long)${v.result};`, `const long ${name}_r = ${name}_i < 0 ? ${name}_i + ${D} : ${name}_i;`,
    `const long ${name} = (${name}_r < 0 || ${name}_r >= ${D}) ? (thc_fail(THC_EINDEX), 0L) : ${name}_r;`];
}

/** x[items]: per result element, x at the planned multi-index. */
export function gatherBody(k: Kernel, cx: CExprCx, loops: Loops, epilogue: Epilogue): string[] {
  const core = k.core!;
  const xShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, core.type.shape);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const bpos = idx.slice(plan.bFirst, plan.bFirst + plan.bShape.length);
  const lines: string[] = [];
  const xi = sourceIndices(plan, idx, cx.dim, String, (a, p) => {
    lines.push(...tensorIndex(k, plan, p, bpos, `t${a}`, xShape[a]!, cx));
    return `t${a}`;
  });
  const src = exprLines(k.args[0]!, xi, 's', cx, null);
  const t = cType(core.type.dtype);
  return loops(idx, shape.map(cx.dim), [...lines, ...src.lines, `const ${t} core = ${src.result};`, ...epilogue(k, idx, cx)]);
}

/** The C-order flat offset of the multi-index `idx` over `shape`. */
function flat(idx: readonly string[], shape: readonly Dim[], cx: CExprCx): string {
  return idx.reduce((acc, v, a) => (a === 0 ? v : `(${acc}) * ${cx.dim(shape[a]!)} + ${v}`), '0');
}

/** index_add(g, ...; items, shape): zeros of `shape` plus every g element added at its destination, in order. */
export function scatterBody(k: Kernel, cx: CExprCx, loops: Loops, epilogue: Epilogue): string[] {
  const core = k.core!;
  const xShape = shapeAttr(core.attrs['shape']);
  const gShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, gShape);
  const gi = indexVars(gShape.length, 'g');
  const bpos = gi.slice(plan.bFirst, plan.bFirst + plan.bShape.length);
  const lines: string[] = [];
  const xi = sourceIndices(plan, gi, cx.dim, String, (a, p) => {
    lines.push(...tensorIndex(k, plan, p, bpos, `t${a}`, xShape[a]!, cx));
    return `t${a}`;
  });
  const src = exprLines(k.args[0]!, gi, 's', cx, null);
  const t = core.type.dtype;
  const count = xShape.length ? xShape.map(d => `(size_t)${cx.dim(d)}`).join(' * ') : '1';
  const xIdx = indexVars(xShape.length);
  const round = t === 'i32' || t === 'u32' ? `thc_f2${t}(acc[${flat(xIdx, xShape, cx)}])` : `(${cType(t)})acc[${flat(xIdx, xShape, cx)}]`;
  return [
    `double *acc = calloc(${count} > 0 ? ${count} : 1, sizeof(double));`,
    'if (!acc) { thc_fail(THC_ENOMEM); return; }',
    ...loops(gi, gShape.map(cx.dim), [...lines, ...src.lines, `acc[${flat(xi, xShape, cx)}] += (double)${src.result};`]),
    ...loops(xIdx, xShape.map(cx.dim), [`const ${cType(t)} core = ${round};`, ...epilogue(k, xIdx, cx)]),
    'free(acc);',
  ];
}
