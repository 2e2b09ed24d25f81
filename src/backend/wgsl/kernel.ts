/**
 * @file One WGSL module per schedule kernel, by kind: elementwise (also concat parts: the body
 * written through the part's slice map), reduce (one workgroup per output, tree reduction in
 * workgroup memory), matmul (tiled in workgroup memory, numpy's 1-D and batch rules),
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

/** Invocations per workgroup of elementwise-shaped kernels (the WebGPU default maximum). */
export const ELEMENT_WG = 256;
/** Invocations per reduction workgroup (a power of two: the tree halves it). */
export const REDUCE_WG = 64;

export interface KernelModule {
  readonly text: string;
  /** Distinct buffers bound in binding order: inputs first, the output last. */
  readonly bindings: readonly number[];
}

const product = (ds: readonly Dim[]): Dim => ds.reduce<Dim>((p, d) => dimMul(p, d), 1);

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

const MAIN_ARGS = '@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>';

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
 * A dispatch grid as data, so a host without thc can size it at call time: the workgroup count is
 * the product over `factors` of ceil(size / per), each size a Dim (host/runtime.ts evaluates them).
 * `when` lists (size, minimum) conditions: a kernel with several forms (matmul: tiled or not) has
 * one GridForm per form, tried in order, the first whose conditions all hold being the one
 * kernelModule prints for those sizes (the last has none).
 */
export interface GridForm {
  readonly when: readonly (readonly [Dim, number])[];
  readonly factors: readonly (readonly [Dim, number])[];
}

/**
 * The grid forms of a kernel: one per output element for a reduction, one per output block for a
 * tiled matmul (matmulGrid), else one per ELEMENT_WG elements.
 */
export function gridOf(k: Kernel): GridForm[] {
  if (k.kind === 'matmul') return matmulGrid(k);
  return [{ when: [], factors: [[product(k.body.shape), k.kind === 'reduce' ? 1 : ELEMENT_WG]] }];
}

/**
 * Workgroups to dispatch for one call, before folding (0: nothing to do, e.g. a zero-size
 * tensor): the first grid form of gridOf whose conditions hold, for concrete sizes.
 */
