/**
 * @file The WGSL matmul kernels (numpy's rules: a 1-D left operand is one row, a 1-D right operand
 * one column, batch axes broadcast, an operand's size-1 batch axis reads index 0; the fused
 * epilogue is applied before the store), in three forms picked from the sizes (`matmulForm`):
 * - blocked: a workgroup of 16 x 16 invocations computes a 64 x 64 output block, each invocation a
 *   4 x 4 register block (four vec4 accumulators); per K-step of 16 it stages a 64 x 16 block of
 *   the left operand and a 16 x 64 block of the right one in workgroup memory as vec4s (8 KiB for
 *   4-byte types), so the inner loop does 2 vec4 workgroup loads per 16 multiply-adds;
 * - tiled: 16 x 16 invocations, one output each, 16 x 16 blocks of both operands staged;
 * - simple: one invocation per output element looping over K (matrix-vector and thin products).
 * The forms and their dispatch grids are data (`matmulForms`, kernel.ts kernelForms). Edge blocks load zeros and skip stores outside
 * the output, so every size is correct (1 x 1, 17 x 33 x 65, K = 0).
 */
import type { Dim } from '../../sema/dims.js';
import type { Kernel } from '../../schedule/types.js';
import { exprFunction, indexVars, type ExprCx } from './expr.js';
import { matmulLayout } from '../clike/matmul-layout.js';
import { literal, valueType } from './types.js';
import { assemble, elementMain, ELEMENT_WG, MAIN_ARGS, product, storeLines, unravel, type KernelModule } from './kernel.js';

/** Output rows and columns per workgroup of the tiled form (TILE x TILE invocations, one output each). */
export const TILE = 16;
/** Output rows and columns per workgroup of the blocked form (16 x 16 invocations, 4 x 4 outputs each). */
export const BLOCK = 64;
/** Outputs per invocation along each axis in the blocked form (one vec4 accumulator per row). */
const REG = 4;
/** The blocked form's step along K: operand blocks of BLOCK x BLOCK_K elements in workgroup memory. */
export const BLOCK_K = 16;

export type MatmulForm = 'simple' | 'tiled' | 'blocked';

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
 * The matmul forms in the order a host tries them (kernel.ts kernelForms): blocked when each
 * batch's output is at least BLOCK x BLOCK, tiled when at least TILE x TILE, else simple (a block
 * would be mostly idle invocations); a matrix-vector product is always simple. Grids: one
 * workgroup per output block of each batch, or one per ELEMENT_WG outputs.
 */
export function matmulForms(k: Kernel): { when: (readonly [Dim, number])[]; form: MatmulForm; grid: (readonly [Dim, number])[] }[] {
  const d = matmulDims(k);
  const simple = { when: [], form: 'simple' as const, grid: [[product(k.body.shape), ELEMENT_WG] as const] };
  if (!d.hasI || !d.hasJ) return [simple];
  const blocks = (form: 'blocked' | 'tiled', edge: number) =>
    ({ when: [[d.M, edge] as const, [d.N, edge] as const], form, grid: [[product(d.batch), 1] as const, [d.M, edge] as const, [d.N, edge] as const] });
  return [blocks('blocked', BLOCK), blocks('tiled', TILE), simple];
}

/**
 * The form for a matmul kernel at these sizes (the first of matmulForms whose conditions hold).
 * Without sizes (`thc compile`'s text), every matrix-matrix product is blocked: the form meant
 * for large products.
 */
export function matmulForm(k: Kernel, size?: (d: Dim) => number): MatmulForm {
  const forms = matmulForms(k);
  if (!size) return forms[0]!.form;
  return forms.find(f => f.when.every(([d, min]) => size(d) >= min))!.form;
}

export function matmulModule(k: Kernel, cx: ExprCx, decls: readonly string[], form: MatmulForm): Omit<KernelModule, 'bindings'> {
  return form === 'simple' ? matmulSimple(k, cx, decls) : matmulBlocks(k, cx, decls, form);
}

