/**
 * @file What the C backend can compile, checked before any text is printed (the shared check,
 * clike/support-check.ts): no f16 value (TH0530 points at its declaration) and every operation a
 * printer or kernel (TH0531 names the first that has none). Reports to the sink; true when every
 * entry point's schedule can be compiled.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { CompileResult } from '../../pipeline.js';
import type { Schedule } from '../../schedule/types.js';
import { checkSupport, supportedEntries, type SupportSpec } from '../clike/support-check.js';
import { isCDType } from './types.js';

/** Kernel kinds with a C kernel (kernel.ts), and the ops of `other` kernels it handles. */
const C_SUPPORT: SupportSpec = {
  dtypeCode: 'TH0530', opCode: 'TH0531', isDType: isCDType, emit: 'c',
  kinds: new Set(['elementwise', 'concat', 'reduce', 'matmul', 'other', 'gather', 'scatter']),
  otherOps: new Set(['one_hot']),
};

export const checkCSupport = (s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink): boolean =>
  checkSupport(C_SUPPORT, s, g, program, sink);

/** Every entry point with its schedule, each checked, or undefined after reporting why one cannot be compiled. */
export const cEntries = (result: CompileResult, sink: DiagnosticSink): { graph: Graph; schedule: Schedule }[] | undefined =>
  supportedEntries(C_SUPPORT, result, sink);
