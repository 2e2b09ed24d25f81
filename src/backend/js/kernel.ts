/**
 * @file One JS function per schedule kernel, by kind: elementwise (also concat parts: the body
 * written through the part's slice map), reduce (a loop over the reduced axes per output, in the
 * interpreter's order and precision), matmul (column blocks of accumulators, numpy's 1-D and batch
 * rules), one_hot (`other`) and gather/scatter (gather.ts). Loops nest in C order, so the innermost
 * loop walks the last axis with unit stride. The function takes its distinct input arrays, its
 * output array and the dimension sizes it uses: `function thck_f_k0_add(in0, in1, out, d_n)`.
 * Run-time errors the interpreter reports call thc_fail with the interpreter's code and arguments.
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import { normalizeAxis } from '../../sema/shapes.js';
import { axesAttr } from '../../ops/helpers.js';
import { jsStore } from '../../ops/elementwise.js';
import type { Expr, Kernel } from '../../schedule/types.js';
import { matmulLayout } from '../clike/matmul-layout.js';
import { indexVars, kernelTitle, offsetLines } from '../clike/index-text.js';
import { exprDtype, exprLines, type JsExprCx } from './expr.js';
import { gatherBody, scatterBody } from './gather.js';
import { JS_INDEX, dimVar, mangle, symbolicDims } from './types.js';

export interface JsKernel {
  /** The function's name. */
  readonly name: string;
  readonly text: string;
  /** Distinct input buffers in parameter order, then the output buffer. */
  readonly buffers: readonly number[];
  /** Dimension names the function takes, in parameter order. */
  readonly dims: readonly string[];
}

/** Lines nested in `for` loops over `vars` < `sizes` (outermost first). */
export function loops(vars: readonly string[], sizes: readonly string[], body: readonly string[]): string[] {
  let lines = [...body];
  for (let k = vars.length - 1; k >= 0; k--) {
    lines = [`for (let ${vars[k]} = 0; ${vars[k]} < ${sizes[k]}; ${vars[k]}++) {`, ...lines.map(l => `  ${l}`), '}'];
  }
  return vars.length === 0 ? ['{', ...lines.map(l => `  ${l}`), '}'] : lines;
}

function storeLines(k: Kernel, idx: readonly string[], value: string, cx: JsExprCx): string[] {
  return [...offsetLines(k.outputs[0]!.map, idx, 'w', cx.dim, JS_INDEX), `out[w] = ${value};`];
}

/** The JS function of one kernel of `entry`. */
export function kernelFunction(k: Kernel, entry: string): JsKernel {
  const dims = symbolicDims();
  const order: number[] = [];
  const names = k.inputs.map(x => {
    let b = order.indexOf(x.buffer);
    if (b < 0) { b = order.length; order.push(x.buffer); }
    return `in${b}`;
  });
  const cx: JsExprCx = { dim: dims.text, input: i => names[i]!, kernel: k };
  const body = kernelBody(k, cx);
  const params = order.map((_, b) => `in${b}`);
  params.push('out');
  const dimNames = [...dims.names].sort();
  params.push(...dimNames.map(dimVar));
  const name = `thck_${mangle(entry)}_${k.name}`;
  const text = [`/** ${kernelTitle(k)} */`, `function ${name}(${params.join(', ')}) {`, ...body.map(l => `  ${l}`), '}'].join('\n');
  return { name, text, buffers: [...order, k.outputs[0]!.buffer], dims: dimNames };
}

function kernelBody(k: Kernel, cx: JsExprCx): string[] {
  switch (k.kind) {
    case 'elementwise': case 'concat': return elementwiseBody(k, cx);
    case 'reduce': return reduceBody(k, cx);
    case 'matmul': return matmulBody(k, cx);
    case 'other': return oneHotBody(k, cx);
    case 'gather': return gatherBody(k, cx, epilogue);
    case 'scatter': return scatterBody(k, cx, epilogue);
    default: throw new Error(`no JS kernel for ${k.kind} (support.ts should have rejected it)`);
  }
}

