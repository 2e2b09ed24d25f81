/**
 * @file One C function per schedule kernel, by kind: elementwise (also concat parts: the body
 * written through the part's slice map), reduce (a loop over the reduced axes per output, in the
 * interpreter's order and precision), matmul (column blocks of accumulators, numpy's 1-D and batch
 * rules), one_hot (`other`) and gather/scatter (gather.ts). Loops nest in C order, so the innermost loop walks the last axis
 * with unit stride; pointers are `restrict` (a kernel never reads the buffer it writes: the
 * schedule guarantees it). The function takes its distinct input buffers, its output and the
 * dimension sizes it uses.
 */
import type { DType } from '../../sema/types.js';
import { normalizeAxis } from '../../sema/shapes.js';
import { axesAttr } from '../../ops/helpers.js';
import type { Kernel } from '../../schedule/types.js';
import { matmulLayout } from '../clike/matmul-layout.js';
import { indexVars, kernelTitle, offsetLines } from '../clike/index-text.js';
import { exprDtype, exprLines, type CExprCx } from './expr.js';
import { gatherBody, scatterBody } from './gather.js';
import { C_INDEX, cType, dimVar, mangle, symbolicDims } from './types.js';

export interface CKernel {
  /** The C function's name. */
  readonly name: string;
  readonly text: string;
  /** Distinct input buffers in parameter order, then the output buffer. */
  readonly buffers: readonly number[];
  /** Dimension names the function takes, in parameter order. */
  readonly dims: readonly string[];
}

/**
 * A kernel's work (elements touched) above which its outermost loop runs on OpenMP threads:
 * below it, starting the threads costs more than they save.
 */
export const OMP_MIN_WORK = 1 << 15;

/**
 * Lines nested in `for` loops over `vars` < `sizes` (outermost first). With `work` (a C
 * expression: the elements the whole nest touches), the outermost loop is an OpenMP `parallel
 * for` when compiled with OpenMP and `work` exceeds OMP_MIN_WORK. Only loops whose iterations
 * write disjoint outputs and read nothing another writes get one (elementwise, per-output
 * reductions, matmul rows), so each output is computed by one thread in the serial order and
 * the numbers do not depend on the thread count.
 */
function loops(vars: readonly string[], sizes: readonly string[], body: readonly string[], work?: string): string[] {
  let lines = [...body];
  for (let k = vars.length - 1; k >= 0; k--) {
    lines = [`for (long ${vars[k]} = 0; ${vars[k]} < ${sizes[k]}; ${vars[k]}++) {`, ...lines.map(l => `  ${l}`), '}'];
  }
  if (vars.length === 0) return ['{', ...lines.map(l => `  ${l}`), '}'];
  return work === undefined ? lines : ['#ifdef _OPENMP', `#pragma omp parallel for schedule(static) if(${work} > ${OMP_MIN_WORK})`, '#endif', ...lines];
}

/** The product of sizes as C (`1` for none). */
const product = (sizes: readonly string[]): string => (sizes.length ? sizes.map(x => `(${x})`).join(' * ') : '1');

/** The output store of `value` at the multi-index `idx` of the kernel's shape. */
function storeLines(k: Kernel, idx: readonly string[], value: string, cx: CExprCx): string[] {
  const out = k.outputs[0]!;
  return [...offsetLines(out.map, idx, 'w', cx.dim, C_INDEX), `out[w] = ${value};`];
}

/** The C function of one kernel of `entry`. */
export function kernelFunction(k: Kernel, entry: string): CKernel {
  const dims = symbolicDims();
  const order: number[] = [];
  const names = k.inputs.map(x => {
    let b = order.indexOf(x.buffer);
    if (b < 0) { b = order.length; order.push(x.buffer); }
    return `in${b}`;
  });
  const cx: CExprCx = { dim: dims.text, input: i => names[i]!, kernel: k };
  const body = kernelBody(k, cx);
  const params = order.map((buf, b) => `const ${cType(k.inputs.find(x => x.buffer === buf)!.value.type.dtype)} *restrict in${b}`);
  params.push(`${cType(k.outputs[0]!.value.type.dtype)} *restrict out`);
  const dimNames = [...dims.names].sort();
  params.push(...dimNames.map(d => `long ${dimVar(d)}`));
  const name = `thck_${mangle(entry)}_${k.name}`;
  const text = [`/* ${kernelTitle(k)} */`, `static void ${name}(${params.join(', ')}) {`, ...body.map(l => `  ${l}`), '}'].join('\n');
  return { name, text, buffers: [...order, k.outputs[0]!.buffer], dims: dimNames };
}

