/**
 * @file STUB (owned by the sema work): resolves names, checks types and shapes, inlines generic
 * functions, and builds one Graph per entry point (a function whose parameters are all typed),
 * plus the program's shared variables. Type checking and graph building are one walk: the Builder
 * runs each op's type rule as the node is made (see docs/architecture.md). It creates its own
 * Builder (graph/builder.ts) over a sink wrapper that adds "in this call" labels for inlined code.
 */
import type { DiagnosticSink } from '../diag/sink.js';
import type { ProgramGraphs } from '../graph/graph.js';
import type { LoadedProgram } from './modules.js';

export interface ElaborateOptions {
  /** Build only this entry point (others are still name-resolved and type-checked). */
  readonly entry?: string;
}

export function elaborate(program: LoadedProgram, sink: DiagnosticSink, opts: ElaborateOptions = {}): ProgramGraphs {
  void sink; void opts;
  throw new Error(`elaboration not implemented yet (${program.entry.path})`);
}