function elementwiseBody(k: Kernel, cx: JsExprCx): string[] {
  const idx = indexVars(k.body.shape.length);
  const e = exprLines(k.body, idx, '', cx, null);
  return loops(idx, k.body.shape.map(cx.dim), [...e.lines, ...storeLines(k, idx, e.result, cx)]);
}

/** The body (epilogue) at the output index, reading the core result, and its store. */
export function epilogue(k: Kernel, idx: readonly string[], cx: JsExprCx): string[] {
  const e = exprLines(k.body, idx, 'e', cx, { name: 'core', dtype: k.core!.type.dtype });
  return [...e.lines, ...storeLines(k, idx, e.result, cx)];
}

// ---------------------------------------------------------------- reductions

const isFloatT = (t: DType): boolean => t === 'f64' || t === 'f32';

/** Run-time text of a shape, as the interpreter's messages print it: `[3, 0]`. */
const shapeText = (shape: readonly Dim[], cx: JsExprCx): string => `'[' + [${shape.map(cx.dim).join(', ')}].join(', ') + ']'`;

/**
 * Per output element, a loop over the reduced axes in C order: the order in which the interpreter
 * visits a group's elements (ops/reduce.ts fold/extremes). Floats accumulate in a double and round
 * once; integers wrap at every step (i32 for bool sums). max/min/argmax/argmin keep the first best
 * element, NaN wins; an empty axis is TH0692. logsumexp: the maximum and its position, then
 * m + log1p(sum of exp(x - m) over the other elements), the interpreter's formula.
 */
function reduceBody(k: Kernel, cx: JsExprCx): string[] {
  const core = k.core!;
  const arg = k.args[0]!;
  const rank = arg.shape.length;
  const argT = exprDtype(arg, k, null);
  const outT = core.type.dtype;
  const axesList = axesAttr(core.attrs['axis']);
  const axes = axesList === null ? [...Array(rank).keys()] : axesList.map(a => normalizeAxis(a, rank)!).sort((a, b) => a - b);
  const keepdims = !!core.attrs['keepdims'];
  const outIdx = indexVars(k.body.shape.length);
  let pos = 0;
  const argIdx = [...Array(rank).keys()].map(a => (axes.includes(a) ? `x${a}` : outIdx[keepdims ? a : pos++]!));
  const redVars = axes.map(a => `x${a}`);
  const redSizes = axes.map(a => cx.dim(arg.shape[a]!));
  const a = exprLines(arg, argIdx, 'a', cx, null);
  const x = a.result;
  const outer = (inner: string[]): string[] => loops(outIdx, k.body.shape.map(cx.dim), [...inner, ...epilogue(k, outIdx, cx)]);
  if ((core.op === 'sum' || core.op === 'prod') && axes.length > 0 && !axes.includes(rank - 1)) return columnReduce(k, cx, axes, argT);
  if (core.op === 'sum' || core.op === 'prod') {
    const sum = core.op === 'sum';
    // Integers wrap like the interpreter's store into the sum's dtype (bool sums count in i32).
    const step = isFloatT(argT) ? (sum ? `acc += ${x};` : `acc *= ${x};`)
      : `acc = ${jsStore(outT, sum ? `acc + ${x}` : `Math.imul(acc, ${x})`)};`;
    return outer([`let acc = ${sum ? 0 : 1};`, ...loops(redVars, redSizes, [...a.lines, step]), `const core = ${jsStore(outT, 'acc')};`]);
  }
  const max = core.op === 'max' || core.op === 'argmax' || core.op === 'logsumexp';
  // The interpreter's `better`: m === m is !isNaN(m).
  const beats = `(m === m && (xv !== xv || xv ${max ? '>' : '<'} m))`;
  const pre = ['let m = -Infinity;', 'let at = -1;', 'let r = 0;'];
  const step = [...a.lines, `const xv = ${x};`, `if (at < 0 || ${beats}) { m = xv; at = r; }`, 'r++;'];
  if (core.op === 'logsumexp') {
    const second = loops(redVars, redSizes, [...a.lines, `if (r !== at) s += Math.exp(${x} - m);`, 'r++;']);
    return outer([...pre, ...loops(redVars, redSizes, step), 'let s = 0;', 'r = 0;', ...second,
      `const core = ${jsStore(outT, 'Number.isFinite(m) ? m + Math.log1p(s) : m')};`]);
  }
  const what = { max: 'maximum', min: 'minimum', argmax: 'argmax', argmin: 'argmin' }[core.op];
  if (!what) throw new Error(`no JS reduction for ${core.op}`);
  const empty = `if (at < 0) thc_fail('TH0692', { op: '${what}', shape: ${shapeText(arg.shape, cx)} });`;
  const result = core.op === 'argmax' || core.op === 'argmin' ? 'at' : 'm';
  return outer([...pre, ...loops(redVars, redSizes, step), empty, `const core = ${result};`]);
}

