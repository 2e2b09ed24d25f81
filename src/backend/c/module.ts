/**
 * @file A compile result (stopped after `kernels`) as C text: every entry point's schedule checked
 * (support.ts) and printed into one file (program.ts). `thc compile --target c` prints it; the
 * runner (run.ts) compiles it with the system C compiler.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { CompileResult } from '../../pipeline.js';
import { checkCSupport } from './support.js';
import { programText, type CEntry } from './program.js';

/** The program's C, or undefined after reporting why it cannot be compiled. */
export function cProgram(result: CompileResult, sink: DiagnosticSink): string | undefined {
  const program = result.graphs;
  if (!program) throw new Error('no graphs: compile with stopAfter "kernels"');
  const entries: CEntry[] = [];
  let ok = true;
  for (const g of program.entries) {
    const schedule = result.schedules?.get(g.name);
    if (!schedule) throw new Error(`no kernel schedule for ${g.name}`);
    if (checkCSupport(schedule, g, program, sink)) entries.push({ graph: g, schedule });
    else ok = false;
  }
  return ok ? programText(program, entries, program.file.split('/').pop() ?? program.file) : undefined;
}
