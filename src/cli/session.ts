/**
 * @file The steps every command shares: read FILE (or `-` for standard input), compile it through
 * pipeline.ts, and finish by printing the collected diagnostics and returning the exit status.
 * The pipeline is imported lazily, so `--help` never loads the parser.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSink, type DiagnosticSink } from '../diag/sink.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { SourceFile } from '../source/source-file.js';
import type { CompileInput, CompileOptions, CompileResult } from '../pipeline.js';
import { fsReason } from './fs-reason.js';
import { type CliContext, exitStatusFor, printDiagnostics } from './output.js';

/** One command invocation: a sink for the CLI's own diagnostics plus the compile result's. */
export interface Session {
  readonly cx: CliContext;
  readonly sink: DiagnosticSink;
  /** The FILE argument as typed (`<stdin>` for `-`), used in messages. */
  readonly fileName: string;
  result?: CompileResult;
}

export function createSession(cx: CliContext, file: string): Session {
  return { cx, sink: createSink(), fileName: file === '-' ? '<stdin>' : file };
}

/** Reads FILE; reports TH0650 (missing, a directory, unreadable) and returns undefined on failure. */
export function readProgramSource(file: string, sink: DiagnosticSink): CompileInput | undefined {
  try {
    if (file === '-') return { source: readFileSync(0, 'utf8'), path: '<stdin>', displayName: '<stdin>' };
    if (statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return { source: readFileSync(file, 'utf8'), path: resolve(file), displayName: file };
  } catch (e) {
    sink.error('TH0650', { path: file === '-' ? '<stdin>' : file, reason: fsReason(e) }, null);
    return undefined;
  }
}

/**
 * Reads and compiles FILE. Returns the result only when it has no errors (otherwise its
 * diagnostics are kept for `finish`). `THC_TEST_INTERNAL_ERROR=1` throws inside this step, to test
 * that an unexpected exception becomes TH9001 and exit status 3.
 */
export async function compileFile(s: Session, file: string, opts: CompileOptions = {}): Promise<CompileResult | undefined> {
  const input = readProgramSource(file, s.sink);
  if (!input) return undefined;
  const { compileSource, reportInternal } = await import('../pipeline.js');
  try {
    if (process.env['THC_TEST_INTERNAL_ERROR'] === '1') throw new Error('THC_TEST_INTERNAL_ERROR is set');
    s.result = compileSource(input, opts);
  } catch (e) {
    reportInternal(s.sink, e);
    return undefined;
  }
  return s.result.ok ? s.result : undefined;
}

/** Every diagnostic of the session: the compiler's first, then the CLI's own. */
export function allDiagnostics(s: Session): Diagnostic[] {
  return [...(s.result?.diagnostics ?? []), ...s.sink.diagnostics];
}

/** Prints the session's diagnostics and returns the exit status they imply. */
export async function finish(s: Session): Promise<number> {
  const diags = allDiagnostics(s);
  const files: ReadonlyMap<string, SourceFile> = s.result?.files ?? new Map();
  await printDiagnostics(diags, files, s.cx);
  return exitStatusFor(diags);
}