function kernelBody(k: Kernel, cx: CExprCx): string[] {
  switch (k.kind) {
    case 'elementwise': case 'concat': return elementwiseBody(k, cx);
    case 'reduce': return reduceBody(k, cx);
    case 'matmul': return matmulBody(k, cx);
    case 'other': return oneHotBody(k, cx);
    case 'gather': return gatherBody(k, cx, loops, epilogue);
    case 'scatter': return scatterBody(k, cx, loops, epilogue);
    default: throw new Error(`no C kernel for ${k.kind} (support.ts should have rejected it)`);
  }
}

function elementwiseBody(k: Kernel, cx: CExprCx): string[] {
  const idx = indexVars(k.body.shape.length);
  const e = exprLines(k.body, idx, '', cx, null);
  const sizes = k.body.shape.map(cx.dim);
  return loops(idx, sizes, [...e.lines, ...storeLines(k, idx, e.result, cx)], product(sizes));
}

// ---------------------------------------------------------------- reductions

/** Terms computed together before a float sum adds them in order (reduceBody). */
const STRIP = 64;
/** Partial results per strip of a float sum or product (one AVX-512 register of doubles). */
const LANES = 8;

const isFloatT = (t: DType): boolean => t === 'f64' || t === 'f32';

/**
 * Per output element, a loop over the reduced axes in C order: the order in which the interpreter
 * visits a group's elements. Floats accumulate in double and round once (the interpreter's f64
 * accumulators); integers wrap modulo 2^32 at every step. max/min/argmax/argmin keep the first
 * best element (NaN wins), and an empty axis is a run-time error (THC_EEMPTY) like the
 * interpreter's TH0692. logsumexp: the maximum and its position, then m + log1p(sum of exp(x - m)
 * over the other elements), the interpreter's formula.
 */
