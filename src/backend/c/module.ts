/**
 * @file A compile result (stopped after `kernels`) as C text: every entry point's schedule checked
 * (support.ts) and printed into one file (program.ts). `thc compile --target c` prints it; the
 * runner (run.ts) compiles it with the system C compiler.
 */
import type { DiagnosticSink } from '../../diag/sink.js';
import type { CompileResult } from '../../pipeline.js';
import { cEntries } from './support.js';
import { programText } from './program.js';

/**
 * Printed text by compile result: `thc run --device cpu` prints the C once to decide the engine
 * (cli/device-choice.ts) and the runner needs the same text; a refusal is not kept, so each sink
 * still gets its diagnostics.
 */
const printed = new WeakMap<CompileResult, string>();

/** The program's C, or undefined after reporting why it cannot be compiled. */
export function cProgram(result: CompileResult, sink: DiagnosticSink): string | undefined {
  const known = printed.get(result);
  if (known !== undefined) return known;
  const entries = cEntries(result, sink);
  const program = result.graphs!;
  if (!entries) return undefined;
  const text = programText(program, entries, program.file.split('/').pop() ?? program.file);
  printed.set(result, text);
  return text;
}