export function workgroupsOf(k: Kernel, size: (d: Dim) => number): number {
  const form = gridOf(k).find(f => f.when.every(([d, min]) => size(d) >= min))!;
  return form.factors.reduce<number>((p, [d, per]) => p * Math.ceil(size(d) / per), 1);
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

// ---------------------------------------------------------------- matmul

/** Output rows and columns per matmul workgroup (TILE x TILE invocations, one output each). */
export const TILE = 16;

/** A matmul kernel's sizes in numpy's terms: batch axes, M x K times K x N (1-D operands: M or N is 1). */
function matmulDims(k: Kernel): { batch: readonly Dim[]; M: Dim; N: Dim; K: Dim; hasI: boolean; hasJ: boolean } {
  const sa = k.args[0]!.shape, sb = k.args[1]!.shape;
  const hasI = sa.length >= 2, hasJ = sb.length >= 2;
  const shape = k.body.shape;
  const r = shape.length;
  const nBatch = r - (hasI ? 1 : 0) - (hasJ ? 1 : 0);
  return {
    batch: shape.slice(0, nBatch),
    M: hasI ? shape[hasJ ? r - 2 : r - 1]! : 1,
    N: hasJ ? shape[r - 1]! : 1,
    K: sa[sa.length - 1]!,
    hasI, hasJ,
  };
}

/**
 * Matmul grid forms: tiled (one workgroup per TILE x TILE block of each batch's output) when both
 * operands are matrices and the output has at least TILE rows and columns (isTiled), else one
 * invocation per output element.
 */
function matmulGrid(k: Kernel): GridForm[] {
  const d = matmulDims(k);
  const simple: GridForm = { when: [], factors: [[product(k.body.shape), ELEMENT_WG]] };
  if (!d.hasI || !d.hasJ) return [simple];
  return [{ when: [[d.M, TILE], [d.N, TILE]], factors: [[product(d.batch), 1], [d.M, TILE], [d.N, TILE]] }, simple];
}

/**
 * Untiled: one invocation per output element, looping over the shared axis (the same numpy rules).
 * Used where a tile would be mostly empty: a matrix-vector product, or fewer than TILE rows or
 * columns.
 */
function matmulSimple(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const [a, b] = k.args as [typeof k.args[0], typeof k.args[0]];
  const sa = a!.shape, sb = b!.shape;
  const ra = sa.length, rb = sb.length;
  const shape = k.body.shape;
  const r = shape.length;
  const idx = indexVars(r);
  const t = k.core!.type.dtype;
  const K = sa[ra - 1]!;
  const i = ra >= 2 ? idx[rb >= 2 ? r - 2 : r - 1]! : null;
  const j = rb >= 2 ? idx[r - 1]! : null;
  const nBatch = r - (i ? 1 : 0) - (j ? 1 : 0);
  const batchIdx = (s: readonly Dim[], rank: number): string[] => {
    const own = rank - 2;
    return s.slice(0, own).map((d, q) => (d === 1 ? '0i' : idx[nBatch - own + q]!));
  };
  const aIdx = ra === 1 ? ['p'] : [...batchIdx(sa, ra), i!, 'p'];
  const bIdx = rb === 1 ? ['p'] : [...batchIdx(sb, rb), 'p', j!];
  const fns = [exprFunction('lhs', a!, cx, null), exprFunction('rhs', b!, cx, null), exprFunction('body', k.body, cx, t)];
  const main = [...elementMain(shape, cx.dim, idx),
    `  var acc: ${valueType(t)} = ${literal(t, 0)};`,
    `  for (var p = 0i; p < ${cx.dim(K)}; p = p + 1i) {`,
    `    acc = acc + lhs(${aIdx.join(', ')}) * rhs(${bIdx.join(', ')});`,
    '  }',
    ...storeLines(k, idx, `body(${[...idx, 'acc'].join(', ')})`, cx.dim).map(l => `  ${l}`),
    '}'];
  return { text: assemble(k, decls, fns, main) };
}

/**
 * Whether a matmul kernel is tiled: only when each batch's output has at least TILE rows and
 * columns (with symbolic sizes, `thc compile` prints the tiled kernel for any matrix product).
 */
function isTiled(k: Kernel, size?: (d: Dim) => number): boolean {
  const d = matmulDims(k);
  return d.hasI && d.hasJ && (!size || (size(d.M) >= TILE && size(d.N) >= TILE));
}

function matmulModule(k: Kernel, cx: ExprCx, decls: readonly string[], size?: (d: Dim) => number): Omit<KernelModule, 'bindings'> {
  return isTiled(k, size) ? matmulTiled(k, cx, decls) : matmulSimple(k, cx, decls);
}

/**
 * Tiled: each workgroup computes a TILE x TILE block of one batch's output; per step along K it
 * stages a TILE x TILE block of each operand in workgroup memory (2 KiB each for 4-byte types),
 * so every operand element is read from the buffer once per block instead of once per output.
 * Blocks past the edges load zeros (any M, N, K). The workgroup's block comes from
 * `workgroup_id`, so the early return and the barriers are in uniform control flow. numpy's rules:
 * a 1-D left operand is one row (M = 1, its axis dropped from the result), a 1-D right operand one
 * column, batch axes broadcast (an operand's size-1 batch axis reads index 0).
 */
function matmulTiled(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const [a, b] = [k.args[0]!, k.args[1]!];
  const sa = a.shape, sb = b.shape;
  const d = matmulDims(k);
  const dim = cx.dim;
  const t = k.core!.type.dtype;
  const T = valueType(t);
  const nb = d.batch.length;
  const bvars = indexVars(nb, 'q');
  const batchIdx = (s: readonly Dim[]): string[] => {
    const own = s.length - 2;
    return s.slice(0, own).map((x, q) => (x === 1 ? '0i' : bvars[nb - own + q]!));
  };
  const aIdx = (row: string, col: string): string => (sa.length === 1 ? col : [...batchIdx(sa), row, col].join(', '));
  const bIdx = (row: string, col: string): string => (sb.length === 1 ? row : [...batchIdx(sb), row, col].join(', '));
  const outIdx = [...bvars, ...(d.hasI ? ['i'] : []), ...(d.hasJ ? ['j'] : [])];
  // max(.., 1): an empty output dispatches nothing, but WGSL rejects a division by a zero constant.
  const tilesM = `max((${dim(d.M)} + ${TILE - 1}i) / ${TILE}i, 1i)`, tilesN = `max((${dim(d.N)} + ${TILE - 1}i) / ${TILE}i, 1i)`;
  const total = product(d.batch);
  const fns = [exprFunction('lhs', a, cx, null), exprFunction('rhs', b, cx, null), exprFunction('body', k.body, cx, t)];
  const extra = [`var<workgroup> tile_a: array<${T}, ${TILE * TILE}>;`, `var<workgroup> tile_b: array<${T}, ${TILE * TILE}>;`];
  const zero = literal(t, 0);
  const main = [
    `@compute @workgroup_size(${TILE * TILE})`,
    `fn main(${MAIN_ARGS}) {`,
    '  let g = i32(wid.y * nwg.x + wid.x);',
    `  if (g >= ${dim(total)} * ${tilesM} * ${tilesN}) { return; }`,
    `  let tn = g % ${tilesN};`,
    `  let tm = (g / ${tilesN}) % ${tilesM};`,
    `  let bt = g / (${tilesN} * ${tilesM});`,
    ...unravel('bt', d.batch, bvars, dim).map(l => `  ${l}`),
    `  let ly = i32(lid) / ${TILE}i;`,
    `  let lx = i32(lid) % ${TILE}i;`,
    `  let i = tm * ${TILE}i + ly;`,
    `  let j = tn * ${TILE}i + lx;`,
    `  var acc: ${T} = ${zero};`,
    `  for (var p0 = 0i; p0 < ${dim(d.K)}; p0 = p0 + ${TILE}i) {`,
    `    let pa = p0 + lx;`,
    `    let pb = p0 + ly;`,
    `    var va: ${T} = ${zero};`,
    `    if (i < ${dim(d.M)} && pa < ${dim(d.K)}) { va = lhs(${aIdx('i', 'pa')}); }`,
    `    var vb: ${T} = ${zero};`,
    `    if (pb < ${dim(d.K)} && j < ${dim(d.N)}) { vb = rhs(${bIdx('pb', 'j')}); }`,
    `    tile_a[ly * ${TILE}i + lx] = va;`,
    `    tile_b[ly * ${TILE}i + lx] = vb;`,
    '    workgroupBarrier();',
    `    for (var p = 0i; p < ${TILE}i; p = p + 1i) {`,
    `      acc = acc + tile_a[ly * ${TILE}i + p] * tile_b[p * ${TILE}i + lx];`,
    '    }',
    '    workgroupBarrier();',
    '  }',
    `  if (i < ${dim(d.M)} && j < ${dim(d.N)}) {`,
    ...storeLines(k, outIdx, `body(${[...outIdx, 'acc'].join(', ')})`, dim).map(l => `    ${l}`),
    '  }',
    '}',
  ];
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
