/**
 * @file What the C backend can compile, checked before any text is printed (the shared check,
 * clike/support-check.ts): no f16 value (TH0530 points at its declaration) and every operation a
 * printer or kernel (TH0531 names the first that has none). `checkCSupport` reports to the sink
 * and is true when the schedule can be compiled; `cEntries` checks every entry point.
 */
import { CPU_KINDS, CPU_OTHER_OPS, supportOf } from '../clike/support-check.js';
import { isCDType } from './types.js';

const C_SUPPORT = supportOf({ dtypeCode: 'TH0530', opCode: 'TH0531', isDType: isCDType, emit: 'c', kinds: CPU_KINDS, otherOps: CPU_OTHER_OPS });

export const checkCSupport = C_SUPPORT.check;
export const cEntries = C_SUPPORT.entries;
