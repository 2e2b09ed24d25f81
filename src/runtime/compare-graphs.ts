/**
 * @file `thc run --check`: compares one call of the optimized graph with the same call of the
 * unoptimized graph (compare.ts per value) and reports the first output, then update, that differs:
 * TH0681 (values, naming the worst element), TH0685 (the same where only the optimized value is
 * finite: a stabilizing rewrite) or TH0682 (shape or dtype), at the output's span.
 */
import type { Graph } from '../graph/graph.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { CallResult } from './interp.js';
import { compareValues } from './compare.js';
import { errText, indexText, numText } from './debug-values.js';

/** Reports the first difference between `got` (optimized) and `want` (unoptimized); true when one was found. */
export function reportDifference(g: Graph, got: CallResult, want: CallResult, step: number, sink: DiagnosticSink): boolean {
  const items = [
    ...g.outputs.map(x => ({ what: 'output', name: x.name, span: x.span, got: got.outputs.get(x.name), want: want.outputs.get(x.name) })),
    ...g.updates.map(x => ({ what: 'update of', name: x.name, span: x.span, got: got.updates.get(x.name), want: want.updates.get(x.name) })),
  ];
  for (const it of items) {
    if (!it.got || !it.want) throw new Error(`--check: ${it.what} ${it.name} is missing from a graph`);
    const d = compareValues(it.want, it.got);
    if (!d) continue;
    if (d.kind === 'type') {
      sink.error('TH0682', { what: it.what, name: it.name, step, got: d.got, want: d.want }, it.span);
    } else {
      const stabilized = Number.isFinite(d.got) && !Number.isFinite(d.want);
      sink.error(stabilized ? 'TH0685' : 'TH0681', {
        what: it.what, name: it.name, step, index: indexText(it.want.shape, d.at), got: numText(d.got), want: numText(d.want),
        err: errText(d.err), dtype: it.want.dtype, rtol: d.tol.rtol, atol: d.tol.atol, count: d.count, size: it.want.data.length,
      }, it.span);
    }
    return true;
  }
  return false;
}
