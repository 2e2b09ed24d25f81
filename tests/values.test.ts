/**
 * @file Value IO: .npy/.npz read against fixtures written by numpy (tests/fixtures/values/make.py),
 * byte-identical .npy writes, files we write loaded back by numpy, every ValueError path, JSON
 * values both ways, and roundF16/halfBits against numpy's float16. Python checks are skipped with
 * a message when python3+numpy is missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readNpy, writeNpy } from '../src/runtime/npy.js';
import { readNpz, writeNpz } from '../src/runtime/npz.js';
import { jsonToArray, arrayToJson } from '../src/runtime/json-value.js';
import { fromNumbers, roundF16, type NDArray } from '../src/runtime/ndarray.js';
import { halfBits, halfFromBits } from '../src/runtime/half.js';
import { ValueError } from '../src/runtime/value-error.js';
import { codeInfo, fillTemplate } from '../src/diag/codes.js';
import { repoPath } from './helpers/paths.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(repoPath('tests', 'fixtures', 'values', name)));
const values = (a: NDArray): number[] => Array.from(a.data);

function python(code: string): string | undefined {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) {
    console.log(`  skipped a numpy check: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  return r.stdout;
}

/** Runs fn, expecting a ValueError with `code` whose args include `args`; returns its message. */
function expectError(fn: () => unknown, code: string, args: Record<string, string | number> = {}): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    assert.is(e.code, code, `expected ${code}, got ${e.code} ${JSON.stringify(e.args)}`);
    for (const [k, v] of Object.entries(args)) assert.is(e.args[k], v, `arg ${k}`);
    const message = fillTemplate(codeInfo(e.code).message, e.args);
    assert.not.match(message, /\{\w+\}/, 'every placeholder is filled');
    return message;
  }
  assert.unreachable(`expected ${code}`);
  return '';
}

// ---------------------------------------------------------------- .npy

test('npy: reads every core dtype written by np.save', () => {
  const f64 = readNpy(fixture('f64_2x3.npy'));
  assert.is(f64.dtype, 'f64');
  assert.equal(f64.shape, [2, 3]);
  assert.equal(values(f64), [0.5, -1.25, 3, 1e-300, Infinity, NaN]);
  const f32 = readNpy(fixture('f32_vec.npy'));
  assert.is(f32.dtype, 'f32');
  assert.equal(values(f32), [Math.fround(0.1), -2.5, 3.4028234663852886e38]);
  const f16 = readNpy(fixture('f16_vals.npy'));
  assert.is(f16.dtype, 'f16');
  // numpy: np.float16(x).item() for 0.1, 65504, 6e-8, -0.0, inf, 1/3
  assert.equal(values(f16), [0.0999755859375, 65504, 5.960464477539063e-8, -0, Infinity, 0.333251953125]);
  assert.ok(Object.is(f16.data[3], -0));
  assert.equal(values(readNpy(fixture('i32.npy'))), [-2147483648, 0, 2147483647]);
  assert.equal(values(readNpy(fixture('u32.npy'))), [0, 4294967295, 7]);
  const b = readNpy(fixture('bool_2x2.npy'));
  assert.is(b.dtype, 'bool');
  assert.equal(values(b), [1, 0, 0, 1]);
});

test('npy: 0-d, zero-size and format versions 2.0 and 3.0', () => {
  const s = readNpy(fixture('scalar_f64.npy'));
  assert.equal(s.shape, []);
  assert.equal(values(s), [2.5]);
  const e = readNpy(fixture('empty_0x3.npy'));
  assert.is(e.dtype, 'f32');
  assert.equal(e.shape, [0, 3]);
  assert.is(e.data.length, 0);
  for (const name of ['v2.npy', 'v3.npy']) {
    const a = readNpy(fixture(name));
    assert.is(a.dtype, 'i32');
    assert.equal(a.shape, [2, 2]);
    assert.equal(values(a), [0, 1, 2, 3]);
  }
});

test('npy: writing reproduces np.save byte for byte', () => {
  for (const name of ['f64_2x3.npy', 'f32_vec.npy', 'f16_vals.npy', 'i32.npy', 'u32.npy', 'bool_2x2.npy', 'scalar_f64.npy', 'empty_0x3.npy']) {
    const bytes = fixture(name);
    assert.equal(writeNpy(readNpy(bytes)), bytes, name);
  }
});

