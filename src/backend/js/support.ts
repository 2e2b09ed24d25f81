/**
 * @file What the JS target can compile, checked before any text is printed (the shared check,
 * clike/support-check.ts): no f16 value (TH0540 points at its declaration) and every operation a
 * printer or kernel (TH0541 names the first that has none; every op of the table has one today).
 * `checkJsSupport` reports to the sink and is true when the schedule can be compiled; `jsEntries`
 * checks every entry point.
 */
import { CPU_KINDS, CPU_OTHER_OPS, supportOf } from '../clike/support-check.js';
import { isJsDType } from './types.js';

const JS_SUPPORT = supportOf({ dtypeCode: 'TH0540', opCode: 'TH0541', isDType: isJsDType, emit: 'js', kinds: CPU_KINDS, otherOps: CPU_OTHER_OPS });

export const checkJsSupport = JS_SUPPORT.check;
export const jsEntries = JS_SUPPORT.entries;
