/**
 * @file Unit tests for runtime/bind.ts (arguments -> checked parameter values and dimension sizes)
 * and runtime/state.ts (shared store: initialisers, --load-state checks, simultaneous updates,
 * atomic --save-state). Graphs are built by hand with the builder; .npy/.npz fixtures are written
 * by python3 + numpy at test time, and saved files are read back with numpy.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSink, type DiagnosticSink } from '../src/diag/sink.js';
import { createBuilder } from '../src/graph/builder.js';
import type { Graph, GraphParam, SharedVar } from '../src/graph/graph.js';
import { tensorType, type DType } from '../src/sema/types.js';
import type { Dim } from '../src/sema/dims.js';
import { syntheticSpan, type Span } from '../src/source/span.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { bindArguments, canCastSafe, type ArgBinding } from '../src/runtime/bind.js';
import { applyUpdates, fsStateIO, initialState, loadState, saveState, type StateIO } from '../src/runtime/state.js';
import { parseBinding } from '../src/cli/args.js';
import { python, removeTempDirs, tempDir } from './helpers/cli.js';
import '../src/ops/index.js';

const span = (line: number): Span => ({ ...syntheticSpan('prog.th'), line, start: line * 10, end: line * 10 + 5 });
const b = createBuilder(createSink());
const arr = (dtype: DType, shape: number[], values: number[]): NDArray => fromNumbers(dtype, shape, values);
const values = (a: NDArray | undefined): number[] => [...(a?.data ?? [])];
const codes = (sink: DiagnosticSink): string[] => sink.diagnostics.map(d => d.code);
const messages = (sink: DiagnosticSink): string => sink.diagnostics.map(d => `${d.code} ${d.message} ${d.help.map(h => h.message).join(' ')}`).join('\n');

function param(name: string, dtype: DType, shape: Dim[], line: number, def: NDArray | null = null): GraphParam {
  const type = tensorType(dtype, shape);
  return { name, type, node: b.param(name, type), default: def, span: span(line) };
}

function graph(params: GraphParam[]): Graph {
  return { name: 'f', params, outputs: [], updates: [], span: span(1) };
}

const args = (...raw: string[]): ArgBinding[] => raw.map(parseBinding);

// f(x: f64[n, m], y: f32[n], k: i32 = 3, z: f64[_1, 2], w: f64[n, 2*n])
const g = graph([
  param('x', 'f64', ['n', 'm'], 2),
  param('y', 'f32', ['n'], 3),
  param('k', 'i32', [], 4, arr('i32', [], [3])),
  param('z', 'f64', ['_1', 2], 5),
  param('w', 'f64', ['n', '2*n'], 6),
]);
const okArgs = ['x=[[1, 2, 3], [4, 5, 6]]', 'y=[0.1, 0.2]', 'z=[[1, 2], [3, 4], [5, 6], [7, 8]]', 'w=[[1, 2, 3, 4], [5, 6, 7, 8]]'];

const bind = suite('bind');

bind('binds values in the declared dtypes, defaults, and every dimension name', () => {
  const sink = createSink();
  const r = bindArguments(g, args(...okArgs), sink);
  assert.equal(codes(sink), []);
  assert.ok(r);
  assert.equal(r!.params.get('x')!.dtype, 'f64');
  assert.equal(r!.params.get('x')!.shape, [2, 3]);
  assert.equal(values(r!.params.get('x')), [1, 2, 3, 4, 5, 6]);
  // 0.1 stored as f32 is 0.100000001490116...: numpy.float32(0.1) == 0.10000000149011612
  assert.equal(r!.params.get('y')!.dtype, 'f32');
  assert.equal(values(r!.params.get('y')), [0.10000000149011612, 0.20000000298023224]);
  assert.equal(r!.params.get('k')!.dtype, 'i32');
  assert.equal(values(r!.params.get('k')), [3]);
  assert.equal(Object.fromEntries(r!.dims), { n: 2, m: 3, _1: 4 });
});

bind('a given value replaces the default', () => {
  const sink = createSink();
  const r = bindArguments(g, args(...okArgs, 'k=-7'), sink);
  assert.equal(values(r!.params.get('k')), [-7]);
});

bind('symbolic dimension mismatch names both parameters and both sizes', () => {
  const sink = createSink();
  const r = bindArguments(g, args(okArgs[0]!, 'y=[1, 2, 3]', okArgs[2]!, okArgs[3]!), sink);
  assert.is(r, undefined);
  assert.equal(codes(sink), ['TH0665']);
  assert.is(sink.diagnostics[0]!.message, 'dimension `n` is 2 from `x` but 3 from `y`');
  assert.is(sink.diagnostics[0]!.primary!.span.line, 3);
});

bind('compound dimension 2*n is checked after n is bound', () => {
  const sink = createSink();
  bindArguments(g, args(okArgs[0]!, okArgs[1]!, okArgs[2]!, 'w=[[1, 2, 3], [4, 5, 6]]'), sink);
  assert.equal(codes(sink), ['TH0664']);
  assert.match(sink.diagnostics[0]!.message, /`w`.*axis 1 must be 2\*n = 4, not 3/);
});

bind('wrong rank and wrong constant dimension', () => {
  const s1 = createSink();
  bindArguments(g, args('x=[1, 2]', okArgs[1]!, okArgs[2]!, okArgs[3]!), s1);
  assert.ok(codes(s1).includes('TH0663'));
  assert.match(messages(s1), /argument `x` has shape \[2\] \(1 dimensions\) but `x` is declared f64\[n, m\] \(2 dimensions\)/);
  const s2 = createSink();
  bindArguments(g, args(okArgs[0]!, okArgs[1]!, 'z=[[1, 2, 3]]', okArgs[3]!), s2);
  assert.equal(codes(s2), ['TH0664']);
  assert.match(s2.diagnostics[0]!.message, /axis 1 must be 2, not 3/);
});

bind('missing, unknown (with a suggestion) and duplicate arguments are each reported', () => {
  const sink = createSink();
  bindArguments(g, args(okArgs[0]!, okArgs[2]!, okArgs[3]!, 'xx=[1]', 'x=[[1]]'), sink);
  assert.equal(codes(sink).sort(), ['TH0655', 'TH0656', 'TH0657']);
  const text = messages(sink);
  assert.match(text, /missing argument `y` for `f`, declared f32\[n\]/);
  assert.match(text, /`f` has no parameter named `xx`.*similar name exists: `x`/);
  assert.match(text, /argument `x` is given more than once/);
});

bind('booleans for a float parameter, malformed JSON, ragged lists, fractional ints', () => {
  const gi = graph([param('a', 'f32', [], 2), param('i', 'i32', ['n'], 3)]);
  const cases: [string[], string][] = [
    [['a=true', 'i=[1]'], 'TH0666'],
    [['a=[1', 'i=[1]'], 'TH0658'],
    [['a=1', 'i=[[1, 2], [3]]'], 'TH0661'],
    [['a=1', 'i=[1.5]'], 'TH0661'],
    [['a={"v": 1}', 'i=[1]'], 'TH0668'],
    [['a=null', 'i=[1]'], 'TH0668'],
    [['a="Infinity"', 'i=["NaN"]'], 'TH0661'],
  ];
  for (const [raw, code] of cases) {
    const sink = createSink();
    assert.is(bindArguments(gi, args(...raw), sink), undefined, raw.join(' '));
    assert.equal(codes(sink), [code], raw.join(' '));
  }
});

bind('"NaN" and "Infinity" strings are accepted for float parameters', () => {
  const gf = graph([param('a', 'f32', ['n'], 2)]);
  const sink = createSink();
  const r = bindArguments(gf, args('a=["NaN", "Infinity", "-Infinity", 1]'), sink);
  assert.equal(codes(sink), []);
  const v = values(r!.params.get('a'));
  assert.ok(Number.isNaN(v[0]));
  assert.equal(v.slice(1), [Infinity, -Infinity, 1]);
});

bind('.npy files: safe casts convert, unsafe casts are rejected naming both dtypes', () => {
  const dir = tempDir('bind');
  python(`np.save('f32.npy', np.array([1.5, 2.25], dtype=np.float32)); np.save('f64.npy', np.array([1.5, 2.25]))
np.save('i32.npy', np.array([7, -8], dtype=np.int32)); np.save('b.npy', np.array([True, False]))`, dir);
  const gv = graph([param('v', 'f64', ['n'], 2)]);
  const gf = graph([param('v', 'f32', ['n'], 2)]);
  for (const [file, want] of [['f32.npy', [1.5, 2.25]], ['i32.npy', [7, -8]], ['b.npy', [1, 0]]] as const) {
    const sink = createSink();
    const r = bindArguments(gv, args(`v=@${join(dir, file)}`), sink);
    assert.equal(codes(sink), [], file);
    assert.is(r!.params.get('v')!.dtype, 'f64');
    assert.equal(values(r!.params.get('v')), [...want]);
  }
  for (const file of ['f64.npy', 'i32.npy']) {
    const sink = createSink();
    assert.is(bindArguments(gf, args(`v=@${join(dir, file)}`), sink), undefined);
    assert.equal(codes(sink), ['TH0662']);
    assert.match(sink.diagnostics[0]!.message, new RegExp(`argument \`v\` \\(from \`.*${file}\`\\) has dtype (f64|i32) but \`v\` is declared f32\\[n\\]`));
  }
});

bind('numpy safe-cast table', () => {
  // np.can_cast(a, b, 'safe') for our dtypes, computed with numpy.
  const names: Record<DType, string> = { bool: 'bool', i32: 'int32', u32: 'uint32', f16: 'float16', f32: 'float32', f64: 'float64' };
  const dts = Object.keys(names) as DType[];
  const out = python(`names = ${JSON.stringify(dts.map(d => names[d]))}
print(' '.join('1' if np.can_cast(a, b, 'safe') else '0' for a in names for b in names))`).trim().split(' ');
  let k = 0;
  for (const a of dts) for (const c of dts) {
    // numpy allows i32/u32 -> i64 too, which .th lacks; among our dtypes the tables must agree.
    assert.is(canCastSafe(a, c), out[k++] === '1', `${a} -> ${c}`);
  }
});

// ---------------------------------------------------------------- state

const st = suite('state');

function sharedVar(name: string, dtype: DType, shape: number[], init: SharedVar['init'], line: number): SharedVar {
  return { name, type: tensorType(dtype, shape), init, span: span(line) };
}

const wInit = b.constant(arr('f64', [3], [1, 2, 3]));
const sharedDecls = (loadPath: string): SharedVar[] => [
  sharedVar('w', 'f64', [3], { kind: 'expr', node: wInit }, 2),
  sharedVar('b', 'f32', [], { kind: 'expr', node: b.constant(arr('f32', [], [0.5])) }, 3),
  sharedVar('m', 'f32', [2, 2], { kind: 'load', path: loadPath, span: span(4) }, 4),
];

st('initial state evaluates initialisers and loads .npy files (safe casts convert)', () => {
  const dir = tempDir('state');
  python(`np.save('m.npy', np.array([[1, 2], [3, 4]], dtype=np.float16))`, dir);
  const sink = createSink();
  const store = initialState(sharedDecls(join(dir, 'm.npy')), sink);
  assert.equal(codes(sink), []);
  assert.equal([...store!.keys()], ['w', 'b', 'm']);
  assert.equal(values(store!.get('w')), [1, 2, 3]);
  assert.is(store!.get('b')!.dtype, 'f32');
  assert.equal(values(store!.get('b')), [0.5]);
  assert.is(store!.get('m')!.dtype, 'f32');
  assert.equal(values(store!.get('m')), [1, 2, 3, 4]);
});

st('load() initialiser: missing file, wrong shape and unsafe dtype point at the declaration', () => {
  const dir = tempDir('state');
  python(`np.save('bad_shape.npy', np.zeros((3, 2), dtype=np.float32)); np.save('bad_dtype.npy', np.zeros((2, 2), dtype=np.int32))
open('corrupt.npy', 'wb').write(b'not an npy file')`, dir);
  for (const [file, code] of [['nope.npy', 'TH0670'], ['corrupt.npy', 'TH0670'], ['bad_shape.npy', 'TH0671'], ['bad_dtype.npy', 'TH0671']]) {
    const sink = createSink();
    assert.is(initialState(sharedDecls(join(dir, file!)), sink), undefined, file);
    assert.equal(codes(sink), [code], file);
    assert.is(sink.diagnostics[0]!.primary!.span.line, 4);
    assert.match(sink.diagnostics[0]!.message, /`m`|shared `m`/);
  }
});

st('--load-state reads a numpy-written .npz; missing, extra and mistyped entries are named', () => {
  const dir = tempDir('state');
  python(`
np.savez('good.npz', w=np.array([4., 5., 6.]), b=np.float32(2.5), m=np.eye(2, dtype=np.float32))
np.savez('missing.npz', w=np.array([4., 5., 6.]), b=np.float32(2.5))
np.savez('extra.npz', w=np.array([4., 5., 6.]), b=np.float32(2.5), m=np.eye(2, dtype=np.float32), velocity=np.zeros(3))
np.savez('dtype.npz', w=np.array([4., 5., 6.]), b=np.float64(2.5), m=np.eye(2, dtype=np.float32))
np.savez('shape.npz', w=np.array([4., 5.]), b=np.float32(2.5), m=np.eye(2, dtype=np.float32))
open('corrupt.npz', 'wb').write(b'PK garbage')`, dir);
  const decls = sharedDecls('unused.npy');
  const sink = createSink();
  const store = loadState(decls, join(dir, 'good.npz'), sink);
  assert.equal(codes(sink), []);
  assert.equal(values(store!.get('w')), [4, 5, 6]);
  assert.equal(values(store!.get('b')), [2.5]);
  assert.equal(values(store!.get('m')), [1, 0, 0, 1]);
  const expect: [string, string, RegExp][] = [
    ['missing.npz', 'TH0673', /has no entry `m` for shared `m`/],
    ['extra.npz', 'TH0674', /has an entry `velocity` that is not a shared variable/],
    ['dtype.npz', 'TH0675', /entry `b` of state file .* is f64 but shared `b` is declared f32/],
    ['shape.npz', 'TH0675', /entry `w` of state file .* is f64\[2\] but shared `w` is declared f64\[3\]/],
    ['corrupt.npz', 'TH0672', /cannot read state file .*corrupt\.npz/],
    ['absent.npz', 'TH0672', /cannot read state file .*absent\.npz`: no such file/],
  ];
  for (const [file, code, re] of expect) {
    const s = createSink();
    assert.is(loadState(decls, join(dir, file), s), undefined, file);
    assert.equal(codes(s), [code], file);
    assert.match(s.diagnostics[0]!.message, re);
  }
});

st('updates apply together and replace values', () => {
  const store = new Map([['a', arr('f64', [], [1])], ['b', arr('f64', [], [2])]]);
  // a swap: both new values were computed from the pre-call state
  applyUpdates(store, new Map([['a', store.get('b')!], ['b', store.get('a')!]]));
  assert.equal(values(store.get('a')), [2]);
  assert.equal(values(store.get('b')), [1]);
  assert.throws(() => applyUpdates(store, new Map([['c', arr('f64', [], [0])]])));
});

st('--save-state writes every variable under its own name (numpy reads it back)', () => {
  const dir = tempDir('state');
  const path = join(dir, 'out.npz');
  const store = new Map([['w', arr('f64', [3], [1.25, -2, 3])], ['b', arr('f32', [], [0.5])], ['k', arr('i32', [2, 2], [1, 2, 3, -4])]]);
  const sink = createSink();
  assert.ok(saveState(store, path, sink));
  assert.equal(codes(sink), []);
  const out = python(`d = np.load('out.npz')
print(sorted(d.files), d['w'].dtype, d['w'].tolist(), d['b'].dtype, d['b'].shape, float(d['b']), d['k'].dtype, d['k'].tolist())`, dir).trim();
  assert.is(out, "['b', 'k', 'w'] float64 [1.25, -2.0, 3.0] float32 () 0.5 int32 [[1, 2], [3, -4]]");
  assert.equal(readdirSync(dir), ['out.npz']); // the temporary file was renamed, nothing left over
});

st('a failing save leaves the old file intact and no temporary file behind', () => {
  const dir = tempDir('state');
  const path = join(dir, 'keep.npz');
  writeFileSync(path, 'old contents');
  let tmpSeen = '';
  const failingIO: StateIO = { ...fsStateIO, rename(from) { tmpSeen = from; throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' }); } };
  const sink = createSink();
  assert.is(saveState(new Map([['w', arr('f64', [1], [1])]]), path, sink, failingIO), false);
  assert.equal(codes(sink), ['TH0676']);
  assert.match(sink.diagnostics[0]!.message, /cannot write state file `.*keep\.npz`/);
  assert.is(readFileSync(path, 'utf8'), 'old contents');
  assert.ok(tmpSeen.startsWith(dir), 'temporary file lives in the same folder');
  assert.not.ok(existsSync(tmpSeen));
  assert.equal(readdirSync(dir), ['keep.npz']);
});

st.after(removeTempDirs);

bind.run();
st.run();
