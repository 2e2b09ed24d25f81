/**
 * @file One WGSL module per schedule kernel, by kind: elementwise (also concat parts: the body
 * written through the part's slice map), reduce (one workgroup per output, tree reduction in
 * workgroup memory, or split in two passes: reduce.ts), matmul (matmul.ts: register-blocked or tiled in workgroup memory),
 * one_hot (`other`), and gather/scatter (gather.ts). Each module has its bindings (inputs read-only, then the output), the
 * expression functions (expr.ts), the helpers they call (prelude.ts) and `main`. Dispatch grids are
 * flat: more than 65,535 workgroups fold into rows of 65,535 (`nwg.x`), and `main` rebuilds the
 * flat workgroup index and guards the tail.
 */
import type { Dim } from '../../sema/dims.js';
import { dimMul } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import type { Kernel } from '../../schedule/types.js';
import { exprDtype, exprFunction, indexVars, offsetLines, WGSL_INDEX, type ExprCx } from './expr.js';
import { kernelTitle, unravel as sharedUnravel } from '../clike/index-text.js';
import { literal, storageType, toStorage, type DimText } from './types.js';
import { preludeFor } from './prelude.js';
import { gatherModule, scatterModule } from './gather.js';
import { matmulForm, matmulForms, matmulModule, type MatmulForm } from './matmul.js';
import { reduceModule, splitForms, type SplitOptions } from './reduce.js';

/** Invocations per workgroup of elementwise-shaped kernels (the WebGPU default maximum). */
export const ELEMENT_WG = 256;
/** Invocations per reduction workgroup (a power of two: the tree halves it). */
export const REDUCE_WG = 64;

/** A binding of one pass of a kernel: a schedule buffer, or one of the kernel form's scratch buffers. */
export type PassBinding = { readonly buffer: number } | { readonly scratch: number };

/** One pass's module when a kernel runs as several dispatches (a split reduction). */
export interface KernelPass {
  readonly text: string;
  /** Its bindings in binding order (the last one writable). */
  readonly bindings: readonly PassBinding[];
}

export interface KernelModule {
  /** The module; for a multi-pass form, all passes' texts for display (run `passes` instead). */
  readonly text: string;
  /** Distinct buffers bound in binding order: inputs first, the output last. */
  readonly bindings: readonly number[];
  /** Present when the printed form runs as several dispatches (a split reduction, reduce.ts). */
  readonly passes?: readonly KernelPass[];
}

/**
 * Which variant of a kernel to print: a matmul form (matmul.ts), or a reduction's partial results
 * per output (`parts`: 1 is one pass, more is split in two passes; 'override' prints the count as
 * the `split_parts` override constant, so one text serves every count: the host module).
 */
export interface FormChoice {
  readonly matmul?: MatmulForm;
  readonly parts?: number | 'override';
}

/**
 * One form of a kernel as data, so a host without thc can choose and size it at call time
 * (host/plan.ts PlanForm): used when all `when` conditions (size >= minimum) hold, forms being
 * tried in order (the last has none). Each pass is one dispatch of
 * prod(ceil(size / per)) over its `grid`; `scratch` are buffers the host owns for the kernel
 * (4-byte elements); `constants` are override values the form's text needs besides the sizes.
 */
export interface KernelForm {
  readonly when: readonly (readonly [Dim, number])[];
  readonly choice: FormChoice;
  readonly passes: readonly { readonly grid: readonly (readonly [Dim, number])[]; readonly bindings: readonly PassBinding[] }[];
  readonly scratch: readonly { readonly count: Dim; readonly dtype: DType }[];
  readonly constants: Readonly<Record<string, number>>;
}

/** Options of the module printer (tests lower the split threshold; `form` forces a form). */
export interface ModuleOptions {
  readonly split?: SplitOptions;
  readonly form?: FormChoice;
}

export const product = (ds: readonly Dim[]): Dim => ds.reduce<Dim>((p, d) => dimMul(p, d), 1);

/** Statements giving `idx[k]` for the flat C-order index `flat` over `shape` (index-text.ts). */
export const unravel = (flat: string, shape: readonly Dim[], idx: readonly string[], dim: DimText): string[] =>
  sharedUnravel(flat, shape, idx, dim, WGSL_INDEX);

/** Where the kernel comes from: its name, kind and the `.th` lines (kernel.lines). */
function header(k: Kernel): string {
  return `// ${kernelTitle(k)}`;
}

/** Binding declarations and the name of each input (two inputs of one buffer share a binding). */
export function bindings(k: Kernel): { decls: string[]; input: (i: number) => string; order: number[] } {
  const order: number[] = [];
  const decls: string[] = [];
  const names = k.inputs.map(x => {
    let b = order.indexOf(x.buffer);
    if (b < 0) {
      b = order.length;
      order.push(x.buffer);
      decls.push(`@group(0) @binding(${b}) var<storage, read> in${b}: array<${storageType(x.value.type.dtype)}>;`);
    }
    return `in${b}`;
  });
  const out = k.outputs[0]!;
  decls.push(`@group(0) @binding(${order.length}) var<storage, read_write> out: array<${storageType(out.value.type.dtype)}>;`);
  order.push(out.buffer);
  return { decls, input: i => names[i]!, order };
}

export const MAIN_ARGS = '@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>';

/** The output store of `value` at the multi-index `idx` of the kernel's shape. */
export function storeLines(k: Kernel, idx: readonly string[], value: string, dim: DimText): string[] {
  const out = k.outputs[0]!;
  return [...offsetLines(out.map, idx, 'w', dim), `out[w] = ${toStorage(out.value.type.dtype, value)};`];
}

