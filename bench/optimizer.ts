/**
 * @file Optimizer benchmarks (issue 3, acceptance 5): the end-to-end compile (parse to optimized
 * graph, in-process, warm) of samples/logreg.th next to PyTensor's figure quoted in the issue, and
 * the compile time of generated deep MLPs with their gradients at about 10k, 20k, 40k and 80k
 * nodes of optimized training graph. Produces rows for bench/run.ts to print.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compileSource, PACKAGE_ROOT, type CompileResult } from '../src/pipeline.js';
import { topoOrder } from '../src/graph/walk.js';
import type { BenchRow } from './frontend.js';

/** PyTensor's warm compile of the same function, as issue 3 quotes it (PyTensor is not installed here). */
const PYTENSOR_QUOTED_MS = 600;
const NODE_TARGETS = [10_000, 20_000, 40_000, 80_000];
const FIRST_TARGET_MS = 200;
const MAX_DOUBLING_RATIO = 2.5;

/**
 * A `layers`-deep MLP, `tanh(h @ wK + bK)` per layer with shared weights, and one training step:
 * one `grad` over every weight and bias, one update each.
 */
export function generateDeepMlp(layers: number): string {
  const out: string[] = ['shared x: f64[8, 16] = normal(0, 1, seed=1)'];
  for (let k = 1; k <= layers; k++) {
    out.push(`shared w${k}: f64[16, 16] = normal(0, 0.25, seed=${k + 1})`, `shared b${k}: f64[16] = 0`);
  }
  const targets = Array.from({ length: layers }, (_, i) => [`w${i + 1}`, `b${i + 1}`]).flat();
  out.push('', 'fn train(lr: f64 = 0.01) {', '  let h0 = x');
  for (let k = 1; k <= layers; k++) out.push(`  let h${k} = tanh(h${k - 1} @ w${k} + b${k})`);
  out.push(`  let cost = mean(h${layers} ^ 2)`);
  out.push(`  let (${targets.map(t => `g${t}`).join(', ')}) = grad(cost, (${targets.join(', ')}))`);
  for (const t of targets) out.push(`  ${t} <- ${t} - lr * g${t}`);
  out.push('  return cost', '}', '');
  return out.join('\n');
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One compile, parse to optimized graph; its time and result. */
function compileTimed(source: string, path: string): { ms: number; result: CompileResult } {
  const t0 = process.hrtime.bigint();
  const result = compileSource({ source, path, displayName: path });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

/** The first error as text, or null when the compile succeeded. */
function failure(r: CompileResult): string | null {
  const e = r.diagnostics.find(d => d.severity === 'error');
  return e ? `${e.code} ${e.message}` : r.ok ? null : 'compile failed';
}

/** Median compile time after `warm` untimed runs; null and the reason when the program does not compile. */
function timeCompile(source: string, path: string, warm: number, runs: number): { ms: number; result: CompileResult } | { error: string } {
  const first = compileTimed(source, path);
  const err = failure(first.result);
  if (err) return { error: err };
  for (let i = 1; i < warm; i++) compileTimed(source, path);
  const times = Array.from({ length: runs }, () => compileTimed(source, path).ms);
  return { ms: median(times), result: first.result };
}

/** Nodes of the optimized `train` graph (outputs and updates, shared and constant leaves included). */
function trainNodes(r: CompileResult): number {
  const g = r.graphs!.entries.find(e => e.name === 'train')!;
  return topoOrder([...g.outputs.map(o => o.node), ...g.updates.map(u => u.node)]).length;
}

function logregRows(): BenchRow[] {
  const path = join(PACKAGE_ROOT, 'samples', 'logreg.th');
  const t = timeCompile(readFileSync(path, 'utf8'), path, 5, 15);
  const peer: BenchRow = { name: 'PyTensor, same function, warm (quoted in issue 3, not measured here)', value: PYTENSOR_QUOTED_MS, unit: 'ms', vs: 'peer (quoted)', ok: null };
  if ('error' in t) return [{ name: 'compile samples/logreg.th (parse to optimized)', value: NaN, unit: 'ms', vs: `does not compile: ${t.error}`, ok: false }, peer];
  return [
    { name: 'compile samples/logreg.th (parse to optimized)', value: Number(t.ms.toFixed(1)), unit: 'ms', vs: `${(PYTENSOR_QUOTED_MS / t.ms).toFixed(0)}x faster than PyTensor's quoted 0.6 s; target <= 50 ms`, ok: t.ms <= 50 },
    peer,
  ];
}

/** Layers per node target, from the node counts of two small compiles (nodes grow linearly with depth). */
function calibrate(): { layersFor: (nodes: number) => number } | { error: string } {
  const count = (layers: number): number | string => {
    const r = compileTimed(generateDeepMlp(layers), `deep-mlp-${layers}.th`).result;
    return failure(r) ?? trainNodes(r);
  };
  const a = count(20), b = count(40);
  if (typeof a === 'string') return { error: a };
  if (typeof b === 'string') return { error: b };
  const perLayer = (b - a) / 20, base = a - 20 * perLayer;
  return { layersFor: nodes => Math.max(1, Math.round((nodes - base) / perLayer)) };
}

/** Warm-up compiles and timed compiles per size (the JIT needs about ten compiles to settle: the first ones are 3-4x slower). */
const WARM_UP = 10, RUNS = 15;

/**
 * One size's median compile time and node count, measured in a fresh Node process: sizes timed
 * in one process inherit each other's heap (a 10k compile after an 80k one runs in a grown heap
 * and skips collections it would otherwise pay), which skews the ratios between sizes.
 */
function timeSizeInChild(layers: number): { ms: number; nodes: number } | { error: string } {
  const script = join(PACKAGE_ROOT, 'dist', 'bench', 'optimizer.js');
  const r = spawnSync(process.execPath, [script, String(layers)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n')[0]! };
  return JSON.parse(r.stdout) as { ms: number; nodes: number } | { error: string };
}

/** The child's side: `node dist/bench/optimizer.js LAYERS` prints {ms, nodes} or {error}. */
function childMain(layers: number): void {
  const t = timeCompile(generateDeepMlp(layers), `deep-mlp-${layers}.th`, WARM_UP, RUNS);
  process.stdout.write(JSON.stringify('error' in t ? t : { ms: t.ms, nodes: trainNodes(t.result) }));
}

/**
 * Child processes per size, run in interleaved rounds (10k, 20k, 40k, 80k, then again): the
 * machine's speed drifts by +-25% over tens of seconds, and timing each size once would let one
 * slow spell land on one size and skew its ratio. Each size's time is the median of its rounds.
 */
const ROUNDS = 5;

function deepMlpRows(): BenchRow[] {
  const cal = calibrate();
  if ('error' in cal) return [{ name: 'deep MLP with gradients', value: NaN, unit: 'ms', vs: `does not compile: ${cal.error}`, ok: false }];
  const sizes = NODE_TARGETS.map(target => ({ target, layers: cal.layersFor(target), times: [] as number[], nodes: 0, error: null as string | null }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of sizes) {
      if (s.error !== null) continue;
      const t = timeSizeInChild(s.layers);
      if ('error' in t) s.error = t.error;
      else { s.times.push(t.ms); s.nodes = t.nodes; }
    }
  }
  const rows: BenchRow[] = [];
  let prev: number | null = null;
  for (const s of sizes) {
    if (s.error !== null) {
      rows.push({ name: `deep MLP, ${s.layers} layers`, value: NaN, unit: 'ms', vs: `does not compile: ${s.error}`, ok: false });
      prev = null;
      continue;
    }
    const ms = median(s.times);
    const spread = `rounds ${s.times.map(t => t.toFixed(0)).join('/')} ms`;
    const name = `compile deep MLP + grad, ${s.layers} layers, ${s.nodes} nodes`;
    if (s.target === NODE_TARGETS[0]) {
      rows.push({ name, value: Number(ms.toFixed(1)), unit: 'ms', vs: `target < ${FIRST_TARGET_MS} ms at 10k nodes (${spread})`, ok: ms < FIRST_TARGET_MS });
    } else if (prev === null) {
      rows.push({ name, value: Number(ms.toFixed(1)), unit: 'ms', vs: 'no ratio: the previous size did not compile', ok: false });
    } else {
      const ratio = ms / prev;
      rows.push({ name, value: Number(ms.toFixed(1)), unit: 'ms', vs: `${ratio.toFixed(2)}x the previous size; target <= ${MAX_DOUBLING_RATIO}x (${spread})`, ok: ratio <= MAX_DOUBLING_RATIO });
    }
    prev = ms;
  }
  return rows;
}

export function optimizerBench(): BenchRow[] {
  return [...logregRows(), ...deepMlpRows()];
}

// Run as a script (`node dist/bench/optimizer.js LAYERS`): time one size for the parent.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] !== undefined) childMain(Number(process.argv[2]));
