/**
 * @file `thc graph FILE [--fn NAME] [--stage STAGE] [--format text|dot|json]`: prints the AST
 * (`--stage ast`) or an entry point's graph after a pipeline stage (default: the last one).
 */
import type { CliContext } from '../output.js';
import type { StageName } from '../../pipeline.js';
import type { GraphFormat } from '../../graph/print.js';
import { selectEntry } from '../args.js';
import { compileFile, createSession, finish } from '../session.js';

export interface GraphCommandOptions {
  readonly fn?: string;
  readonly stage: StageName;
  readonly format: GraphFormat;
}

export async function graphCommand(cx: CliContext, file: string, o: GraphCommandOptions): Promise<number> {
  const s = createSession(cx, file);
  const result = await compileFile(s, file, { stopAfter: o.stage });
  if (!result) return finish(s);
  if (o.stage === 'ast') {
    const { printAst } = await import('../../syntax/print-ast.js');
    const ast = result.program!.entry.program;
    cx.out(ensureNewline(o.format === 'json' ? JSON.stringify(ast, null, 2) : printAst(ast)));
    return finish(s);
  }
  const g = selectEntry(result.graphs!, o.fn, s.fileName, s.sink);
  if (g) {
    const { printGraph } = await import('../../graph/print.js');
    cx.out(ensureNewline(printGraph(g, o.format)));
  }
  return finish(s);
}

const ensureNewline = (t: string): string => (t.endsWith('\n') ? t : `${t}\n`);
