// CPU benchmark peer: the issue-5 workloads in TensorFlow.js, on its pure-JS CPU backend or its
// Wasm backend (SIMD and threads as the package ships them for Node).
// Usage: node tfjs_peer.mjs BUNDLE cpu|wasm SCALE WASM_DIR  ->  one JSON object on stdout:
// {workload: median seconds}. BUNDLE is tfjs-core with its gradients and both backends, bundled by
// bench/cpu.ts (tfjs-core's Node build registers no gradients); WASM_DIR holds the .wasm files.
// Every timed call ends with a readback (dataSync), so lazy execution cannot hide work.
import { pathToFileURL } from 'node:url';

const [bundle, backend = 'cpu', scaleText = '1', wasmDir = ''] = process.argv.slice(2);
const tf = await import(pathToFileURL(bundle).href);
const scale = Number(scaleText);
if (backend === 'wasm') tf.setWasmPaths(wasmDir);
if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
await tf.ready();

function timed(fn, budget = 3, maxReps = 15, minReps = 3) {
  fn();
  const times = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budget * 1000)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const randn = (shape, s = 1) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), s);
const out = {};

const n = Math.max(1024, Math.floor(2 ** 25 * scale));
const x = randn([n]);
out.chain = timed(() => tf.tidy(() => tf.sum(tf.add(tf.mul(tf.sigmoid(x), x), tf.log1p(tf.mul(x, x)))).dataSync()));

const r = Math.max(64, Math.floor(4096 * scale));
const s = randn([r, 1024]);
out.softmax = timed(() => tf.tidy(() => tf.softmax(s).dataSync()));

const m = scale >= 0.25 ? 1024 : 256;
const a = randn([m, m]), b = randn([m, m]);
out.matmul = timed(() => tf.tidy(() => tf.matMul(a, b).dataSync()));

// Logistic regression, one step (samples/logreg.th in f32: tfjs has no f64), gradients by tf.grads.
const xl = randn([400, 784]);
const yl = tf.cast(tf.less(tf.randomUniform([400], 0, 1, 'float32', 2), 0.5), 'float32');
const w = tf.variable(randn([784], 0.01)), bias = tf.variable(tf.scalar(0));
const cost = () => {
  const p1 = tf.sigmoid(tf.add(tf.squeeze(tf.matMul(xl, tf.reshape(w, [784, 1])), [1]), bias));
  const xent = tf.sub(tf.neg(tf.mul(yl, tf.log(p1))), tf.mul(tf.sub(1, yl), tf.log(tf.sub(1, p1))));
  return tf.add(tf.mean(xent), tf.mul(0.01, tf.sum(tf.square(w))));
};
const sgd = tf.train.sgd(0.1);
out.logreg_step = timed(() => tf.tidy(() => { sgd.minimize(cost, false, [w, bias]); return bias.dataSync(); }), 3, 50, 5);

// A 784-256-10 tanh MLP step with softmax cross-entropy, batch 256.
const xm = randn([256, 784]);
const ym = tf.oneHot(tf.cast(tf.mul(tf.randomUniform([256], 0, 1, 'float32', 3), 10), 'int32'), 10);
const W1 = tf.variable(randn([784, 256], 0.05)), b1 = tf.variable(tf.zeros([256]));
const W2 = tf.variable(randn([256, 10], 0.05)), b2 = tf.variable(tf.zeros([10]));
const loss = () => tf.losses.softmaxCrossEntropy(ym, tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(xm, W1), b1)), W2), b2));
out.mlp = timed(() => tf.tidy(() => { sgd.minimize(loss, false, [W1, b1, W2, b2]); return b2.dataSync(); }));
out.sizes = { chain: n, softmax: [r, 1024], matmul: m };
console.log(JSON.stringify(out));