function reduceBody(k: Kernel, cx: CExprCx): string[] {
  const core = k.core!;
  const arg = k.args[0]!;
  const rank = arg.shape.length;
  const argT = exprDtype(arg, k, null);
  const outT = core.type.dtype;
  const axesList = axesAttr(core.attrs['axis']);
  const axes = axesList === null ? [...Array(rank).keys()] : axesList.map(a => normalizeAxis(a, rank)!).sort((a, b) => a - b);
  const keepdims = !!core.attrs['keepdims'];
  const outIdx = indexVars(k.body.shape.length);
  // The argument's index: a kept axis reads the output index it became, a reduced one its loop variable.
  let pos = 0;
  const argIdx = [...Array(rank).keys()].map(a => (axes.includes(a) ? `x${a}` : outIdx[keepdims ? a : pos++]!));
  const redVars = axes.map(a => `x${a}`);
  const redSizes = axes.map(a => cx.dim(arg.shape[a]!));
  const a = exprLines(arg, argIdx, 'a', cx, null);
  const x = `((double)${a.result})`;
  // One output per outer iteration: the rows of a reduction run in parallel, each one's order kept.
  const work = product(arg.shape.map(cx.dim));
  const T = cType(outT);
  let pre: string[], step: string[], result: string;
  const counted = (lines: string[]): string[] => [...a.lines, ...lines, 'r++;'];
  if (core.op === 'sum' || core.op === 'prod') {
    const float = isFloatT(argT);
    const acc = float ? 'double' : 'uint32_t';
    const opr = core.op === 'sum' ? '+=' : '*=';
    pre = [`${acc} acc = ${core.op === 'sum' ? (float ? '0.0' : '0u') : (float ? '1.0' : '1u')};`];
    result = `((${T})acc)`;
    if (float && redVars.length > 0) {
      // Strip-mined, same order: the terms of a strip are computed in a loop with no reduction in
      // it (which the compiler vectorizes: exp, log1p, ... for STRIP elements at once), then added
      // to the one accumulator in order. An in-order floating-point sum cannot be vectorized
      // without reassociating it, so keeping it in its own loop is what lets the rest vectorize.
      const inner = redVars[redVars.length - 1]!, n = redSizes[redSizes.length - 1]!;
      const strip = [
        `for (long ${inner}s = 0; ${inner}s < ${n}; ${inner}s += ${STRIP}) {`,
        `  const long ${inner}n = ${n} - ${inner}s < ${STRIP} ? ${n} - ${inner}s : ${STRIP};`,
        `  double terms[${STRIP}];`,
        `  for (long ${inner}j = 0; ${inner}j < ${inner}n; ${inner}j++) {`,
        `    const long ${inner} = ${inner}s + ${inner}j;`,
        ...[...a.lines, `terms[${inner}j] = (double)${a.result};`].map(l => `    ${l}`),
        '  }',
        // LANES partial results in a fixed order (vectorizable), folded in lane order, then
        // into the accumulator: a blocked sum, like numpy's pairwise one, not the interpreter's
        // single chain; it differs from it by rounding only.
        `  double lanes[${LANES}];`,
        `  for (int l = 0; l < ${LANES}; l++) lanes[l] = ${core.op === 'sum' ? '0.0' : '1.0'};`,
        `  long ${inner}j = 0;`,
        `  for (; ${inner}j + ${LANES} <= ${inner}n; ${inner}j += ${LANES}) for (int l = 0; l < ${LANES}; l++) lanes[l] ${opr} terms[${inner}j + l];`,
        `  for (; ${inner}j < ${inner}n; ${inner}j++) lanes[0] ${opr} terms[${inner}j];`,
        `  for (int l = 0; l < ${LANES}; l++) acc ${opr} lanes[l];`,
        '}',
      ];
      return loops(outIdx, k.body.shape.map(cx.dim), [...pre, ...loops(redVars.slice(0, -1), redSizes.slice(0, -1), strip),
        `const ${T} core = ${result};`, ...epilogue(k, outIdx, cx)], work);
    }
    step = [...a.lines, `acc ${opr} (${acc})${a.result};`];
  } else {
    const max = core.op === 'max' || core.op === 'argmax' || core.op === 'logsumexp';
    const beats = `(!isnan(m) && (isnan(xv) || xv ${max ? '>' : '<'} m))`;
    pre = ['double m = -INFINITY;', 'long at = -1;', 'long r = 0;'];
    step = counted([`const double xv = ${x};`, `if (at < 0 || ${beats}) { m = xv; at = r; }`]);
    if (core.op === 'logsumexp') {
      const second = loops(redVars, redSizes, counted([`if (r != at) s += thc_exp(${x} - m);`]));
      const mid = ['double s = 0.0;', 'r = 0;', ...second];
      return loops(outIdx, k.body.shape.map(cx.dim), [...pre, ...loops(redVars, redSizes, step), ...mid,
        `const ${T} core = (${T})(isfinite(m) ? m + thc_log1p(s) : m);`, ...epilogue(k, outIdx, cx)], work);
    }
    const empty = 'if (at < 0) thc_fail(THC_EEMPTY);';
    result = core.op === 'argmax' || core.op === 'argmin' ? '((int32_t)(at < 0 ? 0 : at))' : `((${T})m)`;
    pre = [...pre];
    return loops(outIdx, k.body.shape.map(cx.dim), [...pre, ...loops(redVars, redSizes, step), empty,
      `const ${T} core = ${result};`, ...epilogue(k, outIdx, cx)], work);
  }
  return loops(outIdx, k.body.shape.map(cx.dim), [...pre, ...loops(redVars, redSizes, step),
    `const ${T} core = ${result};`, ...epilogue(k, outIdx, cx)], work);
}

/** The body (epilogue) at the output index, reading the core result, and its store. */
function epilogue(k: Kernel, idx: readonly string[], cx: CExprCx): string[] {
  // Prefix 'e': the operands' statements (a, b, s, y, t) may share the scope.
  const e = exprLines(k.body, idx, 'e', cx, { name: 'core', dtype: k.core!.type.dtype });
  return [...e.lines, ...storeLines(k, idx, e.result, cx)];
}

// ---------------------------------------------------------------- matmul

/** Output columns accumulated together: one left operand element feeds MM_BLOCK products. */
export const MM_BLOCK = 64;

