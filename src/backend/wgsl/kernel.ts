/**
 * @file One WGSL module per schedule kernel, by kind: elementwise (also concat parts: the body
 * written through the part's slice map), reduce (one workgroup per output, tree reduction in
 * workgroup memory), matmul (matmul.ts: register-blocked or tiled in workgroup memory),
 * one_hot (`other`), and gather/scatter (gather.ts). Each module has its bindings (inputs read-only, then the output), the
 * expression functions (expr.ts), the helpers they call (prelude.ts) and `main`. Dispatch grids are
 * flat: more than 65,535 workgroups fold into rows of 65,535 (`nwg.x`), and `main` rebuilds the
 * flat workgroup index and guards the tail.
 */
import type { Dim } from '../../sema/dims.js';
import { dimMul } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import { normalizeAxis } from '../../sema/shapes.js';
import { axesAttr } from '../../ops/helpers.js';
import type { Kernel } from '../../schedule/types.js';
import { exprDtype, exprFunction, indexVars, offsetLines, WGSL_INDEX, type ExprCx } from './expr.js';
import { kernelTitle, unravel as sharedUnravel } from '../clike/index-text.js';
import { literal, storageType, toStorage, valueType, type DimText } from './types.js';
import { preludeFor } from './prelude.js';
import { gatherModule, scatterModule } from './gather.js';
import { matmulGroups, matmulModule } from './matmul.js';

/** Invocations per workgroup of elementwise-shaped kernels (the WebGPU default maximum). */
export const ELEMENT_WG = 256;
/** Invocations per reduction workgroup (a power of two: the tree halves it). */
export const REDUCE_WG = 64;

export interface KernelModule {
  readonly text: string;
  /** Distinct buffers bound in binding order: inputs first, the output last. */
  readonly bindings: readonly number[];
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
 * only) lets a kernel pick its form (matmul: tiled or not).
 */
