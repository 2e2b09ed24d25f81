/**
 * @file `thc compile FILE --target js -o DIR`: checks every entry point as the JS target does
 * (support.ts: TH0540/TH0541), evaluates the shared variables' initial values, builds the module
 * plan (backend/js/module-plan.ts) and writes `<stem>.js` and `<stem>.d.ts`
 * (backend/js/module-emit.ts) into DIR (module-files.ts). A file-system failure is TH0542;
 * nothing is written when a check fails.
 */
import type { CompileResult } from '../../pipeline.js';
import type { Session } from '../session.js';
import { checkJsSupport } from '../../backend/js/support.js';
import { kernelFunction } from '../../backend/js/kernel.js';
import { jsModulePlan } from '../../backend/js/module-plan.js';
import { jsModuleDts, jsModuleJs } from '../../backend/js/module-emit.js';
import { moduleInputs, writeModuleFiles } from './module-files.js';

/** Writes the two files; reports (and writes nothing) when the program cannot be compiled to JS. */
export function writeJsModule(s: Session, file: string, result: CompileResult, outDir: string): void {
  const m = moduleInputs(s, file, result, checkJsSupport);
  if (!m) return;
  const withKernels = m.entries.map(e => ({ ...e, kernels: e.schedule.kernels.map(k => kernelFunction(k, e.schedule.entry)) }));
  const plan = jsModulePlan(m.stem, withKernels, result.graphs!, m.store);
  writeModuleFiles(s, outDir, [
    [`${m.stem}.js`, jsModuleJs(plan, withKernels.map(e => e.kernels), m.shown)],
    [`${m.stem}.d.ts`, jsModuleDts(plan, m.shown)],
  ], 'TH0542');
}
