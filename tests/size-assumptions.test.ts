/**
 * @file Where two `_` dimensions meet, compiled kernels take the sizes to be equal
 * (schedule/assumptions.ts): which pairs are listed, and that the JS target's and the GPU's
 * runtimes (and so the modules that embed them) refuse a call breaking one instead of reading past
 * a buffer. The C entry points return THC_ESHAPE (tests/c-backend.test.ts); `thc run` moves such a
 * call to the interpreter (tests/run-device.test.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../src/ops/index.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { sizeAssumptions, brokenAssumption } from '../src/schedule/assumptions.js';
import { createJsRunner } from '../src/backend/js/run.js';
import { createWgslRunner } from '../src/backend/wgsl/run.js';
import { compileKernelsOk } from './helpers/schedule-oracle.js';
import { withGpu } from './helpers/gpu.js';

const gpuTest = await withGpu(test);

const pairs = (src: string): string[] => {
  const r = compileKernelsOk(src);
  return sizeAssumptions(r.graphs!.entries[0]!).map(a => `${a.a}=${a.b} ${a.node.op}`);
};

test('the pairs: two _ in a broadcast, _ against a name, matmul inner sizes, a reshape; none where names or literals already agree', () => {
  assert.equal(pairs('fn f(a: f32[_], b: f32[_]) = a + b'), ['_1=_2 add']);
  assert.equal(pairs('fn f(a: f32[n], b: f32[_]) = a * b'), ['_1=n mul']);
  assert.equal(pairs('fn f(a: f32[n, _], b: f32[_, m]) = a @ b'), ['_1=_2 matmul']);
  assert.equal(pairs('fn f(a: f32[_]) = reshape(a, [2, 3])'), ['_1=6 reshape']);
  assert.equal(pairs('fn f(x: f32[_, 784], w: f32[784]) = x @ w'), []);
  assert.equal(pairs('fn f(a: f32[n, m], b: f32[m]) = a + b'), []);
  assert.equal(pairs('fn f(a: f32[_], b: f32[1]) = a + b'), []);
});

test('brokenAssumption evaluates the pairs with a call\'s sizes', () => {
  const r = compileKernelsOk('fn f(a: f32[n], b: f32[_]) = a + b');
  const list = sizeAssumptions(r.graphs!.entries[0]!);
  assert.is(brokenAssumption(list, new Map([['n', 3], ['_1', 3]])), undefined);
  const b = brokenAssumption(list, new Map([['n', 3], ['_1', 1]]))!;
  assert.equal([b.a, b.b], [{ dim: '_1', size: 1 }, { dim: 'n', size: 3 }]);
  assert.is(brokenAssumption(list, new Map([['n', 3]])), undefined, 'an unbound size decides nothing');
});

const f32 = (v: number[]): NDArray => fromNumbers('f32', [v.length], v);
const SRC = 'fn f(a: f32[_], b: f32[_]) = a + b';

test('the JS target refuses a call whose `_` sizes differ where they meet, and runs one where they agree', async () => {
  const r = compileKernelsOk(SRC);
  const runner = createJsRunner(r.schedules!.get('f')!, r.graphs!, new Map());
  assert.throws(() => runner.runNow({ params: new Map([['a', f32([1, 2])], ['b', f32([1, 2, 3])]]) }), /sizes 2 and 3 meet in this call/);
  const out = runner.runNow({ params: new Map([['a', f32([1, 2])], ['b', f32([10, 20])]]) });
  assert.equal(Array.from(out.get('out0')!.data), [11, 22]);
});

gpuTest('the GPU runtime refuses a call whose `_` sizes differ where they meet, and runs one where they agree', async gpu => {
  const r = compileKernelsOk(SRC);
  const runner = createWgslRunner(gpu, r.schedules!.get('f')!, r.graphs!, new Map());
  try {
    const call = (a: number[], b: number[]) => runner.run({ params: new Map([['a', f32(a)], ['b', f32(b)]]), dims: new Map([['_1', a.length], ['_2', b.length]]) });
    let message = '';
    try { await call([1, 2], [1, 2, 3]); } catch (e) { message = String((e as Error).message); }
    assert.match(message, /sizes 2 and 3 meet in this call/);
    const out = await call([1, 2], [10, 20]);
    assert.equal(Array.from(out.get('out0')!.data), [11, 22]);
  } finally {
    runner.destroy();
  }
});

test.run();