export function kernelModule(k: Kernel, dim: DimText, overrides: readonly string[] = [], size?: (d: Dim) => number): KernelModule {
  const b = bindings(k);
  const cx: ExprCx = { dim, input: b.input, kernel: k };
  const decls = [...overrides, ...b.decls];
  switch (k.kind) {
    case 'reduce': return { ...reduceModule(k, cx, decls), bindings: b.order };
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

// ---------------------------------------------------------------- reductions

/** Per reduction op: the accumulator's start, how two partial results combine, the final value. */
interface Fold { readonly init: string; readonly combine: (a: string, b: string) => string }

function foldOf(op: string, t: DType): Fold {
  const isBool = t === 'bool';
  switch (op) {
    case 'sum': return { init: literal(t, 0), combine: (a, b) => `${a} + ${b}` };
    case 'prod': return { init: literal(t, 1), combine: (a, b) => `${a} * ${b}` };
    case 'max': return isBool ? { init: 'false', combine: (a, b) => `${a} || ${b}` }
      : { init: lowest(t), combine: (a, b) => `max(${a}, ${b})` };
    case 'min': return isBool ? { init: 'true', combine: (a, b) => `${a} && ${b}` }
      : { init: highest(t), combine: (a, b) => `min(${a}, ${b})` };
    default: throw new Error(`no fold for ${op}`);
  }
}

const lowest = (t: DType): string => (t === 'f32' ? '(-thc_inf())' : t === 'i32' ? 'i32(-2147483648)' : '0u');
const highest = (t: DType): string => (t === 'f32' ? 'thc_inf()' : t === 'i32' ? '2147483647i' : '4294967295u');

/**
 * One workgroup per output element: invocation `lid` folds elements lid, lid + WG, ... of its
 * group in registers, then a tree in workgroup memory halves the partial results. `o` comes from
 * the workgroup id, so the early return and every barrier are in uniform control flow.
 * argmax/argmin carry (value, index) pairs, first index on ties; logsumexp finds the maximum and
 * its first position, then sums exp(x - m) over the other elements and returns m + log1p(sum),
 * the interpreter's formula.
 */
function reduceModule(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const core = k.core!;
  const arg = k.args[0]!;
  const inShape = arg.shape;
  const rank = inShape.length;
  const argT = exprDtype(arg, k, null);
  const outT = core.type.dtype;
  const axesList = axesAttr(core.attrs['axis']);
  const axes = axesList === null ? [...Array(rank).keys()] : axesList.map(a => normalizeAxis(a, rank)!).sort((a, b) => a - b);
  const keepdims = !!core.attrs['keepdims'];
  const keptAxes = [...Array(rank).keys()].filter(a => !axes.includes(a));
  const ivars = indexVars(rank, 'x');
  const nOut = product(keptAxes.map(a => inShape[a]!));
  const nRed = product(axes.map(a => inShape[a]!));
  const dim = cx.dim;
  // The body's index: keepdims keeps a size-1 axis (index 0) for each reduced one.
  const bodyIdx = keepdims ? [...Array(rank).keys()].map(a => (axes.includes(a) ? '0i' : ivars[a]!)) : keptAxes.map(a => ivars[a]!);
  const bodyVars = indexVars(k.body.shape.length);
  const fns = [exprFunction('arg', arg, cx, null), exprFunction('body', k.body, cx, outT)];
  const WG = REDUCE_WG;
  const head = [
    `@compute @workgroup_size(${WG})`,
    `fn main(${MAIN_ARGS}) {`,
    `  let o = i32(wid.y * nwg.x + wid.x);`,
    `  if (o >= ${dim(nOut)}) { return; }`,
    ...unravel('o', keptAxes.map(a => inShape[a]!), keptAxes.map(a => ivars[a]!), dim).map(l => `  ${l}`),
  ];
  const loop = (bodyLines: readonly string[]): string[] => [
    `  for (var r = i32(lid); r < ${dim(nRed)}; r = r + ${WG}i) {`,
    ...unravel('r', axes.map(a => inShape[a]!), axes.map(a => ivars[a]!), dim).map(l => `    ${l}`),
    `    let x = arg(${ivars.join(', ')});`,
    ...bodyLines.map(l => `    ${l}`),
    '  }',
  ];
  const tree = (step: string): string[] => [
    '  workgroupBarrier();',
    `  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {`,
    `    if (lid < s) { ${step} }`,
    '    workgroupBarrier();',
    '  }',
  ];
  const store = (value: string): string[] => [
    '  if (lid == 0u) {',
    ...(bodyVars.length ? bodyVars.map((v, j) => `    let ${v} = ${bodyIdx[j]};`) : []),
    `    let y = body(${[...bodyVars, value].join(', ')});`,
    ...storeLines(k, bodyVars, 'y', dim).map(l => `    ${l}`),
    '  }',
    '}',
  ];
  const cmpT = argT === 'bool' ? 'u32' : valueType(argT);
  const cmpOf = (x: string): string => (argT === 'bool' ? `u32(${x})` : x);
  // Pair (value, index) beats the current best: greater (smaller), or equal with a smaller index.
  const pairStep = (better: string): string => `let bv = red_v[lid + s]; let bi = red_i[lid + s]; let av = red_v[lid]; let ai = red_i[lid];
      if (bi >= 0i && (ai < 0i || bv ${better} av || (bv == av && bi < ai))) { red_v[lid] = bv; red_i[lid] = bi; }`;
  let extra: string[];
  let main: string[];
  if (core.op === 'argmax' || core.op === 'argmin' || core.op === 'logsumexp') {
    const better = core.op === 'argmin' ? '<' : '>';
    extra = [`var<workgroup> red_v: array<${cmpT}, ${WG}>;`, `var<workgroup> red_i: array<i32, ${WG}>;`];
    const argPass = [
      `  var bv: ${cmpT} = ${cmpOf(argT === 'bool' ? 'false' : literal(argT, 0))};`,
      '  var bi = -1i;',
      ...loop([`let xv = ${cmpOf('x')};`, `if (bi < 0i || xv ${better} bv) { bv = xv; bi = r; }`]),
      '  red_v[lid] = bv;',
      '  red_i[lid] = bi;',
      ...tree(pairStep(better)),
    ];
    if (core.op !== 'logsumexp') {
      main = [...head, ...argPass, ...store('red_i[0]')];
    } else {
      main = [...head, ...argPass,
        '  let m = red_v[0];',
        '  let at = red_i[0];',
        '  workgroupBarrier();',
        '  var acc = 0.0f;',
        ...loop(['if (r != at) { acc = acc + exp(x - m); }']),
        '  red_v[lid] = acc;',
        ...tree('red_v[lid] = red_v[lid] + red_v[lid + s];'),
        // An infinite maximum (or none: an empty axis) is the answer itself.
        '  let finite = (bitcast<u32>(m) & 0x7f800000u) != 0x7f800000u;',
        '  let total = select(m, m + thc_log1p_f32(red_v[0]), finite && at >= 0i);',
        ...store('select((-thc_inf()), total, at >= 0i)')];
    }
  } else {
    const f = foldOf(core.op, outT);
    const conv = argT === outT ? 'x' : `${valueType(outT)}(x)`;
    extra = [`var<workgroup> red_v: array<${valueType(outT)}, ${WG}>;`];
    main = [...head,
      `  var acc: ${valueType(outT)} = ${f.init};`,
      ...loop([`acc = ${f.combine('acc', conv)};`]),
      '  red_v[lid] = acc;',
      ...tree(`red_v[lid] = ${f.combine('red_v[lid]', 'red_v[lid + s]')};`),
      ...store('red_v[0]')];
  }
  return { text: assemble(k, decls, fns, main, extra) };
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
