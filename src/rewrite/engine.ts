/**
 * @file The one rewrite engine: runs a rule list over a program bottom-up to a fixpoint.
 * Consumes ProgramGraphs (or root nodes) and a rule list; produces new graphs in the same NodeTable.
 * Each node is rewritten once its inputs are in normal form; a rule's result is itself normalised
 * (its new nodes bottom-up, then its root again) before the node is memoised, so the work is one
 * pass over the graph plus the nodes rules create. Rules are indexed by root op. A rule whose
 * result has a different type (dtype, weak flag, shape) than the node it replaces is declined.
 * Runaway rewriting (a rule cycle) is cut off by a nesting bound and a fuel bound, reported as
 * TH9002, and never hangs.
 */
import { sameTypeKey, type Node, type NodeTable } from '../graph/node.js';
import type { ProgramGraphs } from '../graph/graph.js';
import { createBuilder, type Builder } from '../graph/builder.js';
import { postOrder, withInputs, withRoots } from '../graph/walk.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { DiagnosticSink } from '../diag/sink.js';
import { matchRooted, patternOps, type Match, type Pat } from './pattern.js';
import type { StageContext } from './trace.js';
import { getOp } from '../ops/registry.js';

/** A named rewrite: when `pattern` matches, `build` returns the replacement, or undefined to decline. */
export interface Rule {
  readonly name: string;
  readonly pattern: Pat;
  build(m: Match, b: Builder, node: Node): Node | undefined;
}

export function rule(name: string, pattern: Pat, build: Rule['build']): Rule {
  return { name, pattern, build };
}

/** Rules by root op; rules whose pattern has no op are tried on every node, after the others. */
export interface RuleIndex {
  readonly byOp: ReadonlyMap<string, readonly Rule[]>;
  readonly anyOp: readonly Rule[];
}

/** Indexes `rules` by root op, leaving out the `disabled` names (`--no-rewrite`). */
export function indexRules(rules: readonly Rule[], disabled: ReadonlySet<string> = new Set()): RuleIndex {
  const byOp = new Map<string, Rule[]>();
  const anyOp: Rule[] = [];
  for (const r of rules) {
    if (disabled.has(r.name)) continue;
    const root = r.pattern.op;
    if (root === undefined) { anyOp.push(r); continue; }
    for (const op of typeof root === 'string' ? [root] : root) {
      let list = byOp.get(op);
      if (!list) byOp.set(op, list = []);
      list.push(r);
    }
  }
  // Rules for any op run after the op's own rules: append them to every list, so one lookup suffices.
  if (anyOp.length > 0) for (const [op, list] of byOp) byOp.set(op, [...list, ...anyOp]);
  return { byOp, anyOp };
}

/** Graph leaves (graph/node.ts), which are not in the op registry. */
const LEAF_OPS: ReadonlySet<string> = new Set(['const', 'param', 'shared', 'dim']);

/** Problems with a rule list: duplicate names, ops the registry does not know. Empty when fine. */
export function validateRules(rules: readonly Rule[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.name)) problems.push(`rule ${r.name} is defined twice`);
    seen.add(r.name);
    for (const op of patternOps(r.pattern)) if (!getOp(op) && !LEAF_OPS.has(op)) problems.push(`rule ${r.name} mentions unknown op ${op}`);
  }
  return problems;
}


/** Rewrites deeper than this (a rule's result rewritten by a rule whose result ...) mean a cycle. */
export const MAX_NESTING = 200;

export interface RewriteOptions {
  /** The stage name, for the trace and the TH9002 report. */
  readonly stage: string;
  readonly cx: StageContext;
  /** Firings allowed per node of the input (the fuel bound); default 64. */
  readonly fuelPerNode?: number;
}

/** Rewrites every graph of a program with `rules` (see the file header). */
export function rewriteProgram(p: ProgramGraphs, rules: readonly Rule[], opts: RewriteOptions): ProgramGraphs {
  const rw = createRewriter(p.table, rules, opts);
  return withRoots(p, n => rw.normalize(n, 0));
}

/** Rewrites the graphs below `roots` (for callers outside a stage, e.g. the autodiff driver). */
export function rewriteRoots(roots: readonly Node[], table: NodeTable, rules: readonly Rule[], opts: RewriteOptions): Node[] {
  const rw = createRewriter(table, rules, opts);
  return roots.map(r => rw.normalize(r, 0));
}

