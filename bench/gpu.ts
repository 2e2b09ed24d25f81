/**
 * @file The GPU section of `npm run bench`: each workload of gpu-workloads.ts run by thc's WGSL
 * backend (createWgslRunner) and by TensorFlow.js's WebGPU backend on the same Dawn device in the
 * same process (gpu-device.ts), timed alike. A *call* is one `runner.run` (thc: upload of the
 * call's scalar parameters, every dispatch in one command encoder, the end-of-call update copies,
 * the readback of every output) or one tidy'd TensorFlow.js step plus `await data()` of every
 * output; inputs and trained parameters stay on the GPU on both sides. Two times per call:
 * *GPU time*, the summed duration of the call's compute passes from timestamp queries
 * (gpu-timer.ts; the kernels only), from which GB/s and GFLOP/s are computed, and *call time*,
 * the host's wall clock around the call (it includes the readback, which dominates for large
 * outputs). Each is the median over the timed calls, after two warm-up calls (the first compiles
 * the pipelines); calls repeat until a time budget or a count is reached. Returns rows for
 * bench/run.ts and a report object that `--json` writes (bench/gpu.sh's result file).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compileSource, PACKAGE_ROOT } from '../src/pipeline.js';
import { createSink } from '../src/diag/sink.js';
import { initialState } from '../src/runtime/state.js';
import type { NDArray } from '../src/runtime/ndarray.js';
import { checkWgslSupport } from '../src/backend/wgsl/support.js';
import { createWgslRunner } from '../src/backend/wgsl/run.js';
import type { BenchRow } from './frontend.js';
import { benchGpu, isSoftware, type BenchGpu } from './gpu-device.js';
import { loadTfjs } from './gpu-tfjs.js';
import { FULL, SMOKE, workloads, type Tf, type Workload } from './gpu-workloads.js';

export type GpuMode = 'auto' | 'full' | 'smoke';

/**
 * Peaks of an NVIDIA H200 SXM (NVIDIA's H200 datasheet): 4.8 TB/s of HBM3e and 67 TFLOPS of FP32
 * without tensor cores (16,896 FP32 lanes x 2 flops x 1.98 GHz boost; the H100 SXM datasheet gives
 * the same 67 TFLOPS FP32). WebGPU exposes
 * neither, so THC_PEAK_GBPS and THC_PEAK_GFLOPS override them for another GPU.
 */
export const H200_PEAK_GBPS = 4800;
export const H200_PEAK_GFLOPS = 67_000;
const ELEMENTWISE_TARGET = 0.7;
const MATMUL_TARGET = 0.3;
/** Outputs that differ by more than this (relative to the largest magnitude) mark a workload as disagreeing. */
const AGREE_TOL = 1e-3;

export interface Timing {
  /** Median GPU time of a call's compute passes, ms (null without timestamp queries). */
  readonly gpuMs: number | null;
  /** Median wall time of a call, ms. */
  readonly callMs: number;
  readonly calls: number;
  readonly allGpuMs: readonly number[];
  readonly allCallMs: readonly number[];
}

export interface WorkloadReport {
  readonly id: string;
  readonly label: string;
  readonly unit: 'GB/s' | 'GFLOP/s';
  /** Bytes (GB/s workloads) or flops (GFLOP/s) of one call. */
  readonly work: number;
  readonly thc: (Timing & { readonly rate: number | null; readonly kernels: number }) | { readonly error: string };
  readonly tfjs: (Timing & { readonly rate: number | null }) | { readonly error: string } | null;
  /** thc's GPU time / TensorFlow.js's (below 1: thc is faster); call time when there is no GPU time. */
  readonly ratio: number | null;
  /** Largest |thc - tfjs| / max |tfjs| over the first call's outputs. */
  readonly maxRelDiff: number | null;
  /** The first call's first values of each output, thc and tfjs (a glance at what was compared). */
  readonly sample: { readonly thc: number[][]; readonly tfjs: number[][] };
  /** Wall seconds the workload took in all (compile, initial values, both sides). */
  readonly seconds: number;
}

