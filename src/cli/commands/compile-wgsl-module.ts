/**
 * @file `thc compile FILE --target wgsl -o DIR`: checks every entry point as `thc run --device gpu`
 * does (support.ts: TH0520/TH0521/TH0524), evaluates the shared variables' initial values
 * (runtime/state.ts), builds the host plan with symbolic-size WGSL (host/plan-build.ts) and writes
 * `<stem>.wgsl` (the text `thc compile --target wgsl` prints), `<stem>.js` and `<stem>.d.ts`
 * (host/emit.ts) into DIR, creating it if missing. A file-system failure is TH0526; nothing is
 * written when a check fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CompileResult } from '../../pipeline.js';
import { fsReason } from '../fs-reason.js';
import type { Session } from '../session.js';
import { checkWgslSupport } from '../../backend/wgsl/support.js';
import { scheduleText } from '../../backend/wgsl/module.js';
import { hostPlan } from '../../backend/wgsl/host/plan-build.js';
import { hostModuleDts, hostModuleJs } from '../../backend/wgsl/host/emit.js';
import { initialState } from '../../runtime/state.js';

/** `logreg` for `samples/logreg.th`; `program` for stdin. */
export const stemOf = (file: string): string => (file === '-' ? 'program' : basename(file).replace(/\.th$/, '') || 'program');

/** Writes the three files; reports (and writes nothing) when the program cannot run on the GPU. */
export function writeHostModule(s: Session, file: string, result: CompileResult, outDir: string): void {
  const program = result.graphs!;
  const entries = program.entries.map(graph => {
    const schedule = result.schedules?.get(graph.name);
    if (!schedule) throw new Error(`no kernel schedule for ${graph.name}`);
    return { graph, schedule };
  });
  for (const e of entries) checkWgslSupport(e.schedule, e.graph, program, s.sink);
  if (s.sink.hasErrors()) return;
  const store = initialState(program.shared, s.sink);
  if (!store) return;
  const stem = stemOf(file);
  const shown = file === '-' ? '<stdin>' : basename(file);
  const plan = hostPlan(stem, entries, program, store, true);
  const files: [string, string][] = [
    [`${stem}.wgsl`, entries.map(e => scheduleText(e.schedule)).join('\n')],
    [`${stem}.js`, hostModuleJs(plan, shown)],
    [`${stem}.d.ts`, hostModuleDts(plan, shown)],
  ];
  let path = outDir;
  try {
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of files) {
      path = join(outDir, name);
      writeFileSync(path, text);
    }
  } catch (e) {
    s.sink.error('TH0526', { path, reason: fsReason(e) }, null);
  }
}