/** Simple: one invocation per output element, looping over the shared axis. */
function matmulSimple(k: Kernel, cx: ExprCx, decls: readonly string[]): Omit<KernelModule, 'bindings'> {
  const [a, b] = [k.args[0]!, k.args[1]!];
  const shape = k.body.shape;
  const { idx, aIdx, bIdx } = matmulLayout(k, '0i');
  const t = k.core!.type.dtype;
  const K = a.shape[a.shape.length - 1]!;
  const fns = [exprFunction('lhs', a, cx, null), exprFunction('rhs', b, cx, null), exprFunction('body', k.body, cx, t)];
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
 * Tiled and blocked: each workgroup computes one output block of one batch; the block comes from
 * `workgroup_id`, so the early return and the barriers are in uniform control flow. Both operands
 * are read through their expression functions (views and fused producers), one element per load:
 * consecutive invocations read consecutive K (left) and N (right) positions, which is contiguous
 * for row-major operands.
 */
function matmulBlocks(k: Kernel, cx: ExprCx, decls: readonly string[], form: 'tiled' | 'blocked'): Omit<KernelModule, 'bindings'> {
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
  const aIdx = (row: string, col: string): string => [...batchIdx(sa), row, col].join(', ');
  const bIdx = (row: string, col: string): string => [...batchIdx(sb), row, col].join(', ');
  const outIdx = [...bvars, 'i', 'j'];
  const edge = form === 'blocked' ? BLOCK : TILE;
  const [M, N, K] = [dim(d.M), dim(d.N), dim(d.K)];
  // max(.., 1): an empty output dispatches nothing, but WGSL rejects a division by a zero constant.
  const tilesM = `max((${M} + ${edge - 1}i) / ${edge}i, 1i)`, tilesN = `max((${N} + ${edge - 1}i) / ${edge}i, 1i)`;
  const fns = [exprFunction('lhs', a, cx, null), exprFunction('rhs', b, cx, null), exprFunction('body', k.body, cx, t)];
  const zero = literal(t, 0);
  const head = [
    `@compute @workgroup_size(${TILE * TILE})`,
    `fn main(${MAIN_ARGS}) {`,
    '  let g = i32(wid.y * nwg.x + wid.x);',
    `  if (g >= ${dim(product(d.batch))} * ${tilesM} * ${tilesN}) { return; }`,
    `  let tn = g % ${tilesN};`,
    `  let tm = (g / ${tilesN}) % ${tilesM};`,
    `  let bt = g / (${tilesN} * ${tilesM});`,
    ...unravel('bt', d.batch, bvars, dim).map(l => `  ${l}`),
  ];
  const store = (indent: string): string[] => [
    `${indent}if (i < ${M} && j < ${N}) {`,
    ...storeLines(k, outIdx, `body(${[...outIdx, 'v'].join(', ')})`, dim).map(l => `${indent}  ${l}`),
    `${indent}}`,
  ];
  if (form === 'tiled') {
    const extra = [`var<workgroup> tile_a: array<${T}, ${TILE * TILE}>;`, `var<workgroup> tile_b: array<${T}, ${TILE * TILE}>;`];
    const main = [...head,
      `  let ly = i32(lid) / ${TILE}i;`,
      `  let lx = i32(lid) % ${TILE}i;`,
      `  let i = tm * ${TILE}i + ly;`,
      `  let j = tn * ${TILE}i + lx;`,
      `  var acc: ${T} = ${zero};`,
      `  for (var p0 = 0i; p0 < ${K}; p0 = p0 + ${TILE}i) {`,
      '    let pa = p0 + lx;',
      '    let pb = p0 + ly;',
      `    var va: ${T} = ${zero};`,
      `    if (i < ${M} && pa < ${K}) { va = lhs(${aIdx('i', 'pa')}); }`,
      `    var vb: ${T} = ${zero};`,
      `    if (pb < ${K} && j < ${N}) { vb = rhs(${bIdx('pb', 'j')}); }`,
      `    tile_a[ly * ${TILE}i + lx] = va;`,
      `    tile_b[ly * ${TILE}i + lx] = vb;`,
      '    workgroupBarrier();',
      `    for (var p = 0i; p < ${TILE}i; p = p + 1i) {`,
      `      acc = acc + tile_a[ly * ${TILE}i + p] * tile_b[p * ${TILE}i + lx];`,
      '    }',
      '    workgroupBarrier();',
      '  }',
      '  let v = acc;',
      ...store('  '),
      '}'];
    return { text: assemble(k, decls, fns, main, extra) };
  }
  // Blocked. tile_a[p * 16 + r4] holds rows 4 r4 .. 4 r4 + 3 of column p of the left block;
  // tile_b[p * 16 + c4] holds columns 4 c4 .. 4 c4 + 3 of row p of the right block. Invocation
  // (ty, tx) owns rows 4 ty + r and columns 4 tx + c: acc_r += a[r] * b, an outer product per p.
  const V = BLOCK / REG; // vec4s per block row: 16
  const loads = (BLOCK * BLOCK_K) / (TILE * TILE); // elements of each operand block per invocation: 4
  const accs = Array.from({ length: REG }, (_, r) => `acc${r}`);
  const comp = ['x', 'y', 'z', 'w'];
  const extra = [`var<workgroup> tile_a: array<vec4<${T}>, ${(BLOCK * BLOCK_K) / REG}>;`, `var<workgroup> tile_b: array<vec4<${T}>, ${(BLOCK * BLOCK_K) / REG}>;`];
  const main = [...head,
    `  let tx = i32(lid) % ${V}i;`,
    `  let ty = i32(lid) / ${V}i;`,
    `  let i0 = tm * ${BLOCK}i;`,
    `  let j0 = tn * ${BLOCK}i;`,
    ...accs.map(acc => `  var ${acc} = vec4<${T}>(${zero});`),
    `  for (var p0 = 0i; p0 < ${K}; p0 = p0 + ${BLOCK_K}i) {`,
    `    for (var q = 0i; q < ${loads}i; q = q + 1i) {`,
    `      let e = i32(lid) + q * ${TILE * TILE}i;`,
    // Left block: 64 rows x 16 columns, the K index fastest (contiguous for a row-major operand).
    `      let ar = e / ${BLOCK_K}i;`,
    `      let ak = e % ${BLOCK_K}i;`,
    `      var va: ${T} = ${zero};`,
    `      if (i0 + ar < ${M} && p0 + ak < ${K}) { va = lhs(${aIdx('i0 + ar', 'p0 + ak')}); }`,
    `      tile_a[ak * ${V}i + ar / ${REG}i][ar % ${REG}i] = va;`,
    // Right block: 16 rows x 64 columns, the N index fastest.
    `      let bk = e / ${BLOCK}i;`,
    `      let bc = e % ${BLOCK}i;`,
    `      var vb: ${T} = ${zero};`,
    `      if (p0 + bk < ${K} && j0 + bc < ${N}) { vb = rhs(${bIdx('p0 + bk', 'j0 + bc')}); }`,
    `      tile_b[bk * ${V}i + bc / ${REG}i][bc % ${REG}i] = vb;`,
    '    }',
    '    workgroupBarrier();',
    `    for (var p = 0i; p < ${BLOCK_K}i; p = p + 1i) {`,
    `      let a = tile_a[p * ${V}i + ty];`,
    `      let b = tile_b[p * ${V}i + tx];`,
    ...accs.map((acc, r) => `      ${acc} = ${acc} + a.${comp[r]} * b;`),
    '    }',
    '    workgroupBarrier();',
    '  }',
    `  for (var r = 0i; r < ${REG}i; r = r + 1i) {`,
    `    var row = ${accs[0]};`,
    ...accs.slice(1).map((acc, r) => `    if (r == ${r + 1}i) { row = ${acc}; }`),
    `    let i = i0 + ty * ${REG}i + r;`,
    `    for (var c = 0i; c < ${REG}i; c = c + 1i) {`,
    `      let j = j0 + tx * ${REG}i + c;`,
    '      let v = row[c];',
    ...store('      '),
    '    }',
    '  }',
    '}'];
  return { text: assemble(k, decls, fns, main, extra) };
}