test('npy: errors name the problem', () => {
  expectError(() => readNpy(fixture('fortran.npy')), 'TH0604');
  expectError(() => readNpy(fixture('bigendian.npy')), 'TH0605', { descr: '>f8', little: '<f8' });
  expectError(() => readNpy(fixture('int64.npy')), 'TH0606', { descr: '<i8', name: 'int64', astype: 'np.int32' });
  expectError(() => readNpy(fixture('object.npy')), 'TH0608', { descr: '|O' });
  expectError(() => readNpy(new TextEncoder().encode('PK\x03\x04 not npy')), 'TH0600');
  expectError(() => readNpy(new Uint8Array(0)), 'TH0600', { found: 'empty' });
  const good = fixture('f64_2x3.npy');
  const v4 = good.slice();
  v4[6] = 4;
  expectError(() => readNpy(v4), 'TH0601', { version: '4.0' });
  expectError(() => readNpy(good.subarray(0, 40)), 'TH0602', { needed: 128, actual: 40 });
  const broken = good.slice();
  broken.set(new TextEncoder().encode("{'descr' '<f8'"), 10);
  const msg = expectError(() => readNpy(broken), 'TH0603');
  assert.match(msg, /expected `:` after a dict key/);
  const noShape = good.slice();
  noShape.set(new TextEncoder().encode("{'descr': '<f8', 'fortran_order': False, 'shap': (2, 3), }"), 10);
  expectError(() => readNpy(noShape), 'TH0603');
  expectError(() => readNpy(good.subarray(0, good.length - 8)), 'TH0607', { shape: '(2, 3)', needed: 48, actual: 40 });
});