/**
 * numpy's matmul: a 1-D left operand is one row (its axis dropped from the result), a 1-D right
 * operand one column, batch axes broadcast (an operand's size-1 batch axis reads index 0). Per
 * row, columns go in blocks of MM_BLOCK accumulators, and the shared axis runs once per block,
 * each product added in the order p = 0, 1, ... with double (or wrapping uint32) accumulators:
 * exactly the interpreter's sum for every output.
 */
function matmulBody(k: Kernel, cx: CExprCx): string[] {
  const [a, b] = [k.args[0]!, k.args[1]!];
  const sa = a.shape;
  const shape = k.body.shape;
  const r = shape.length;
  const { idx, nBatch, i, j, aIdx, bIdx } = matmulLayout(k);
  const hasI = i !== null, hasJ = j !== null;
  const t = k.core!.type.dtype;
  const acc = isFloatT(t) ? 'double' : 'uint32_t';
  const K = cx.dim(sa[sa.length - 1]!);
  const N = hasJ ? cx.dim(shape[r - 1]!) : '1';
  const lhs = exprLines(a, aIdx, 'a', cx, null);
  const rhs = exprLines(b, bIdx, 'b', cx, null);
  const col = hasJ ? [`const long ${j} = jb + jj;`] : [];
  if (hasI && hasJ) return matmulRowBlocks(k, cx, { idx, nBatch, i: i!, acc, K, N, M: cx.dim(shape[r - 2]!), col, lhs, rhs });
  const outer = idx.slice(0, hasJ ? r - 1 : r);
  if (!hasJ && acc === 'double') {
    // One dot product per output (matrix @ vector, vector @ vector): LANES partial sums over p,
    // p + LANES, ... (a vectorizable loop, where one accumulator is a chain of dependent adds),
    // folded in lane order; a blocked sum, differing from the interpreter's by rounding only.
    const dot = [
      `double lanes[${LANES}];`,
      `for (int l = 0; l < ${LANES}; l++) lanes[l] = 0.0;`,
      'long pb = 0;',
      `for (; pb + ${LANES} <= ${K}; pb += ${LANES}) {`,
      `  for (int l = 0; l < ${LANES}; l++) {`,
      '    const long p = pb + l;',
      ...[...lhs.lines, ...rhs.lines, `lanes[l] += (double)${lhs.result} * (double)${rhs.result};`].map(x => `    ${x}`),
      '  }',
      '}',
      `for (long p = pb; p < ${K}; p++) {`,
      ...[...lhs.lines, ...rhs.lines, `lanes[0] += (double)${lhs.result} * (double)${rhs.result};`].map(x => `  ${x}`),
      '}',
      'double acc = 0.0;',
      `for (int l = 0; l < ${LANES}; l++) acc += lanes[l];`,
      `const ${cType(t)} core = (${cType(t)})acc;`,
      ...epilogue(k, idx, cx),
    ];
    return loops(outer, outer.map((_, q) => cx.dim(shape[q]!)), dot, product([...shape.map(cx.dim), K]));
  }
  const body = [
    `for (long jb = 0; jb < ${N}; jb += ${MM_BLOCK}) {`,
    `  const long jn = ${N} - jb < ${MM_BLOCK} ? ${N} - jb : ${MM_BLOCK};`,
    `  ${acc} acc[${MM_BLOCK}];`,
    '  for (long jj = 0; jj < jn; jj++) acc[jj] = 0;',
    `  for (long p = 0; p < ${K}; p++) {`,
    ...lhs.lines.map(l => `    ${l}`),
    '    for (long jj = 0; jj < jn; jj++) {',
    ...[...col, ...rhs.lines, `acc[jj] += (${acc})${lhs.result} * (${acc})${rhs.result};`].map(l => `      ${l}`),
    '    }',
    '  }',
    '  for (long jj = 0; jj < jn; jj++) {',
    ...[...col, `const ${cType(t)} core = (${cType(t)})acc[jj];`, ...epilogue(k, idx, cx)].map(l => `    ${l}`),
    '  }',
    '}',
  ];
  return loops(outer, outer.map((_, q) => cx.dim(shape[q]!)), body, product([...shape.map(cx.dim), K]));
}

/** Output rows accumulated together when both operands are matrices: each block of the right operand's row is read once per MM_ROWS rows. */
export const MM_ROWS = 4;