/**
 * sum/prod keeping the last axis (`sum(x, axis=0)`, a bias gradient): one accumulator per output
 * in a Float64Array, the input walked once in C order with unit stride. Each output still adds its
 * elements in C order of the reduced axes, the interpreter's order, so the results are the same
 * as the per-output loop's.
 */
function columnReduce(k: Kernel, cx: JsExprCx, axes: readonly number[], argT: DType): string[] {
  const core = k.core!;
  const arg = k.args[0]!;
  const rank = arg.shape.length;
  const outT = core.type.dtype;
  const sum = core.op === 'sum';
  const all = indexVars(rank, 'x');
  const kept = [...Array(rank).keys()].filter(a => !axes.includes(a));
  const flatOf = (vars: readonly string[]): string =>
    vars.reduce((acc, v, q) => (q === 0 ? v : `(${acc}) * ${cx.dim(arg.shape[kept[q]!]!)} + ${v}`), '0');
  const a = exprLines(arg, all, 'a', cx, null);
  const slot = `accs[${flatOf(kept.map(ax => all[ax]!))}]`;
  const step = isFloatT(argT) ? `${slot} ${sum ? '+=' : '*='} ${a.result};`
    : `${slot} = ${jsStore(outT, sum ? `${slot} + ${a.result}` : `Math.imul(${slot}, ${a.result})`)};`;
  const count = kept.map(ax => cx.dim(arg.shape[ax]!)).join(' * ');
  const outIdx = indexVars(k.body.shape.length);
  const keepdims = !!core.attrs['keepdims'];
  // The output index of each kept axis: its own position with keepdims, else its rank among the kept.
  const outOfKept = kept.map((ax, q) => outIdx[keepdims ? ax : q]!);
  return [
    `const accs = new Float64Array(${count});`,
    ...(sum ? [] : ['accs.fill(1);']),
    ...loops(all, arg.shape.map(cx.dim), [...a.lines, step]),
    ...loops(outIdx, k.body.shape.map(cx.dim), [`const core = ${jsStore(outT, `accs[${flatOf(outOfKept)}]`)};`, ...epilogue(k, outIdx, cx)]),
  ];
}

// ---------------------------------------------------------------- matmul

/** Output columns accumulated together: one left operand element feeds MM_BLOCK products. */
export const MM_BLOCK = 64;

/**
 * numpy's matmul: a 1-D left operand is one row (its axis dropped from the result), a 1-D right
 * operand one column, batch axes broadcast (an operand's size-1 batch axis reads index 0). Per
 * row, columns go in blocks of MM_BLOCK accumulators and the shared axis runs once per block, each
 * product added in the order p = 0, 1, ... (integers wrapping at each step): exactly the
 * interpreter's sum for every output.
 */
