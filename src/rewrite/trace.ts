/**
 * @file What `thc graph --trace` lists: one entry per rule firing, in order, with the node it
 * rewrote (whose span is the `.th` line:col shown) and the node it produced.
 */
import type { Node } from '../graph/node.js';
import type { DiagnosticSink } from '../diag/sink.js';

export interface TraceEntry {
  /** The pipeline stage the rule ran in (`grad`, `canonical`, `stabilized`, `optimized`). */
  readonly stage: string;
  /** The rule's name (what `--no-rewrite NAME` takes). */
  readonly rule: string;
  readonly before: Node;
  readonly after: Node;
}

/** Given to every graph stage after `graph`. */
export interface StageContext {
  /** For internal errors (TH9xxx); user errors were all reported before these stages. */
  readonly sink: DiagnosticSink;
  /** Rule names disabled with `--no-rewrite`. */
  readonly disabled: ReadonlySet<string>;
  /** Appended to when tracing (`thc graph --trace`), else null. */
  readonly trace: TraceEntry[] | null;
}
