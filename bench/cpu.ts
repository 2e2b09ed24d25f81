/**
 * @file The CPU section of `npm run bench` (issue 5): thc's generated C and JS target against
 * numpy, TensorFlow.js (its pure-JS CPU backend and its Wasm backend) and thc's own interpreter,
 * all measured in the same run, plus the machine's memory bandwidth (a STREAM triad) for context.
 * Workloads (bench/cpu/*.th, the peers in bench/cpu/numpy_peer.py and tfjs_peer.mjs):
 *  - chain: sum(sigmoid(x) * x + log1p(x * x)) over 2^25 f32 (target: C >= 4x numpy);
 *  - softmax: row softmax of 4096 x 1024 f32 (target: C >= 2x numpy);
 *  - matmul: 1024^2 f32 (target: C >= 0.5x numpy, which calls OpenBLAS);
 *  - mlp: one step of a 784-256-10 MLP, batch 256, f32 (reported);
 *  - logreg: 1000 training steps of samples/logreg.th, 400 x 784 f64 (target: C >= numpy);
 *  - the JS target on the chain and a logreg step (f32: tfjs has no f64) against tfjs's CPU
 *    backend (target: >= 2x);
 *  - whole process: `thc run samples/logreg.th --fn train --steps 1000 --device cpu` (warm build
 *    cache) next to a Python script doing the same with numpy.
 * The C side is what a user of `thc compile --target c -o DIR` gets: the drivers in
 * bench/cpu/drivers include the generated header and time the entry points with a monotonic clock
 * (median after a warm-up, like the peers), built with the flags of thc's own cached builds (vector
 * math, -march=native where the compiler takes it) plus -fopenmp. `THC_BENCH_SCALE=0.1` shrinks the data for a quick smoke run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSource, PACKAGE_ROOT } from '../src/pipeline.js';
import { createSink } from '../src/diag/sink.js';
import { initialState } from '../src/runtime/state.js';
import { runGraph } from '../src/runtime/interp.js';
import { createJsRunner } from '../src/backend/js/run.js';
import { findCompiler, buildFlags } from '../src/backend/c/run.js';
import type { NDArray } from '../src/runtime/ndarray.js';
import type { BenchRow } from './frontend.js';

const DIR = join(PACKAGE_ROOT, 'bench', 'cpu');
const SCALE = Number(process.env['THC_BENCH_SCALE'] ?? '1');

type Times = Record<string, number>;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median seconds of fn after one warm-up call: at least minReps, at most 15, until budget seconds. */
function timed(fn: () => void, budget = 3, minReps = 3): number {
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 15 && (times.length < minReps || performance.now() - start < budget * 1000)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** The last line of a child's stdout as JSON (tfjs prints a banner first). */
function jsonOf(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Times | { error: string } {
  const r = spawnSync(cmd, args, { cwd: PACKAGE_ROOT, encoding: 'utf8', env, maxBuffer: 16 << 20 });
  if (r.status !== 0) return { error: `${cmd} ${args[0] ?? ''}: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-1)[0]}` };
  const last = r.stdout.trim().split('\n').filter(l => l.startsWith('{')).slice(-1)[0];
  return last ? JSON.parse(last) as Times : { error: `${cmd}: no JSON in its output` };
}

/** tfjs-core (with its gradients, which its Node build does not register), the CPU and Wasm backends, bundled as bench/gpu-tfjs.ts does. */
async function tfjsBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(PACKAGE_ROOT, 'dist', 'bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'tfjs-cpu.mjs');
  await build({
    stdin: {
      contents: [
        "export * from '@tensorflow/tfjs-core';",
        "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
        "import '@tensorflow/tfjs-backend-cpu';",
        "export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';",
      ].join('\n'),
      resolveDir: PACKAGE_ROOT, loader: 'js', sourcefile: 'tfjs-cpu-entry.js',
    },
    outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', mainFields: ['module', 'main'], logLevel: 'error',
    banner: { js: "import { createRequire as __tfjsCreateRequire } from 'node:module'; const require = __tfjsCreateRequire(import.meta.url); const __filename = import.meta.filename ?? ''; const __dirname = '';" },
  });
  return outfile;
}

/** STREAM triad GB/s (bench/cpu/stream.c), or null without a compiler. */
function streamTriad(cc: string, work: string): number | null {
  try {
    const exe = join(work, 'stream');
    execFileSync(cc, ['-O3', '-fopenmp', '-o', exe, join(DIR, 'stream.c')], { stdio: 'ignore' });
    return Number(execFileSync(exe, [String(Math.max(16, Math.round(128 * SCALE)))], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
}

interface CWorkload { readonly id: string; readonly th: string; readonly args: readonly string[] }

/** Seconds per call (or per run, for logreg) of each C driver, built over `thc compile --target c -o DIR`. */
function cTimes(cc: string, work: string, sizes: { n: number; rows: number; m: number; steps: number }): Times | { error: string } {
  const workloads: CWorkload[] = [
    { id: 'chain', th: join(DIR, 'chain.th'), args: [String(sizes.n)] },
    { id: 'softmax', th: join(DIR, 'softmax.th'), args: [String(sizes.rows)] },
    { id: 'matmul', th: join(DIR, 'matmul.th'), args: [String(sizes.m)] },
    { id: 'mlp', th: join(DIR, 'mlp.th'), args: [] },
    { id: 'logreg', th: join(PACKAGE_ROOT, 'samples', 'logreg.th'), args: [String(sizes.steps)] },
  ];
  const out: Times = {};
  // What `thc run --device cpu` builds with (vector math, -march=native where taken), plus OpenMP.
  const flags = [...buildFlags(cc).filter(f => f !== '-Werror' && f !== '-fopenmp'), '-fopenmp'];
  for (const w of workloads) {
    const gen = join(work, w.id);
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'thc.js'), 'compile', w.th, '--target', 'c', '-o', gen], { encoding: 'utf8' });
    if (r.status !== 0) return { error: `thc compile ${w.id}: ${r.stderr.trim().split('\n')[0]}` };
    const exe = join(gen, `${w.id}.bench`);
    try {
      execFileSync(cc, [...flags, `-I${gen}`, `-I${join(DIR, 'drivers')}`, '-o', exe, join(DIR, 'drivers', `${w.id}.c`), join(gen, `${w.id}.c`), '-lm'], { stdio: 'pipe' });
      out[w.id] = Number(execFileSync(exe, w.args, { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'passive' } }).trim());
    } catch (e) {
      return { error: `C ${w.id}: ${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n')[0]}` };
    }
  }
  return out;
}

/** Deterministic values in [-scale, scale). */
function randomData(n: number, scale: number, dtype: 'f32' | 'f64'): Float32Array | Float64Array {
  const a = dtype === 'f32' ? new Float32Array(n) : new Float64Array(n);
  let s = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 * 2 - 1) * scale;
  }
  return a;
}

