/**
 * @file `thc graph` printers for one entry point's Graph: text (Theano's debugprint idea, compact),
 * Graphviz DOT and JSON. Consumes a Graph (or a whole ProgramGraphs); produces a string.
 * All three walk the nodes in one deterministic topological order (depth-first from the outputs,
 * then the updates, inputs left to right) and renumber them 0.. in that order, so the printout
 * never depends on interning order or on nodes left over in the table.
 */
import { graphRoots, topoOrder } from './walk.js';
import type { Graph, ProgramGraphs, SharedVar } from './graph.js';
import { isLeaf, type Node } from './node.js';
import type { Span } from '../source/span.js';
import { typeToString } from '../sema/types.js';
import { dimToString, type Dim } from '../sema/dims.js';
import type { NDArray } from '../runtime/ndarray.js';
import { attrToJson, formatAttr, formatConst, shapeToJson } from './print-values.js';
import { arrayToTypedJson } from '../runtime/json-value.js';

export type GraphFormat = 'text' | 'dot' | 'json';

/** Single-use subexpressions are inlined up to this nesting depth; deeper ones get their own line. */
export const MAX_INLINE_DEPTH = 4;


/** Roots in print order: outputs, then updates. */

/** How a leaf reads inline: params and shared by name, dims by their expression, constants by value. */
export function leafText(n: Node): string {
  switch (n.op) {
    case 'param': case 'shared': return String(n.attrs['name']);
    case 'dim': return dimToString(n.attrs['dim'] as Dim);
    case 'const': return formatConst(n.attrs['value'] as NDArray);
    case 'error': return '<error>';
    default: return `${n.op}(${attrText(n)})`;
  }
}

function attrText(n: Node): string {
  return Object.keys(n.attrs).sort().map(k => `${k}=${formatAttr(n.attrs[k]!)}`).join(', ');
}

const spanText = (s: Span): string => (s.file.startsWith('<builtin') ? '' : `${s.file}:${s.line}:${s.col}`);

// ---------------------------------------------------------------- text

/** Which non-leaf nodes get a line of their own: shared, root, or too deep to inline. */
function namedNodes(order: readonly Node[], roots: readonly Node[]): Set<Node> {
  const uses = new Map<Node, number>();
  for (const n of order) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const named = new Set<Node>();
  const isRoot = new Set(roots);
  // `order` holds every root too (it is their topological order).
  for (const n of order) {
    if (!isLeaf(n) && ((uses.get(n) ?? 0) > 1 || isRoot.has(n))) named.add(n);
  }
  // Inline height: leaves and named nodes are atoms (0). When a node would nest too deeply, its
  // tallest input gets a line of its own; order is inputs-first, so heights below are final.
  const height = new Map<Node, number>();
  const h = (n: Node) => (isLeaf(n) || named.has(n) ? 0 : height.get(n)!);
  for (const n of order) {
    if (isLeaf(n)) continue;
    for (;;) {
      const tallest = n.inputs.reduce<Node | undefined>((best, i) => (best === undefined || h(i) > h(best) ? i : best), undefined);
      if (!tallest || 1 + h(tallest) <= MAX_INLINE_DEPTH) break;
      named.add(tallest);
    }
    height.set(n, 1 + Math.max(0, ...n.inputs.map(h)));
  }
  return named;
}

/** `fn train(x: f64[n, 784], lr: f64 = 0.1)` */
export function signatureText(g: Graph): string {
  const params = g.params.map(p => `${p.name}: ${typeToString(p.type)}${p.default ? ` = ${formatConst(p.default)}` : ''}`);
  return `fn ${g.name}(${params.join(', ')})`;
}

