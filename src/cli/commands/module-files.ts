/**
 * @file What `thc compile --target wgsl|js -o DIR` share: every entry point with its kernel
 * schedule, each checked by the target's support check, the shared variables' initial values
 * (runtime/state.ts), the file stem and the name shown in headers, and the writing of the files
 * into DIR (created if missing), where a file-system failure is the target's write-error code.
 * Nothing is written when a check fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CompileResult } from '../../pipeline.js';
import type { DiagnosticSink } from '../../diag/sink.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import type { Schedule } from '../../schedule/types.js';
import { initialState } from '../../runtime/state.js';
import { fsReason } from '../fs-reason.js';
import type { Session } from '../session.js';

/** `logreg` for `samples/logreg.th`; `program` for stdin. */
export const stemOf = (file: string): string => (file === '-' ? 'program' : basename(file).replace(/\.th$/, '') || 'program');

export interface ModuleInputs {
  readonly entries: { graph: Graph; schedule: Schedule }[];
  readonly store: ReadonlyMap<string, NDArray>;
  readonly stem: string;
  /** The source's name as the generated headers show it. */
  readonly shown: string;
}

type SupportCheck = (s: Schedule, g: Graph, program: ProgramGraphs, sink: DiagnosticSink) => boolean;

/** The checked entry points and the initial state; undefined when something was reported. */
export function moduleInputs(s: Session, file: string, result: CompileResult, check: SupportCheck): ModuleInputs | undefined {
  const program = result.graphs!;
  const entries = program.entries.map(graph => {
    const schedule = result.schedules?.get(graph.name);
    if (!schedule) throw new Error(`no kernel schedule for ${graph.name}`);
    return { graph, schedule };
  });
  for (const e of entries) check(e.schedule, e.graph, program, s.sink);
  if (s.sink.hasErrors()) return undefined;
  const store = initialState(program.shared, s.sink);
  if (!store) return undefined;
  return { entries, store, stem: stemOf(file), shown: file === '-' ? '<stdin>' : basename(file) };
}

/** Writes `[name, text]` files into `outDir`; a failure is `code` naming the path. */
export function writeModuleFiles(s: Session, outDir: string, files: readonly (readonly [string, string])[], code: string): void {
  let path = outDir;
  try {
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of files) {
      path = join(outDir, name);
      writeFileSync(path, text);
    }
  } catch (e) {
    s.sink.error(code, { path, reason: fsReason(e) }, null);
  }
}
