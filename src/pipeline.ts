/**
 * @file The compiler pipeline: THE ordered list of named stages, and the compile entry points.
 * Consumes .th source text; produces diagnostics plus, per stage, the AST and the entry points'
 * graphs. `thc graph --stage NAME` reads stage names from STAGES. Any exception escaping a stage is
 * a bug in thc and becomes a TH9001 internal-error diagnostic, never a stack trace.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFile, type SourceFile } from './source/source-file.js';
import { createSink, type DiagnosticSink } from './diag/sink.js';
import type { Diagnostic } from './diag/diagnostic.js';
import { parseSource } from './syntax/parse.js';
import { loadProgram, type LoadedProgram, type ModuleHost } from './sema/modules.js';
import { elaborate } from './sema/elaborate.js';
import type { ProgramGraphs } from './graph/graph.js';
import './ops/index.js';

/**
 * Stages in order; `thc graph` prints the last one by default. `optimized` is LANGUAGE.md's name for
 * "after every rewrite": until the rewrite stages arrive (issue 3 inserts grad, canonical and
 * stabilized before it) there are no rewrites, so it is the built graph (hash-consing already
 * merged common subexpressions), which is exactly what runs.
 */
export const STAGES = ['ast', 'graph', 'optimized'] as const;
export type StageName = (typeof STAGES)[number];

/** The package root (the folder holding package.json), found from this module's location. */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export const STDLIB_DIR = join(PACKAGE_ROOT, 'stdlib');

export interface CompileInput {
  /** The program text. */
  readonly source: string;
  /** Absolute path of the file, or `<stdin>`; relative `use "x.th"` resolves against its folder (cwd for stdin). */
  readonly path: string;
  /** Name shown in diagnostics (defaults to `path`); the CLI passes the path as the user typed it. */
  readonly displayName?: string;
}

export interface CompileOptions {
  /** Stop after this stage (default: the last). */
  readonly stopAfter?: StageName;
  /** Build only this entry point's graph. */
  readonly entry?: string;
  /** Overrides for file access (tests use an in-memory file system). */
  readonly host?: Partial<Pick<ModuleHost, 'readFile' | 'stdlibDir'>>;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Every source file seen, by display name, for rendering code frames. */
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly program?: LoadedProgram;
  readonly graphs?: ProgramGraphs;
  /** True when no error was reported. */
  readonly ok: boolean;
}

const readFileOrUndefined = (p: string): string | undefined => {
  try { return readFileSync(p, 'utf8'); } catch { return undefined; }
};

export function compileSource(input: CompileInput, opts: CompileOptions = {}): CompileResult {
  const sink = createSink();
  const entry = sourceFile(input.displayName ?? input.path, input.source);
  const files = new Map<string, SourceFile>([[entry.name, entry]]);
  const host: ModuleHost = {
    readFile: opts.host?.readFile ?? readFileOrUndefined,
    stdlibDir: opts.host?.stdlibDir ?? STDLIB_DIR,
    parse: parseSource,
  };
  let program: LoadedProgram | undefined;
  let graphs: ProgramGraphs | undefined;
  const done = () => ({ diagnostics: sink.diagnostics, files, program, graphs, ok: !sink.hasErrors() });
  try {
    const entryPath = input.path === '<stdin>' ? join(process.cwd(), '<stdin>') : resolve(input.path);
    program = loadProgram(entry, entryPath, host, sink);
    for (const [k, f] of program.files) files.set(k, f);
    if (sink.hasErrors() || opts.stopAfter === 'ast') return done();
    graphs = elaborate(program, sink, opts.entry === undefined ? {} : { entry: opts.entry });
    return done();
  } catch (e) {
    reportInternal(sink, e);
    return done();
  }
}

/** Turns an unexpected exception into a TH9001 diagnostic (with the stack under THC_DEBUG=stack). */
export function reportInternal(sink: DiagnosticSink, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  const notes = process.env['THC_DEBUG']?.includes('stack') && err.stack ? [err.stack] : [];
  sink.error('TH9001', { detail: err.message }, null, { notes });
}