export interface GpuReport {
  readonly date: string;
  /** thc's git commit, when run from a checkout. */
  readonly commit: string | null;
  readonly mode: 'full' | 'smoke';
  readonly node: string;
  readonly adapter: BenchGpu['gpu']['info'] | null;
  readonly webgpuPackage: string | null;
  readonly limits: Readonly<Record<string, number>> | null;
  readonly timestamps: boolean;
  readonly tfjs: { readonly version: string } | { readonly error: string };
  readonly timing: string;
  readonly error?: string;
  readonly workloads: readonly WorkloadReport[];
  readonly targets: {
    readonly peakGBps: number;
    readonly peakGFLOPS: number;
    readonly peakSource: string;
    readonly elementwise: { readonly fractionOfPeak: number | null; readonly target: number; readonly met: boolean | null };
    readonly matmul4096: { readonly fractionOfPeak: number | null; readonly target: number; readonly met: boolean | null };
    readonly fasterThanTfjs: { readonly met: boolean | null; readonly slower: readonly string[] };
  };
  readonly uncapturedErrors: readonly string[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Timed calls: at least minCalls, at most maxCalls, else until `seconds` passed; after `warmCalls` untimed calls (default 2). */
export interface Budget { readonly seconds: number; readonly minCalls: number; readonly maxCalls: number; readonly warmCalls?: number }

/** Warm-up calls, then timed calls until the budget is spent. */
async function measure(bg: BenchGpu, call: () => Promise<void>, budget: Budget): Promise<Timing> {
  for (let i = 0; i < (budget.warmCalls ?? 2); i++) await call();
  const gpu: number[] = [], wall: number[] = [];
  const start = performance.now();
  while (wall.length < budget.maxCalls && (wall.length < budget.minCalls || performance.now() - start < budget.seconds * 1000)) {
    bg.timer.begin();
    const t0 = performance.now();
    await call();
    wall.push(performance.now() - t0);
    const ms = bg.timer.supported ? await bg.timer.end() : null;
    if (ms !== null) gpu.push(ms);
  }
  return { gpuMs: gpu.length ? median(gpu) : null, callMs: median(wall), calls: wall.length, allGpuMs: gpu, allCallMs: wall };
}

const rateOf = (w: Workload, ms: number | null): number | null =>
  ms === null || ms <= 0 ? null : (w.work.unit === 'GB/s' ? w.work.bytes : w.work.flops) / (ms * 1e6);

const message = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!;

/** thc's side: compile, run, time; the first call's outputs (from the initial state) for the comparison. */
async function runThc(bg: BenchGpu, w: Workload, budget: Budget): Promise<{ timing: Timing & { kernels: number }; first: NDArray[]; init: ReadonlyMap<string, NDArray> }> {
  const r = compileSource({ source: w.source, path: join(PACKAGE_ROOT, 'bench', `${w.id}.th`), displayName: `bench/${w.id}.th` }, { stopAfter: 'kernels', entry: w.entry });
  const errors = r.diagnostics.filter(d => d.severity === 'error');
  if (errors.length || !r.graphs || !r.schedules) throw new Error(`compile: ${errors.map(d => `${d.code} ${d.message}`).join('; ') || 'no schedule'}`);
  const g = r.graphs.entries.find(e => e.name === w.entry)!;
  const s = r.schedules.get(w.entry)!;
  const sink = createSink();
  if (!checkWgslSupport(s, g, r.graphs, sink)) throw new Error(`not runnable on the GPU: ${sink.diagnostics.map(d => `${d.code} ${d.message}`).join('; ')}`);
  const init = initialState(r.graphs.shared, sink);
  if (!init) throw new Error(`initial state: ${sink.diagnostics.map(d => `${d.code} ${d.message}`).join('; ')}`);
  // The runner gets its own copy: TensorFlow.js starts from the same initial values.
  const runner = createWgslRunner(bg.gpu, s, r.graphs, new Map(init));
  try {
    const call = { params: w.params, dims: new Map<string, number>() };
    const out = await runner.run(call);
    const first = g.outputs.map(o => out.get(o.name)!);
    const timing = await measure(bg, async () => { await runner.run(call); }, budget);
    return { timing: { ...timing, kernels: s.kernels.length }, first, init };
  } finally {
    runner.destroy();
  }
}

/** TensorFlow.js's side from the same initial values. */
async function runTfjs(bg: BenchGpu, tf: Tf, w: Workload, init: ReadonlyMap<string, NDArray>, budget: Budget): Promise<{ timing: Timing; first: ArrayLike<number>[] }> {
  const side = w.tfjs(tf, init);
  try {
    const callOnce = async (): Promise<ArrayLike<number>[]> => {
      const outs = tf.tidy(() => side.call());
      try {
        return await Promise.all(outs.map(o => o.data()));
      } finally {
        for (const o of outs) o.dispose();
      }
    };
    const first = await callOnce();
    const timing = await measure(bg, async () => { await callOnce(); }, budget);
    return { timing, first };
  } finally {
    side.dispose();
  }
}

/** Largest |a - b| over the outputs, relative to the largest |b| of that output. */
function relDiff(a: readonly NDArray[], b: readonly ArrayLike<number>[]): number {
  let worst = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    let diff = 0, scale = 0;
    for (let i = 0; i < x.data.length; i++) {
      diff = Math.max(diff, Math.abs(x.data[i]! - y[i]!));
      scale = Math.max(scale, Math.abs(y[i]!));
    }
    if (x.data.length !== y.length) diff = Infinity;
    worst = Math.max(worst, Number.isNaN(diff) ? Infinity : diff / (scale || 1));
  });
  return worst;
}

