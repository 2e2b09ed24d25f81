/**
 * @file The compiler pipeline: THE ordered list of named stages, and the compile entry points.
 * Consumes .th source text; produces diagnostics plus, per stage, the AST and the entry points'
 * graphs, and with `stopAfter: 'kernels'` each entry point's kernel schedule. `thc graph --stage
 * NAME` reads stage names from STAGES. Any exception escaping a stage is a bug in thc and becomes a
 * TH9001 internal-error diagnostic, never a stack trace.
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
import type { StageContext, TraceEntry } from './rewrite/trace.js';
import { gradStage } from './autodiff/stage.js';
import { canonicalStage, stabilizedStage, optimizedStage } from './rewrite/stages.js';
import { scheduleProgram, type Schedule, type ScheduleOptions } from './schedule/index.js';
import './ops/index.js';
import { debugEnabled } from './cli/debug.js';

/**
 * Stages in order; `thc graph` prints DEFAULT_STAGE unless told otherwise, and `thc run` executes it.
 * - ast: the parsed program; graph: the built, type-checked graphs with `grad` placeholders;
 * - grad: placeholders replaced by gradient subgraphs (the first stage the interpreter can run);
 * - canonical, stabilized, optimized: the rewrite stages (rewrite/stages.ts);
 * - kernels: each entry point's optimized graph lowered to kernels and a buffer plan (src/schedule/).
 *   It runs only when asked for (`stopAfter: 'kernels'`): the graphs stay the optimized ones.
 */
export const STAGES = ['ast', 'graph', 'grad', 'canonical', 'stabilized', 'optimized', 'kernels'] as const;
export type StageName = (typeof STAGES)[number];

/** What a compile runs to, and `thc graph` prints, by default: the last graph stage. */
export const DEFAULT_STAGE: StageName = 'optimized';

/** The graph-to-graph stages after `graph`, in order (gradcheck runs its own graphs through them); `kernels` is not one. */
export const GRAPH_STAGES: readonly (readonly [StageName, (p: ProgramGraphs, cx: StageContext) => ProgramGraphs])[] = [
  ['grad', gradStage],
  ['canonical', canonicalStage],
  ['stabilized', stabilizedStage],
  ['optimized', optimizedStage],
];

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
  /** Stop after this stage (default: DEFAULT_STAGE; `kernels` also schedules the optimized graphs). */
  readonly stopAfter?: StageName;
  /** Limits for the `kernels` step (schedule/types.ts). */
  readonly schedule?: ScheduleOptions;
  /** Build only this entry point's graph. */
  readonly entry?: string;
  /** Overrides for file access (tests use an in-memory file system). */
  readonly host?: Partial<Pick<ModuleHost, 'readFile' | 'stdlibDir'>>;
  /** Rewrite rules to skip (`--no-rewrite NAME`). */
  readonly disabledRules?: ReadonlySet<string>;
  /** Record every rule firing in `CompileResult.trace` (`thc graph --trace`). */
  readonly trace?: boolean;
  /** Keep every stage's graphs in `CompileResult.stageGraphs` (`thc run --check`). */
  readonly keepStages?: boolean;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Every source file seen, by display name, for rendering code frames. */
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly program?: LoadedProgram;
  /** The graphs after the last graph stage run (`stopAfter`, default `optimized`; `kernels` leaves the optimized ones). */
  readonly graphs?: ProgramGraphs;
  /** With `stopAfter: 'kernels'`: each entry point's schedule, by name. */
  readonly schedules?: ReadonlyMap<string, Schedule>;
  /** With `keepStages`: the graphs after each stage from `graph` on. */
  readonly stageGraphs?: ReadonlyMap<StageName, ProgramGraphs>;
  /** With `trace`: every rule firing, in order. */
  readonly trace?: readonly TraceEntry[];
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
  let schedules: ReadonlyMap<string, Schedule> | undefined;
  const stageGraphs = opts.keepStages ? new Map<StageName, ProgramGraphs>() : undefined;
  const trace: TraceEntry[] | null = opts.trace ? [] : null;
  const done = (): CompileResult => ({
    diagnostics: sink.diagnostics, files, program, graphs, ok: !sink.hasErrors(),
    ...(stageGraphs ? { stageGraphs } : {}), ...(trace ? { trace } : {}), ...(schedules ? { schedules } : {}),
  });
  try {
    const entryPath = input.path === '<stdin>' ? join(process.cwd(), '<stdin>') : resolve(input.path);
    program = loadProgram(entry, entryPath, host, sink);
    for (const [k, f] of program.files) files.set(k, f);
    if (sink.hasErrors() || opts.stopAfter === 'ast') return done();
    graphs = elaborate(program, sink, opts.entry === undefined ? {} : { entry: opts.entry });
    stageGraphs?.set('graph', graphs);
    if (sink.hasErrors() || opts.stopAfter === 'graph') return done();
    const cx: StageContext = { sink, disabled: opts.disabledRules ?? new Set(), trace };
    for (const [name, run] of GRAPH_STAGES) {
      graphs = run(graphs, cx);
      stageGraphs?.set(name, graphs);
      if (sink.hasErrors() || opts.stopAfter === name) break;
    }
    if (opts.stopAfter === 'kernels' && !sink.hasErrors()) schedules = scheduleProgram(graphs, opts.schedule ?? {}, sink);
    return done();
  } catch (e) {
    reportInternal(sink, e);
    return done();
  }
}

/** Turns an unexpected exception into a TH9001 diagnostic (with the stack under THC_DEBUG=stack). */
export function reportInternal(sink: DiagnosticSink, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  const notes = debugEnabled('stack') && err.stack ? [err.stack] : [];
  sink.error('TH9001', { detail: err.message }, null, { notes });
}
