/**
 * @file Elaboration: resolves names, checks types and shapes, inlines generic functions, and builds
 * one Graph per entry point of the entry file (a function whose parameters are all typed), plus
 * every loaded module's shared variables. Type checking and graph building are one walk: the
 * Builder runs each op's type rule as the node is made (see docs/architecture.md). The Builder
 * reports through a CallSink, which adds "in this call to `f`" labels for inlined code.
 */
import type { DiagnosticSink } from '../diag/sink.js';
import type { Graph, ProgramGraphs, SharedVar } from '../graph/graph.js';
import { createBuilder } from '../graph/builder.js';
import { anonymousDims } from './dims.js';
import type { LoadedProgram } from './modules.js';
import { buildScopes, type FnSym, type ModuleScope } from './scope.js';
import { createCallSink } from './elab-sink.js';
import type { ElabCtx } from './elab-values.js';
import { checkUncalled, elabEntry, isEntryPoint } from './elab-entry.js';
import { elabShared } from './shared-init.js';
import { suggestionHelp } from './elab-expr.js';

export interface ElaborateOptions {
  /** Build only this entry point (others are still name-resolved and type-checked). */
  readonly entry?: string;
}

export function elaborate(program: LoadedProgram, sink: DiagnosticSink, opts: ElaborateOptions = {}): ProgramGraphs {
  const csink = createCallSink(sink);
  const b = createBuilder(csink);
  const ctx: ElabCtx = {
    b,
    sink: csink,
    stack: [],
    graph: { fnName: '', updates: new Map() },
    anon: anonymousDims(),
    called: new Set(),
    consts: [],
  };
  const scopes = buildScopes(program, csink);
  const main = scopes[0]!;
  const shared: SharedVar[] = [];
  for (const scope of scopes) {
    for (const sym of scope.decls.values()) {
      if (sym.kind !== 'shared') continue;
      const v = elabShared(ctx, sym);
      if (v) shared.push(v);
    }
  }
  const fns = [...main.decls.values()].filter((s): s is FnSym => s.kind === 'fn');
  const entries: Graph[] = [];
  for (const sym of fns.filter(isEntryPoint)) {
    const g = elabEntry(ctx, sym);
    if (opts.entry === undefined || opts.entry === sym.name) entries.push(g);
  }
  for (const sym of fns) if (!isEntryPoint(sym) && !ctx.called.has(sym)) checkUncalled(ctx, sym);
  if (opts.entry !== undefined) checkEntryName(csink, main, fns, opts.entry);
  return { file: program.entry.file.name, table: b.table, entries, shared };
}

function checkEntryName(sink: DiagnosticSink, main: ModuleScope, fns: readonly FnSym[], name: string): void {
  const sym = fns.find(f => f.name === name);
  if (!sym) {
    const kinds = new Map(fns.filter(isEntryPoint).map(f => [f.name, 'a function'] as const));
    sink.error('TH0209', { name, file: main.module.file.name }, null, { help: suggestionHelp(name, kinds) });
    return;
  }
  const untyped = sym.decl.params.find(p => p.type === null);
  if (untyped) sink.error('TH0210', { name, param: untyped.name.name }, untyped.span);
}
