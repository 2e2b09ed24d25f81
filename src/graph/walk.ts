/**
 * @file Graph walks shared by the stages after `graph`: topological order (iterative: graphs can
 * be 100k nodes deep), and bottom-up rebuilding of a whole program with a per-node function.
 * Consumes nodes/ProgramGraphs; produces new ProgramGraphs interned in the same NodeTable, so an
 * unchanged subgraph stays the very same objects (`===` says "nothing changed").
 */
import type { Node, NodeTable } from './node.js';
import type { Graph, ProgramGraphs, SharedVar } from './graph.js';

/** Every node reachable from `roots`, inputs before users, each once (deterministic order). */
export function topoOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  // Seen-marks by node id (ids are dense per table): much cheaper than a Set on 100k-node graphs.
  let seen = new Uint8Array(1024);
  const mark = (n: Node): boolean => {
    if (n.id >= seen.length) {
      const grown = new Uint8Array(Math.max(seen.length * 2, n.id + 1));
      grown.set(seen);
      seen = grown;
    }
    if (seen[n.id] === 1) return false;
    seen[n.id] = 1;
    return true;
  };
  const nodes: Node[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (!mark(root)) continue;
    nodes.push(root);
    next.push(0);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const n = nodes[top]!;
      const i = next[top]!;
      if (i < n.inputs.length) {
        next[top] = i + 1;
        const input = n.inputs[i]!;
        if (mark(input)) { nodes.push(input); next.push(0); }
      } else {
        nodes.pop();
        next.pop();
        order.push(n);
      }
    }
  }
  return order;
}

/** The roots a program's stages must keep: every entry's outputs and updates, every shared initializer. */
export function programRoots(p: ProgramGraphs): Node[] {
  const roots: Node[] = [];
  for (const g of p.entries) {
    for (const o of g.outputs) roots.push(o.node);
    for (const u of g.updates) roots.push(u.node);
  }
  for (const s of p.shared) if (s.init.kind === 'expr') roots.push(s.init.node);
  return roots;
}

/**
 * `node` with its inputs replaced by `inputs` (same op, attrs, type and span). Returns `node`
 * itself when no input changed. Callers guarantee each new input has its old input's type.
 */
export function withInputs(table: NodeTable, node: Node, inputs: readonly Node[]): Node {
  let same = inputs.length === node.inputs.length;
  for (let i = 0; same && i < inputs.length; i++) same = inputs[i] === node.inputs[i];
  return same ? node : table.intern(node.op, inputs, node.attrs, node.type, node.span);
}

/**
 * Rebuilds every graph of `p` bottom-up: each node first gets its (already mapped) inputs, then
 * `f` may replace it (return the node itself to keep it). Memoised over the whole program, so a
 * node shared between entry points is visited once. `f` must return a node of the same type.
 */
export function mapProgram(p: ProgramGraphs, f: (n: Node) => Node): ProgramGraphs {
  const memo = new Map<Node, Node>();
  for (const n of topoOrder(programRoots(p))) {
    const rebuilt = withInputs(p.table, n, n.inputs.map(i => memo.get(i)!));
    memo.set(n, f(rebuilt));
  }
  const m = (n: Node): Node => memo.get(n)!;
  const entries: Graph[] = p.entries.map(g => ({
    ...g,
    params: g.params,
    outputs: g.outputs.map(o => ({ ...o, node: m(o.node) })),
    updates: g.updates.map(u => ({ ...u, node: m(u.node) })),
  }));
  const shared: SharedVar[] = p.shared.map(s => (s.init.kind === 'expr' ? { ...s, init: { kind: 'expr', node: m(s.init.node) } } : s));
  return { ...p, entries, shared };
}