interface Rewriter {
  /** The normal form of `n` (its whole subgraph rewritten); `depth` counts nested rule results. */
  normalize(n: Node, depth: number): Node;
}

function createRewriter(table: NodeTable, rules: readonly Rule[], opts: RewriteOptions): Rewriter {
  const { cx, stage } = opts;
  const index = indexRules(rules, cx.disabled);
  // Rules build through a sink of their own: a rule whose construction fails a type rule is a
  // declined rule (never a user-facing diagnostic).
  const quiet = quietSink();
  const b = createBuilder(quiet, table);
  /** Node -> its normal form (normal forms map to themselves). */
  const memo = idMap(table.size);
  // The table's size bounds the graph's (it holds every node built so far).
  let fuel = (opts.fuelPerNode ?? 64) * table.size + 1000;
  const limit = fuel;
  let stopped = false;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    cx.sink.error('TH9002', { stage, limit }, null);
  };

  /** The first rule that fires on `n`: its result, or undefined. */
  function step(n: Node): Node | undefined {
    const candidates = index.byOp.get(n.op) ?? index.anyOp;
    for (let i = 0; i < candidates.length; i++) {
      const r = candidates[i]!;
      const m = matchRooted(r.pattern, n, r.pattern.op !== undefined);
      if (!m) continue;
      quiet.reset();
      const saved = b.swapSpan(n.span);
      let out: Node | undefined;
      try { out = r.build(m, b, n); } finally { b.swapSpan(saved); }
      if (!out || out === n || quiet.errorCount > 0 || out.op === 'error' || !sameTypeKey(out.type, n.type)) continue;
      cx.trace?.push({ stage, rule: r.name, before: n, after: out });
      return out;
    }
    return undefined;
  }

  function settleAt(n: Node, depth: number): Node {
    const known = memo.get(n);
    if (known) return known;
    let result = n;
    if (!stopped) {
      const out = step(n);
      if (out) {
        if (--fuel <= 0 || depth >= MAX_NESTING) stop();
        else result = normalize(out, depth + 1);
      }
    }
    memo.set(n, result);
    memo.set(result, memo.get(result) ?? result);
    return result;
  }

  /** The normal form of `root`, normalising the part of its subgraph not yet in normal form. */
  function normalize(root: Node, depth: number): Node {
    postOrder(root, n => memo.has(n), n => memo.set(n, settleAt(rebuilt(n), depth)));
    return memo.get(root)!;
  }

  /** `n` on the normal forms of its inputs (`n` itself when none changed: no allocation). */
  function rebuilt(n: Node): Node {
    const ins = n.inputs;
    let k = 0;
    while (k < ins.length && memo.get(ins[k]!) === ins[k]) k++;
    if (k === ins.length) return n;
    return withInputs(table, n, ins.map(x => memo.get(x)!));
  }

  return { normalize };
}

/**
 * Node -> node by node id: ids are dense (the table numbers nodes 0, 1, ...), so an array beats a
 * Map several times over on 100k-node graphs.
 */
function idMap(size: number): { get(n: Node): Node | undefined; has(n: Node): boolean; set(n: Node, v: Node): void } {
  // Packed (filled, never holey) so V8 keeps fast elements however the ids grow.
  const slots: (Node | undefined)[] = new Array<Node | undefined>(size + 1024).fill(undefined);
  return {
    get: n => slots[n.id],
    has: n => slots[n.id] !== undefined,
    set(n, v) {
      while (slots.length <= n.id) slots.push(undefined);
      slots[n.id] = v;
    },
  };
}

/** A sink that only counts: rule construction errors mean "decline", not a diagnostic. */
function quietSink(): DiagnosticSink & { reset(): void } {
  let count = 0;
  const none: Diagnostic[] = [];
  const sink = {
    diagnostics: none,
    report(d: Diagnostic) { count++; return d; },
    error(): Diagnostic { count++; return undefined as unknown as Diagnostic; },
    get errorCount() { return count; },
    hasErrors() { return count > 0; },
    reset() { count = 0; },
  };
  return sink;
}
