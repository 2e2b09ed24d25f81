/**
 * @file The GPU benchmark's workloads, each twice: as a `.th` program (inline, sizes filled in)
 * run by thc's WGSL backend, and as TensorFlow.js ops for its WebGPU backend. Inputs are shared
 * variables, so they stay on the GPU between calls on both sides (TensorFlow.js gets the very
 * values thc's initializers produced, and its first call's outputs are compared with thc's); a
 * call computes the outputs (and for the training steps the updates) and reads the outputs back.
 * Each workload names the work it does, for GB/s (the minimum traffic: each input read once, each
 * output written once) or GFLOP/s (2 flops per multiply-add of the matrix products).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/pipeline.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import type * as TF from '@tensorflow/tfjs-core';

export type Tf = typeof TF;

export interface Sizes {
  readonly elementwise: number;
  readonly softmax: readonly [rows: number, cols: number];
  readonly matmul: readonly number[];
  readonly mlp: { readonly batch: number; readonly inputs: number; readonly hidden: number; readonly classes: number };
}

/** The sizes issue 4 names, for a hardware GPU. */
export const FULL: Sizes = { elementwise: 2 ** 24, softmax: [4096, 1024], matmul: [1024, 2048, 4096], mlp: { batch: 256, inputs: 784, hidden: 256, classes: 10 } };

/** Small enough that the whole section takes well under a minute on lavapipe (2 shared CPU cores). */
export const SMOKE: Sizes = { elementwise: 2 ** 20, softmax: [256, 1024], matmul: [128, 256], mlp: { batch: 64, inputs: 784, hidden: 64, classes: 10 } };

/** The TensorFlow.js side of a workload: one call's outputs (run inside tf.tidy), and cleanup. */
export interface TfSide {
  call(): TF.Tensor[];
  dispose(): void;
}

export interface Workload {
  /** Short name: the key in the JSON report. */
  readonly id: string;
  readonly label: string;
  readonly source: string;
  readonly entry: string;
  readonly params: ReadonlyMap<string, NDArray>;
  /** Bytes moved at the minimum (GB/s) or flops done (GFLOP/s). */
  readonly work: { readonly unit: 'GB/s'; readonly bytes: number } | { readonly unit: 'GFLOP/s'; readonly flops: number };
  /** Builds the TensorFlow.js side from thc's initial shared values; its outputs come in the entry's order. */
  tfjs(tf: Tf, init: ReadonlyMap<string, NDArray>): TfSide;
}

const lr = (v: number): ReadonlyMap<string, NDArray> => new Map([['lr', fromNumbers('f32', [], [v])]]);
const tensorOf = (tf: Tf, a: NDArray): TF.Tensor => tf.tensor(a.data as Float32Array, [...a.shape], a.dtype === 'f32' ? 'float32' : 'int32');
let variables = 0;
/** TensorFlow.js variable names are global to the process. */
const variableOf = (tf: Tf, a: NDArray, name: string): TF.Variable => tf.variable(tensorOf(tf, a), true, `${name}_${++variables}`);
const disposeAll = (ts: readonly TF.Tensor[]): void => { for (const t of ts) t.dispose(); };

function elementwise(n: number): Workload {
  return {
    id: 'elementwise', label: `elementwise 2^${Math.log2(n)} f32`, entry: 'ew', params: new Map(),
    source: [
      '# A fused elementwise chain: one kernel that reads x once and writes the result once.',
      `shared x: f32[${n}] = uniform(-1, 1, seed=1)`,
      'fn ew() = sigmoid(x) * x + log1p(x * x)', '',
    ].join('\n'),
    work: { unit: 'GB/s', bytes: 8 * n },
    tfjs(tf, init) {
      const x = tensorOf(tf, init.get('x')!);
      return { call: () => [tf.add(tf.mul(tf.sigmoid(x), x), tf.log1p(tf.mul(x, x)))], dispose: () => x.dispose() };
    },
  };
}

function softmax([rows, cols]: readonly [number, number]): Workload {
  return {
    id: 'softmax', label: `row softmax ${rows}x${cols} f32`, entry: 'sm', params: new Map(),
    source: ['use nn', `shared x: f32[${rows}, ${cols}] = normal(0, 1, seed=2)`, 'fn sm() = softmax(x)', ''].join('\n'),
    work: { unit: 'GB/s', bytes: 8 * rows * cols },
    tfjs(tf, init) {
      const x = tensorOf(tf, init.get('x')!);
      return { call: () => [tf.softmax(x)], dispose: () => x.dispose() };
    },
  };
}

function matmul(n: number): Workload {
  return {
    id: `matmul${n}`, label: `matmul ${n}^3 f32`, entry: 'mm', params: new Map(),
    source: [`shared a: f32[${n}, ${n}] = uniform(-1, 1, seed=3)`, `shared b: f32[${n}, ${n}] = uniform(-1, 1, seed=4)`, 'fn mm() = a @ b', ''].join('\n'),
    work: { unit: 'GFLOP/s', flops: 2 * n ** 3 },
    tfjs(tf, init) {
      const a = tensorOf(tf, init.get('a')!), b = tensorOf(tf, init.get('b')!);
      return { call: () => [tf.matMul(a, b)], dispose: () => disposeAll([a, b]) };
    },
  };
}

