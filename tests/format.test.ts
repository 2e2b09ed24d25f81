/**
 * @file formatArray against numpy 2.x repr(): hand-checked examples, then a generated differential
 * test (tests/fixtures/values/format_oracle.py, fixed seed) comparing hundreds of random arrays
 * byte for byte. The differential part is skipped, with a message, when python3+numpy is missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { formatArray } from '../src/runtime/format.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { isDType, type DType } from '../src/sema/types.js';
import { repoPath } from './helpers/paths.js';

const arr = (dtype: DType, shape: number[], values: number[]): NDArray => fromNumbers(dtype, shape, values);

test('the seed example (LANGUAGE.md)', () => {
  assert.fixture(
    formatArray(arr('f64', [2, 2], [0.5, 0.7310585786300049, 0.2689414213699951, 0.11920292202211755])),
    'array([[0.5       , 0.73105858],\n       [0.26894142, 0.11920292]])',
  );
});

test('scalars, suffixes and empty arrays', () => {
  assert.is(formatArray(arr('f64', [], [0.5])), 'array(0.5)');
  assert.is(formatArray(arr('f32', [], [1])), 'array(1., dtype=float32)');
  assert.is(formatArray(arr('bool', [], [1])), 'array(True)');
  assert.is(formatArray(arr('i32', [3], [1, -20, 3])), 'array([  1, -20,   3], dtype=int32)');
  assert.is(formatArray(arr('u32', [2], [4294967295, 0])), 'array([4294967295,          0], dtype=uint32)');
  assert.is(formatArray(arr('bool', [3], [1, 0, 1])), 'array([ True, False,  True])');
  assert.is(formatArray(arr('f32', [0], [])), 'array([], dtype=float32)');
  assert.is(formatArray(arr('f64', [0, 3], [])), 'array([], shape=(0, 3), dtype=float64)');
  assert.is(formatArray(arr('f16', [2], [0.1, 65504])), 'array([1.00e-01, 6.55e+04], dtype=float16)');
});

test('floats: integer-valued, negative zero, nan and inf, exponent switch', () => {
  assert.is(formatArray(arr('f64', [3], [1, 2, -0])), 'array([ 1.,  2., -0.])');
  assert.is(formatArray(arr('f64', [3], [NaN, Infinity, -Infinity])), 'array([ nan,  inf, -inf])');
  assert.is(formatArray(arr('f64', [2], [1e-5, 1])), 'array([1.e-05, 1.e+00])');
  assert.is(formatArray(arr('f64', [2], [1e8, 1])), 'array([1.e+08, 1.e+00])');
  assert.is(formatArray(arr('f64', [2], [99999999, 1])), 'array([9.9999999e+07, 1.0000000e+00])');
  assert.is(formatArray(arr('f64', [2], [99999999, 100000])), 'array([99999999.,   100000.])');
  // Extra digits past the shortest repr are the exact binary value's digits, not zeros.
  assert.is(formatArray(arr('f32', [2], [1e-5, 1.2345678e-5])), 'array([9.9999997e-06, 1.2345678e-05], dtype=float32)');
  assert.is(formatArray(arr('f64', [2], [1e-5, 1.2345678e-5])), 'array([1.0000000e-05, 1.2345678e-05])');
});

test('summarised and wrapped layouts', () => {
  const big = arr('i32', [2000], Array.from({ length: 2000 }, (_, i) => i));
  assert.fixture(formatArray(big), 'array([   0,    1,    2, ..., 1997, 1998, 1999],\n      shape=(2000,), dtype=int32)');
  const cube = arr('f64', [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.fixture(formatArray(cube), 'array([[[0., 1.],\n        [2., 3.]],\n\n       [[4., 5.],\n        [6., 7.]]])');
  const row = arr('f64', [12], Array.from({ length: 12 }, (_, i) => i + 0.125));
  assert.fixture(
    formatArray(row),
    'array([ 0.125,  1.125,  2.125,  3.125,  4.125,  5.125,  6.125,  7.125,\n        8.125,  9.125, 10.125, 11.125])',
  );
});

interface OracleCase { dtype: string; shape: number[]; data: string; repr: string }

function oracleCases(count: number, seed: number): OracleCase[] | string {
  const script = repoPath('tests', 'fixtures', 'values', 'format_oracle.py');
  const r = spawnSync('python3', [script, String(count), String(seed)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) return `python3 with numpy is not available: ${r.error?.message ?? r.stderr}`;
  return r.stdout.trim().split('\n').map(l => JSON.parse(l) as OracleCase);
}

function caseArray(c: OracleCase): NDArray {
  if (!isDType(c.dtype)) throw new Error(`bad dtype ${c.dtype}`);
  const bytes = Buffer.from(c.data, 'base64');
  const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return fromNumbers(c.dtype, c.shape, values);
}

test('differential: random arrays print exactly as numpy repr() does', () => {
  const cases = oracleCases(800, 20240607);
  if (typeof cases === 'string') { console.log(`  skipped: ${cases}`); return; }
  assert.ok(cases.length === 800);
  const failures: string[] = [];
  for (const [i, c] of cases.entries()) {
    const got = formatArray(caseArray(c));
    if (got !== c.repr) failures.push(`case ${i} (${c.dtype} ${JSON.stringify(c.shape)}):\n--- numpy\n${c.repr}\n--- ours\n${got}`);
  }
  assert.is(failures.length, 0, `${failures.length} of ${cases.length} differ; first:\n${failures.slice(0, 3).join('\n')}`);
});

test.run();
