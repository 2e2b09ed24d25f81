/**
 * @file `thc gradcheck FILE [--fn NAME] [NAME=VALUE ...] [--tolerance T] [--eps E] [--load-state F]`:
 * compiles keeping the `graph` stage, binds the arguments and the shared state as `thc run` does,
 * checks every `grad` of the entry point against finite differences (runtime/gradcheck.ts) and
 * prints one table row per `grad` target on stdout. Exit 1 with TH0683 per gradient over the
 * tolerance, TH0684 when the entry point takes no `grad`.
 */
import type { CliContext } from '../output.js';
import type { ArgBinding } from '../../runtime/bind.js';
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { GradCheckRow } from '../../runtime/gradcheck.js';
import { selectEntry } from '../args.js';
import { compileFile, createSession, finish, type Session } from '../session.js';
import { formatPos } from '../../source/span.js';
import { errText, indexText, valueText } from '../../runtime/debug-values.js';

export interface GradcheckCommandOptions {
  readonly fn?: string;
  readonly bindings: readonly ArgBinding[];
  readonly tolerance?: number;
  readonly eps?: number;
  readonly loadState?: string;
}

export async function gradcheckCommand(cx: CliContext, file: string, o: GradcheckCommandOptions): Promise<number> {
  const s = createSession(cx, file);
  // The `graph` stage, with its `grad` placeholders: runtime/gradcheck.ts runs each placeholder
  // and its cost through the later stages itself.
  const result = await compileFile(s, file, { stopAfter: 'graph' });
  if (!result) return finish(s);
  const program = result.graphs!;
  const g = selectEntry(program, o.fn, s.fileName, s.sink);
  if (!g) return finish(s);
  const rows = await check(s, program, g, o);
  if (rows) {
    cx.out(formatTable(rows));
    for (const r of rows.filter(r => r.worst > r.tolerance)) {
      s.sink.error('TH0683', {
        target: r.target, err: errText(r.worst), index: indexText(r.shape, r.at), tol: errText(r.tolerance),
        analytic: valueText(r.analytic), numeric: valueText(r.numeric), eps: errText(r.eps),
      }, r.placeholder.span);
    }
  }
  return finish(s);
}

/** Binds arguments and state and runs the check; undefined when something was reported. */
async function check(s: Session, program: ProgramGraphs, g: Graph, o: GradcheckCommandOptions): Promise<GradCheckRow[] | undefined> {
  const [{ bindArguments }, state, gc, { RuntimeError }, { ValueError }] = await Promise.all([
    import('../../runtime/bind.js'), import('../../runtime/state.js'), import('../../runtime/gradcheck.js'),
    import('../../runtime/runtime-error.js'), import('../../runtime/value-error.js'),
  ]);
  if (gc.gradPlaceholders(g).length === 0) {
    s.sink.error('TH0684', { fn: g.name }, g.span);
    return undefined;
  }
  const call = bindArguments(g, o.bindings, s.sink);
  if (!call) return undefined;
  try {
    const store = o.loadState !== undefined ? state.loadState(program.shared, o.loadState, s.sink) : state.initialState(program.shared, s.sink);
    if (!store) return undefined;
    return gc.gradCheck(program, g, { params: call.params, shared: store, dims: call.dims }, {
      ...(o.eps === undefined ? {} : { eps: o.eps }), ...(o.tolerance === undefined ? {} : { tolerance: o.tolerance }),
    });
  } catch (e) {
    if (e instanceof RuntimeError) s.sink.error(e.code, e.args, e.span);
    else if (e instanceof ValueError) s.sink.error(e.code, e.args, g.span);
    else throw e;
    return undefined;
  }
}

const HEADER = ['grad', 'target', 'shape', 'worst rel. error', 'at index', 'analytic', 'numeric', 'status'];

/** One row per `grad` target, columns padded to their widest cell. */
export function formatTable(rows: readonly GradCheckRow[]): string {
  const cells = rows.map(r => [
    formatPos(r.placeholder.span), r.target, `${r.dtype}[${r.shape.join(', ')}]`, errText(r.worst),
    indexText(r.shape, r.at), valueText(r.analytic), valueText(r.numeric), r.worst > r.tolerance ? `FAIL (> ${errText(r.tolerance)})` : 'ok',
  ]);
  const table = [HEADER, ...cells];
  const widths = HEADER.map((_, c) => Math.max(...table.map(row => row[c]!.length)));
  const lines = table.map(row => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
  const narrow = rows.filter(r => r.costDType !== 'f64');
  const foot = narrow.length > 0
    ? [`note: finite differences of ${narrow.map(r => `\`${r.target}\``).join(', ')} taken in ${narrow[0]!.costDType}: the cost could not be rebuilt in f64`]
    : [];
  return `${[...lines, ...foot].join('\n')}\n`;
}
