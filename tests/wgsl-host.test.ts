/**
 * @file The WGSL host module (`thc compile FILE --target wgsl -o DIR`, docs/host-module.md): the
 * CLI writes three deterministic files; the generated module, imported by a plain Node process that
 * loads no thc code (tests/fixtures/host-module/train-logreg.mjs), trains samples/logreg.th in f32
 * for 100 steps and matches an independent numpy reference (logreg_ref.py, float64 from the same
 * initial state); its .d.ts type-checks a TypeScript consumer and rejects wrong calls
 * (tests/fixtures/host-consumer); its argument checks throw Errors naming the argument and sizes;
 * matmul forms (simple, tiled and register-blocked, chosen per call) and split reductions (two
 * passes through a scratch buffer, the part count an override) agree with plain loops; THC_DEBUG=kernels
 * prints kernel names and times on stderr and leaves stdout alone; the embedded runtime text is
 * what scripts/bundle.mjs embeds too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { removeTempDirs, tempDir, thc } from './helpers/cli.js';
import { withGpu } from './helpers/gpu.js';
import { repoPath } from './helpers/paths.js';
import { thcHostRuntime } from '../src/backend/wgsl/host/runtime.js';

const gpuTest = await withGpu(test);
const dir = tempDir('thc-wgsl-host');
test.after(() => removeTempDirs());

const logregF32 = join(dir, 'logreg.th');
writeFileSync(logregF32, readFileSync(repoPath('samples', 'logreg.th'), 'utf8').replace(/f64/g, 'f32'));

const SMALL = `
fn add(x: f32[n], y: f32[n]) = x + y
fn mm(a: f32[m, k], b: f32[k, n]) = a @ b
fn stats(a: f32[2, 3], t: i32 = 3) {
  let total = sum(a) * cast(t, f32)
  let positive = a > 0
  return (total, positive)
}
`;
const smallFile = join(dir, 'small.th');
writeFileSync(smallFile, SMALL);

/** Compiles `file` with -o into a fresh folder; returns the folder. */
function compileTo(file: string, name: string): string {
  const out = join(dir, name);
  const r = thc(['compile', file, '--target', 'wgsl', '-o', out]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  return out;
}

test('compile -o DIR writes <stem>.wgsl (the printed text), .js and .d.ts, the same bytes twice; f64 is TH0520 and writes nothing; an unwritable DIR is TH0526', () => {
  const a = compileTo(logregF32, 'out-a'), b = compileTo(logregF32, 'out-b');
  for (const f of ['logreg.wgsl', 'logreg.js', 'logreg.d.ts']) {
    assert.ok(existsSync(join(a, f)), f);
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between two compilations`);
  }
  const printed = thc(['compile', logregF32, '--target', 'wgsl']);
  assert.is(readFileSync(join(a, 'logreg.wgsl'), 'utf8'), printed.stdout);
  const js = readFileSync(join(a, 'logreg.js'), 'utf8');
  assert.not.match(js, /^\s*import\s/m);
  assert.not.match(js, /logreg\.wgsl/);
  const f64 = thc(['compile', 'samples/add.th', '--target', 'wgsl', '-o', join(dir, 'out-f64')]);
  assert.is(f64.code, 1);
  assert.match(f64.stderr, /error\[TH0520\]: `f64` values cannot run on the GPU/);
  assert.not.ok(existsSync(join(dir, 'out-f64')));
  // A file where the folder should be.
  const blocker = join(dir, 'blocker');
  writeFileSync(blocker, '');
  const bad = thc(['compile', logregF32, '--target', 'wgsl', '-o', join(blocker, 'sub')]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /error\[TH0526\]: cannot write `.*blocker.sub`: /);
});

gpuTest('a plain Node process imports only the module and webgpu, trains logreg (f32) 100 steps, and matches numpy (rtol 1e-4)', () => {
  const out = compileTo(logregF32, 'out-train');
  const driver = spawnSync(process.execPath, [repoPath('tests', 'fixtures', 'host-module', 'train-logreg.mjs'), join(out, 'logreg.js'), '100'], {
    cwd: repoPath(), encoding: 'utf8', maxBuffer: 256 << 20,
  });
  assert.is(driver.status, 0, driver.stderr);
  const ref = spawnSync('python3', [repoPath('tests', 'fixtures', 'host-module', 'logreg_ref.py'), '100'], { input: driver.stdout, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.is(ref.status, 0, ref.stderr);
  const got = JSON.parse(driver.stdout) as { cost: number[]; accuracy: number[]; w: number[]; b: number[]; shapes: Record<string, number[]> };
  const want = JSON.parse(ref.stdout) as { cost: number; accuracy: number; w: number[]; b: number };
  assert.equal(got.shapes, { x: [400, 784], w: [784], b: [], cost: [] });
  // The GPU computes in f32, numpy in f64 from the same f32 start: measured worst relative error
  // 1.3e-5 (w), 2e-7 (b). atol 1e-7 covers w entries near 0 (|w| >= 2.6e-4 here; the f32
  // spacing at the largest |w|, 0.26, is 3e-8, and the largest absolute error measured 6.6e-8).
  const close = (g: number, w: number, what: string): void =>
    assert.ok(Math.abs(g - w) <= 1e-7 + 1e-4 * Math.abs(w), `${what}: ${g} vs numpy ${w}`);
  close(got.cost[0]!, want.cost, 'cost');
  close(got.accuracy[0]!, want.accuracy, 'accuracy');
  close(got.b[0]!, want.b, 'b');
  assert.is(got.w.length, 784);
  got.w.forEach((v, i) => close(v, want.w[i]!, `w[${i}]`));
  // It learned: the cost fell from log(2) (w near 0) by more than half.
  assert.ok(want.cost < 0.35, String(want.cost));
});

test('the embedded runtime is tsc\'s text of thcHostRuntime, which scripts/bundle.mjs cuts from runtime.js the same way', () => {
  const js = readFileSync(repoPath('dist', 'src', 'backend', 'wgsl', 'host', 'runtime.js'), 'utf8');
  const cut = js.slice(js.indexOf('function thcHostRuntime('), js.lastIndexOf('}') + 1);
  assert.is(cut, thcHostRuntime.toString());
  assert.ok(readFileSync(join(compileTo(logregF32, 'out-runtime'), 'logreg.js'), 'utf8').includes(`const thcHostRuntime = ${cut};`));
});

test('the .d.ts type-checks a TypeScript consumer (tsc --strict) and rejects a wrong name, argument type, output and state name', () => {
  const out = compileTo(logregF32, 'out-types');
  const cases = ['consumer', 'wrong-name', 'wrong-type', 'wrong-output', 'wrong-state'];
  for (const c of cases) copyFileSync(repoPath('tests', 'fixtures', 'host-consumer', `${c}.ts.txt`), join(out, `${c}.ts`));
  // One tsc run for all five (each file's errors carry its name).
  const r = spawnSync(process.execPath, [repoPath('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--target', 'ES2022',
    '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', '@webgpu/types', ...cases.map(c => `${c}.ts`)], { cwd: out, encoding: 'utf8' });
  const text = r.stdout + r.stderr;
  assert.not.match(text, /^consumer\.ts/m, text);
  assert.not.match(text, /^logreg\.d\.ts/m, text);
  for (const c of cases.slice(1)) {
    const want = /^\/\/ (TS\d+)/.exec(readFileSync(join(out, `${c}.ts`), 'utf8'))![1]!;
    assert.match(text, new RegExp(`^${c}\\.ts\\(\\d+,\\d+\\): error ${want}:`, 'm'), text);
  }
});

gpuTest('in-process: results match plain loops (matmul tiled and untiled, defaults, bool and i32), state get/set, and argument errors name the argument and sizes', async gpu => {
  const out = compileTo(smallFile, 'out-small');
  const mod = await import(pathToFileURL(join(out, 'small.js')).href) as { createProgram: (d: GPUDevice, o?: object) => Promise<Record<string, (...a: unknown[]) => Promise<Record<string, { data: ArrayLike<number>; shape: number[] }>>>> };
  const lines: string[] = [];
  const p = await mod.createProgram(gpu.device, { debug: (l: string) => lines.push(l) });
  try {
    const r = await p['add']!({ x: [1, 2, 3], y: new Float32Array([10, 20, 30]) });
    assert.equal(Array.from(r['out0']!.data), [11, 22, 33]);
    assert.equal(r['out0']!.shape, [3]);
    // A 3x5 @ 5x4 product (untiled form) and 20x7 @ 7x18 (tiled), checked against triple loops.
    for (const [m, k, n] of [[3, 5, 4], [20, 7, 18]] as const) {
      const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
      const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6);
      const want: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) { let s = 0; for (let q = 0; q < k; q++) s += a[i * k + q]! * b[q * n + j]!; want.push(s); }
      const got = await p['mm']!({ a: { data: a, shape: [m, k] }, b: { data: b, shape: [k, n] } });
      assert.equal(got['out0']!.shape, [m, n]);
      assert.equal(Array.from(got['out0']!.data), want, `${m}x${k} @ ${k}x${n}`);
    }
    // t defaults to 3: sum([1, -2, 3, 0, 5, -6]) * 3 = 3; positive as a Uint8Array.
    const s = await p['stats']!({ a: { data: [1, -2, 3, 0, 5, -6], shape: [2, 3] } });
    assert.equal(Array.from(s['total']!.data), [3]);
    assert.ok(s['positive']!.data instanceof Uint8Array);
    assert.equal(Array.from(s['positive']!.data), [1, 0, 1, 0, 1, 0]);
    assert.equal(Array.from((await p['stats']!({ a: { data: [1, 1, 1, 1, 1, 1], shape: [2, 3] }, t: 2 }))['total']!.data), [12]);
    const fails = async (call: Promise<unknown>, pattern: RegExp): Promise<void> => {
      const e = await call.then(() => undefined, (err: unknown) => err);
      assert.ok(e instanceof Error, `expected an Error matching ${pattern}`);
      assert.match((e as Error).message, pattern);
    };
    await fails(p['add']!({ x: [1, 2, 3], y: [1, 2] }), /add: argument `y`: dimension `n` is 2 on axis 0, but 3 from `x`/);
    await fails(p['add']!({ x: [1, 2, 3] }), /add: missing argument `y`/);
    await fails(p['add']!({ x: [1], y: [1], z: [1] }), /add: no parameter `z`/);
    await fails(p['stats']!({ a: { data: [1, 2, 3], shape: [3] } }), /stats: argument `a` must have rank 2, got shape \[3\]/);
    await fails(p['stats']!({ a: { data: [1, 2, 3, 4], shape: [2, 2] } }), /stats: argument `a` must have size 3 on axis 1, got shape \[2, 2\]/);
    await fails(p['stats']!({ a: { data: [1, 2], shape: [2, 3] } }), /stats: argument `a`: shape \[2, 3\] has 6 elements, but data has 2/);
    // Debug lines: each kernel's WGSL once, then per-call times (this device has no timestamp queries).
    assert.ok(lines.some(l => /^kernel k0_add:\n\/\/ /.test(l)), lines.join('\n'));
    assert.ok(lines.some(l => /^add k0_add 1 workgroup \d+\.\d{3} ms/.test(l)), lines.join('\n'));
  } finally {
    (p['destroy'] as unknown as () => void)();
  }
});

const FORMS = `
fn mm(a: f32[m, k], b: f32[k, n]) = a @ b
fn rows(x: f32[r, n]) = (sum(x, axis=1), argmax(x, axis=1), logsumexp(x, axis=1), max(x))
`;
const formsFile = join(dir, 'forms.th');
writeFileSync(formsFile, FORMS);

gpuTest('in-process: the blocked matmul (>= 64 x 64) and split reductions (few long rows: two passes, part count per call) match plain loops', async gpu => {
  const out = compileTo(formsFile, 'out-forms');
  const plan = readFileSync(join(out, 'forms.js'), 'utf8');
  // One text per pass for every split form: the part count is an override, not printed in.
  assert.match(plan, /override split_parts: i32;/);
  type Res = Record<string, { data: ArrayLike<number>; shape: number[] }>;
  const mod = await import(pathToFileURL(join(out, 'forms.js')).href) as { createProgram: (d: GPUDevice, o?: object) => Promise<Record<string, (a: object) => Promise<Res>> & { destroy(): void }> };
  const lines: string[] = [];
  const p = await mod.createProgram(gpu.device, { debug: (l: string) => lines.push(l) });
  try {
    // 70x33 @ 33x66: blocked, 2 x 2 blocks of 64 (the tiled form would dispatch 5 x 5). Small
    // integers: every product and sum is exact in f32, so the loops' f64 values are the answer.
    for (const [m, k, n, groups] of [[70, 33, 66, 4], [128, 16, 64, 2], [64, 1, 65, 2]] as const) {
      const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
      const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6);
      const want: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) { let s = 0; for (let q = 0; q < k; q++) s += a[i * k + q]! * b[q * n + j]!; want.push(s); }
      lines.length = 0;
      const got = await p['mm']!({ a: { data: a, shape: [m, k] }, b: { data: b, shape: [k, n] } });
      assert.equal(got['out0']!.shape, [m, n]);
      assert.equal(Array.from(got['out0']!.data), want, `${m}x${k} @ ${k}x${n}`);
      assert.ok(lines.some(l => new RegExp(`^mm k0_matmul ${groups} workgroups `).test(l)), lines.join('\n'));
    }
    // Rows of 20,000 (parts 4: 20,000 / 4,096), 50,000 (8), and 100 (one pass); 3 rows each.
    for (const [n, parts] of [[20_000, 4], [100, 1], [50_000, 8]] as const) {
      const r = 3;
      const x = Float32Array.from({ length: r * n }, (_, i) => Math.fround(Math.sin(i * 0.37) * 3));
      // The maximum of row 1 twice (its first position wins): set after the fill.
      x[n + 5] = 9; x[n + n - 2] = 9;
      lines.length = 0;
      const got = await p['rows']!({ x: { data: x, shape: [r, n] } });
      const sums: number[] = [], args: number[] = [], lses: number[] = [];
      let top = -Infinity;
      for (let i = 0; i < r; i++) {
        const row = x.subarray(i * n, (i + 1) * n);
        let s = 0, best = 0;
        for (let j = 0; j < n; j++) { s += row[j]!; if (row[j]! > row[best]!) best = j; }
        const mx = row[best]!;
        let e = 0;
        for (let j = 0; j < n; j++) e += Math.exp(row[j]! - mx);
        sums.push(s); args.push(best); lses.push(mx + Math.log(e));
        top = Math.max(top, mx);
      }
      // f32 sums of n terms of size <= 3 in the GPU's order: absolute error well under 1e-6 * 3n.
      Array.from(got['out0']!.data).forEach((v, i) => assert.ok(Math.abs(v - sums[i]!) <= 3e-6 * n, `n=${n} sum row ${i}: ${v} vs ${sums[i]}`));
      assert.equal(Array.from(got['out1']!.data), args, `n=${n} argmax`);
      Array.from(got['out2']!.data).forEach((v, i) => assert.ok(Math.abs(v - lses[i]!) <= 1e-5 * Math.abs(lses[i]!), `n=${n} logsumexp row ${i}: ${v} vs ${lses[i]}`));
      assert.equal(Array.from(got['out3']!.data), [top]);
      // Split: pass 1 has 3 x parts workgroups, pass 2 one per row; max(x) is one row of 3n.
      const split = lines.filter(l => /^rows k\d+_\w+ pass [12]\/2 /.test(l));
      if (parts === 1) assert.is(split.length, 0, lines.join('\n'));
      else {
        assert.ok(split.some(l => new RegExp(`pass 1/2 ${3 * parts} workgroups `).test(l)), lines.join('\n'));
        assert.ok(split.some(l => / pass 2\/2 3 workgroups /.test(l)), lines.join('\n'));
      }
    }
  } finally {
    p.destroy();
  }
});

gpuTest('getState/setState and the state option; logreg\'s embedded initial state is thc run\'s', async gpu => {
  const out = compileTo(logregF32, 'out-state');
  type Out = { data: Float32Array; shape: number[] };
  const mod = await import(pathToFileURL(join(out, 'logreg.js')).href) as {
    createProgram: (d: GPUDevice, o?: object) => Promise<{ getState(n?: string): Promise<Out & Record<string, Out>>; setState(n: string, v: unknown): void; train(a?: object): Promise<Record<string, Out>>; destroy(): void }>;
  };
  const p = await mod.createProgram(gpu.device, { state: { b: [0.25] } });
  try {
    assert.equal(Array.from((await p.getState('b')).data), [0.25]);
    p.setState('b', { data: [0.5], shape: [] });
    assert.equal(Array.from((await p.getState('b')).data), [0.5]);
    const e = (() => { try { p.setState('w', [1, 2]); return undefined; } catch (err) { return err as Error; } })();
    assert.match(String(e?.message), /`w` has 784 elements \(shape \[784\]\), but the value has 2/);
    // The embedded w is the interpreter's initial w: thc run --steps 0 would save it; compare
    // with one interpreter step instead, which needs the same start (b = 0 there too).
    p.setState('b', [0]);
    const gpuCost = (await p.train())['cost']!.data[0]!;
    const cpu = thc(['run', logregF32, '--fn', 'train', '--format', 'json', '--device', 'cpu']);
    const cpuCost = (JSON.parse(cpu.stdout) as { outputs: { cost: { data: number } } }).outputs.cost.data;
    assert.ok(Math.abs(gpuCost - cpuCost) <= 1e-5 * cpuCost, `${gpuCost} vs ${cpuCost}`);
  } finally {
    p.destroy();
  }
});

gpuTest('THC_DEBUG=kernels: kernel names, WGSL and times on stderr; stdout unchanged', () => {
  const args = ['run', logregF32, '--fn', 'train', '--steps', '2', '--device', 'gpu'];
  const plain = thc(args);
  const debug = thc(args, { env: { THC_DEBUG: 'kernels' } });
  assert.is(debug.code, 0, debug.stderr);
  assert.is(debug.stdout, plain.stdout);
  assert.match(debug.stderr, /^kernel k0_matmul_add:\n\/\/ k0_matmul_add: matmul kernel/m);
  assert.match(debug.stderr, /@compute @workgroup_size/);
  // Two calls: each kernel's time twice, its WGSL once.
  assert.is((debug.stderr.match(/^train k0_matmul_add \d+ workgroups? \d+\.\d{3} ms/gm) ?? []).length, 2, debug.stderr);
  assert.is((debug.stderr.match(/^kernel k0_matmul_add:/gm) ?? []).length, 1);
  assert.not.match(plain.stderr, /kernel k0/);
});

test.run();
