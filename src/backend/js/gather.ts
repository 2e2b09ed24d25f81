/**
 * @file Indexing with index tensors in JS: the shared gather and scatter kernels
 * (clike/gather-text.ts) with JS's spelling. The scatter accumulator is a Float64Array. An index
 * outside its axis is the interpreter's TH0693.
 */
import { jsStore } from '../../ops/elementwise.js';
import type { Kernel } from '../../schedule/types.js';
import { gatherText, scatterText, type Epilogue, type GatherSyntax } from '../clike/gather-text.js';
import { JS_EXPR, type JsExprCx } from './expr.js';
import { loops } from './kernel.js';

const JS_GATHER: GatherSyntax = {
  expr: JS_EXPR,
  checkIndex: (name, value, D, axis) => [`const ${name}_i = ${value};`,
    `if (${name}_i < -${D} || ${name}_i >= ${D}) thc_fail('TH0693', { index: ${name}_i, axis: ${axis}, size: ${D} });`,
    `const ${name} = ${name}_i < 0 ? ${name}_i + ${D} : ${name}_i;`],
  accOpen: sizes => [`const acc = new Float64Array(${sizes.length ? sizes.join(' * ') : '1'});`],
  accAdd: (at, value) => `acc[${at}] += ${value};`,
  round: (t, v) => jsStore(t, v),
  accClose: [],
};

/** x[items]: per result element, x at the planned multi-index. */
export const gatherBody = (k: Kernel, cx: JsExprCx, epilogue: Epilogue): string[] => gatherText(JS_GATHER, k, cx, loops, epilogue);

/** index_add(g, ...; items, shape): zeros of `shape` plus every g element added at its destination, in order. */
export const scatterBody = (k: Kernel, cx: JsExprCx, epilogue: Epilogue): string[] => scatterText(JS_GATHER, k, cx, loops, epilogue);
