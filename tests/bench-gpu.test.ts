/**
 * @file The GPU benchmark's machinery (bench/gpu-*.ts) at tiny sizes on the machine's adapter: the
 * pass timer around thc's runner (outputs computed by hand), TensorFlow.js's WebGPU backend on the
 * benchmark's shared device (a product and a gradient by hand), and every benchmark workload run
 * by both peers with the same initial values, whose first outputs must agree (two independent
 * implementations). Skipped without an adapter, like the other GPU suites (THC_REQUIRE_GPU=1 fails).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromNumbers } from '../src/runtime/ndarray.js';
import { createWgslRunner } from '../src/backend/wgsl/run.js';
import { benchGpu, type BenchGpu } from '../bench/gpu-device.js';
import { loadTfjs } from '../bench/gpu-tfjs.js';
import { runWorkload } from '../bench/gpu.js';
import { workloads, type Sizes } from '../bench/gpu-workloads.js';
import { requireGpu } from './helpers/gpu.js';
import { compileKernelsOk, scheduleOf } from './helpers/schedule-oracle.js';

const TINY: Sizes = { elementwise: 1024, softmax: [8, 16], matmul: [16], mlp: { batch: 8, inputs: 784, hidden: 16, classes: 10 } };

const acquired = await benchGpu();
let bg: BenchGpu | null = null;
if ('error' in acquired) {
  if (requireGpu()) test('GPU benchmark device', () => assert.unreachable(`THC_REQUIRE_GPU=1 but ${acquired.error}`));
  else console.log(`skip: ${acquired.error}; set THC_REQUIRE_GPU=1 to make this a failure`);
} else {
  bg = acquired;
}
const tfjs = bg ? await loadTfjs(bg) : null;
test.after(() => {
  if (tfjs && 'tf' in tfjs) tfjs.tf.removeBackend('webgpu');
  bg?.release();
  delete (globalThis as { navigator?: unknown }).navigator;
});
const gpuTest = (name: string, body: (bg: BenchGpu) => Promise<void>): void => {
  if (bg) test(name, () => body(bg!));
  else test.skip(name);
};

gpuTest('the pass timer times thc runner calls through the wrapped device; a measurement without passes is 0 ms', async bg => {
  assert.ok(bg.timer.supported, 'lavapipe and hardware adapters offer timestamp-query');
  const r = compileKernelsOk('fn f(x: f32[n]) = x * 2 + 1');
  const { s } = scheduleOf(r, 'f');
  const runner = createWgslRunner(bg.gpu, s, r.graphs!, new Map());
  try {
    const call = { params: new Map([['x', fromNumbers('f32', [4], [0.5, -1, 2, 3])]]), dims: new Map([['n', 4]]) };
    await runner.run(call);
    bg.timer.begin();
    const t0 = performance.now();
    const out = await runner.run(call);
    const wall = performance.now() - t0;
    const ms = await bg.timer.end();
    assert.equal([...out.get(out.keys().next().value!)!.data], [2, -1, 5, 7]);
    assert.ok(ms > 0 && ms <= wall, `gpu ${ms} ms, wall ${wall} ms`);
    bg.timer.begin();
    assert.is(await bg.timer.end(), 0);
  } finally {
    runner.destroy();
  }
});

gpuTest('TensorFlow.js runs on the shared device: a product and a gradient by hand, timed by the same timer', async bg => {
  assert.ok(tfjs && 'tf' in tfjs, tfjs && 'error' in tfjs ? tfjs.error : 'not loaded');
  const tf = tfjs.tf;
  assert.is(tf.getBackend(), 'webgpu');
  bg.timer.begin();
  const c = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, 2], [3, 4]]));
  assert.equal([...await c.data()], [7, 10, 15, 22]);
  assert.ok(await bg.timer.end() > 0);
  const w = tf.variable(tf.tensor1d([1, 2, 3]), true, 'bench_test_w');
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(w)) as ReturnType<typeof tf.scalar>, [w]);
  assert.equal([...await value.data()], [14]);
  assert.equal([...await grads[w.name]!.data()], [2, 4, 6]);
  tf.dispose([c, w, value, grads[w.name]!]);
});

gpuTest('every benchmark workload at tiny sizes: thc and TensorFlow.js agree on the first call (1e-5 of the largest value)', async bg => {
  assert.ok(tfjs && 'tf' in tfjs);
  // The first call (the one compared) compiles the pipelines; one more is timed.
  const budget = { seconds: 0, minCalls: 1, maxCalls: 1, warmCalls: 0 };
  for (const w of workloads(TINY)) {
    const r = await runWorkload(bg, tfjs, w, budget);
    assert.ok(!('error' in r.thc), `${w.id}: thc: ${'error' in r.thc ? r.thc.error : ''}`);
    assert.ok(r.tfjs && !('error' in r.tfjs), `${w.id}: tfjs: ${r.tfjs && 'error' in r.tfjs ? r.tfjs.error : ''}`);
    assert.ok(r.maxRelDiff !== null && r.maxRelDiff <= 1e-5, `${w.id}: thc and tfjs differ by ${r.maxRelDiff}: ${JSON.stringify(r.sample)}`);
    assert.ok(r.thc.gpuMs !== null && r.thc.gpuMs > 0 && r.thc.calls === 1, `${w.id}: ${JSON.stringify(r.thc)}`);
    assert.ok(r.ratio !== null && r.ratio > 0);
  }
});

test.run();
