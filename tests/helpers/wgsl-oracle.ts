/**
 * @file The interpreter as the WGSL backend's oracle: compiles a program to the `kernels` stage,
 * runs an entry point for several calls on the reference interpreter and on the GPU (each side with
 * its own shared state), and compares every output and shared variable after every call within
 * tolerances: integers and bools exactly, f32 (and f16) with |got - want| <= atol + rtol * |want| (WGSL's
 * accuracy rules, GPU-NOTES 5.3: exp/log/division are not correctly rounded, and reductions and
 * matmul add in another order and in f32 where the interpreter accumulates in f64).
 */
import * as assert from 'uvu/assert';
import type { CompileResult } from '../../src/pipeline.js';
import type { Gpu } from '../../src/gpu/device.js';
import { createSink } from '../../src/diag/sink.js';
import { runGraph } from '../../src/runtime/interp.js';
import { applyUpdates, initialState } from '../../src/runtime/state.js';
import type { NDArray } from '../../src/runtime/ndarray.js';
import { checkWgslSupport } from '../../src/backend/wgsl/support.js';
import { createWgslRunner, type WgslRunnerOptions } from '../../src/backend/wgsl/run.js';
import { scheduleOf, type Args } from './schedule-oracle.js';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const F32_TOL: Tolerance = { rtol: 2e-6, atol: 1e-6 };

/** The largest error relative to the tolerance (<= 1 passes) and where it is. */
export function compareArrays(got: NDArray, want: NDArray, tol: Tolerance, what: string): number {
  assert.is(got.dtype, want.dtype, `${what}: dtype`);
  assert.equal([...got.shape], [...want.shape], `${what}: shape`);
  if (got.dtype !== 'f32' && got.dtype !== 'f16') {
    assert.equal([...got.data], [...want.data], `${what}: values`);
    return 0;
  }
  let worst = 0, at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!, w = want.data[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (w === g) continue;
    const r = Math.abs(g - w) / (tol.atol + tol.rtol * Math.abs(w));
    if (!(r <= worst)) { worst = r; at = i; }
  }
  if (!(worst <= 1)) assert.unreachable(`${what}: element ${at} is ${got.data[at]} on the GPU, ${want.data[at]} on the interpreter (${worst.toFixed(1)}x the tolerance)`);
  return worst;
}

/** Max relative error |got - want| / |want| over the nonzero elements (reported by the accuracy test). */
export function maxRelError(got: NDArray, want: NDArray): number {
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const w = want.data[i]!, g = got.data[i]!;
    if (w !== 0 && Number.isFinite(w)) worst = Math.max(worst, Math.abs(g - w) / Math.abs(w));
  }
  return worst;
}

export interface GpuRun {
  /** Per call, the outputs of both sides. */
  readonly calls: { readonly got: Map<string, NDArray>; readonly want: ReadonlyMap<string, NDArray> }[];
}

/**
 * Runs `fn` for `calls.length` calls on both sides from the program's initial state and compares
 * outputs and shared variables after each call (per-output tolerances override `tol`).
 */
export async function expectGpuMatches(gpu: Gpu, r: CompileResult, fn: string, calls: readonly { params: Args; dims: ReadonlyMap<string, number> }[],
  tol: Tolerance = F32_TOL, perOutput: Readonly<Record<string, Tolerance>> = {}, opts: WgslRunnerOptions = {}): Promise<GpuRun> {
  const { g, s } = scheduleOf(r, fn);
  const sink = createSink();
  assert.ok(checkWgslSupport(s, g, r.graphs!, sink, gpu.features), sink.diagnostics.map(d => `${d.code} ${d.message}`).join('\n'));
  const store = initialState(r.graphs!.shared, sink)!;
  const runner = createWgslRunner(gpu, s, r.graphs!, store, opts);
  const out: GpuRun = { calls: [] };
  try {
    for (const [step, call] of calls.entries()) {
      const want = runGraph(g, { params: call.params, shared: store, dims: call.dims });
      const got = await runner.run(call);
      for (const o of g.outputs) compareArrays(got.get(o.name)!, want.outputs.get(o.name)!, perOutput[o.name] ?? tol, `${fn} call ${step + 1}: output ${o.name}`);
      applyUpdates(store, want.updates);
      const shared = await runner.readShared();
      for (const [name, v] of store) if (shared.has(name)) compareArrays(shared.get(name)!, v, tol, `${fn} call ${step + 1}: shared ${name}`);
      out.calls.push({ got, want: want.outputs });
    }
  } finally {
    runner.destroy();
  }
  return out;
}
