/**
 * @file Top-level name binding: one ModuleScope per loaded file, holding its declarations and its
 * imports. Lookup order for a bare name at top level: this file's declarations > names imported
 * unqualified (two imports defining it: ambiguous) > module qualifiers (`nn`; first before a `.`)
 * > builtins (the op table's `builtin: true` entries, plus `grad` and `load`) > dtype names. Locals and symbolic dims,
 * which come first, live in the elaborator's frames.
 */
import type { Span } from '../source/span.js';
import type { ConstDecl, FnDecl, SharedDecl, TypeDecl } from '../syntax/ast.js';
import type { DiagnosticSink } from '../diag/sink.js';
import { semaLabels } from '../diag/codes/sema.js';
import { builtinNames, getOp } from '../ops/registry.js';
import { DTYPES, isDType, type DType, type TensorType } from './types.js';
import { useQualifier, type LoadedModule, type LoadedProgram } from './modules.js';
import type { Value } from './elab-values.js';

export interface FnSym { readonly kind: 'fn'; readonly name: string; readonly decl: FnDecl; readonly scope: ModuleScope }
export interface ConstSym {
  readonly kind: 'const';
  readonly name: string;
  readonly decl: ConstDecl;
  readonly scope: ModuleScope;
  /** Elaboration state: constants are elaborated once, on first use. */
  state: 'idle' | 'busy' | 'done';
  value?: Value;
}
export interface SharedSym {
  readonly kind: 'shared';
  readonly name: string;
  readonly decl: SharedDecl;
  readonly scope: ModuleScope;
  /** The program-wide name: plain in the entry file, `qualifier.name` in imported modules. */
  readonly qualified: string;
  /** Declared type, resolved once (null: the declaration was reported as invalid). */
  type?: TensorType | null;
}
export interface TypeSym { readonly kind: 'type'; readonly name: string; readonly decl: TypeDecl; readonly scope: ModuleScope }
export type TopSym = FnSym | ConstSym | SharedSym | TypeSym;

export interface ImportEntry { readonly qualifier: string; readonly scope: ModuleScope; readonly span: Span }

export interface ModuleScope {
  /** `main` for the entry file, else the qualifier it was first imported under. */
  readonly name: string;
  readonly module: LoadedModule;
  readonly isEntry: boolean;
  /** Own declarations in source order (Map keeps insertion order). */
  readonly decls: Map<string, TopSym>;
  readonly imports: ImportEntry[];
}

export type Resolved =
  | { readonly kind: 'top'; readonly sym: TopSym }
  | { readonly kind: 'module'; readonly scope: ModuleScope }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'dtype'; readonly dtype: DType }
  | { readonly kind: 'ambiguous'; readonly a: ImportEntry; readonly b: ImportEntry }
  /** The built-in `none`: "no value", accepted where an argument may be null (`axis=none`: every axis). */
  | { readonly kind: 'noneValue' }
  | { readonly kind: 'none' };

/** The name of the built-in "no value" (shadowable like every builtin). */
export const NONE_NAME = 'none';

/** Builtins that are not in the op table but are recognised by name. */
export const SPECIAL_BUILTINS = ['grad', 'load'] as const;

export function isBuiltinName(name: string): boolean {
  // Same answer as builtinNames().includes(name), without copying the op table on every lookup.
  return (SPECIAL_BUILTINS as readonly string[]).includes(name) || getOp(name)?.builtin === true;
}

/** Builds every module's scope; reports duplicate top-level names. Returns scopes by module, entry first. */
export function buildScopes(program: LoadedProgram, sink: DiagnosticSink): ModuleScope[] {
  const byModule = new Map<LoadedModule, ModuleScope>();
  const make = (mod: LoadedModule, name: string): ModuleScope => {
    const found = byModule.get(mod);
    if (found) return found;
    const scope: ModuleScope = { name, module: mod, isEntry: mod === program.entry, decls: new Map(), imports: [] };
    byModule.set(mod, scope);
    collectDecls(scope, sink);
    mod.uses.forEach((dep, i) => {
      const use = mod.useDecls?.[i];
      const qualifier = use ? useQualifier(use) : dep.path;
      scope.imports.push({ qualifier, scope: make(dep, qualifier), span: use?.span ?? mod.program.span });
    });
    return scope;
  };
  make(program.entry, 'main');
  return [...byModule.values()];
}

