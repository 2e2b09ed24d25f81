/**
 * @file Invariants behind the front end's fast paths: interning through the node trie and the
 * builder's leaf caches gives exactly the nodes a whole-key Map would (NaN payloads, -0, weak vs
 * strong, `|` inside attributes), attribute keys match JSON text, cached builtin lookup agrees with
 * the op table, memoised dim arithmetic stays exact, argument binding with presets is unchanged,
 * attribute keys sort as Array.prototype.sort does, and remembered name lookups follow a growing scope.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createNodeTable, attrKey, attrsKey, NO_ATTRS } from '../src/graph/node.js';
import { createBuilder } from '../src/graph/builder.js';
import { createSink } from '../src/diag/sink.js';
import { tensorType } from '../src/sema/types.js';
import { dimAdd, dimMul, dimSub } from '../src/sema/dims.js';
import { isBuiltinName, lookupTop, type ModuleScope, type TopSym } from '../src/sema/scope.js';
import { bindArgs } from '../src/sema/call.js';
import { allOps, builtinNames } from '../src/ops/registry.js';
import { scalar } from '../src/runtime/ndarray.js';
import { syntheticSpan } from '../src/source/span.js';
import type { Arg } from '../src/syntax/ast.js';
import { compileText } from './helpers/compile.js';
import '../src/ops/index.js';

const span = syntheticSpan('t.th');
const f32 = (...shape: (number | string)[]) => tensorType('f32', shape);

test('intern: same structure gives the same node; any difference gives a new one', () => {
  const t = createNodeTable();
  const x = t.intern('param', [], { name: 'x' }, f32('n', 3), span);
  const y = t.intern('param', [], { name: 'y' }, f32('n', 3), span);
  assert.is(t.intern('param', [], { name: 'x' }, f32('n', 3), span), x);
  const add = t.intern('add', [x, y], {}, f32('n', 3), span);
  assert.is(t.intern('add', [x, y], {}, f32('n', 3), span), add);
  // Input order, op, dtype, shape, weakness and attrs are all part of the identity.
  const others = [
    t.intern('add', [y, x], {}, f32('n', 3), span),
    t.intern('sub', [x, y], {}, f32('n', 3), span),
    t.intern('add', [x, y], {}, tensorType('f64', ['n', 3]), span),
    t.intern('add', [x, y], {}, f32('n', 4), span),
    t.intern('add', [x, y], {}, f32(3), span),
    t.intern('add', [x, y], {}, tensorType('f32', ['n', 3], true), span),
    t.intern('add', [x, y], { k: 1 }, f32('n', 3), span),
    t.intern('add', [x], {}, f32('n', 3), span),
  ];
  assert.is(new Set([add, ...others]).size, 9);
  assert.is(t.size, 11); // x, y, add and the 8 others
  assert.equal(others.map(n => n.id), [3, 4, 5, 6, 7, 8, 9, 10]);
});

test('intern: keys keep their documented text and `|` inside attributes cannot collide', () => {
  const t = createNodeTable();
  const a = t.intern('param', [], { name: 'a|b' }, f32(2), span);
  const b = t.intern('param', [], { name: 'a' }, f32(2), span);
  assert.is.not(a, b);
  assert.is(a.key, 'param|f32[2]|name="a|b"|');
  const c = t.intern('add', [a, b], {}, tensorType('i32', [], true), span);
  assert.is(c.key, 'add|i32~[]||0,1');
  // Attribute order does not matter; keys are sorted.
  const s1 = t.intern('sum', [a], { axis: [0], keepdims: false }, f32(), span);
  assert.is(t.intern('sum', [a], { keepdims: false, axis: [0] }, f32(), span), s1);
  assert.is(s1.key, 'sum|f32[]|axis=[0];keepdims=false|0');
});

test('attrKey: same text as JSON for plain values, bytes for arrays', () => {
  for (const v of [0, -0, 1.5, 1e21, -3, NaN, Infinity, -Infinity, true, false, 'x"y', null]) {
    assert.is(attrKey(v), JSON.stringify(v));
  }
  assert.is(attrKey([1, [2, 'a'], null]), '[1,[2,"a"],null]');
  // f64 1.0 is 00 00 00 00 00 00 f0 3f little-endian.
  assert.is(attrKey(scalar('f64', 1)), 'nd(f64;;000000000000f03f)');
  assert.is(attrKey(scalar('bool', 1)), 'nd(bool;;01)');
  assert.is(attrsKey({}), '');
});

test('builder: cached scalars are the interned nodes; -0, NaN and weakness stay distinct', () => {
  const b = createBuilder(createSink());
  const one = b.scalar(1, 'f32');
  assert.is(b.scalar(1, 'f32'), one);
  assert.is(b.constant(scalar('f32', 1)), one); // the general path finds the same node
  assert.is.not(b.scalar(1, 'f32', true), one);
  assert.is.not(b.scalar(1, 'f64'), one);
  const zero = b.scalar(0, 'f64');
  const negZero = b.scalar(-0, 'f64');
  assert.is.not(zero, negZero);
  assert.ok(Object.is((negZero.attrs['value'] as { data: Float64Array }).data[0], -0));
  assert.is(b.scalar(-0, 'f64'), negZero);
  // Two NaNs with different payloads are different constants.
  const bits = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer);
  const nanA = b.constant({ dtype: 'f64', shape: [], data: bits });
  const nanB = b.scalar(NaN, 'f64');
  assert.is.not(nanA, nanB);
  assert.is(b.scalar(NaN, 'f64'), nanB);
  // 1.1 and the f32 rounding of 1.1 are the same f32 constant.
  assert.is(b.scalar(1.1, 'f32'), b.scalar(Math.fround(1.1), 'f32'));
  assert.is(b.dim('n'), b.dim('n'));
  assert.is.not(b.dim('n'), b.dim('m'));
  assert.is(b.dim(3), b.scalar(3, 'i32'));
});

test('builder: a weak literal retyped by promotion is the plain constant of the new dtype', () => {
  const b = createBuilder(createSink());
  const x = b.param('x', f32(2));
  const sum = b.op('add', [x, b.scalar(2, 'i32', true)]);
  assert.is(sum.inputs[1], b.scalar(2, 'f32'));
  assert.is(sum.type.dtype, 'f32');
  const both = b.op('add', [b.scalar(2, 'i32', true), b.scalar(0.5, 'f64', true)]);
  assert.is(both.inputs[0], b.scalar(2, 'f64', true));
  assert.ok(both.type.weak);
});

test('isBuiltinName agrees with the op table', () => {
  const names = builtinNames();
  for (const op of allOps()) assert.is(isBuiltinName(op.name), names.includes(op.name), op.name);
  for (const n of ['grad', 'load']) assert.ok(isBuiltinName(n));
  for (const n of ['nosuch', 'constructor', 'toString', '__proto__', '']) assert.not.ok(isBuiltinName(n), n);
});

test('dim arithmetic: memoised results are exact and repeatable', () => {
  for (let i = 0; i < 2; i++) {
    assert.is(dimAdd('n', 1), 'n+1');
    assert.is(dimSub('n', 'n'), 0);
    assert.is(dimSub(0, 'n'), '-n');
    assert.is(dimMul('n', 2), '2*n');
    assert.is(dimMul('b', 'n'), 'b*n');
    assert.is(dimMul('n+1', 'n-1'), 'n*n-1');
    assert.is(dimAdd('n', -0), 'n');
  }
});

test('bindArgs: presets are skipped by positional and keyword arguments', () => {
  const arg = (name: string | null, at: number): Arg =>
    ({ name: name === null ? null : { name, span: { ...span, start: at } }, value: { kind: 'Number', value: at, isInt: true, text: String(at), span }, span: { ...span, start: at } }) as unknown as Arg;
  const params = [{ name: 'shape', hasDefault: false, preset: true }, { name: 'lo', hasDefault: true }, { name: 'hi', hasDefault: true }];
  const sink = createSink();
  const r = bindArgs('uniform', params, [arg(null, 1), arg(null, 2)], span, sink);
  assert.ok(r.ok);
  assert.equal(r.args.map(a => (a ? a.span.start : null)), [null, 1, 2]);
  const r2 = bindArgs('uniform', params, [arg(null, 1), arg(null, 2), arg(null, 3), arg('shape', 4)], span, sink);
  assert.not.ok(r2.ok);
  assert.equal(sink.diagnostics.map(d => d.code), ['TH0218', 'TH0215']);
  assert.is(sink.diagnostics[0]!.message, '`uniform` takes 2 positional arguments but 3 were given');
});

test('duplicate parameters are reported once per compile however often the function is inlined', () => {
  const src = 'fn g(a, a) = a\nfn f(x: f32) = g(x, x) + g(x, x)';
  for (let i = 0; i < 2; i++) {
    const r = compileText(src);
    assert.equal(r.diagnostics.map(d => d.code), ['TH0207']);
  }
});

test('attrsKey: keys sorted by UTF-16 code units, repeated string values keep their JSON text', () => {
  // 'B' (66) < 'a' (97) < 'ab' < 'b' < 'é' (233): the order Array.prototype.sort() gives.
  assert.is(attrsKey({ b: 1, é: 5, ab: 4, B: 2, a: 3 }), 'B=2;a=3;ab=4;b=1;é=5');
  assert.is(attrsKey({ z: 'f32', y: 'f32' }), 'y="f32";z="f32"');
  // Asked twice: the second answer is the remembered one.
  for (let i = 0; i < 2; i++) assert.is(attrKey('q"\\'), '"q\\"\\\\"');
  // The shared empty attribute set and a fresh `{}` are the same attributes.
  const t = createNodeTable();
  const x = t.intern('param', [], { name: 'x' }, f32(2), span);
  const n = t.intern('neg', [x], {}, f32(2), span);
  assert.is(t.intern('neg', [x], NO_ATTRS, f32(2), span), n);
  assert.equal(Object.keys(n.attrs), []);
});

test('lookupTop: remembered answers follow a scope that grows', () => {
  const scope: ModuleScope = { name: 'main', module: {} as ModuleScope['module'], isEntry: true, decls: new Map(), imports: [] };
  assert.is(lookupTop(scope, 'foo').kind, 'none');
  assert.equal(lookupTop(scope, 'exp'), { kind: 'builtin', name: 'exp' });
  assert.equal(lookupTop(scope, 'f32'), { kind: 'dtype', dtype: 'f32' });
  const sym = { kind: 'fn', name: 'foo', decl: {}, scope } as unknown as TopSym;
  scope.decls.set('foo', sym);
  const r = lookupTop(scope, 'foo');
  assert.is(r.kind, 'top');
  assert.is(r.kind === 'top' ? r.sym : undefined, sym);
  // A qualifier lookup is answered on its own: a module named like an import wins only there.
  const other: ModuleScope = { name: 'nn', module: {} as ModuleScope['module'], isEntry: false, decls: new Map(), imports: [] };
  const mainScope: ModuleScope = { name: 'main', module: {} as ModuleScope['module'], isEntry: true, decls: new Map(), imports: [] };
  const nnSym = { kind: 'fn', name: 'nn', decl: {}, scope: other } as unknown as TopSym;
  other.decls.set('nn', nnSym);
  mainScope.imports.push({ qualifier: 'nn', scope: other, span });
  assert.is(lookupTop(mainScope, 'nn', true).kind, 'module');
  assert.is(lookupTop(mainScope, 'nn').kind, 'top');
});

test.run();