function compiled(source: string, name: string, entry: string) {
  const r = compileSource({ source, path: join(DIR, name), displayName: `bench/cpu/${name}` }, { stopAfter: 'kernels', entry });
  const errors = r.diagnostics.filter(d => d.severity === 'error');
  if (errors.length || !r.graphs || !r.schedules) throw new Error(`${name}: ${errors.map(d => `${d.code} ${d.message}`).join('; ')}`);
  const init = initialState(r.graphs.shared, createSink());
  if (!init) throw new Error(`${name}: initial state`);
  return { program: r.graphs, schedule: r.schedules.get(entry)!, graph: r.graphs.entries.find(e => e.name === entry)!, init };
}

/** The JS target and the interpreter, in this process: the chain and one logreg step (f32). */
async function inProcessTimes(sizes: { n: number }): Promise<{ js: Times; interp: Times }> {
  const { readFileSync } = await import('node:fs');
  const chainSrc = readFileSync(join(DIR, 'chain.th'), 'utf8');
  const logregSrc = readFileSync(join(PACKAGE_ROOT, 'samples', 'logreg.th'), 'utf8').replace(/f64/g, 'f32');
  const x: NDArray = { dtype: 'f32', shape: [sizes.n], data: randomData(sizes.n, 3, 'f32') };
  const chain = compiled(chainSrc, 'chain.th', 'chain');
  const logreg = compiled(logregSrc, 'logreg-f32.th', 'train');
  const lr = new Map<string, NDArray>([['lr', { dtype: 'f32', shape: [], data: Float32Array.of(0.1) }]]);
  const js: Times = {}, interp: Times = {};
  const chainRunner = createJsRunner(chain.schedule, chain.program, chain.init);
  js['chain'] = timed(() => { chainRunner.runNow({ params: new Map([['x', x]]) }); });
  const logregRunner = createJsRunner(logreg.schedule, logreg.program, logreg.init);
  js['logreg_step'] = timed(() => { logregRunner.runNow({ params: lr }); }, 3, 5);
  interp['chain'] = timed(() => { runGraph(chain.graph, { params: new Map([['x', x]]), shared: new Map(), dims: new Map() }); }, 3, 1);
  const shared = new Map(logreg.init);
  interp['logreg_step'] = timed(() => { runGraph(logreg.graph, { params: lr, shared, dims: new Map() }); }, 3, 3);
  return { js, interp };
}

/** Wall seconds of a command, median of `runs` after one warm-up run. */
function wall(cmd: string, args: readonly string[], runs: number): number | null {
  const once = (): number | null => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    return r.status === 0 ? (performance.now() - t0) / 1000 : null;
  };
  if (once() === null) return null;
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = once();
    if (t === null) return null;
    ts.push(t);
  }
  return median(ts);
}

const ms = (s: number): number => Number((s * 1000).toPrecision(4));
const ratio = (peer: number | undefined, ours: number | undefined): string =>
  peer === undefined || ours === undefined ? 'n/a' : `${(peer / ours).toFixed(2)}x`;

