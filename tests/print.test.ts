/**
 * @file Graph printer tests: text, DOT and JSON on small graphs built directly with the Builder
 * (no parser), value formatting, and (when the pipeline is in place) the printers on every sample.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import '../src/ops/index.js';
import { createBuilder, type Builder } from '../src/graph/builder.js';
import { createSink } from '../src/diag/sink.js';
import { sourceFile, type SourceFile } from '../src/source/source-file.js';
import type { Span } from '../src/source/span.js';
import type { Graph, GraphParam } from '../src/graph/graph.js';
import type { Node } from '../src/graph/node.js';
import { tensorType, type DType, type TensorType } from '../src/sema/types.js';
import { fromNumbers, scalar } from '../src/runtime/ndarray.js';
import { printGraph, printProgram } from '../src/graph/print.js';
import { topoOrder } from '../src/graph/walk.js';
import { formatNumber, formatConst } from '../src/graph/print-values.js';
import { compileSource } from '../src/pipeline.js';
import { repoPath } from './helpers/paths.js';

const lines = (...ls: string[]) => ls.join('\n');

/** The span of the first `needle` in the file. */
function spanOf(f: SourceFile, needle: string): Span {
  const start = f.text.indexOf(needle);
  if (start < 0) throw new Error(`${needle} not found`);
  const a = f.position(start), b = f.position(start + needle.length);
  return { file: f.name, start, end: start + needle.length, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
}

function param(b: Builder, name: string, type: TensorType, span: Span, dflt: number | null = null): GraphParam {
  const node = b.at(span, () => b.param(name, type));
  return { name, type, node, default: dflt === null ? null : scalar(type.dtype, dflt), span };
}

function graph(name: string, params: GraphParam[], outputs: [string, Node][], updates: [string, Node][] = []): Graph {
  const span = params[0]?.span ?? outputs[0]![1].span;
  return {
    name, params, span,
    outputs: outputs.map(([n, node]) => ({ name: n, node, span })),
    updates: updates.map(([n, node]) => ({ name: n, node, span })),
  };
}

const f64nm = tensorType('f64', ['n', 'm']);

function logistic(b: Builder): Graph {
  const src = sourceFile('logistic.th', 'fn logistic(x: f64[n, m]) = 1 / (1 + exp(-x))\n');
  const x = param(b, 'x', f64nm, spanOf(src, 'x: f64[n, m]'));
  const one = () => b.scalar(1, 'i32', true);
  const neg = b.at(spanOf(src, '-x'), () => b.op('neg', [x.node]));
  const e = b.at(spanOf(src, 'exp(-x)'), () => b.op('exp', [neg]));
  const den = b.at(spanOf(src, '1 + exp(-x)'), () => b.op('add', [one(), e]));
  const out = b.at(spanOf(src, '1 / (1 + exp(-x))'), () => b.op('div', [one(), den]));
  return graph('logistic', [x], [['out0', out]]);
}

test('text: logistic inlines its single-use chain into one line', () => {
  const sink = createSink();
  const g = logistic(createBuilder(sink));
  assert.equal(sink.diagnostics, []);
  assert.fixture(printGraph(g, 'text'), lines(
    'fn logistic(x: f64[n, m])',
    '  %0 = div(1.0, add(1.0, exp(neg(x)))) : f64[n, m]   # logistic.th:1:29',
    '  return out0 = %0',
  ));
});

test('text: shared subexpressions get a line; numbering follows print order, not interning order', () => {
  const build = (noise: boolean) => {
    const b = createBuilder(createSink());
    const x = param(b, 'x', tensorType('f32', [3]), { file: 'a.th', start: 0, end: 1, line: 1, col: 6, endLine: 1, endCol: 7 });
    // Unrelated nodes interned first shift every node id; the printout must not change.
    if (noise) for (let i = 0; i < 5; i++) b.op('sin', [b.op('cos', [x.node])]);
    const y = b.op('exp', [x.node]);
    const out = b.op('add', [b.op('mul', [y, y]), y]);
    return printGraph(graph('f', [x], [['out0', out]]), 'text');
  };
  assert.fixture(build(true), lines(
    'fn f(x: f32[3])',
    '  %0 = exp(x) : f32[3]',
    '  %1 = add(mul(%0, %0), %0) : f32[3]',
    '  return out0 = %1',
  ));
  assert.is(build(false), build(true));
});

test('text: deep single-use chains are cut at the inline depth', () => {
  const b = createBuilder(createSink());
  const x = param(b, 'x', tensorType('f64', [2]), { file: '<builtin>', start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 });
  let n = x.node;
  for (let i = 0; i < 3; i++) n = b.op('neg', [b.op('exp', [n])]);
  assert.fixture(printGraph(graph('deep', [x], [['y', n]]), 'text'), lines(
    'fn deep(x: f64[2])',
    '  %0 = neg(exp(neg(exp(x)))) : f64[2]',
    '  %1 = neg(exp(%0)) : f64[2]',
    '  return y = %1',
  ));
});

test('text: shared variables, defaults, several outputs, updates, attrs and constants', () => {
  const b = createBuilder(createSink());
  const syn: Span = { file: '<builtin>', start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
  const lr = param(b, 'lr', tensorType('f64'), syn, 0.1);
  const w = b.shared('w', tensorType('f64', [3]));
  const scaled = b.op('mul', [w, b.constant(fromNumbers('f64', [3], [1, 2.5, -1]))]);
  const total = b.op('sum', [w], { axis: null, keepdims: false });
  const next = b.op('sub', [w, lr.node]);
  const g = graph('step', [lr], [['scaled', scaled], ['total', total]], [['w', next]]);
  assert.fixture(printGraph(g, 'text'), lines(
    'fn step(lr: f64 = 0.1)',
    '  shared w: f64[3]',
    '  %0 = mul(w, [1.0, 2.5, -1.0]) : f64[3]',
    '  %1 = sum(w, axis=none, keepdims=false) : f64',
    '  %2 = sub(w, lr) : f64[3]',
    '  return (scaled = %0, total = %1)',
    '  w <- %2',
  ));
});

test('text: outputs that are leaves print inline', () => {
  const b = createBuilder(createSink());
  const syn: Span = { file: '<builtin>', start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
  const x = param(b, 'x', tensorType('i32', [2]), syn);
  const g = graph('id', [x], [['x', x.node], ['k', b.scalar(7, 'i32')]]);
  assert.fixture(printGraph(g, 'text'), lines('fn id(x: i32[2])', '  return (x = x, k = 7)'));
});

test('value formatting: shortest round-trip per dtype', () => {
  const cases: [number, DType, string][] = [
    [1, 'f64', '1.0'], [0.1, 'f64', '0.1'], [Math.fround(0.1), 'f32', '0.1'], [1 / 3, 'f64', '0.3333333333333333'],
    [Math.fround(1 / 3), 'f32', '0.33333334'], [0.0999755859375, 'f16', '0.1'], [0.333251953125, 'f16', '0.3333'], [1e21, 'f64', '1e+21'],
    [NaN, 'f32', 'nan'], [-Infinity, 'f64', '-inf'], [-0, 'f64', '-0.0'], [-3, 'i32', '-3'], [4294967295, 'u32', '4294967295'],
    [1, 'bool', 'true'], [0, 'bool', 'false'],
  ];
  for (const [x, t, want] of cases) assert.is(formatNumber(x, t), want, `${x} as ${t}`);
  assert.is(formatConst(fromNumbers('i32', [2, 2], [1, 2, 3, 4])), '[[1, 2], [3, 4]]');
  assert.is(formatConst(scalar('f32', 2)), '2.0');
  assert.is(formatConst(fromNumbers('f64', [1000], Array.from({ length: 1000 }, (_, i) => i))), 'const(f64[1000]: 0.0, 1.0, 2.0, ..., 999.0)');
});

/** Structural DOT check: a digraph whose statements end in `;` and whose edges join declared nodes. */
function checkDot(dot: string): { nodes: string[]; edges: [string, string][] } {
  const ls = dot.split('\n');
  assert.match(ls[0]!, /^digraph "[^"]*" \{$/);
  assert.is(ls[ls.length - 1], '}');
  const nodes: string[] = [], edges: [string, string][] = [];
  for (const l of ls.slice(1, -1)) {
    assert.ok(l.endsWith(';'), l);
    const edge = /^ {2}(\w+) -> (\w+)( \[label="\d+"\])?;$/.exec(l);
    const node = /^ {2}(\w+) \[label="(?:[^"\\]|\\.)*"(, shape=\w+)?\];$/.exec(l);
    if (edge) edges.push([edge[1]!, edge[2]!]);
    else if (node) nodes.push(node[1]!);
    else assert.is(l, '  node [shape=box, fontname="monospace"];');
  }
  for (const [a, z] of edges) assert.ok(nodes.includes(a) && nodes.includes(z), `${a} -> ${z}`);
  return { nodes, edges };
}

test('dot: logistic is a well-formed digraph', () => {
  const g = logistic(createBuilder(createSink()));
  const dot = printGraph(g, 'dot');
  const { nodes, edges } = checkDot(dot);
  // x, neg, exp, 1.0, add, div (the two 1.0 constants are one hash-consed node), plus the output.
  assert.is(nodes.length, 7);
  assert.is(edges.length, 7); // six data edges and div -> out0
  assert.ok(dot.includes('n1 [label="x\\nf64[n, m]", shape=ellipse];'), dot);
  assert.ok(dot.includes('out0 [label="out0", shape=doubleoctagon];'), dot);
});

test('json: nodes renumbered in topological order with attrs, spans, outputs and updates', () => {
  const b = createBuilder(createSink());
  const syn: Span = { file: 'j.th', start: 0, end: 1, line: 2, col: 3, endLine: 2, endCol: 4 };
  const x = b.at(syn, () => param(b, 'x', tensorType('f64', [2]), syn, null));
  const w = b.shared('w', tensorType('f64', [2]));
  const c = b.constant(fromNumbers('f64', [2], [NaN, 1.5]));
  const y = b.op('add', [x.node, c]);
  const g = graph('j', [x], [['y', y]], [['w', b.op('mul', [w, y])]]);
  const j = JSON.parse(printGraph(g, 'json'));
  assert.equal(j.name, 'j');
  assert.equal(j.params, [{ name: 'x', dtype: 'f64', shape: [2], default: null, node: 0 }]);
  assert.equal(j.nodes.map((n: { op: string }) => n.op), ['param', 'const', 'add', 'shared', 'mul']);
  assert.equal(j.nodes.map((n: { id: number }) => n.id), [0, 1, 2, 3, 4]);
  assert.equal(j.nodes[1].attrs, { value: { dtype: 'f64', shape: [2], data: ['NaN', 1.5] } });
  assert.equal(j.nodes[2].inputs, [0, 1]);
  assert.equal(j.nodes[4].inputs, [3, 2]);
  assert.equal(j.nodes[0].span, { file: 'j.th', line: 2, col: 3, endLine: 2, endCol: 4 });
  assert.equal(j.nodes[4].shape, [2]);
  assert.equal(j.outputs, [{ name: 'y', node: 2 }]);
  assert.equal(j.updates, [{ name: 'w', node: 4 }]);
});

test('topoOrder handles very deep graphs without recursion', () => {
  const b = createBuilder(createSink());
  let n = b.param('x', tensorType('f64'));
  for (let i = 0; i < 20000; i++) n = b.op(i % 2 ? 'exp' : 'neg', [n]);
  assert.is(topoOrder([n]).length, 20001);
});

// ---------------------------------------------------------------- samples (needs the whole pipeline)

const samples = readdirSync(repoPath('samples')).filter(f => f.endsWith('.th')).sort();

test('every sample prints in all three formats, deterministically', () => {
  for (const f of samples) {
    const path = repoPath('samples', f);
    const r = compileSource({ source: readFileSync(path, 'utf8'), path, displayName: `samples/${f}` });
    assert.ok(r.ok, `${f}: ${r.diagnostics.map(d => d.message).join('; ')}`);
    assert.ok(r.graphs && r.graphs.entries.length > 0, f);
    for (const g of r.graphs!.entries) {
      const text = printGraph(g, 'text');
      assert.ok(text.startsWith(`fn ${g.name}(`), text);
      checkDot(printGraph(g, 'dot'));
      const j = JSON.parse(printGraph(g, 'json'));
      assert.is(j.outputs.length, g.outputs.length);
    }
    // A second compile gives the same text (no dependence on table state or iteration order).
    const again = compileSource({ source: readFileSync(path, 'utf8'), path, displayName: `samples/${f}` });
    assert.is(printProgram(again.graphs!, 'text'), printProgram(r.graphs!, 'text'));
  }
});

test('sample logistic.th prints as the hand-built graph does (the graph stage, before rewrites)', () => {
  const path = repoPath('samples', 'logistic.th');
  const r = compileSource({ source: readFileSync(path, 'utf8'), path, displayName: 'samples/logistic.th' }, { stopAfter: 'graph' });
  const text = printGraph(r.graphs!.entries[0]!, 'text');
  assert.match(text, /^fn logistic\(x: f64\[n, m\]\)\n {2}%0 = div\(1\.0, add\(1\.0, exp\(neg\(x\)\)\)\) : f64\[n, m\] {3}# samples\/logistic\.th:\d+:\d+\n {2}return out0 = %0$/);
});

test.run();
