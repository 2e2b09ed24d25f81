/**
 * @file Indexing with index tensors in C: the shared gather and scatter kernels
 * (clike/gather-text.ts) with C's spelling. The scatter accumulator is calloc'd doubles. An index
 * outside its axis, a run-time error on the interpreter, sets THC_EINDEX (and reads or writes
 * element 0 meanwhile, never outside the buffer).
 */
import type { Kernel } from '../../schedule/types.js';
import { gatherText, scatterText, type Epilogue, type GatherSyntax, type Loops } from '../clike/gather-text.js';
import { C_EXPR, type CExprCx } from './expr.js';
import { cType } from './types.js';

const C_GATHER: GatherSyntax = {
  expr: C_EXPR,
  // Through a long variable: a u32 index compared with 0 directly is a -Wtype-limits warning.
  checkIndex: (name, value, D) => [`const long ${name}_i = (long)${value};`, `const long ${name}_r = ${name}_i < 0 ? ${name}_i + ${D} : ${name}_i;`,
    `const long ${name} = (${name}_r < 0 || ${name}_r >= ${D}) ? (thc_fail(THC_EINDEX), 0L) : ${name}_r;`],
  accOpen: sizes => {
    const count = sizes.length ? sizes.map(d => `(size_t)${d}`).join(' * ') : '1';
    return [`double *acc = calloc(${count} > 0 ? ${count} : 1, sizeof(double));`, 'if (!acc) { thc_fail(THC_ENOMEM); return; }'];
  },
  accAdd: (at, value) => `acc[${at}] += (double)${value};`,
  round: (t, v) => (t === 'i32' || t === 'u32' ? `thc_f2${t}(${v})` : `(${cType(t)})${v}`),
  accClose: ['free(acc);'],
};

/** x[items]: per result element, x at the planned multi-index. */
export const gatherBody = (k: Kernel, cx: CExprCx, loops: Loops, epilogue: Epilogue): string[] => gatherText(C_GATHER, k, cx, loops, epilogue);

/** index_add(g, ...; items, shape): zeros of `shape` plus every g element added at its destination, in order. */
export const scatterBody = (k: Kernel, cx: CExprCx, loops: Loops, epilogue: Epilogue): string[] => scatterText(C_GATHER, k, cx, loops, epilogue);