interface MatmulParts {
  readonly idx: readonly string[];
  readonly nBatch: number;
  readonly i: string;
  readonly acc: string;
  readonly K: string;
  readonly N: string;
  readonly M: string;
  readonly col: readonly string[];
  readonly lhs: { lines: string[]; result: string };
  readonly rhs: { lines: string[]; result: string };
}

/**
 * Matrix times matrix, blocked for the cache: per batch, rows in blocks of MM_ROWS and columns in
 * blocks of MM_BLOCK, an MM_ROWS x MM_BLOCK tile of accumulators; the shared axis p runs once per
 * tile, and for each p the tile's rows reuse one MM_BLOCK-long stretch of the right operand's row
 * p (in L1) with unit stride. Every output still adds its products for p = 0, 1, ... in order,
 * so the numbers are those of the unblocked loop. The outermost loop (a batch axis, else the row
 * blocks) is OpenMP's.
 */
function matmulRowBlocks(k: Kernel, cx: CExprCx, m: MatmulParts): string[] {
  const { idx, nBatch, i, acc, K, N, M, col, lhs, rhs } = m;
  const t = k.core!.type.dtype;
  const work = product([...k.body.shape.map(cx.dim), K]);
  const pragma = nBatch === 0 ? ['#ifdef _OPENMP', `#pragma omp parallel for schedule(static) if(${work} > ${OMP_MIN_WORK})`, '#endif'] : [];
  const body = [
    ...pragma,
    `for (long ib = 0; ib < ${M}; ib += ${MM_ROWS}) {`,
    `  const long in_ = ${M} - ib < ${MM_ROWS} ? ${M} - ib : ${MM_ROWS};`,
    `  for (long jb = 0; jb < ${N}; jb += ${MM_BLOCK}) {`,
    `    const long jn = ${N} - jb < ${MM_BLOCK} ? ${N} - jb : ${MM_BLOCK};`,
    `    ${acc} acc[${MM_ROWS}][${MM_BLOCK}];`,
    '    for (long ii = 0; ii < in_; ii++) for (long jj = 0; jj < jn; jj++) acc[ii][jj] = 0;',
    `    for (long p = 0; p < ${K}; p++) {`,
    '      for (long ii = 0; ii < in_; ii++) {',
    `        const long ${i} = ib + ii;`,
    ...lhs.lines.map(l => `        ${l}`),
    `        const ${acc} mm_a = (${acc})${lhs.result};`,
    '        for (long jj = 0; jj < jn; jj++) {',
    ...[...col, ...rhs.lines, `acc[ii][jj] += mm_a * (${acc})${rhs.result};`].map(l => `          ${l}`),
    '        }',
    '      }',
    '    }',
    '    for (long ii = 0; ii < in_; ii++) {',
    `      const long ${i} = ib + ii;`,
    '      for (long jj = 0; jj < jn; jj++) {',
    ...[...col, `const ${cType(t)} core = (${cType(t)})acc[ii][jj];`, ...epilogue(k, idx, cx)].map(l => `        ${l}`),
    '      }',
    '    }',
    '  }',
    '}',
  ];
  const batch = idx.slice(0, nBatch);
  return nBatch === 0 ? ['{', ...body.map(l => (l.startsWith('#') ? l : `  ${l}`)), '}'] : loops(batch, batch.map((_, q) => cx.dim(k.body.shape[q]!)), body, work);
}

// ---------------------------------------------------------------- one_hot

/** one_hot(y, k): element [..., c] is (y[...] == c); a label outside 0..k-1 is THC_ELABEL (the interpreter's TH0694). */
function oneHotBody(k: Kernel, cx: CExprCx): string[] {
  const core = k.core!;
  if (core.op !== 'one_hot') throw new Error(`no C kernel for ${core.op}`);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const t = core.type.dtype;
  const c = idx[idx.length - 1]!;
  const K = cx.dim(shape[shape.length - 1]!);
  const label = exprLines(k.args[0]!, idx.slice(0, -1), 'y', cx, null);
  const inner = [...label.lines, `const long lab = (long)${label.result};`,
    `if (${c} == 0 && (lab < 0 || lab >= ${K})) thc_fail(THC_ELABEL);`,
    `const ${cType(t)} core = (${cType(t)})(lab == ${c});`, ...epilogue(k, idx, cx)];
  return loops(idx, shape.map(cx.dim), inner);
}