test('npy: files we write load in numpy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thc-npy-'));
  try {
    const arrays: [string, NDArray][] = [
      ['a', fromNumbers('f16', [3], [0.1, -0, 65504])],
      ['b', fromNumbers('bool', [2, 1], [1, 0])],
      ['c', fromNumbers('i32', [], [-7])],
      ['d', fromNumbers('u32', [2, 0], [])],
      ['e', fromNumbers('f32', [2, 2], [0.5, NaN, -Infinity, 1e-45])],
      ['f', fromNumbers('f64', [1, 1, 2], [Math.PI, -1e300])],
    ];
    for (const [name, a] of arrays) writeFileSync(join(dir, `${name}.npy`), writeNpy(a));
    const out = python(`
import numpy as np
for n in 'abcdef':
    a = np.load('${dir}/' + n + '.npy')
    print(n, a.dtype, a.shape, a.flags['C_CONTIGUOUS'], [float(x).hex() if a.dtype.kind == 'f' else x.item() for x in a.ravel()])
`);
    if (out === undefined) return;
    assert.fixture(out, [
      "a float16 (3,) True ['0x1.9980000000000p-4', '-0x0.0p+0', '0x1.ffc0000000000p+15']",
      'b bool (2, 1) True [True, False]',
      'c int32 () True [-7]',
      'd uint32 (2, 0) True []',
      "e float32 (2, 2) True ['0x1.0000000000000p-1', 'nan', '-inf', '0x1.0000000000000p-149']",
      "f float64 (1, 1, 2) True ['0x1.921fb54442d18p+1', '-0x1.7e43c8800759cp+996']",
      '',
    ].join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- .npz

test('npz: reads np.savez and np.savez_compressed (zip64 extras)', () => {
  for (const name of ['state.npz', 'state_compressed.npz']) {
    const m = readNpz(fixture(name));
    assert.equal([...m.keys()], ['w', 'b', 'mask'], name);
    assert.equal(values(m.get('w')!), [-1, -0.5, 0, 0.5, 1]);
    assert.equal(m.get('b')!.shape, []);
    assert.equal(values(m.get('b')!), [0.25]);
    assert.is(m.get('mask')!.dtype, 'bool');
    assert.equal(values(m.get('mask')!), [1, 0]);
  }
});

test('npz: errors name the entry', () => {
  expectError(() => readNpz(fixture('not_npy_entry.npz')), 'TH0621', { entry: 'notes.txt' });
  const msg = expectError(() => readNpz(fixture('corrupt_entry.npz')), 'TH0622', { entry: 'bad.npy' });
  assert.match(msg, /the \.npz entry `bad\.npy` is corrupt: /);
  expectError(() => readNpz(fixture('f64_2x3.npy')), 'TH0620');
  expectError(() => readNpz(new Uint8Array(0)), 'TH0620', { reason: 'it is empty' });
  // Damage the deflated stream of the first entry of a compressed archive.
  const z = fixture('state_compressed.npz').slice();
  for (let i = 40; i < 80; i++) z[i] = 0xff;
  expectError(() => readNpz(z), 'TH0622', { entry: 'w.npy' });
});

test('npz: what we write reads back here and in numpy', () => {
  const state = new Map<string, NDArray>([
    ['w', fromNumbers('f32', [2, 2], [1, 2, 3, 4.5])],
    ['step', fromNumbers('i32', [], [3])],
  ]);
  const bytes = writeNpz(state);
  const back = readNpz(bytes);
  assert.equal([...back.keys()], ['w', 'step']);
  assert.equal(values(back.get('w')!), [1, 2, 3, 4.5]);
  assert.equal(writeNpz(state), bytes, 'deterministic bytes');
  const dir = mkdtempSync(join(tmpdir(), 'thc-npz-'));
  try {
    writeFileSync(join(dir, 's.npz'), bytes);
    const out = python(`
import numpy as np
with np.load('${dir}/s.npz') as z:
    for k in z.files:
        print(k, z[k].dtype, z[k].shape, z[k].tolist())
`);
    if (out === undefined) return;
    assert.fixture(out, 'w float32 (2, 2) [[1.0, 2.0], [3.0, 4.5]]\nstep int32 () 3\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- JSON values

test('json: nested lists, scalars, specials and bools', () => {
  const a = jsonToArray([[0, 1], [-1, -2]], 'f64');
  assert.equal(a.shape, [2, 2]);
  assert.equal(values(a), [0, 1, -1, -2]);
  const s = jsonToArray(2.5, 'f32');
  assert.equal(s.shape, []);
  assert.equal(values(s), [2.5]);
  assert.equal(values(jsonToArray(['NaN', 'Infinity', '-Infinity', 0.1], 'f32')), [NaN, Infinity, -Infinity, Math.fround(0.1)]);
  assert.equal(values(jsonToArray([true, false, 1, 0], 'bool')), [1, 0, 1, 0]);
  assert.equal(values(jsonToArray([true, 3], 'i32')), [1, 3]);
  assert.equal(values(jsonToArray([4294967295, 0], 'u32')), [4294967295, 0]);
  assert.equal(values(jsonToArray([-2147483648, 2147483647], 'i32')), [-2147483648, 2147483647]);
  assert.equal(jsonToArray([], 'f32').shape, [0]);
  assert.equal(jsonToArray([[], []], 'f32').shape, [2, 0]);
  assert.equal(values(jsonToArray([0.1], 'f16')), [0.0999755859375]);
});

test('json: errors say where', () => {
  assert.is(
    expectError(() => jsonToArray([[1, 2], [3]], 'f64'), 'TH0630', { path: '[1]', actual: 1, expected: 2 }),
    'the JSON array is ragged: [1] has 1 elements but its siblings have 2',
  );
  expectError(() => jsonToArray([[[1], [2]], [[3], [4, 5]]], 'f64'), 'TH0630', { path: '[1][1]' });
  expectError(() => jsonToArray([1, [2]], 'f64'), 'TH0636', { path: '[1]' });
  expectError(() => jsonToArray([[1], 2], 'f64'), 'TH0636', { path: '[1]' });
  expectError(() => jsonToArray([1, 'x'], 'f64'), 'TH0631', { path: '[1]', found: 'the string "x"' });
  expectError(() => jsonToArray([null], 'f64'), 'TH0631', { found: 'null' });
  expectError(() => jsonToArray({ a: 1 }, 'f64'), 'TH0631', { path: 'the top level', found: 'an object' });
  expectError(() => jsonToArray([1, 2.5], 'i32'), 'TH0632', { path: '[1]', value: '2.5', dtype: 'i32' });
  expectError(() => jsonToArray(['NaN'], 'u32'), 'TH0633', { value: '"NaN"' });
  expectError(() => jsonToArray([2147483648], 'i32'), 'TH0634', { min: -2147483648, max: 2147483647 });
  expectError(() => jsonToArray([-1], 'u32'), 'TH0634', { value: '-1', min: 0 });
  expectError(() => jsonToArray([2], 'bool'), 'TH0635', { value: '2' });
});

test('json: arrayToJson is tolist() with strings for specials and short f32', () => {
  assert.is(JSON.stringify(arrayToJson(fromNumbers('f32', [2, 2], [0.1, NaN, Infinity, -Infinity]))), '[[0.1,"NaN"],["Infinity","-Infinity"]]');
  // numpy: repr(np.float16(65504)) is 65500.0, the shortest decimal that reads back as 65504 in f16
  assert.is(JSON.stringify(arrayToJson(fromNumbers('f16', [2], [0.1, 65504]))), '[0.1,65500]');
  assert.is(JSON.stringify(arrayToJson(fromNumbers('f32', [2], [1 / 3, 16777217]))), '[0.33333334,16777216]');
  assert.is(JSON.stringify(arrayToJson(fromNumbers('f64', [3], [0.1, 1 / 3, 1e300]))), '[0.1,0.3333333333333333,1e+300]');
  assert.is(JSON.stringify(arrayToJson(fromNumbers('bool', [2], [1, 0]))), '[true,false]');
  assert.is(JSON.stringify(arrayToJson(fromNumbers('u32', [], [4294967295]))), '4294967295');
  assert.is(JSON.stringify(arrayToJson(fromNumbers('i32', [2, 0], []))), '[[],[]]');
  const round = jsonToArray(arrayToJson(fromNumbers('f32', [3], [0.1, 1e-45, 3.4028234663852886e38])), 'f32');
  assert.equal(values(round), [Math.fround(0.1), Math.fround(1e-45), 3.4028234663852886e38]);
});

// ---------------------------------------------------------------- half precision

test('roundF16 and halfBits: hand-checked edges', () => {
  assert.is(roundF16(65504), 65504);
  assert.is(roundF16(65519.99), 65504);
  assert.is(roundF16(65520), Infinity); // the tie between 65504 and 2^16 goes to the even (infinite) side
  assert.is(roundF16(-65520), -Infinity);
  assert.is(roundF16(2 ** -24), 2 ** -24); // smallest subnormal
  assert.ok(Object.is(roundF16(2 ** -25), 0)); // tie with 0 goes to even 0
  assert.ok(Object.is(roundF16(-(2 ** -25)), -0));
  assert.is(roundF16(1.5 * 2 ** -24), 2 ** -23); // tie between 1 and 2 subnormal steps -> 2
  assert.is(roundF16(1 + 2 ** -11), 1); // tie -> even mantissa
  assert.is(roundF16(1 + 3 * 2 ** -11), 1 + 2 ** -9);
  assert.is(roundF16(2 ** -14 - 2 ** -25), 2 ** -14); // rounds up into the normals
  assert.is(halfBits(65504), 0x7bff);
  assert.is(halfBits(-0), 0x8000);
  assert.is(halfBits(2 ** -24), 0x0001);
  assert.is(halfBits(1), 0x3c00);
  assert.is(halfBits(Infinity), 0x7c00);
  assert.is(halfBits(NaN), 0x7e00);
  assert.is(halfFromBits(0x3555), 0.333251953125);
});

test('roundF16 and halfBits agree with numpy float16 on many values', () => {
  const out = python(`
import numpy as np
rng = np.random.default_rng(7)
x = np.concatenate([
    rng.standard_normal(3000) * 10.0 ** rng.uniform(-9, 6, 3000),
    (np.arange(-40, 40) * 2.0 ** -25),                       # subnormal steps and ties
    1 + np.arange(0, 64) * 2.0 ** -12,                        # ties around 1
    2048 + np.arange(0, 16) * 0.5, 65504 + np.arange(-8, 24), # overflow edge
    [2.0 ** -14 - 2.0 ** -25, 2.0 ** -14 - 2.0 ** -26, 6.1e-5, 1e-8, -1e-8, 1e5, -1e5],
])
h = x.astype(np.float16)
for a, b, c in zip(x.tolist(), h.astype(np.float64).tolist(), h.view(np.uint16).tolist()):
    print(float(a).hex(), float(b).hex(), c)
`);
  if (out === undefined) return;
  const lines = out.trim().split('\n');
  assert.ok(lines.length > 3000);
  const bad: string[] = [];
  for (const line of lines) {
    const [xs, hs, bits] = line.split(' ') as [string, string, string];
    const x = parseHexFloat(xs);
    const want = parseHexFloat(hs);
    if (!Object.is(roundF16(x), want) || halfBits(x) !== Number(bits)) bad.push(`${xs}: want ${hs}/${bits}, got ${roundF16(x)}/${halfBits(x)}`);
  }
  assert.equal(bad.slice(0, 5), []);
});

/** Python's float.hex() text back to a number. */
function parseHexFloat(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`bad hex float ${s}`);
  const frac = parseInt(m[3]!, 16) / 16 ** m[3]!.length;
  const v = (Number(m[2]) + frac) * 2 ** Number(m[4]);
  return m[1] ? -v : v;
}

test.run();
