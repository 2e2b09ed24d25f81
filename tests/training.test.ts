/**
 * @file Issue 3 acceptance 2 and 4 (last part) on the training samples: samples/logreg.th and
 * samples/mlp.th trained through the real CLI (`thc run --steps N --save-state`) match the numpy
 * references in tests/fixtures/training/ (made by make_reference.py there: hand-written gradients,
 * plain gradient descent), including a logreg start whose logits exceed 70, where the naive
 * formula overflows; the optimized logreg training step computes `x @ w` and the sigmoid once;
 * `thc gradcheck` passes on both samples.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSource } from '../src/pipeline.js';
import { topoOrder } from '../src/graph/walk.js';
import type { Node } from '../src/graph/node.js';
import { readNpz, writeNpz } from '../src/runtime/npz.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { repoPath } from './helpers/paths.js';
import { thc, tempDir, removeTempDirs } from './helpers/cli.js';

/** Relative tolerance of acceptance 2 (f64); the absolute floor only guards exact zeros. */
const RTOL = 1e-9;

interface Checksum { sum: number; sumsq: number; first: number; last: number }
interface LogregRef {
  inputs: Record<string, Checksum>;
  steps: number; lr: number;
  cost_first: number; accuracy_first: number; cost: number; accuracy: number;
  w: number[]; b: number;
  w_scale?: number; max_logit?: number;
}
interface MlpRef {
  inputs: Record<string, Checksum>;
  steps: number; lr: number; losses: number[];
  W1: number[][]; b1: number[]; W2: number[][]; b2: number[];
}

const fixture = <T>(name: string): T => JSON.parse(readFileSync(repoPath('tests', 'fixtures', 'training', name), 'utf8')) as T;
const LOGREG = fixture<LogregRef>('logreg.json');
const OVERFLOW = fixture<LogregRef>('logreg_overflow.json');
const MLP = fixture<MlpRef>('mlp.json');

/** Why `grad` cannot be used yet (the first line thc reports), or null when d(w*w)/dw at w=3 is 6. */
/** Elementwise |a - e| <= RTOL |e| (+ a floor of 1e-15 of the largest |e|), NaN and inf failing. */
function assertClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(...expected.map(Math.abs));
  let worst = 0, at = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    const err = a === e ? 0 : Math.abs(a - e) / (Math.abs(e) + 1e-15 * scale / RTOL);
    if (!(err <= worst)) { worst = err; at = i; }
  }
  assert.ok(worst <= RTOL, `${what}[${at}]: ${actual[at]} vs numpy ${expected[at]} (relative error ${worst})`);
}

const num = (v: unknown, what: string): number => {
  assert.type(v, 'number', `${what} is not a finite number: ${JSON.stringify(v)}`);
  return v as number;
};

/** `thc run FILE ARGS --format json`, asserting success; the outputs and the saved state (if any). */
function run(args: readonly string[], save?: string): { outputs: Record<string, { data: unknown }>; state: Map<string, NDArray> | null } {
  const r = thc(['run', '--device', 'interp', ...args, ...(save ? ['--save-state', save] : []), '--format', 'json']);
  assert.is(r.code, 0, `thc run ${args.join(' ')}: ${r.stderr}`);
  return { outputs: JSON.parse(r.stdout).outputs, state: save ? readNpz(readFileSync(save)) : null };
}

/**
 * The sample's shared variables as their initialisers make them: its `shared` lines plus an
 * entry point that uses none of them, run once with --save-state (as make_reference.py does).
 */
function initialState(sample: string, dir: string): Map<string, NDArray> {
  const lines = readFileSync(repoPath('samples', sample), 'utf8').split('\n').filter(l => l.startsWith('shared '));
  const probe = join(dir, `probe-${sample}`);
  writeFileSync(probe, `${lines.join('\n')}\nfn probe() = 0\n`);
  return run([probe], join(dir, `init-${sample}.npz`)).state!;
}

function checksum(a: NDArray): Checksum {
  let sum = 0, sumsq = 0;
  for (const v of a.data) { sum += v; sumsq += v * v; }
  return { sum, sumsq, first: a.data[0]!, last: a.data[a.data.length - 1]! };
}

const flat = (m: readonly number[][]): number[] => m.flat();

test('the fixtures were made from the samples as they are now (same data and initial weights)', () => {
  const dir = tempDir('training');
  for (const [sample, ref] of [['logreg.th', LOGREG], ['mlp.th', MLP]] as const) {
    const state = initialState(sample, dir);
    assert.equal([...state.keys()].sort(), Object.keys(ref.inputs).sort(), `${sample}: shared variables`);
    for (const [name, want] of Object.entries(ref.inputs)) {
      const got = checksum(state.get(name)!);
      // Sums depend on summation order (numpy sums pairwise); first/last elements are exact.
      assert.equal([got.first, got.last], [want.first, want.last], `${sample} ${name}: first/last element (rerun make_reference.py?)`);
      assertClose([got.sum, got.sumsq], [want.sum, want.sumsq], `${sample} ${name}: sum, sum of squares`);
    }
  }
});

registerGradTests();