function collectDecls(scope: ModuleScope, sink: DiagnosticSink): void {
  for (const d of scope.module.program.decls) {
    if (d.kind === 'Use') continue;
    const name = d.name.name;
    const prev = scope.decls.get(name);
    if (prev) {
      sink.error('TH0206', { name }, d.name.span, { secondary: [{ span: prev.decl.name.span, message: semaLabels.firstDefined }] });
      continue;
    }
    const sym: TopSym =
      d.kind === 'Fn' ? { kind: 'fn', name, decl: d, scope }
      : d.kind === 'Const' ? { kind: 'const', name, decl: d, scope, state: 'idle' }
      : d.kind === 'Shared' ? { kind: 'shared', name, decl: d, scope, qualified: scope.isEntry ? name : `${scope.name}.${name}` }
      : { kind: 'type', name, decl: d, scope };
    scope.decls.set(name, sym);
  }
}

/**
 * Resolves a bare name at the top level of `scope` (see the file header for the order). Before a
 * `.` (`asQualifier`), module qualifiers win over imported names; elsewhere imported names win,
 * so `use "left.th"` still lets `left(x)` call the module's own `left`.
 */
export function lookupTop(scope: ModuleScope, name: string, asQualifier = false): Resolved {
  // Scopes are complete before elaboration looks names up, and every body in a module resolves the
  // same few names over and over: remember the answers (reset if the scope has grown since).
  let memo = lookupMemos.get(scope);
  if (!memo || memo.decls !== scope.decls.size || memo.imports !== scope.imports.length) {
    lookupMemos.set(scope, memo = { decls: scope.decls.size, imports: scope.imports.length, plain: new Map(), qualifier: new Map() });
  }
  const answers = asQualifier ? memo.qualifier : memo.plain;
  let r = answers.get(name);
  if (!r) answers.set(name, r = resolveTop(scope, name, asQualifier));
  return r;
}

interface LookupMemo {
  readonly decls: number;
  readonly imports: number;
  readonly plain: Map<string, Resolved>;
  readonly qualifier: Map<string, Resolved>;
}

const lookupMemos = new WeakMap<ModuleScope, LookupMemo>();

function resolveTop(scope: ModuleScope, name: string, asQualifier: boolean): Resolved {
  const own = scope.decls.get(name);
  if (own) return { kind: 'top', sym: own };
  const qual = scope.imports.find(i => i.qualifier === name);
  if (qual && asQualifier) return { kind: 'module', scope: qual.scope };
  const imported = lookupImported(scope, name);
  if (imported) return imported;
  if (qual) return { kind: 'module', scope: qual.scope };
  if (isBuiltinName(name)) return { kind: 'builtin', name };
  if (isDType(name)) return { kind: 'dtype', dtype: name };
  if (name === NONE_NAME) return { kind: 'noneValue' };
  return { kind: 'none' };
}

function lookupImported(scope: ModuleScope, name: string): Resolved | undefined {
  let hit: { imp: ImportEntry; sym: TopSym } | undefined;
  for (const imp of scope.imports) {
    const sym = imp.scope.decls.get(name);
    if (!sym) continue;
    if (hit && hit.sym !== sym) return { kind: 'ambiguous', a: hit.imp, b: imp };
    hit ??= { imp, sym };
  }
  return hit ? { kind: 'top', sym: hit.sym } : undefined;
}

/** What kind of thing a top-level name is, for "a function with a similar name exists". */
export type NameKind = 'a function' | 'a constant' | 'a shared variable' | 'a type' | 'a module' | 'a local value' | 'a dimension' | 'a dtype';

/** Every name visible at the top level of `scope`, with its kind (for suggestions). */
export function visibleTopNames(scope: ModuleScope): Map<string, NameKind> {
  const out = new Map<string, NameKind>();
  const kindOf = (s: TopSym): NameKind =>
    s.kind === 'fn' ? 'a function' : s.kind === 'const' ? 'a constant' : s.kind === 'shared' ? 'a shared variable' : 'a type';
  for (const b of [...builtinNames(), ...SPECIAL_BUILTINS]) out.set(b, 'a function');
  for (const d of DTYPES) out.set(d, 'a dtype');
  for (const imp of scope.imports) for (const [n, s] of imp.scope.decls) out.set(n, kindOf(s));
  for (const imp of scope.imports) out.set(imp.qualifier, 'a module');
  for (const [n, s] of scope.decls) out.set(n, kindOf(s));
  return out;
}
