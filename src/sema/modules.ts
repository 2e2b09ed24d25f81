/**
 * @file STUB (owned by the sema work): loads the entry file's `use` graph.
 * `use nn` -> <stdlibDir>/nn.th; `use "x.th"` -> relative to the importing file. Cycles and missing
 * files are TH02xx diagnostics naming the chain. Each file is parsed once.
 */
import type { SourceFile } from '../source/source-file.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { Program } from '../syntax/ast.js';

export interface ModuleHost {
  /** Reads a file by absolute path; undefined when it does not exist or cannot be read. */
  readFile(absPath: string): string | undefined;
  /** Absolute path of the stdlib folder (stdlib/ in the package). */
  readonly stdlibDir: string;
  /** Parses a file (the pipeline passes syntax/parse.ts's parseSource). */
  parse(file: SourceFile, sink: DiagnosticSink): Program;
}

export interface LoadedModule {
  /** Absolute path, or `<stdin>` for standard input. */
  readonly path: string;
  readonly file: SourceFile;
  readonly program: Program;
  /** Modules this one imports, in `use` order. */
  readonly uses: readonly LoadedModule[];
}

export interface LoadedProgram {
  readonly entry: LoadedModule;
  /** Every SourceFile loaded, by SourceFile.name (for rendering diagnostics in any of them). */
  readonly files: ReadonlyMap<string, SourceFile>;
}

export function loadProgram(entry: SourceFile, entryPath: string, host: ModuleHost, sink: DiagnosticSink): LoadedProgram {
  void host; void sink; void entryPath;
  throw new Error(`module loader not implemented yet (${entry.name})`);
}
