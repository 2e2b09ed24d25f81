/**
 * @file Module loading: parses the entry file and, depth first, every file it `use`s.
 * `use nn` -> <stdlibDir>/nn.th; `use "x.th"` -> relative to the importing file's folder.
 * Each file is read and parsed once (keyed by absolute path). Missing files and import cycles are
 * TH02xx diagnostics at the `use`; a cycle names the whole chain (`a.th -> b.th -> a.th`).
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { sourceFile, type SourceFile } from '../source/source-file.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { Program, UseDecl } from '../syntax/ast.js';
import { nearbyNames } from '../diag/suggest.js';
import { fillTemplate } from '../diag/codes.js';
import { semaLabels } from '../diag/codes/sema.js';

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
  /**
   * The `use` declarations that loaded each entry of `uses` (same order). Sema uses them for the
   * qualifier (`nn` for `use nn`, `layers` for `use "layers.th"`) and for spans.
   */
  readonly useDecls: readonly UseDecl[];
}

export interface LoadedProgram {
  readonly entry: LoadedModule;
  /** Every SourceFile loaded, by SourceFile.name (for rendering diagnostics in any of them). */
  readonly files: ReadonlyMap<string, SourceFile>;
  /** Every module loaded, entry first, then in the order loading finished them. */
  readonly modules?: readonly LoadedModule[];
}

interface MutableModule {
  path: string;
  file: SourceFile;
  program: Program;
  uses: LoadedModule[];
  useDecls: UseDecl[];
}

/** The qualifier a `use` introduces: the module name, or the file's base name without `.th`. */
export function useQualifier(use: UseDecl): string {
  return use.target.kind === 'Module' ? use.target.name.name : basename(use.target.path.value).replace(/\.th$/, '');
}

/** How a non-entry file is named in diagnostics: `<stdlib>/nn.th`, else relative to cwd when below it. */
function displayName(abs: string, stdlibDir: string): string {
  const inStd = relative(stdlibDir, abs);
  if (!inStd.startsWith('..') && !isAbsolute(inStd)) return `<stdlib>/${inStd.split('\\').join('/')}`;
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Names of the stdlib modules, for "a module with a similar name exists"; empty if unreadable. */
function stdlibModules(dir: string): string[] {
  try {
    return readdirSync(dir).filter(f => f.endsWith('.th')).map(f => f.slice(0, -3));
  } catch {
    return [];
  }
}

export function loadProgram(entry: SourceFile, entryPath: string, host: ModuleHost, sink: DiagnosticSink): LoadedProgram {
  const files = new Map<string, SourceFile>([[entry.name, entry]]);
  const loaded = new Map<string, MutableModule>();
  const order: LoadedModule[] = [];
  // The chain of files being loaded right now (absolute paths), for cycle detection.
  const stack: string[] = [];
  const names = new Map<string, string>([[entryPath, entry.name]]);

  const load = (abs: string, file: SourceFile): MutableModule => {
    const program = host.parse(file, sink);
    const mod: MutableModule = { path: basename(abs) === '<stdin>' ? '<stdin>' : abs, file, program, uses: [], useDecls: [] };
    loaded.set(abs, mod);
    stack.push(abs);
    for (const decl of program.decls) {
      if (decl.kind !== 'Use') continue;
      const dep = loadUse(decl, abs);
      if (dep) { mod.uses.push(dep); mod.useDecls.push(decl); }
    }
    stack.pop();
    order.push(mod);
    return mod;
  };

  const loadUse = (use: UseDecl, importer: string): MutableModule | undefined => {
    const isStd = use.target.kind === 'Module';
    const abs = use.target.kind === 'Module'
      ? join(host.stdlibDir, `${use.target.name.name}.th`)
      : resolve(dirname(importer), use.target.path.value);
    if (stack.includes(abs)) {
      const chain = [...stack.slice(stack.indexOf(abs)), abs].map(p => names.get(p) ?? p).join(' -> ');
      sink.error('TH0204', { chain }, use.span);
      return undefined;
    }
    const done = loaded.get(abs);
    if (done) return done;
    const text = safeRead(host, abs);
    if (text === undefined) {
      reportMissing(use, abs, isStd, host, sink);
      return undefined;
    }
    const name = displayName(abs, host.stdlibDir);
    names.set(abs, name);
    const file = sourceFile(name, text);
    files.set(name, file);
    return load(abs, file);
  };

  const root = load(entryPath, entry);
  // Entry first, then dependencies in the order they finished loading.
  const modules = [root, ...order.filter(m => m !== root)];
  return { entry: root, files, modules };
}

function safeRead(host: ModuleHost, abs: string): string | undefined {
  try {
    return host.readFile(abs);
  } catch {
    return undefined;
  }
}

function reportMissing(use: UseDecl, abs: string, isStd: boolean, host: ModuleHost, sink: DiagnosticSink): void {
  if (use.target.kind === 'Module' && isStd) {
    const name = use.target.name.name;
    const near = nearbyNames(name, stdlibModules(host.stdlibDir));
    const help = near[0] ? [{ message: fillTemplate(semaLabels.similarModule, { name: near[0] }) }] : [];
    sink.error('TH0202', { name, path: abs }, use.target.name.span, { help });
    return;
  }
  const path = use.target.kind === 'Path' ? use.target.path.value : abs;
  sink.error('TH0203', { path, abs }, use.target.kind === 'Path' ? use.target.path.span : use.span);
}
