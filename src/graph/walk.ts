/**
 * @file Graph walks shared by the stages after `graph`: topological order (iterative: graphs can
 * be 100k nodes deep), and bottom-up rebuilding of a whole program with a per-node function.
 * Consumes nodes/ProgramGraphs; produces new ProgramGraphs interned in the same NodeTable, so an
 * unchanged subgraph stays the very same objects (`===` says "nothing changed").
 */
import type { Node, NodeTable } from './node.js';
import type { Graph, ProgramGraphs, SharedVar } from './graph.js';

/**
 * Iterative post-order below `root` (graphs can be 100k nodes deep): `visit(n)` runs after every
 * input of `n` is done. `done(n)` says a node needs no visit; it is checked when a node is reached
 * and again when it is popped (a node reached along two paths is visited once). The stack is two
 * parallel arrays: no object per node.
 */
export function postOrder(root: Node, done: (n: Node) => boolean, visit: (n: Node) => void): void {
  if (done(root)) return;
  const nodes: Node[] = [root];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const n = nodes[top]!;
    const i = next[top]!;
    if (i < n.inputs.length) {
      next[top] = i + 1;
      const input = n.inputs[i]!;
      if (!done(input)) { nodes.push(input); next.push(0); }
      continue;
    }
    nodes.pop();
    next.pop();
    if (!done(n)) visit(n);
  }
}

/**
 * A set of nodes, as marks by node id: ids are dense per table, so this is much cheaper than a
 * Set<Node> on 100k-node graphs (no hashing, one byte per node).
 */
export class NodeMarks {
  private bits = new Uint8Array(1024);

  has(n: Node): boolean {
    return n.id < this.bits.length && this.bits[n.id] === 1;
  }

  add(n: Node): void {
    if (n.id >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, n.id + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[n.id] = 1;
  }
}

/** Every node reachable from `roots`, inputs before users, each once (deterministic order). */
export function topoOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new NodeMarks();
  const done = (n: Node): boolean => seen.has(n);
  const visit = (n: Node): void => { seen.add(n); order.push(n); };
  for (const root of roots) postOrder(root, done, visit);
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

/** The roots of one entry point: its outputs, then its updates. */
export const graphRoots = (g: Graph): Node[] => [...g.outputs.map(o => o.node), ...g.updates.map(u => u.node)];

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
 * `order` is the topological order of the program's roots, for a caller that already has it.
 */
export function mapProgram(p: ProgramGraphs, f: (n: Node) => Node, order: readonly Node[] = topoOrder(programRoots(p))): ProgramGraphs {
  const memo = new Map<Node, Node>();
  for (const n of order) {
    const rebuilt = withInputs(p.table, n, n.inputs.map(i => memo.get(i)!));
    memo.set(n, f(rebuilt));
  }
  return withRoots(p, n => memo.get(n)!);
}

/** `p` with every root (outputs, updates, shared initializers) replaced by `m(root)`. */
export function withRoots(p: ProgramGraphs, m: (root: Node) => Node): ProgramGraphs {
  const entries: Graph[] = p.entries.map(g => ({
    ...g,
    outputs: g.outputs.map(o => ({ ...o, node: m(o.node) })),
    updates: g.updates.map(u => ({ ...u, node: m(u.node) })),
  }));
  const shared: SharedVar[] = p.shared.map(s => (s.init.kind === 'expr' ? { ...s, init: { kind: 'expr', node: m(s.init.node) } } : s));
  return { ...p, entries, shared };
}
