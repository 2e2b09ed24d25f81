/**
 * @file Indexing with index tensors (`index`, a gather kernel) and its adjoint (`index_add`, a
 * scatter kernel), with numpy's layout as ops/indexing.ts computes it: slice items keep their axes,
 * the index tensors and int items broadcast together and their axes go where the first indexed
 * axis was (adjacent items) or first. Both kernels work on multi-indices of `x` (the operand's
 * expression function takes one), so no strides are needed. The scatter needs no float atomics: one
 * invocation per DESTINATION element finds its slice position (if it lies on the slices' lattice)
 * and loops over the broadcast index positions, adding every source element that lands on it, in
 * source order (a destination with no source gets 0). Its cost is destinations x index positions.
 * Out-of-range indices, a run-time error on the interpreter, are clamped by the gather and match
 * nothing in the scatter (docs/wgsl.md).
 */
import type { Dim } from '../../sema/dims.js';
import { dimMul } from '../../sema/dims.js';
import { decodeItems } from '../../ops/indexing.js';
import { planOf, sourceIndices, type AxisPlan, type Plan } from '../clike/gather-plan.js';
import { shapeAttr } from '../../ops/helpers.js';
import type { Kernel } from '../../schedule/types.js';
import { exprDtype, exprFunction, indexVars, type ExprCx } from './expr.js';
import { literal, valueType } from './types.js';
import { assemble, elementMain, storeLines, unravel, type KernelModule } from './kernel.js';

/** `let` lines giving the value of index tensor `arg` at broadcast position `bpos`, normalized. */
function tensorIndex(k: Kernel, plan: Plan, p: Extract<AxisPlan, { kind: 'tensor' }>, bpos: readonly string[], name: string, dim: Dim, cx: ExprCx): string[] {
  const e = k.args[p.arg]!;
  const rank = e.shape.length;
  const nb = plan.bShape.length;
  const at = e.shape.map((d, q) => (d === 1 ? '0i' : bpos[nb - rank + q]!));
  const t = exprDtype(e, k, null);
  const raw = `idx${p.arg}(${at.join(', ')})`;
  const v = t === 'u32' ? `i32(${raw})` : raw;
  return [`let ${name}_raw = ${v};`, `let ${name} = select(${name}_raw, ${name}_raw + ${cx.dim(dim)}, ${name}_raw < 0i);`];
}

function indexFunctions(k: Kernel, cx: ExprCx): string[] {
  return k.args.slice(1).map((e, i) => exprFunction(`idx${i + 1}`, e, cx, null));
}

/** x[items] with index tensors: one invocation per result element reads x at its multi-index. */
export function gatherModule(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const core = k.core!;
  const xShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, core.type.shape);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const bpos = idx.slice(plan.bFirst, plan.bFirst + plan.bShape.length);
  const lines: string[] = [];
  const xi = sourceIndices(plan, idx, cx.dim, n => `${n}i`, (a, p) => {
    const d = xShape[a]!;
    lines.push(...tensorIndex(k, plan, p, bpos, `t${a}`, d, cx));
    // Out of range is a run-time error on the interpreter; here it must not read outside x.
    return `clamp(t${a}, 0i, max(${cx.dim(d)} - 1i, 0i))`;
  });
  const t = core.type.dtype;
  const fns = [exprFunction('src', k.args[0]!, cx, null), ...indexFunctions(k, cx), exprFunction('body', k.body, cx, t)];
  const main = [...elementMain(shape, cx.dim, idx), ...lines.map(l => `  ${l}`),
    `  let g = src(${xi.join(', ')});`,
    ...storeLines(k, idx, `body(${[...idx, 'g'].join(', ')})`, cx.dim).map(l => `  ${l}`), '}'];
  return { text: assemble(k, decls, fns, main) };
}

/**
 * index_add(g, ...indices; items, shape): zeros of `shape` plus g scattered through x[items]. One
 * invocation per destination element (no atomics): its slice coordinates are solved directly, the
 * broadcast index positions are searched.
 */
export function scatterModule(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const core = k.core!;
  const xShape = shapeAttr(core.attrs['shape']);
  const gShape = core.inputs[0]!.type.shape;
  const plan = planOf(decodeItems(core.attrs['items'], xShape.length), xShape, gShape);
  const shape = k.body.shape;
  const xi = indexVars(shape.length);
  const t = core.type.dtype;
  const gIdx: string[] = gShape.map(() => '0i');
  const solve: string[] = ['var hit = true;'];
  plan.axes.forEach((p, a) => {
    if (p.kind === 'int') solve.push(`hit = hit && ${xi[a]} == ${cx.dim(p.index)};`);
    if (p.kind !== 'slice') return;
    // x index = start + step * j: j must be a whole number in [0, len).
    solve.push(`let d${a} = ${xi[a]} - ${cx.dim(p.start)};`,
      `let j${a} = d${a} / ${p.step}i;`,
      `hit = hit && d${a} % ${p.step}i == 0i && j${a} >= 0i && j${a} < ${cx.dim(p.len)};`);
    gIdx[p.outAxis] = `j${a}`;
  });
  const bpos = indexVars(plan.bShape.length, 'b');
  bpos.forEach((b, q) => { gIdx[plan.bFirst + q] = b; });
  const nB = plan.bShape.reduce<Dim>((n, d) => dimMul(n, d), 1);
  const match: string[] = ['var on = hit;'];
  plan.axes.forEach((p, a) => {
    if (p.kind !== 'tensor') return;
    match.push(...tensorIndex(k, plan, p, bpos, `t${a}`, xShape[a]!, cx), `on = on && t${a} == ${xi[a]};`);
  });
  const fns = [exprFunction('src', k.args[0]!, cx, null), ...indexFunctions(k, cx), exprFunction('body', k.body, cx, t)];
  const main = [...elementMain(shape, cx.dim, xi), ...solve.map(l => `  ${l}`),
    `  var acc: ${valueType(t)} = ${literal(t, 0)};`,
    `  for (var b = 0i; hit && b < ${cx.dim(nB)}; b = b + 1i) {`,
    ...unravel('b', plan.bShape, bpos, cx.dim).map(l => `    ${l}`),
    ...match.map(l => `    ${l}`),
    `    if (on) { acc = acc + src(${gIdx.join(', ')}); }`,
    '  }',
    ...storeLines(k, xi, `body(${[...xi, 'acc'].join(', ')})`, cx.dim).map(l => `  ${l}`), '}'];
  return { text: assemble(k, decls, fns, main) };
}