/** samples/logreg.th in f32: 400 x 784, one gradient step per call, returns (cost, accuracy). */
function logreg(): Workload {
  const [n, d] = [400, 784];
  return {
    id: 'logreg', label: `logreg step ${n}x${d} f32`, entry: 'train', params: lr(0.1),
    source: readFileSync(join(PACKAGE_ROOT, 'samples', 'logreg.th'), 'utf8').replace(/f64/g, 'f32'),
    // x @ w forward, x^T @ (p - y) backward.
    work: { unit: 'GFLOP/s', flops: 2 * 2 * n * d },
    tfjs(tf, init) {
      const x = tensorOf(tf, init.get('D_x')!), coin = tensorOf(tf, init.get('D_coin')!);
      const w = variableOf(tf, init.get('w')!, 'w'), b = variableOf(tf, init.get('b')!, 'b');
      return {
        call() {
          const target = tf.less(coin, 0.5);
          const y = tf.cast(target, 'float32');
          let z: TF.Tensor | undefined;
          // The cross-entropy in the softplus form thc's optimizer gives -y log(p) - (1-y) log(1-p).
          const { value, grads } = tf.variableGrads(() => {
            z = tf.keep(tf.add(tf.reshape(tf.matMul(x, tf.reshape(w, [d, 1])), [n]), b));
            const xent = tf.add(tf.mul(y, tf.softplus(tf.neg(z))), tf.mul(tf.sub(1, y), tf.softplus(z)));
            return tf.add(tf.mean(xent), tf.mul(0.01, tf.sum(tf.square(w)))) as TF.Scalar;
          }, [w, b]);
          const accuracy = tf.mean(tf.cast(tf.equal(tf.greater(tf.sigmoid(z!), 0.5), target), 'float32'));
          z!.dispose();
          w.assign(tf.sub(w, tf.mul(0.1, grads[w.name]!)));
          b.assign(tf.sub(b, tf.mul(0.1, grads[b.name]!)));
          return [value, accuracy];
        },
        dispose: () => disposeAll([x, coin, w, b]),
      };
    },
  };
}

/** A 2-layer MLP (relu hidden layer, softmax cross-entropy), one gradient step per call, returns the loss. */
function mlp(s: Sizes['mlp']): Workload {
  const { batch: B, inputs: I, hidden: H, classes: C } = s;
  return {
    id: 'mlp', label: `mlp step ${I}-${H}-${C} batch ${B} f32`, entry: 'train', params: lr(0.1),
    source: [
      'use nn',
      `shared X: f32[${B}, ${I}] = uniform(0, 1, seed=21)`,
      `shared W1: f32[${I}, ${H}] = normal(0, 0.05, seed=22)`,
      `shared b1: f32[${H}] = 0`,
      `shared W2: f32[${H}, ${C}] = normal(0, 0.1, seed=23)`,
      `shared b2: f32[${C}] = 0`,
      '',
      '# The class of a row: its largest of the first C features.',
      'fn train(lr: f32 = 0.1) {',
      `  let y = argmax(X[:, 0:${C}], axis=1)`,
      '  let loss = cross_entropy(softmax(relu(X @ W1 + b1) @ W2 + b2), y)',
      '  let (gW1, gb1, gW2, gb2) = grad(loss, (W1, b1, W2, b2))',
      '  W1 <- W1 - lr * gW1',
      '  b1 <- b1 - lr * gb1',
      '  W2 <- W2 - lr * gW2',
      '  b2 <- b2 - lr * gb2',
      '  return loss',
      '}', '',
    ].join('\n'),
    // Forward X@W1, h@W2; backward gW2 = h^T@g, gh = g@W2^T, gW1 = X^T@gh' (no gradient for X).
    work: { unit: 'GFLOP/s', flops: 2 * B * I * H * 2 + 2 * B * H * C * 3 },
    tfjs(tf, init) {
      const X = tensorOf(tf, init.get('X')!);
      const [W1, b1, W2, b2] = (['W1', 'b1', 'W2', 'b2'] as const).map(k => variableOf(tf, init.get(k)!, k)) as [TF.Variable, TF.Variable, TF.Variable, TF.Variable];
      return {
        call() {
          const y = tf.argMax(tf.slice(X, [0, 0], [B, C]), 1);
          const { value, grads } = tf.variableGrads(() => {
            const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(X, W1), b1)), W2), b2);
            return tf.losses.softmaxCrossEntropy(tf.oneHot(y, C), logits) as TF.Scalar;
          }, [W1, b1, W2, b2]);
          for (const v of [W1, b1, W2, b2]) v.assign(tf.sub(v, tf.mul(0.1, grads[v.name]!)));
          return [value];
        },
        dispose: () => disposeAll([X, W1, b1, W2, b2]),
      };
    },
  };
}

export function workloads(s: Sizes): Workload[] {
  return [elementwise(s.elementwise), softmax(s.softmax), ...s.matmul.map(matmul), logreg(), mlp(s.mlp)];
}
