/**
 * @file `thc compile FILE --target wgsl|js|c [-o DIR]`: no backend exists yet, so after checking
 * the program this reports TH0501 (the target arrives in a later version) and exits 1. It never
 * writes anything that could pass for generated code.
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
  // Program errors come first: they are what the user has to fix either way.
  if (await compileFile(s, file)) s.sink.error('TH0501', { target: o.target }, null);
  return finish(s);
}