/**
 * One workload on both sides: thc first (its initial shared values then seed TensorFlow.js), then
 * TensorFlow.js when it loaded; failures of either side are reported, not thrown.
 */
export async function runWorkload(bg: BenchGpu, tfjs: Awaited<ReturnType<typeof loadTfjs>>, w: Workload, budget: Budget): Promise<WorkloadReport> {
  const t0 = performance.now();
  const work = w.work.unit === 'GB/s' ? w.work.bytes : w.work.flops;
  const sample: WorkloadReport['sample'] = { thc: [], tfjs: [] };
  let thc: WorkloadReport['thc'], tf: WorkloadReport['tfjs'] = null, ratio: number | null = null, diff: number | null = null;
  let init: ReadonlyMap<string, NDArray> | null = null, first: NDArray[] = [];
  try {
    const r = await runThc(bg, w, budget);
    thc = { ...r.timing, rate: rateOf(w, r.timing.gpuMs) };
    init = r.init;
    first = r.first;
    sample.thc.push(...first.map(a => Array.from(a.data.subarray(0, 4), Number)));
  } catch (e) {
    thc = { error: message(e) };
  }
  if ('tf' in tfjs && init) {
    try {
      const r = await runTfjs(bg, tfjs.tf, w, init, budget);
      tf = { ...r.timing, rate: rateOf(w, r.timing.gpuMs) };
      diff = relDiff(first, r.first);
      sample.tfjs.push(...r.first.map(a => Array.from(a).slice(0, 4)));
      if (!('error' in thc)) ratio = thc.gpuMs !== null && tf.gpuMs !== null ? thc.gpuMs / tf.gpuMs : thc.callMs / tf.callMs;
    } catch (e) {
      tf = { error: message(e) };
    }
  } else if ('error' in tfjs) {
    tf = { error: tfjs.error };
  }
  return { id: w.id, label: w.label, unit: w.work.unit, work, thc, tfjs: tf, ratio, maxRelDiff: diff, sample, seconds: (performance.now() - t0) / 1000 };
}

const fmt = (x: number | null, digits = 3): string => (x === null ? '-' : x >= 100 ? x.toFixed(0) : x.toPrecision(digits));
const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

function peaks(): { gbps: number; gflops: number; source: string } {
  const env = (k: string): number | null => {
    const v = Number(process.env[k]);
    return process.env[k] && Number.isFinite(v) && v > 0 ? v : null;
  };
  const gbps = env('THC_PEAK_GBPS'), gflops = env('THC_PEAK_GFLOPS');
  const source = gbps === null && gflops === null ? 'NVIDIA H200 SXM datasheet defaults (4.8 TB/s HBM3e, 67 TFLOPS FP32)'
    : `THC_PEAK_GBPS=${gbps ?? '(default 4800)'} THC_PEAK_GFLOPS=${gflops ?? '(default 67000)'}`;
  return { gbps: gbps ?? H200_PEAK_GBPS, gflops: gflops ?? H200_PEAK_GFLOPS, source };
}