/** The text form: header, shared variables read, one line per named node, outputs, updates. */
export function printGraphText(g: Graph): string {
  const roots = graphRoots(g);
  const order = topoOrder(roots);
  const named = namedNodes(order, roots);
  const ids = new Map<Node, number>();
  const ref = (n: Node): string => (ids.has(n) ? `%${ids.get(n)}` : inline(n));
  const inline = (n: Node): string => {
    if (isLeaf(n)) return leafText(n);
    const attrs = attrText(n);
    return `${n.op}(${[...n.inputs.map(ref), ...(attrs ? [attrs] : [])].join(', ')})`;
  };
  const body: { lhs: string; where: string }[] = [];
  for (const n of order) {
    if (!named.has(n)) continue;
    const text = inline(n);
    ids.set(n, ids.size);
    body.push({ lhs: `%${ids.get(n)} = ${text} : ${typeToString(n.type)}`, where: spanText(n.span) });
  }
  const width = Math.min(72, Math.max(0, ...body.map(l => l.lhs.length)));
  const out = [signatureText(g)];
  const shared = order.filter(n => n.op === 'shared').sort((a, b) => String(a.attrs['name']).localeCompare(String(b.attrs['name'])));
  for (const s of shared) out.push(`  shared ${String(s.attrs['name'])}: ${typeToString(s.type)}`);
  for (const l of body) out.push(`  ${l.where ? `${l.lhs.padEnd(width)}   # ${l.where}` : l.lhs}`);
  const outs = g.outputs.map(o => `${o.name} = ${ref(o.node)}`);
  if (outs.length === 1) out.push(`  return ${outs[0]}`);
  else if (outs.length > 1) out.push(`  return (${outs.join(', ')})`);
  for (const u of g.updates) out.push(`  ${u.name} <- ${ref(u.node)}`);
  return out.join('\n');
}

// ---------------------------------------------------------------- dot

const dotString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** A Graphviz digraph: one box per op, ellipses for inputs, edges from inputs to users. */
export function printGraphDot(g: Graph): string {
  const order = topoOrder(graphRoots(g));
  const ids = new Map(order.map((n, i) => [n, i]));
  const out = [`digraph ${dotString(g.name)} {`, '  node [shape=box, fontname="monospace"];'];
  for (const n of order) {
    const type = typeToString(n.type);
    const shape = n.op === 'param' || n.op === 'shared' ? ', shape=ellipse' : n.op === 'const' || n.op === 'dim' ? ', shape=plaintext' : '';
    const head = isLeaf(n) ? leafText(n) : [n.op, attrText(n)].filter(x => x).join(' ');
    out.push(`  n${ids.get(n)} [label=${dotString(`${head}\n${type}`)}${shape}];`);
  }
  for (const n of order) {
    n.inputs.forEach((i, k) => {
      const label = n.inputs.length > 1 ? ` [label="${k}"]` : '';
      out.push(`  n${ids.get(i)} -> n${ids.get(n)}${label};`);
    });
  }
  g.outputs.forEach((o, k) => {
    out.push(`  out${k} [label=${dotString(o.name)}, shape=doubleoctagon];`, `  n${ids.get(o.node)} -> out${k};`);
  });
  g.updates.forEach((u, k) => {
    out.push(`  upd${k} [label=${dotString(`${u.name} <-`)}, shape=house];`, `  n${ids.get(u.node)} -> upd${k};`);
  });
  out.push('}');
  return out.join('\n');
}

// ---------------------------------------------------------------- json

const spanJson = (s: Span) => ({ file: s.file, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol });

/** The JSON form as a plain object (documented in docs/cli.md). */
export function graphToJson(g: Graph): unknown {
  const order = topoOrder(graphRoots(g));
  const ids = new Map(order.map((n, i) => [n, i]));
  return {
    name: g.name,
    params: g.params.map(p => ({
      name: p.name,
      dtype: p.type.dtype,
      shape: shapeToJson(p.type.shape),
      default: p.default ? arrayToTypedJson(p.default) : null,
      node: ids.get(p.node) ?? null,
    })),
    nodes: order.map(n => ({
      id: ids.get(n)!,
      op: n.op,
      dtype: n.type.dtype,
      shape: shapeToJson(n.type.shape),
      attrs: Object.fromEntries(Object.keys(n.attrs).sort().map(k => [k, attrToJson(n.attrs[k]!)])),
      inputs: n.inputs.map(i => ids.get(i)!),
      span: spanJson(n.span),
    })),
    outputs: g.outputs.map(o => ({ name: o.name, node: ids.get(o.node)! })),
    updates: g.updates.map(u => ({ name: u.name, node: ids.get(u.node)! })),
  };
}

// ---------------------------------------------------------------- entry points

export function printGraph(g: Graph, format: GraphFormat): string {
  switch (format) {
    case 'text': return printGraphText(g);
    case 'dot': return printGraphDot(g);
    case 'json': return JSON.stringify(graphToJson(g), null, 2);
  }
}

/** `shared w: f64[784] = normal(...)`: how a shared variable starts, as the text printer shows it. */
export function sharedText(s: SharedVar): string {
  const init = s.init.kind === 'load' ? `load(${JSON.stringify(s.init.path)})` : inlineTree(s.init.node);
  return `shared ${s.name}: ${typeToString(s.type)} = ${init}`;
}

/** Initializers are small: print the whole tree inline. */
function inlineTree(n: Node): string {
  if (isLeaf(n)) return leafText(n);
  const attrs = attrText(n);
  return `${n.op}(${[...n.inputs.map(inlineTree), ...(attrs ? [attrs] : [])].join(', ')})`;
}

/** Every entry point of a program (text: shared declarations first; json: `{file, shared, entries}`). */
export function printProgram(p: ProgramGraphs, format: GraphFormat): string {
  if (format === 'json') {
    const shared = p.shared.map(s => ({
      name: s.name, dtype: s.type.dtype, shape: shapeToJson(s.type.shape),
      init: s.init.kind === 'load' ? { kind: 'load', path: s.init.path } : { kind: 'expr', text: inlineTree(s.init.node) },
    }));
    return JSON.stringify({ file: p.file, shared, entries: p.entries.map(graphToJson) }, null, 2);
  }
  const parts = p.entries.map(g => printGraph(g, format));
  if (format === 'text' && p.shared.length > 0) parts.unshift(p.shared.map(sharedText).join('\n'));
  return parts.join('\n\n');
}