function registerGradTests(): void {
  test('logreg.th: 100 training steps match numpy to rtol 1e-9 (cost, accuracy, w, b)', () => {
    const dir = tempDir('training');
    const first = run(['samples/logreg.th', '--fn', 'train']);
    assertClose([num(first.outputs['cost']!.data, 'cost')], [LOGREG.cost_first], 'first cost');
    assert.is(first.outputs['accuracy']!.data, LOGREG.accuracy_first, 'first accuracy');
    const r = run(['samples/logreg.th', '--fn', 'train', '--steps', String(LOGREG.steps)], join(dir, 'logreg.npz'));
    assertClose([num(r.outputs['cost']!.data, 'cost')], [LOGREG.cost], 'cost of the last call');
    assert.is(r.outputs['accuracy']!.data, LOGREG.accuracy, 'accuracy of the last call');
    assert.ok(LOGREG.cost < LOGREG.cost_first, 'the reference cost decreases');
    assertClose(r.state!.get('w')!.data, LOGREG.w, 'w');
    assertClose(r.state!.get('b')!.data, [LOGREG.b], 'b');
  });

  test('logreg.th from logits beyond 70 (naive formula: inf cost, NaN gradients) stays finite and matches stable numpy', () => {
    const dir = tempDir('training');
    const init = initialState('logreg.th', dir);
    const w = init.get('w')!;
    // The same start as make_reference.py: w_scale times the initial w (exact in both, IEEE f64).
    init.set('w', fromNumbers('f64', w.shape, Array.from(w.data, v => OVERFLOW.w_scale! * v)));
    const start = join(dir, 'overflow-start.npz');
    writeFileSync(start, writeNpz(init));
    assert.ok(OVERFLOW.max_logit! > 70, `the start's largest logit is ${OVERFLOW.max_logit}`);

    const first = run(['samples/logreg.th', '--fn', 'train', '--load-state', start]);
    assertClose([num(first.outputs['cost']!.data, 'first cost')], [OVERFLOW.cost_first], 'first cost');
    const r = run(['samples/logreg.th', '--fn', 'train', '--steps', String(OVERFLOW.steps), '--load-state', start], join(dir, 'overflow.npz'));
    assertClose([num(r.outputs['cost']!.data, 'cost')], [OVERFLOW.cost], 'cost of the last call');
    assert.is(r.outputs['accuracy']!.data, OVERFLOW.accuracy, 'accuracy of the last call');
    assertClose(r.state!.get('w')!.data, OVERFLOW.w, 'w');
    assertClose(r.state!.get('b')!.data, [OVERFLOW.b], 'b');
  });

  test('mlp.th: the loss decreases and matches numpy for the first steps (loss, W1, b1, W2, b2)', () => {
    const dir = tempDir('training');
    const first = run(['samples/mlp.th', '--fn', 'train']);
    assertClose([num(first.outputs['loss']!.data, 'loss')], [MLP.losses[0]!], 'first loss');
    const r = run(['samples/mlp.th', '--fn', 'train', '--steps', String(MLP.steps)], join(dir, 'mlp.npz'));
    const last = num(r.outputs['loss']!.data, 'loss');
    assertClose([last], [MLP.losses[MLP.steps - 1]!], `loss of call ${MLP.steps}`);
    assert.ok(last < num(first.outputs['loss']!.data, 'loss'), `loss ${last} after ${MLP.steps} steps is not below the first`);
    for (const [name, want] of [['W1', flat(MLP.W1)], ['b1', MLP.b1], ['W2', flat(MLP.W2)], ['b2', MLP.b2]] as const) {
      assertClose(r.state!.get(name)!.data, want, name);
    }
  });

  test('the optimized logreg training step computes x @ w once and the sigmoid once (CSE across forward and backward)', () => {
    const path = repoPath('samples', 'logreg.th');
    const c = compileSource({ source: readFileSync(path, 'utf8'), path, displayName: 'samples/logreg.th' }, { entry: 'train' });
    assert.ok(c.ok, c.diagnostics.map(d => `${d.code} ${d.message}`).join('\n'));
    const g = c.graphs!.entries.find(e => e.name === 'train')!;
    const nodes = topoOrder([...g.outputs.map(o => o.node), ...g.updates.map(u => u.node)]);
    const isShared = (n: Node | undefined, name: string) => n?.op === 'shared' && n.attrs['name'] === name;
    const xw = nodes.filter(n => n.op === 'matmul' && isShared(n.inputs[0], 'D_x') && isShared(n.inputs[1], 'w'));
    const ops = nodes.map(n => n.op);
    assert.is(xw.length, 1, `matmul(D_x, w) nodes: ${xw.length}`);
    assert.is(ops.filter(o => o === 'sigmoid').length, 1, `sigmoid nodes in: ${ops.join(' ')}`);
    assert.not.ok(ops.includes('grad'), 'a grad placeholder survived');
  });

  test('thc gradcheck passes on both samples, reporting every target', () => {
    for (const [sample, targets] of [['logreg.th', ['w', 'b']], ['mlp.th', ['W1', 'b1', 'W2', 'b2']]] as const) {
      const r = thc(['gradcheck', `samples/${sample}`, '--fn', 'train']);
      assert.is(r.code, 0, `thc gradcheck samples/${sample}: ${r.stdout}${r.stderr}`);
      for (const t of targets) assert.match(r.stdout, new RegExp(`\\b${t}\\b`), `${sample}: target ${t} in:\n${r.stdout}`);
    }
  });
}

test.after(removeTempDirs);
test.run();
