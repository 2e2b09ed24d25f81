/**
 * @file The WGSL reduction kernels (sum, prod, max, min, argmax, argmin, logsumexp; the fused
 * epilogue `body` applied to the result), in two forms:
 * - one pass: one workgroup of REDUCE_WG per output element folds its whole row, then a tree in
 *   workgroup memory combines the invocations' partial results;
 * - split (few outputs with long rows, `splitForms`): pass 1 gives each output `parts`
 *   workgroups, each folding an interleaved share of the row into one partial result in a scratch
 *   buffer of u32 words (values as their bits); pass 2 is one workgroup per output that folds the
 *   partial results and stores through the epilogue. A real GPU needs thousands of workgroups in
 *   flight: `sum(x)` of 10M elements in one workgroup leaves all but one core idle.
 * The split is a size-dependent choice, so it is data: one form per power-of-two part count with
 * its conditions on the sizes, its two passes' grids and bindings and its scratch buffer
 * (kernel.ts KernelForm), tried before the one-pass form. The host runtime (host/runtime.ts) runs
 * whichever form holds, in `thc run --device gpu` (part count baked into the text) and in the
 * host module (one text per pass, the count an override constant `split_parts`).
 */
import { dimMul, dimSub, type Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import { normalizeAxis } from '../../sema/shapes.js';
import { axesAttr } from '../../ops/helpers.js';
import type { Kernel } from '../../schedule/types.js';
import { exprDtype, exprFunction, indexVars, type ExprCx } from './expr.js';
import { literal, valueType } from './types.js';
import { assemble, MAIN_ARGS, product, REDUCE_WG, storeLines, unravel, type KernelForm, type KernelModule, type PassBinding } from './kernel.js';

/** When and how much a reduction splits (the defaults are below; tests lower `chunk`). */
export interface SplitOptions {
  /** The fewest row elements one pass-1 workgroup folds (default SPLIT_CHUNK). */
  readonly chunk?: number;
}

/** Default least elements per pass-1 workgroup: 64 invocations x 64 elements each. */
export const SPLIT_CHUNK = 4096;
/** Outputs from which one workgroup per output already fills a GPU: never split. */
export const SPLIT_MAX_OUTPUTS = 1024;
/** Pass-1 workgroups to aim for in all (a few per core of a data-centre GPU). */
export const SPLIT_TARGET_GROUPS = 2048;
/** The most partial results per output (pass 2 folds them with one workgroup of 64). */
export const SPLIT_MAX_PARTS = 1024;
/** WebGPU's default number of storage buffers per stage: pass 2 binds one more than the kernel. */
const MAX_STORAGE = 8;

/**
 * The conditions under which a reduction of `nOut` rows of `nRed` elements splits into `parts`
 * (a power of two) partial results per output: every pass-1 workgroup folds at least `chunk`
 * elements, the pass-1 grid stays within SPLIT_TARGET_GROUPS, and there are fewer than
 * SPLIT_MAX_OUTPUTS outputs (and at least one). As (size, minimum) pairs, a maximum written as
 * (cap - size, 0).
 */
function splitWhen(parts: number, nOut: Dim, nRed: Dim, chunk: number): (readonly [Dim, number])[] {
  const cap = Math.min(Math.floor(SPLIT_TARGET_GROUPS / parts), SPLIT_MAX_OUTPUTS - 1);
  return [[nRed, parts * chunk], [nOut, 1], [dimSub(cap, nOut), 0]];
}

/** The part counts tried, largest first: SPLIT_MAX_PARTS, half that, ... 2. */
const PART_COUNTS: readonly number[] = Array.from({ length: Math.log2(SPLIT_MAX_PARTS) }, (_, i) => SPLIT_MAX_PARTS >> i);

/**
 * Pass-1 workgroups per output for a reduction of `nOut` rows of `nRed` elements, or 1 (no split):
 * the largest power of two that keeps every workgroup folding at least `chunk` elements, the grid
 * near SPLIT_TARGET_GROUPS, and pass 2 short (the first split form of `splitForms` that holds).
 */
export function splitParts(nOut: number, nRed: number, opts: SplitOptions = {}): number {
  const chunk = opts.chunk ?? SPLIT_CHUNK;
  return PART_COUNTS.find(p => splitWhen(p, nOut, nRed, chunk).every(([d, min]) => (d as number) >= min)) ?? 1;
}

/** A reduction's output and row sizes. */
function reduceSizes(k: Kernel): { nOut: Dim; nRed: Dim } {
  const inShape = k.args[0]!.shape;
  const rank = inShape.length;
  const axesList = axesAttr(k.core!.attrs['axis']);
  const axes = axesList === null ? [...Array(rank).keys()] : axesList.map(a => normalizeAxis(a, rank)!);
  return {
    nOut: product([...Array(rank).keys()].filter(a => !axes.includes(a)).map(a => inShape[a]!)),
    nRed: product(axes.map(a => inShape[a]!)),
  };
}

/**
 * The split forms of a reduction kernel whose buffers in binding order are `order` (inputs, then
 * the output), one per part count, largest first (kernel.ts appends the one-pass form): pass 1
 * binds the inputs and the scratch buffer (written), pass 2 the inputs, the scratch buffer and the
 * output. None when pass 2's extra binding would exceed WebGPU's 8 storage buffers.
 */
export function splitForms(k: Kernel, order: readonly number[], opts: SplitOptions = {}): KernelForm[] {
  const nIn = order.length - 1;
  if (nIn + 2 > MAX_STORAGE) return [];
  const { nOut, nRed } = reduceSizes(k);
  const chunk = opts.chunk ?? SPLIT_CHUNK;
  const inputs: PassBinding[] = order.slice(0, nIn).map(buffer => ({ buffer }));
  return PART_COUNTS.map(parts => ({
    when: splitWhen(parts, nOut, nRed, chunk),
    choice: { parts },
    passes: [
      { grid: [[dimMul(nOut, parts), 1]], bindings: [...inputs, { scratch: 0 }] },
      { grid: [[nOut, 1]], bindings: [...inputs, { scratch: 0 }, { buffer: order[nIn]! }] },
    ],
    scratch: [{ count: dimMul(nOut, parts * wordsOf(k.core!.op)), dtype: 'u32' }],
    constants: { split_parts: parts },
  }));
}

/** Per reduction op: the accumulator's start and how two partial results combine. */
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

const lowest = (t: DType): string => (t === 'f32' || t === 'f16' ? '(-thc_inf())' : t === 'i32' ? 'i32(-2147483648)' : '0u');
const highest = (t: DType): string => (t === 'f32' || t === 'f16' ? 'thc_inf()' : t === 'i32' ? '2147483647i' : '4294967295u');

/** A register value of type `t` as a u32 scratch word, and back (bool as 0/1; others by their bits). */
const toWord = (t: DType | 'u32', e: string): string => (t === 'bool' ? `select(0u, 1u, ${e})` : `bitcast<u32>(${e})`);
const fromWord = (t: DType | 'u32', e: string): string => (t === 'bool' ? `(${e} != 0u)` : `bitcast<${valueType(t as DType)}>(${e})`);

/** Everything both forms need to know about one reduction kernel. */
interface Red {
  readonly k: Kernel;
  readonly cx: ExprCx;
  readonly op: string;
  readonly argT: DType;
  readonly outT: DType;
  /** The comparison type of argmax/argmin/logsumexp pairs (bool compares as u32). */
  readonly cmpT: DType;
  readonly axes: readonly number[];
  readonly keptAxes: readonly number[];
  readonly ivars: readonly string[];
  readonly inShape: readonly Dim[];
  readonly nOut: Dim;
  readonly nRed: Dim;
  readonly bodyIdx: readonly string[];
  readonly bodyVars: readonly string[];
}

function redOf(k: Kernel, cx: ExprCx): Red {
  const core = k.core!;
  const arg = k.args[0]!;
  const inShape = arg.shape;
  const rank = inShape.length;
  const argT = exprDtype(arg, k, null);
  const axesList = axesAttr(core.attrs['axis']);
  const axes = axesList === null ? [...Array(rank).keys()] : axesList.map(a => normalizeAxis(a, rank)!).sort((a, b) => a - b);
  const keepdims = !!core.attrs['keepdims'];
  const keptAxes = [...Array(rank).keys()].filter(a => !axes.includes(a));
  const ivars = indexVars(rank, 'x');
  return {
    k, cx, op: core.op, argT, outT: core.type.dtype, cmpT: argT === 'bool' ? 'u32' : argT, axes, keptAxes, ivars, inShape,
    nOut: product(keptAxes.map(a => inShape[a]!)),
    nRed: product(axes.map(a => inShape[a]!)),
    // The body's index: keepdims keeps a size-1 axis (index 0) for each reduced one.
    bodyIdx: keepdims ? [...Array(rank).keys()].map(a => (axes.includes(a) ? '0i' : ivars[a]!)) : keptAxes.map(a => ivars[a]!),
    bodyVars: indexVars(k.body.shape.length),
  };
}

const isPairOp = (op: string): boolean => op === 'argmax' || op === 'argmin' || op === 'logsumexp';

/** Partial results per output: 1 (one pass), a count, or the `split_parts` override constant. */
type Parts = number | 'override';
/** `parts * m` as a WGSL i32 expression. */
const partsTimes = (parts: Parts, m: number): string => (parts === 'override' ? (m === 1 ? 'split_parts' : `(split_parts * ${m}i)`) : `${parts * m}i`);

/** `main`'s head: the group's output `o` (and with parts > 1 its part `c`), the early return, the kept indices. */
function head(r: Red, parts: Parts): string[] {
  const dim = r.cx.dim;
  const group = parts === 1
    ? ['  let o = i32(wid.y * nwg.x + wid.x);', `  if (o >= ${dim(r.nOut)}) { return; }`]
    : ['  let g = i32(wid.y * nwg.x + wid.x);', `  if (g >= ${dim(r.nOut)} * ${partsTimes(parts, 1)}) { return; }`,
      `  let o = g / ${partsTimes(parts, 1)};`, `  let c = g % ${partsTimes(parts, 1)};`];
  return [
    `@compute @workgroup_size(${REDUCE_WG})`,
    `fn main(${MAIN_ARGS}) {`,
    ...group,
    ...unravel('o', r.keptAxes.map(a => r.inShape[a]!), r.keptAxes.map(a => r.ivars[a]!), r.cx.dim).map(l => `  ${l}`),
  ];
}

/** A loop over this invocation's row elements (r = c WG + lid, stepping parts WG; c = 0 with one part), `x` the element. */
function rowLoop(r: Red, parts: Parts, body: readonly string[]): string[] {
  const dim = r.cx.dim;
  return [
    `  for (var r = ${parts === 1 ? '' : `c * ${REDUCE_WG}i + `}i32(lid); r < ${dim(r.nRed)}; r = r + ${partsTimes(parts, REDUCE_WG)}) {`,
    ...unravel('r', r.axes.map(a => r.inShape[a]!), r.axes.map(a => r.ivars[a]!), dim).map(l => `    ${l}`),
    `    let x = arg(${r.ivars.join(', ')});`,
    ...body.map(l => `    ${l}`),
    '  }',
  ];
}

/** A loop over the output's partial results (pass 2): `w` is the index of the first word of part `p`. */
function partLoop(parts: Parts, words: number, body: readonly string[]): string[] {
  return [
    `  for (var p = i32(lid); p < ${partsTimes(parts, 1)}; p = p + ${REDUCE_WG}i) {`,
    `    let w = (o * ${partsTimes(parts, 1)} + p) * ${words}i;`,
    ...body.map(l => `    ${l}`),
    '  }',
  ];
}

const tree = (step: string): string[] => [
  '  workgroupBarrier();',
  `  for (var s = ${REDUCE_WG / 2}u; s > 0u; s = s >> 1u) {`,
  `    if (lid < s) { ${step} }`,
  '    workgroupBarrier();',
  '  }',
];

/** Invocation 0 stores the epilogue of `value` at the output. */
function store(r: Red, value: string): string[] {
  return [
    '  if (lid == 0u) {',
    ...r.bodyVars.map((v, j) => `    let ${v} = ${r.bodyIdx[j]};`),
    `    let y = body(${[...r.bodyVars, value].join(', ')});`,
    ...storeLines(r.k, r.bodyVars, 'y', r.cx.dim).map(l => `    ${l}`),
    '  }',
    '}',
  ];
}

/** The better of (value, index) pairs: greater (argmin: smaller), or equal with a smaller index; index -1 is none. */
const better = (r: Red): string => (r.op === 'argmin' ? '<' : '>');
const takes = (r: Red, bv: string, bi: string, av: string, ai: string): string =>
  `${bi} >= 0i && (${ai} < 0i || ${bv} ${better(r)} ${av} || (${bv} == ${av} && ${bi} < ${ai}))`;
const pairStep = (r: Red): string => `let bv = red_v[lid + s]; let bi = red_i[lid + s]; let av = red_v[lid]; let ai = red_i[lid];
      if (${takes(r, 'bv', 'bi', 'av', 'ai')}) { red_v[lid] = bv; red_i[lid] = bi; }`;

function workgroupVars(r: Red): string[] {
  return isPairOp(r.op)
    ? [`var<workgroup> red_v: array<${valueType(r.cmpT)}, ${REDUCE_WG}>;`, `var<workgroup> red_i: array<i32, ${REDUCE_WG}>;`]
    : [`var<workgroup> red_v: array<${valueType(r.outT)}, ${REDUCE_WG}>;`];
}

/** Pass over the row elements: the fold (or the pair search) into red_v[0] (and red_i[0]). */
function rowPass(r: Red, parts: Parts): string[] {
  if (!isPairOp(r.op)) {
    const f = foldOf(r.op, r.outT);
    const conv = r.argT === r.outT ? 'x' : `${valueType(r.outT)}(x)`;
    return [
      `  var acc: ${valueType(r.outT)} = ${f.init};`,
      ...rowLoop(r, parts, [`acc = ${f.combine('acc', conv)};`]),
      '  red_v[lid] = acc;',
      ...tree(`red_v[lid] = ${f.combine('red_v[lid]', 'red_v[lid + s]')};`),
    ];
  }
  const cmpOf = (x: string): string => (r.argT === 'bool' ? `u32(${x})` : x);
  return [
    `  var bv: ${valueType(r.cmpT)} = ${cmpOf(r.argT === 'bool' ? 'false' : literal(r.argT, 0))};`,
    '  var bi = -1i;',
    ...rowLoop(r, parts, [`let xv = ${cmpOf('x')};`, `if (bi < 0i || xv ${better(r)} bv) { bv = xv; bi = r; }`]),
    '  red_v[lid] = bv;',
    '  red_i[lid] = bi;',
    ...tree(pairStep(r)),
  ];
}

/** logsumexp after the pair search: the sum of exp(x - m) over the elements other than the maximum's position. */
function lseSum(r: Red, parts: Parts): string[] {
  return [
    '  let m = red_v[0];',
    '  let at = red_i[0];',
    '  workgroupBarrier();',
    '  var acc = 0.0f;',
    ...rowLoop(r, parts, ['if (r != at) { acc = acc + exp(x - m); }']),
    '  red_v[lid] = acc;',
    ...tree('red_v[lid] = red_v[lid] + red_v[lid + s];'),
  ];
}

/** logsumexp's result from the maximum `m`, its position `at` and the sum in red_v[0]: m + log1p(sum). */
const lseResult = (r: Red): string[] => [
  // An infinite maximum (or none: an empty axis) is the answer itself.
  '  let finite = (bitcast<u32>(m) & 0x7f800000u) != 0x7f800000u;',
  '  let total = select(m, m + thc_log1p_f32(red_v[0]), finite && at >= 0i);',
  ...store(r, 'select((-thc_inf()), total, at >= 0i)'),
];

/** The one-pass module: one workgroup per output element. */
function onePass(r: Red, decls: readonly string[]): string {
  const fns = [exprFunction('arg', r.k.args[0]!, r.cx, null), exprFunction('body', r.k.body, r.cx, r.outT)];
  const main = [...head(r, 1), ...rowPass(r, 1),
    ...(r.op === 'logsumexp' ? [...lseSum(r, 1), ...lseResult(r)] : store(r, isPairOp(r.op) ? 'red_i[0]' : 'red_v[0]'))];
  return assemble(r.k, decls, fns, main, workgroupVars(r));
}

/** Scratch words per partial result: a value; (value, index); logsumexp's (max, index, sum). */
const wordsOf = (op: string): number => (op === 'logsumexp' ? 3 : isPairOp(op) ? 2 : 1);

/**
 * Pass 1 of the split form: workgroup (o, c) folds elements c WG + lid, stepping parts WG, of row
 * o and writes its partial result: the folded value; argmax/argmin's (value, first index);
 * logsumexp's maximum m_c, its first index and the sum of exp(x - m_c) over the part's other
 * elements (0 when m_c is infinite or the part is empty, so no NaN reaches pass 2).
 */
function pass1(r: Red, parts: Parts, decls: readonly string[]): string {
  const fns = [exprFunction('arg', r.k.args[0]!, r.cx, null)];
  const words = wordsOf(r.op);
  const slot = `(o * ${partsTimes(parts, 1)} + c) * ${words}i`;
  const write = r.op === 'logsumexp'
    ? ['    let finite = (bitcast<u32>(m) & 0x7f800000u) != 0x7f800000u;',
      `    part[${slot}] = bitcast<u32>(m);`, `    part[${slot} + 1i] = bitcast<u32>(at);`,
      `    part[${slot} + 2i] = bitcast<u32>(select(0.0f, red_v[0], finite && at >= 0i));`]
    : isPairOp(r.op)
      ? [`    part[${slot}] = ${toWord(r.cmpT, 'red_v[0]')};`, `    part[${slot} + 1i] = bitcast<u32>(red_i[0]);`]
      : [`    part[${slot}] = ${toWord(r.outT, 'red_v[0]')};`];
  const main = [...head(r, parts), ...rowPass(r, parts), ...(r.op === 'logsumexp' ? lseSum(r, parts) : []),
    '  if (lid == 0u) {', ...write, '  }', '}'];
  return assemble(r.k, decls, fns, main, workgroupVars(r));
}

/**
 * Pass 2: one workgroup per output folds its `parts` partial results. argmax/argmin fold the pairs
 * (first index on ties, across parts too). logsumexp takes the overall maximum M and its first
 * position, then sums each part's sum rescaled by exp(m_c - M), plus exp(m_c - M) for the maximum
 * of every part but the winning one (that element was left out of its own part's sum only because
 * it was the part's maximum): the interpreter's sum of exp(x - M) over every element but the first
 * maximum.
 */
function pass2(r: Red, parts: Parts, decls: readonly string[]): string {
  const fns = [exprFunction('body', r.k.body, r.cx, r.outT)];
  const words = wordsOf(r.op);
  const h = head(r, 1);
  let main: string[];
  if (!isPairOp(r.op)) {
    const f = foldOf(r.op, r.outT);
    main = [...h,
      `  var acc: ${valueType(r.outT)} = ${f.init};`,
      ...partLoop(parts, words, [`acc = ${f.combine('acc', fromWord(r.outT, 'part[w]'))};`]),
      '  red_v[lid] = acc;',
      ...tree(`red_v[lid] = ${f.combine('red_v[lid]', 'red_v[lid + s]')};`),
      ...store(r, 'red_v[0]')];
  } else {
    const search = [
      `  var bv: ${valueType(r.cmpT)} = ${literal(r.cmpT, 0)};`,
      '  var bi = -1i;',
      ...partLoop(parts, words, [`let pv = ${fromWord(r.cmpT, 'part[w]')};`, 'let pi = bitcast<i32>(part[w + 1i]);',
        `if (${takes(r, 'pv', 'pi', 'bv', 'bi')}) { bv = pv; bi = pi; }`]),
      '  red_v[lid] = bv;',
      '  red_i[lid] = bi;',
      ...tree(pairStep(r)),
    ];
    if (r.op !== 'logsumexp') {
      main = [...h, ...search, ...store(r, 'red_i[0]')];
    } else {
      main = [...h, ...search,
        '  let m = red_v[0];',
        '  let at = red_i[0];',
        '  workgroupBarrier();',
        '  var acc = 0.0f;',
        ...partLoop(parts, words, [
          'let pm = bitcast<f32>(part[w]);',
          'let pi = bitcast<i32>(part[w + 1i]);',
          'let pfinite = (bitcast<u32>(pm) & 0x7f800000u) != 0x7f800000u;',
          'if (pi >= 0i && pfinite) {',
          '  let scale = exp(pm - m);',
          '  acc = acc + (bitcast<f32>(part[w + 2i]) + select(1.0f, 0.0f, pi == at)) * scale;',
          '}']),
        '  red_v[lid] = acc;',
        ...tree('red_v[lid] = red_v[lid] + red_v[lid + s];'),
        ...lseResult(r)];
    }
  }
  return assemble(r.k, decls, fns, main, workgroupVars(r));
}

/**
 * The reduction kernel's module with `parts` partial results per output: 1 is the one-pass
 * module; more (or 'override') the split form, whose `text` is both passes for display and whose
 * `passes` are what runs. `inputDecls`/`outDecl` are the kernel's binding declarations
 * (kernel.ts), `order` its buffers.
 */
export function reduceModule(k: Kernel, cx: ExprCx, overrides: readonly string[], inputDecls: readonly string[], outDecl: string,
  order: readonly number[], parts: Parts): KernelModule {
  const r = redOf(k, cx);
  const decls = [...overrides, ...inputDecls, outDecl];
  if (parts === 1) return { text: onePass(r, decls), bindings: order };
  const nIn = order.length - 1;
  const own = [...overrides, ...(parts === 'override' ? ['override split_parts: i32;'] : [])];
  const inputs: PassBinding[] = order.slice(0, nIn).map(b => ({ buffer: b }));
  const t1 = pass1(r, parts, [...own, ...inputDecls, `@group(0) @binding(${nIn}) var<storage, read_write> part: array<u32>;`]);
  const t2 = pass2(r, parts, [...own, ...inputDecls, `@group(0) @binding(${nIn}) var<storage, read> part: array<u32>;`,
    outDecl.replace(`@binding(${nIn})`, `@binding(${nIn + 1})`)]);
  return {
    text: `// pass 1 of 2\n${t1}\n// pass 2 of 2\n${t2}`,
    bindings: order,
    passes: [
      { text: t1, bindings: [...inputs, { scratch: 0 }] },
      { text: t2, bindings: [...inputs, { scratch: 0 }, { buffer: order[nIn]! }] },
    ],
  };
}
