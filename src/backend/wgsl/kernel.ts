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
import { matmulGroups, matmulModule } from './matmul.js';
import { reduceModule, type SplitOptions } from './reduce.js';

/** Invocations per workgroup of elementwise-shaped kernels (the WebGPU default maximum). */
export const ELEMENT_WG = 256;
/** Invocations per reduction workgroup (a power of two: the tree halves it). */
export const REDUCE_WG = 64;

/** A binding of one pass of a multi-pass kernel: a schedule buffer, or one of the kernel's scratch buffers. */
export type PassBinding = { readonly buffer: number } | { readonly scratch: number };

/** One dispatch of a multi-pass kernel: its module, bindings (the last one writable) and workgroups before folding. */
export interface KernelPass {
  readonly text: string;
  readonly bindings: readonly PassBinding[];
  readonly groups: number;
}

export interface KernelModule {
  readonly text: string;
  /** Distinct buffers bound in binding order: inputs first, the output last. */
  readonly bindings: readonly number[];
  /**
   * Present when the kernel runs as several dispatches (a split reduction, reduce.ts): run these
   * in order instead of `text` (which then shows all passes); they use `scratch` buffers (elements
   * of 4 bytes) that the host owns.
   */
  readonly passes?: readonly KernelPass[];
  readonly scratch?: readonly { readonly count: number; readonly dtype: DType }[];
}

/** Options of the module printer for concrete sizes (tests lower the split threshold). */
export interface ModuleOptions {
  readonly split?: SplitOptions;
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
function bindings(k: Kernel): { decls: string[]; input: (i: number) => string; order: number[] } {
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
 * The WGSL module of one kernel and its bindings; `dim` prints sizes, and `size` (concrete sizes
 * only) lets a kernel pick its form (matmul: blocked, tiled or simple; reduce: one pass or split).
 */
export function kernelModule(k: Kernel, dim: DimText, overrides: readonly string[] = [], size?: (d: Dim) => number, opts: ModuleOptions = {}): KernelModule {
  const b = bindings(k);
  const cx: ExprCx = { dim, input: b.input, kernel: k };
  const decls = [...overrides, ...b.decls];
  switch (k.kind) {
    case 'reduce': return reduceModule(k, cx, overrides, b.decls.slice(0, -1), b.decls[b.decls.length - 1]!, b.order, size, opts.split);
    case 'matmul': return { ...matmulModule(k, cx, decls, size), bindings: b.order };
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
 * Workgroups to dispatch for one call, before folding (0: nothing to do, e.g. a zero-size
 * tensor): one per output element for a reduction, one per output block for a matmul, else one
 * per ELEMENT_WG elements.
 */
export function workgroupsOf(k: Kernel, size: (d: Dim) => number): number {
  if (k.kind === 'matmul') return matmulGroups(k, size);
  if (k.kind === 'reduce') {
    const n = k.body.shape.reduce<number>((p, d) => p * size(d), 1);
    return n;
  }
  return Math.ceil(k.body.shape.reduce<number>((p, d) => p * size(d), 1) / ELEMENT_WG);
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
