/**
 * @file What the JS target can compile, checked before any text is printed (the shared check,
 * clike/support-check.ts): no f16 value (TH0540 points at its declaration) and every operation a
 * printer or kernel (TH0541 names the first that has none; every op of the table has one today).
 * Reports to the sink; true when the entry point's schedule can be compiled.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { CompileResult } from '../../pipeline.js';
import type { Schedule } from '../../schedule/types.js';
import { checkSupport, supportedEntries, type SupportSpec } from '../clike/support-check.js';
import { isJsDType } from './types.js';

/** Kernel kinds with a JS kernel (kernel.ts), and the ops of `other` kernels it handles. */
const JS_SUPPORT: SupportSpec = {
  dtypeCode: 'TH0540', opCode: 'TH0541', isDType: isJsDType, emit: 'js',
  kinds: new Set(['elementwise', 'concat', 'reduce', 'matmul', 'other', 'gather', 'scatter']),
  otherOps: new Set(['one_hot']),
};

export const checkJsSupport = (s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink): boolean =>
  checkSupport(JS_SUPPORT, s, g, program, sink);

/** Every entry point with its schedule, each checked, or undefined after reporting why one cannot be compiled. */
export const jsEntries = (result: CompileResult, sink: DiagnosticSink): { graph: Graph; schedule: Schedule }[] | undefined =>
  supportedEntries(JS_SUPPORT, result, sink);