/** Rows for the table, from the report. Smoke rows are never marked ok/MISS: lavapipe numbers mean nothing. */
function rowsOf(rep: GpuReport): BenchRow[] {
  const rows: BenchRow[] = [];
  const tag = rep.mode === 'smoke' ? ' (smoke)' : '';
  const scored = rep.mode === 'full';
  rows.push({ name: `gpu adapter${tag}`, value: 0, unit: '', ok: null,
    vs: rep.adapter ? `${rep.adapter.description || rep.adapter.device} (${rep.adapter.vendor}, ${rep.adapter.architecture}); timestamps ${rep.timestamps ? 'yes' : 'no'}` : `none: ${rep.error}` });
  if (!rep.adapter) return rows;
  if (rep.error && rep.workloads.length === 0) {
    rows.push({ name: `gpu benchmark${tag}`, value: 0, unit: '', ok: false, vs: rep.error });
    return rows;
  }
  rows.push({ name: `tfjs-webgpu${tag}`, value: 0, unit: '', ok: null,
    vs: 'version' in rep.tfjs ? `@tensorflow/tfjs-backend-webgpu ${rep.tfjs.version} on the same Dawn device` : `cannot run: ${rep.tfjs.error}` });
  for (const w of rep.workloads) {
    const name = `${w.label}${tag}`;
    if ('error' in w.thc) { rows.push({ name, value: 0, unit: 'ms', ok: scored ? false : null, vs: `thc failed: ${w.thc.error}` }); continue; }
    const t = w.thc;
    const tf = w.tfjs && !('error' in w.tfjs) ? w.tfjs : null;
    const tfText = w.tfjs === null ? 'tfjs not run' : 'error' in w.tfjs ? `tfjs failed: ${w.tfjs.error}`
      : `tfjs ${fmt(w.tfjs.gpuMs)} ms gpu, ${fmt(w.tfjs.callMs)} ms call; thc/tfjs ${fmt(w.ratio, 2)}; diff ${w.maxRelDiff === null ? '-' : w.maxRelDiff.toExponential(1)}`;
    rows.push({ name, value: Number(fmt(t.gpuMs ?? t.callMs)), unit: t.gpuMs === null ? 'ms call' : 'ms gpu', ok: scored && tf && w.ratio !== null ? w.ratio < 1 : null,
      vs: `call ${fmt(t.callMs)} ms (${t.calls} calls, ${t.kernels} kernels); ${tfText}` });
    let vs = tf ? `tfjs ${fmt(tf.rate)}` : '';
    let ok: boolean | null = null;
    if (w.id === 'elementwise') {
      vs = `${pct(rep.targets.elementwise.fractionOfPeak)} of ${rep.targets.peakGBps} GB/s (target 70%); ${vs}`;
      ok = scored ? rep.targets.elementwise.met : null;
    } else if (w.id === 'matmul4096') {
      vs = `${pct(rep.targets.matmul4096.fractionOfPeak)} of ${rep.targets.peakGFLOPS} GFLOP/s (target 30%); ${vs}`;
      ok = scored ? rep.targets.matmul4096.met : null;
    }
    rows.push({ name: `${name} rate`, value: Number(fmt(t.rate)), unit: w.unit, ok, vs });
  }
  return rows;
}