function matmulBody(k: Kernel, cx: JsExprCx): string[] {
  const [a, b] = [k.args[0]!, k.args[1]!];
  const sa = a.shape, sb = b.shape;
  const shape = k.body.shape;
  const r = shape.length;
  const { idx, j, aIdx, bIdx } = matmulLayout(k);
  const hasJ = j !== null;
  const t = k.core!.type.dtype;
  const K = cx.dim(sa[sa.length - 1]!);
  const N = hasJ ? cx.dim(shape[r - 1]!) : '1';
  const lhs = exprLines(a, aIdx, 'a', cx, null);
  const rhs = exprLines(b, bIdx, 'b', cx, null);
  const step = (acc: string): string => (isFloatT(t) ? `${acc} += ${lhs.result} * ${rhs.result};` : `${acc} = ${jsStore(t, `${acc} + Math.imul(${lhs.result}, ${rhs.result})`)};`);
  if (!hasJ || dotForm(b, sb.length - 2, sb.length - 1)) {
    // One output per row (matrix-vector, dot), or a right operand contiguous along the shared
    // axis but not along the columns (`a @ transpose(b)`): one accumulator per output in a local,
    // p = 0, 1, ... as always.
    const body = ['let acc = 0;', ...loops(['p'], [K], [...lhs.lines, ...rhs.lines, step('acc')]), `const core = ${jsStore(t, 'acc')};`, ...epilogue(k, idx, cx)];
    return loops(idx, idx.map((_, q) => cx.dim(shape[q]!)), body);
  }
  const add = step('acc[jj]');
  const col = hasJ ? [`const ${j} = jb + jj;`] : [];
  const outer = idx.slice(0, hasJ ? r - 1 : r);
  const body = [
    `for (let jb = 0; jb < ${N}; jb += ${MM_BLOCK}) {`,
    `  const jn = ${N} - jb < ${MM_BLOCK} ? ${N} - jb : ${MM_BLOCK};`,
    '  acc.fill(0, 0, jn);',
    `  for (let p = 0; p < ${K}; p++) {`,
    ...lhs.lines.map(l => `    ${l}`),
    '    for (let jj = 0; jj < jn; jj++) {',
    ...[...col, ...rhs.lines, add].map(l => `      ${l}`),
    '    }',
    '  }',
    '  for (let jj = 0; jj < jn; jj++) {',
    ...[...col, `const core = ${jsStore(t, 'acc[jj]')};`, ...epilogue(k, idx, cx)].map(l => `    ${l}`),
    '  }',
    '}',
  ];
  return [`const acc = new Float64Array(${MM_BLOCK});`, ...loops(outer, outer.map((_, q) => cx.dim(shape[q]!)), body)];
}

/** The stride of a stored operand's axis when it is read through one strided view (else null). */
function strideOf(e: Expr, axis: number): Dim | null {
  const v = e.values.length === 1 ? e.values[0]! : null;
  if (!v || v.kind !== 'load' || v.map.views.length !== 1) return null;
  return v.map.views[0]!.strides[axis] ?? null;
}

/** True when the right operand is contiguous along the shared axis `p` but not along the columns `j`. */
function dotForm(b: Expr, p: number, j: number): boolean {
  return strideOf(b, p) === 1 && strideOf(b, j) !== 1 && b.shape[j] !== 1;
}

// ---------------------------------------------------------------- one_hot

/** one_hot(y, k): element [..., c] is (y[...] == c); a label outside 0..k-1 is TH0694, checked before its row is written. */
function oneHotBody(k: Kernel, cx: JsExprCx): string[] {
  const core = k.core!;
  if (core.op !== 'one_hot') throw new Error(`no JS kernel for ${core.op}`);
  const shape = k.body.shape;
  const idx = indexVars(shape.length);
  const c = idx[idx.length - 1]!;
  const K = cx.dim(shape[shape.length - 1]!);
  const label = exprLines(k.args[0]!, idx.slice(0, -1), 'y', cx, null);
  const row = loops([c], [K], ['const core = lab === ' + c + ' ? 1 : 0;', ...epilogue(k, idx, cx)]);
  return loops(idx.slice(0, -1), shape.slice(0, -1).map(cx.dim), [...label.lines, `const lab = ${label.result};`,
    `if (lab < 0 || lab >= ${K}) thc_fail('TH0694', { label: lab, k: ${K} });`, ...row]);
}
