/**
 * @file `thc compile FILE --target wgsl|js|c [-o DIR]`: without `-o`, `--target wgsl` prints every
 * entry point's WGSL (one module per kernel, symbolic sizes as `override` constants: module.ts) and
 * `--target c` the whole program as one C99 file (backend/c: a state struct, one function per entry
 * point, the harness under THC_MAIN) and `--target js` every entry point's kernel functions
 * (backend/js), each on stdout after its backend's checks (TH0520/TH0521, TH0530/TH0531,
 * TH0540/TH0541). `--target wgsl -o DIR` writes `<stem>.wgsl` (that same text), `<stem>.js` (the
 * host module: docs/host-module.md) and `<stem>.d.ts` into DIR (created if missing; a write error
 * is TH0526), after the same checks as `thc run --device gpu`. `--target c -o DIR` writes
 * `<stem>.h` and `<stem>.c` (backend/c/files.ts: the documented API and an optional .npy main;
 * TH0536 for a C name clash). `--target js -o DIR` writes the JS target's standalone module
 * `<stem>.js` and `<stem>.d.ts` (compile-js-module.ts; a write error is TH0542).
 */
import type { CliContext } from '../output.js';
import { compileFile, createSession, finish } from '../session.js';

export const TARGETS = ['wgsl', 'js', 'c'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface CompileCommandOptions {
  readonly target: TargetName;
  readonly outDir?: string;
}

export async function compileCommand(cx: CliContext, file: string, o: CompileCommandOptions): Promise<number> {
  const s = createSession(cx, file);
  const hostModule = o.target === 'wgsl' && o.outDir !== undefined;
  const cFiles = o.target === 'c' && o.outDir !== undefined;
  const jsModule = o.target === 'js' && o.outDir !== undefined;
  // Program errors come first: they are what the user has to fix either way.
  const result = await compileFile(s, file, { stopAfter: 'kernels' });
  if (!result) return finish(s);
  if (cFiles) {
    const { writeCFiles } = await import('../../backend/c/files.js');
    writeCFiles(result, s.sink, o.outDir!);
    return finish(s);
  }
  if (hostModule) {
    const { writeHostModule } = await import('./compile-wgsl-module.js');
    writeHostModule(s, file, result, o.outDir!);
    return finish(s);
  }
  if (jsModule) {
    const { writeJsModule } = await import('./compile-js-module.js');
    writeJsModule(s, file, result, o.outDir!);
    return finish(s);
  }
  if (o.target === 'js') {
    const { jsProgram } = await import('../../backend/js/module.js');
    const text = jsProgram(result, s.sink);
    if (text !== undefined && !s.sink.hasErrors()) cx.out(text.replace(/\n$/, ''));
    return finish(s);
  }
  if (o.target === 'c') {
    const { cProgram } = await import('../../backend/c/module.js');
    const text = cProgram(result, s.sink);
    if (text !== undefined && !s.sink.hasErrors()) cx.out(text.replace(/\n$/, ''));
    return finish(s);
  }
  const [{ checkWgslSupport }, { scheduleText }] = await Promise.all([import('../../backend/wgsl/support.js'), import('../../backend/wgsl/module.js')]);
  const texts: string[] = [];
  for (const g of result.graphs!.entries) {
    const schedule = result.schedules?.get(g.name);
    if (!schedule) throw new Error(`no kernel schedule for ${g.name}`);
    if (checkWgslSupport(schedule, g, result.graphs!, s.sink)) texts.push(scheduleText(schedule));
  }
  if (!s.sink.hasErrors()) cx.out(texts.join('\n'));
  return finish(s);
}
