/**
 * @file `thc compile FILE --target wgsl -o DIR`: checks every entry point as `thc run --device gpu`
 * does (support.ts: TH0520/TH0521/TH0524), evaluates the shared variables' initial values, builds
 * the host plan with symbolic-size WGSL (host/plan-build.ts) and writes `<stem>.wgsl` (the text
 * `thc compile --target wgsl` prints), `<stem>.js` and `<stem>.d.ts` (host/emit.ts) into DIR
 * (module-files.ts). A file-system failure is TH0526; nothing is written when a check fails.
 */
import type { CompileResult } from '../../pipeline.js';
import type { Session } from '../session.js';
import { checkWgslSupport } from '../../backend/wgsl/support.js';
import { scheduleText } from '../../backend/wgsl/module.js';
import { hostPlan } from '../../backend/wgsl/host/plan-build.js';
import { hostModuleDts, hostModuleJs } from '../../backend/wgsl/host/emit.js';
import { moduleInputs, writeModuleFiles } from './module-files.js';

export { stemOf } from './module-files.js';

/** Writes the three files; reports (and writes nothing) when the program cannot run on the GPU. */
export function writeHostModule(s: Session, file: string, result: CompileResult, outDir: string): void {
  const m = moduleInputs(s, file, result, checkWgslSupport);
  if (!m) return;
  const plan = hostPlan(m.stem, m.entries, result.graphs!, m.store, true);
  writeModuleFiles(s, outDir, [
    [`${m.stem}.wgsl`, m.entries.map(e => scheduleText(e.schedule)).join('\n')],
    [`${m.stem}.js`, hostModuleJs(plan, m.shown)],
    [`${m.stem}.d.ts`, hostModuleDts(plan, m.shown)],
  ], 'TH0526');
}
