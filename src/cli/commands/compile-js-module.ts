/**
 * @file `thc compile FILE --target js -o DIR`: checks every entry point as the JS target does
 * (support.ts: TH0540/TH0541), evaluates the shared variables' initial values (runtime/state.ts),
 * builds the module plan (backend/js/module-plan.ts) and writes `<stem>.js` and `<stem>.d.ts`
 * (backend/js/module-emit.ts) into DIR, creating it if missing. A file-system failure is TH0542;
 * nothing is written when a check fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CompileResult } from '../../pipeline.js';
import { fsReason } from '../fs-reason.js';
import type { Session } from '../session.js';
import { checkJsSupport } from '../../backend/js/support.js';
import { kernelFunction } from '../../backend/js/kernel.js';
import { jsModulePlan } from '../../backend/js/module-plan.js';
import { jsModuleDts, jsModuleJs } from '../../backend/js/module-emit.js';
import { initialState } from '../../runtime/state.js';
import { stemOf } from './compile-wgsl-module.js';

/** Writes the two files; reports (and writes nothing) when the program cannot be compiled to JS. */
export function writeJsModule(s: Session, file: string, result: CompileResult, outDir: string): void {
  const program = result.graphs!;
  const entries = program.entries.map(graph => {
    const schedule = result.schedules?.get(graph.name);
    if (!schedule) throw new Error(`no kernel schedule for ${graph.name}`);
    return { graph, schedule };
  });
  for (const e of entries) checkJsSupport(e.schedule, e.graph, program, s.sink);
  if (s.sink.hasErrors()) return;
  const store = initialState(program.shared, s.sink);
  if (!store) return;
  const stem = stemOf(file);
  const shown = file === '-' ? '<stdin>' : basename(file);
  const withKernels = entries.map(e => ({ ...e, kernels: e.schedule.kernels.map(k => kernelFunction(k, e.schedule.entry)) }));
  const plan = jsModulePlan(stem, withKernels, program, store);
  const files: [string, string][] = [
    [`${stem}.js`, jsModuleJs(plan, withKernels.map(e => e.kernels), shown)],
    [`${stem}.d.ts`, jsModuleDts(plan, shown)],
  ];
  let path = outDir;
  try {
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of files) {
      path = join(outDir, name);
      writeFileSync(path, text);
    }
  } catch (e) {
    s.sink.error('TH0542', { path, reason: fsReason(e) }, null);
  }
}
