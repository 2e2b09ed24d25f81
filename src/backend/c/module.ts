/**
 * @file A compile result (stopped after `kernels`) as C text: every entry point's schedule checked
 * (support.ts) and printed into one file (program.ts). `thc compile --target c` prints it; the
 * runner (run.ts) compiles it with the system C compiler.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { CompileResult } from '../../pipeline.js';
import { cEntries } from './support.js';
import { programText } from './program.js';

/** The program's C, or undefined after reporting why it cannot be compiled. */
export function cProgram(result: CompileResult, sink: DiagnosticSink): string | undefined {
  const entries = cEntries(result, sink);
  const program = result.graphs!;
  return entries ? programText(program, entries, program.file.split('/').pop() ?? program.file) : undefined;
}
