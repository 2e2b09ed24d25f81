/**
 * @file `thc graph FILE [--fn NAME] [--stage STAGE] [--format text|dot|json] [--trace]
 * [--no-rewrite RULE ...]`: prints the AST (`--stage ast`) or an entry point's graph after a
 * pipeline stage (default: `optimized`), or with `--stage kernels` its kernel schedule (text or
 * json, src/schedule/print.ts). `--trace` lists the rewrite rules that fired on stderr
 * (so the graph on stdout stays pipeable); `--no-rewrite` disables rules, an unknown name being a
 * usage error with a suggestion.
 */
import { type CliContext, EXIT, printUsageError } from '../output.js';
import type { Program } from '../../syntax/ast.js';
import type { AstNode } from '../../syntax/print-ast.js';
import { nearbyNames } from '../../diag/suggest.js';
import type { StageName } from '../../pipeline.js';
import type { GraphFormat } from '../../graph/print.js';
import { reportUnknownEntry, selectEntry } from '../args.js';
import { compileFile, createSession, finish, type Session } from '../session.js';

export interface GraphCommandOptions {
  readonly fn?: string;
  readonly stage: StageName;
  readonly format: GraphFormat;
  /** List every rule firing on stderr. */
  readonly trace?: boolean;
  /** Rule names to disable. */
  readonly noRewrite?: readonly string[];
}

export async function graphCommand(cx: CliContext, file: string, o: GraphCommandOptions): Promise<number> {
  const disabled = await checkRuleNames(cx, o.noRewrite ?? []);
  if (!disabled) return EXIT.usage;
  if (o.stage === 'kernels' && o.format === 'dot') {
    printUsageError('the `kernels` stage prints as text or json, not dot', cx, 'graph');
    return EXIT.usage;
  }
  const s = createSession(cx, file);
  const result = await compileFile(s, file, {
    stopAfter: o.stage,
    ...(disabled.size > 0 ? { disabledRules: disabled } : {}),
    // Tracing one entry point: build only it, so the trace lists only its rewrites.
    ...(o.trace ? { trace: true, ...(o.fn === undefined ? {} : { entry: o.fn }) } : {}),
  });
  if (!result) return finish(s);
  if (o.stage === 'ast') return printAstStage(s, result.program!.entry.program, o);
  const g = selectEntry(result.graphs!, o.fn, s.fileName, s.sink);
  if (g && o.stage === 'kernels') {
    const sched = result.schedules?.get(g.name);
    if (sched) {
      const { printScheduleText, scheduleToJson } = await import('../../schedule/print.js');
      cx.out(ensureNewline(o.format === 'json' ? JSON.stringify(scheduleToJson(sched, g), null, 2) : printScheduleText(sched, g)));
    }
  } else if (g) {
    const { printGraph } = await import('../../graph/print.js');
    cx.out(ensureNewline(printGraph(g, o.format)));
    if (o.trace) {
      const { formatTrace } = await import('../trace-print.js');
      cx.err(formatTrace(result.trace ?? [], cx.diagnostics));
    }
  }
  return finish(s);
}

/** The `--no-rewrite` names as a set, or undefined after a usage error for an unknown one. */
async function checkRuleNames(cx: CliContext, names: readonly string[]): Promise<ReadonlySet<string> | undefined> {
  if (names.length === 0) return new Set();
  const known = (await import('../../rewrite/stages.js')).ruleNames();
  for (const name of names) {
    if (known.includes(name)) continue;
    const near = nearbyNames(name, known);
    const hint = near.length > 0 ? `; did you mean '${near[0]}'?` : known.length === 0 ? ' (there are no rewrite rules)' : '';
    printUsageError(`--no-rewrite: unknown rewrite rule '${name}'${hint}`, cx, 'graph');
    return undefined;
  }
  return new Set(names);
}

/** The AST as s-expressions (or JSON); `--fn` narrows it to that function's declaration. */
async function printAstStage(s: Session, ast: Program, o: GraphCommandOptions): Promise<number> {
  if (o.format === 'dot') {
    printUsageError("the `ast` stage prints as text or json, not dot", s.cx, 'graph');
    return EXIT.usage;
  }
  let node: AstNode = ast;
  if (o.fn !== undefined) {
    const fns = ast.decls.flatMap(d => (d.kind === 'Fn' ? [d] : []));
    const fn = fns.find(d => d.name.name === o.fn);
    if (!fn) {
      reportUnknownEntry(s.sink, s.fileName, o.fn, fns.map(d => d.name.name));
      return finish(s);
    }
    node = fn;
  }
  const { printAst } = await import('../../syntax/print-ast.js');
  s.cx.out(ensureNewline(o.format === 'json' ? JSON.stringify(node, null, 2) : printAst(node)));
  return finish(s);
}

const ensureNewline = (t: string): string => (t.endsWith('\n') ? t : `${t}\n`);
