/**
 * @file `thc run --device gpu` and `thc compile --target wgsl` end to end: the seed example
 * (samples/logistic.th in f32) prints the seed's numbers from the GPU; `--steps` with
 * `--save-state` trains on the GPU and saves what the interpreter saves (within f32 tolerance), and
 * 100 steps of logreg (f32) match an independent numpy implementation from the same initial state;
 * `--check` refuses the GPU (TH0523); the printed WGSL of every sample in an f32 variant is
 * accepted by the device's shader compiler.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readNpz } from '../src/runtime/npz.js';
import { captureErrors, compilationMessages } from '../src/gpu/errors.js';
import { removeTempDirs, tempDir, thc } from './helpers/cli.js';
import { withGpu } from './helpers/gpu.js';
import { repoPath } from './helpers/paths.js';
import { compareArrays } from './helpers/wgsl-oracle.js';

const gpuTest = await withGpu(test);
const dir = tempDir('thc-wgsl-cli-');
test.after(() => removeTempDirs());

/** samples/NAME.th with every f64 made f32, written to the temp folder. */
function f32Variant(name: string): string {
  const path = join(dir, `${name}_f32.th`);
  writeFileSync(path, readFileSync(repoPath('samples', `${name}.th`), 'utf8').replace(/f64/g, 'f32'));
  return path;
}

const numbers = (text: string): number[] => (text.match(/-?\d+\.\d*(e-?\d+)?/g) ?? []).map(Number);

gpuTest('the seed example in f32 on the GPU prints the seed\'s numbers', () => {
  const args = ["x=[[0, 1], [-1, -2]]"];
  const seed = thc(['run', 'samples/logistic.th', ...args, '--device', 'interp']);
  const r = thc(['run', f32Variant('logistic'), ...args, '--device', 'gpu']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /dtype=float32\)\n$/);
  const got = numbers(r.stdout), want = numbers(seed.stdout);
  assert.is(got.length, 4, r.stdout);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= 1e-7 + 1e-6 * Math.abs(want[i]!), `${g} vs ${want[i]}`));
});

gpuTest('--steps 3 --save-state: the GPU trains logreg (f32) and saves what the interpreter saves', () => {
  const file = f32Variant('logreg');
  const gpuState = join(dir, 'gpu.npz'), cpuState = join(dir, 'cpu.npz');
  const g = thc(['run', file, '--fn', 'train', '--steps', '3', '--save-state', gpuState, '--device', 'gpu']);
  assert.is(g.code, 0, g.stderr);
  const c = thc(['run', file, '--fn', 'train', '--steps', '3', '--save-state', cpuState, '--device', 'interp']);
  assert.is(c.code, 0, c.stderr);
  numbers(g.stdout).forEach((v, i) => assert.ok(Math.abs(v - numbers(c.stdout)[i]!) <= 1e-4 * Math.abs(v) + 1e-6, `${g.stdout} vs ${c.stdout}`));
  const a = readNpz(readFileSync(gpuState)), b = readNpz(readFileSync(cpuState));
  assert.equal([...a.keys()], [...b.keys()]);
  for (const [k, v] of b) compareArrays(a.get(k)!, v, { rtol: 1e-4, atol: 1e-6 }, k);
  // The saved state continues on the GPU: predict reads it back.
  const p = thc(['run', file, '--fn', 'predict', '--load-state', gpuState, '--device', 'gpu']);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stdout, /^array\(\[ ?(True|False)/);
});

gpuTest('`thc run` trains samples/logreg.th (f32) 100 steps on the GPU and matches numpy (rtol 1e-4), from the same initial state', () => {
  const file = f32Variant('logreg');
  // The initial state: `predict` updates nothing, so what it saves is what the program starts from.
  const init = join(dir, 'logreg-init.npz'), trained = join(dir, 'logreg-gpu100.npz');
  const i = thc(['run', file, '--fn', 'predict', '--save-state', init, '--device', 'interp']);
  assert.is(i.code, 0, i.stderr);
  const g = thc(['run', file, '--fn', 'train', '--steps', '100', '--save-state', trained, '--device', 'gpu', '--format', 'json']);
  assert.is(g.code, 0, g.stderr);
  // numpy (float64, the f32 initial values widened exactly) through the host-module test's reference.
  const toJson = `import json, sys, numpy as np
s = np.load(sys.argv[1])
x = s["D_x"]
print(json.dumps({"shapes": {"x": list(x.shape)}, "x": x.astype(np.float64).ravel().tolist(),
  "coin": s["D_coin"].astype(np.float64).tolist(), "w0": s["w"].astype(np.float64).tolist(), "b0": [float(s["b"])]}))`;
  const j = spawnSync('python3', ['-c', toJson, init], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.is(j.status, 0, j.stderr);
  const ref = spawnSync('python3', [repoPath('tests', 'fixtures', 'host-module', 'logreg_ref.py'), '100'], { input: j.stdout, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.is(ref.status, 0, ref.stderr);
  const want = JSON.parse(ref.stdout) as { cost: number; accuracy: number; w: number[]; b: number };
  const close = (got: number, w: number, what: string): void => assert.ok(Math.abs(got - w) <= 1e-7 + 1e-4 * Math.abs(w), `${what}: ${got} vs numpy ${w}`);
  const out = JSON.parse(g.stdout) as { outputs: Record<string, { data: number }> };
  const [cost, accuracy] = Object.values(out.outputs).map(o => o.data);
  close(cost!, want.cost, 'cost');
  close(accuracy!, want.accuracy, 'accuracy');
  const st = readNpz(readFileSync(trained));
  Array.from(st.get('w')!.data).forEach((v, k) => close(v, want.w[k]!, `w[${k}]`));
  close(st.get('b')!.data[0]!, want.b, 'b');
});

gpuTest('--check and --nan-guard watch the interpreter: with --device gpu they are TH0523', () => {
  const r = thc(['run', f32Variant('logistic'), 'x=[1.0]', '--device', 'gpu', '--check']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /error\[TH0523\]: `--check` is not available with `--device gpu`/);
});

/** Every sample but add.th (kept f64 for the TH0520 tests); wgsl.test.ts runs them in-process. */
const SAMPLES = ['accumulator', 'defaults', 'logistic', 'multi_output', 'simplify', 'mlp', 'logreg'];

gpuTest('compile --target wgsl: the printed modules of every f32 sample compile on the device', async gpu => {
  for (const name of SAMPLES) {
    const r = thc(['compile', f32Variant(name), '--target', 'wgsl']);
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
    const modules = r.stdout.split(/^\/\/ -{10,}.*\n/m).slice(1);
    assert.ok(modules.length > 0, name);
    for (const code of modules) {
      const { value, errors } = await captureErrors(gpu.device, () => gpu.device.createShaderModule({ code }));
      const messages = (await compilationMessages(value)).filter(m => m.startsWith('error'));
      assert.equal([...messages, ...errors.map(e => e.message)], [], `${name}:\n${code}`);
    }
  }
});

test.run();
