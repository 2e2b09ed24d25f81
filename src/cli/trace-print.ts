/**
 * @file `thc graph --trace`: the rewrite trace (rewrite/trace.ts TraceEntry list) as text for
 * stderr, one line per rule firing in order: number, stage, rule, the `.th` line:col of the node
 * it rewrote, and the rewrite itself as short expressions. With `--diagnostics json` each firing is
 * one JSON object per line instead (`{"trace": {...}}`, told apart from diagnostics by its key).
 */
import type { TraceEntry } from '../rewrite/trace.js';
import { isLeaf, type Node } from '../graph/node.js';
import type { DiagnosticsFormat } from './output.js';
import { leafText } from '../graph/print.js';
import { formatPos } from '../source/span.js';

/** Expressions deeper than this print their inner part as `...`: a trace line stays readable. */
const EXPR_DEPTH = 3;

/** A node as a short inline expression: `log(add(1.0, exp(...)))`. */
export function shortExpr(n: Node, depth = EXPR_DEPTH): string {
  if (isLeaf(n)) return leafText(n);
  if (depth === 0) return '...';
  return `${n.op}(${n.inputs.map(i => shortExpr(i, depth - 1)).join(', ')})`;
}

export function formatTrace(entries: readonly TraceEntry[], format: DiagnosticsFormat): string {
  if (format === 'json') {
    return entries.map((e, i) => `${JSON.stringify({
      trace: {
        index: i + 1, stage: e.stage, rule: e.rule,
        file: e.before.span.file, line: e.before.span.line, col: e.before.span.col,
        before: shortExpr(e.before), after: shortExpr(e.after),
      },
    })}\n`).join('');
  }
  if (entries.length === 0) return 'trace: no rewrite rule fired\n';
  const stageW = Math.max(...entries.map(e => e.stage.length));
  const ruleW = Math.max(...entries.map(e => e.rule.length));
  const numW = String(entries.length).length;
  const lines = entries.map((e, i) =>
    `${String(i + 1).padStart(numW)}  ${e.stage.padEnd(stageW)}  ${e.rule.padEnd(ruleW)}  ${formatPos(e.before.span)}  ${shortExpr(e.before)} -> ${shortExpr(e.after)}`);
  return `trace: ${entries.length} rewrite${entries.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
}