/** The section: rows for the table and the report for `--json`. */
export async function gpuBench(mode: GpuMode = 'auto'): Promise<{ rows: BenchRow[]; report: GpuReport }> {
  const pk = peaks();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  const base = {
    date: new Date().toISOString(), node: process.version, commit: git.status === 0 ? git.stdout.trim() : null,
    timing: 'median over timed calls after 2 warm-up calls; gpuMs: summed compute-pass durations from timestamp queries (kernels only); '
      + 'callMs: wall time of one call incl. the readback of every output (inputs stay on the GPU)',
  };
  const emptyTargets = (): GpuReport['targets'] => ({
    peakGBps: pk.gbps, peakGFLOPS: pk.gflops, peakSource: pk.source,
    elementwise: { fractionOfPeak: null, target: ELEMENTWISE_TARGET, met: null },
    matmul4096: { fractionOfPeak: null, target: MATMUL_TARGET, met: null },
    fasterThanTfjs: { met: null, slower: [] },
  });
  const bg = await benchGpu();
  if ('error' in bg) {
    const report: GpuReport = { ...base, mode: mode === 'full' ? 'full' : 'smoke', adapter: null, webgpuPackage: null, limits: null, timestamps: false,
      tfjs: { error: 'no device' }, error: bg.error, workloads: [], targets: emptyTargets(), uncapturedErrors: [] };
    return { rows: rowsOf(report), report };
  }
  try {
    if (mode === 'full' && isSoftware(bg.gpu.info) && process.env['THC_BENCH_FORCE_FULL'] !== '1') {
      // Full sizes on lavapipe would run for hours (matmul 4096^3 at ~0.1 GFLOP/s).
      const report: GpuReport = { ...base, mode: 'full', adapter: bg.gpu.info, webgpuPackage: bg.gpu.packageVersion, limits: bg.gpu.limits,
        timestamps: bg.timer.supported, tfjs: { error: 'not run' }, workloads: [], targets: emptyTargets(), uncapturedErrors: [],
        error: `--full asks for a hardware GPU but the adapter is software (${bg.gpu.info.description}): is the GPU's Vulkan driver (ICD) installed? THC_BENCH_FORCE_FULL=1 runs anyway` };
      return { rows: rowsOf(report), report };
    }
    const smoke = mode === 'smoke' || (mode === 'auto' && isSoftware(bg.gpu.info));
    const env = (k: string, dflt: number): number => {
      const v = Number(process.env[k]);
      return process.env[k] && Number.isFinite(v) && v >= 0 ? v : dflt;
    };
    // Per side and workload; past the section's deadline only the minimum of calls is run, so
    // bench/gpu.sh stays within its five minutes whatever the GPU.
    const perSide = env('THC_BENCH_GPU_BUDGET_S', smoke ? 0.5 : 4);
    const deadline = performance.now() + 1000 * env('THC_BENCH_GPU_DEADLINE_S', smoke ? 60 : 180);
    const tfjs = await loadTfjs(bg);
    const reports: WorkloadReport[] = [];
    // THC_BENCH_GPU_WORKLOADS=elementwise,matmul4096 runs only those (ids as in the JSON report).
    const pick = process.env['THC_BENCH_GPU_WORKLOADS']?.split(',').map(x => x.trim()).filter(Boolean);
    for (const w of workloads(smoke ? SMOKE : FULL).filter(x => !pick?.length || pick.includes(x.id))) {
      const budget: Budget = { seconds: performance.now() > deadline ? 0 : perSide, minCalls: 3, maxCalls: smoke ? 3 : 50 };
      reports.push(await runWorkload(bg, tfjs, w, budget));
    }
    const rate = (id: string): number | null => {
      const t = reports.find(r => r.id === id)?.thc;
      return t && !('error' in t) ? t.rate : null;
    };
    const ew = rate('elementwise'), mm = rate('matmul4096');
    const slower = reports.filter(r => r.ratio === null || !(r.ratio < 1)).map(r => r.id);
    // Smoke sizes on a software adapter score nothing: `met` stays null.
    const met = (ok: boolean | null): boolean | null => (smoke ? null : ok);
    const targets: GpuReport['targets'] = {
      ...emptyTargets(),
      elementwise: { fractionOfPeak: ew === null ? null : ew / pk.gbps, target: ELEMENTWISE_TARGET, met: met(ew === null ? null : ew / pk.gbps >= ELEMENTWISE_TARGET) },
      matmul4096: { fractionOfPeak: mm === null ? null : mm / pk.gflops, target: MATMUL_TARGET, met: met(mm === null ? null : mm / pk.gflops >= MATMUL_TARGET) },
      fasterThanTfjs: { met: met(reports.some(r => r.ratio !== null) ? slower.length === 0 : null), slower },
    };
    const disagree = reports.filter(r => r.maxRelDiff !== null && !(r.maxRelDiff <= AGREE_TOL)).map(r => `${r.id} (${r.maxRelDiff})`);
    const report: GpuReport = {
      ...base, mode: smoke ? 'smoke' : 'full', adapter: bg.gpu.info, webgpuPackage: bg.gpu.packageVersion, limits: bg.gpu.limits,
      timestamps: bg.timer.supported, tfjs: 'tf' in tfjs ? { version: tfjs.version } : tfjs, workloads: reports, targets,
      uncapturedErrors: bg.gpu.uncaptured.map(e => e.message),
      ...(disagree.length ? { error: `thc and tfjs disagree on ${disagree.join(', ')}` } : {}),
    };
    const rows = rowsOf(report);
    if (disagree.length) rows.push({ name: 'gpu outputs agree', value: 0, unit: '', ok: false, vs: report.error! });
    return { rows, report };
  } finally {
    bg.release();
  }
}