export async function cpuBench(): Promise<BenchRow[]> {
  const sizes = {
    n: Math.max(1024, Math.floor(2 ** 25 * SCALE)),
    rows: Math.max(64, Math.floor(4096 * SCALE)),
    m: SCALE >= 0.25 ? 1024 : 256,
    steps: Math.max(10, Math.floor(1000 * SCALE)),
  };
  const rows: BenchRow[] = [];
  const work = mkdtempSync(join(tmpdir(), 'thc-bench-cpu-'));
  try {
    const cc = findCompiler();
    const triad = cc ? streamTriad(cc, work) : null;
    rows.push({ name: 'memory bandwidth (STREAM triad, OpenMP)', value: triad ?? 0, unit: 'GB/s', vs: triad === null ? 'no C compiler' : 'context', ok: null });
    const numpy = jsonOf('python3', [join(DIR, 'numpy_peer.py'), String(SCALE)]);
    let tfjsCpu: Times | { error: string } = { error: 'not run' }, tfjsWasm: Times | { error: string } = { error: 'not run' };
    try {
      const bundle = await tfjsBundle();
      const wasmDir = join(PACKAGE_ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/';
      tfjsCpu = jsonOf(process.execPath, [join(DIR, 'tfjs_peer.mjs'), bundle, 'cpu', String(SCALE), wasmDir]);
      tfjsWasm = jsonOf(process.execPath, [join(DIR, 'tfjs_peer.mjs'), bundle, 'wasm', String(SCALE), wasmDir]);
    } catch (e) {
      tfjsCpu = tfjsWasm = { error: `tfjs: ${String((e as Error).message ?? e).split('\n')[0]}` };
    }
    const c = cc ? cTimes(cc, work, sizes) : { error: 'no C compiler' };
    const { js, interp } = await inProcessTimes(sizes);
    const get = (t: Times | { error: string }, k: string): number | undefined => ('error' in t ? undefined : (t as Times)[k]);
    for (const [k, e] of [['numpy', numpy], ['tfjs cpu', tfjsCpu], ['tfjs wasm', tfjsWasm], ['C', c]] as const) {
      if ('error' in e) rows.push({ name: `${k}: did not run`, value: 0, unit: '', vs: String(e.error), ok: false });
    }
    const targets: Record<string, [number, string]> = { chain: [4, 'numpy'], softmax: [2, 'numpy'], matmul: [0.5, 'numpy'], logreg: [1, 'numpy'] };
    const label: Record<string, string> = {
      chain: `C: chain sum(sigmoid(x)*x + log1p(x*x)), ${sizes.n} f32`,
      softmax: `C: row softmax ${sizes.rows}x1024 f32`,
      matmul: `C: matmul ${sizes.m}^2 f32`,
      mlp: 'C: MLP step 784-256-10, batch 256 f32',
      logreg: `C: logreg ${sizes.steps} steps 400x784 f64`,
    };
    for (const k of ['chain', 'softmax', 'matmul', 'mlp', 'logreg']) {
      const ours = get(c, k);
      if (ours === undefined) continue;
      const np = get(numpy, k);
      const tk = k === 'logreg' ? undefined : k;
      const t = targets[k];
      const vs = [`numpy ${ratio(np, ours)}`, `tfjs-cpu ${ratio(tk === undefined ? undefined : get(tfjsCpu, tk), ours)}`, `tfjs-wasm ${ratio(tk === undefined ? undefined : get(tfjsWasm, tk), ours)}`];
      if (k === 'chain') vs.push(`interp ${ratio(interp['chain'], ours)}`);
      if (k === 'logreg') vs.push(`interp ${ratio(interp['logreg_step'] !== undefined ? interp['logreg_step'] * sizes.steps : undefined, ours)} (interp f32 step x steps)`);
      if (t) vs.push(`target >= ${t[0]}x numpy`);
      rows.push({ name: label[k]!, value: ms(ours), unit: 'ms', vs: vs.join(', '), ok: t && np !== undefined ? np / ours >= t[0] : null });
    }
    for (const k of ['chain', 'logreg_step']) {
      const ours = js[k];
      const tf = get(tfjsCpu, k);
      rows.push({
        name: k === 'chain' ? `JS target: chain, ${sizes.n} f32` : 'JS target: logreg step 400x784 f32',
        value: ms(ours!), unit: 'ms',
        vs: `tfjs-cpu ${ratio(tf, ours)}, tfjs-wasm ${ratio(get(tfjsWasm, k), ours)}, interp ${ratio(interp[k], ours)}; target >= 2x tfjs-cpu`,
        ok: tf !== undefined ? tf / ours! >= 2 : null,
      });
    }
    // Whole process, warm build cache (the first run builds it).
    const thcRun = wall(process.execPath, [join(PACKAGE_ROOT, 'bin', 'thc.js'), 'run', 'samples/logreg.th', '--fn', 'train', '--steps', '1000', '--device', 'cpu'], 3);
    const pyRun = wall('python3', [join(DIR, 'logreg_process.py')], 3);
    rows.push({
      name: 'process: thc run samples/logreg.th --steps 1000 --device cpu', value: thcRun === null ? 0 : ms(thcRun), unit: 'ms',
      vs: pyRun === null || thcRun === null ? 'n/a' : `python3 + numpy script ${ms(pyRun)} ms: ${(pyRun / thcRun).toFixed(2)}x`, ok: null,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