export function assemble(k: Kernel, decls: readonly string[], fns: readonly string[], main: readonly string[], extra: readonly string[] = []): string {
  const code = [...fns, main.join('\n')].join('\n\n');
  const prelude = preludeFor(code);
  return [header(k), ...decls, ...extra, ...(prelude ? ['', prelude] : []), '', code, ''].join('\n');
}

/**
 * The WGSL module of one kernel and its bindings; `dim` prints sizes. The form printed is
 * `opts.form`, else with concrete sizes (`size`) the first of kernelForms whose conditions hold
 * (matmul: blocked, tiled or simple; reduce: split or one pass), else the form meant for unknown
 * sizes (`thc compile`'s text: a blocked matmul, a one-pass reduction).
 */
export function kernelModule(k: Kernel, dim: DimText, overrides: readonly string[] = [], size?: (d: Dim) => number, opts: ModuleOptions = {}): KernelModule {
  const b = bindings(k);
  const cx: ExprCx = { dim, input: b.input, kernel: k };
  const decls = [...overrides, ...b.decls];
  const choice = opts.form ?? (size ? pickForm(kernelForms(k, opts), size).choice : {});
  switch (k.kind) {
    case 'reduce': return reduceModule(k, cx, overrides, b.decls.slice(0, -1), b.decls[b.decls.length - 1]!, b.order, choice.parts ?? 1);
    case 'matmul': return { ...matmulModule(k, cx, decls, choice.matmul ?? matmulForm(k)), bindings: b.order };
    case 'other': return { ...oneHotModule(k, cx, decls), bindings: b.order };
    case 'elementwise': case 'concat': return { ...elementwiseModule(k, cx, decls), bindings: b.order };
    case 'gather': return { ...gatherModule(k, cx, decls), bindings: b.order };
    case 'scatter': return { ...scatterModule(k, cx, decls), bindings: b.order };
  }
}

/** The prefix of `main` for one invocation per element: the flat element index and the tail guard. */
export function elementMain(shape: readonly Dim[], dim: DimText, idx: readonly string[]): string[] {
  return [
    `@compute @workgroup_size(${ELEMENT_WG})`,
    `fn main(${MAIN_ARGS}) {`,
    `  let e = i32((wid.y * nwg.x + wid.x) * ${ELEMENT_WG}u + lid);`,
    `  if (e >= ${dim(product(shape))}) { return; }`,
    ...unravel('e', shape, idx, dim).map(l => `  ${l}`),
  ];
}

/**
 * A kernel's forms in the order they are tried: matmul's blocked, tiled and simple (matmul.ts),
 * a reduction's split forms and its one pass (reduce.ts), else one form of one pass (a reduction's
 * one pass: a workgroup per output; everything else one invocation per element). Conditions that
 * the static sizes already decide are dropped, and so are forms after one that always holds.
 */
export function kernelForms(k: Kernel, opts: ModuleOptions = {}): KernelForm[] {
  const order = bindings(k).order;
  const onePass = (grid: readonly (readonly [Dim, number])[], choice: FormChoice = {}): KernelForm =>
    ({ when: [], choice, passes: [{ grid, bindings: order.map(buffer => ({ buffer })) }], scratch: [], constants: {} });
  let forms: KernelForm[];
  if (k.kind === 'matmul') forms = matmulForms(k).map(f => ({ ...onePass(f.grid, { matmul: f.form }), when: f.when }));
  else if (k.kind === 'reduce') forms = [...splitForms(k, order, opts.split), onePass([[product(k.body.shape), 1]], { parts: 1 })];
  else forms = [onePass([[product(k.body.shape), ELEMENT_WG]])];
  const out: KernelForm[] = [];
  for (const f of forms) {
    if (f.when.some(([d, min]) => typeof d === 'number' && d < min)) continue;
    const when = f.when.filter(([d]) => typeof d !== 'number');
    out.push({ ...f, when });
    if (when.length === 0) break;
  }
  return out;
}

/** The first form whose conditions hold for concrete sizes (the last form has none). */
export function pickForm(forms: readonly KernelForm[], size: (d: Dim) => number): KernelForm {
  return forms.find(f => f.when.every(([d, min]) => size(d) >= min))!;
}

/** A pass's workgroups before folding (0: nothing to do, e.g. a zero-size tensor). */
export function passGroups(grid: readonly (readonly [Dim, number])[], size: (d: Dim) => number): number {
  return grid.reduce<number>((p, [d, per]) => p * Math.ceil(size(d) / per), 1);
}

function elementwiseModule(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const fn = exprFunction('body', k.body, cx, null);
  const main = [...elementMain(shape, cx.dim, idx), ...storeLines(k, idx, `body(${idx.join(', ')})`, cx.dim).map(l => `  ${l}`), '}'];
  return { text: assemble(k, decls, [fn], main) };
}

// ---------------------------------------------------------------- one_hot

/** one_hot(y, k): element [..., c] is (y[...] == c) in the result dtype (a label outside 0..k-1 gives a zero row). */
function oneHotModule(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const core = k.core!;
  if (core.op !== 'one_hot') throw new Error(`no WGSL kernel for ${core.op}`);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const t = core.type.dtype;
  const yT = exprDtype(k.args[0]!, k, null);
  const fns = [exprFunction('label', k.args[0]!, cx, null), exprFunction('body', k.body, cx, t)];
  const c = idx[idx.length - 1]!;
  const hit = `(label(${idx.slice(0, -1).join(', ')}) == ${yT === 'i32' ? c : `u32(${c})`})`;
  const value = t === 'bool' ? hit : `select(${literal(t, 0)}, ${literal(t, 1)}, ${hit})`;
  const main = [...elementMain(shape, cx.dim, idx),
    ...storeLines(k, idx, `body(${[...idx, value].join(', ')})`, cx.dim).map(l => `  ${l}`), '}'];
  return { text: assemble(k, decls, fns, main) };
}
