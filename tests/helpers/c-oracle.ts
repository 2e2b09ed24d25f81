/**
 * @file The interpreter as the C backend's oracle: runs an entry point for several calls on the
 * reference interpreter and as generated C (src/backend/c/run.ts; each call one run of the cached
 * executable, the state passed in and read back), each side with its own shared state, and compares
 * every output and shared variable after every call: integers and bools exactly, floats with
 * |got - want| <= atol + rtol * |want| (f64 at 1e-12 relative by default: the C code computes in
 * the interpreter's order and precision, and only libm's last bit may differ).
 */
import * as assert from 'uvu/assert';
import type { CompileResult } from '../../src/pipeline.js';
import { createSink } from '../../src/diag/sink.js';
import { runGraph } from '../../src/runtime/interp.js';
import { applyUpdates, initialState } from '../../src/runtime/state.js';
import type { NDArray } from '../../src/runtime/ndarray.js';
import { runWithC } from '../../src/backend/c/run.js';
import { scheduleOf, type Args } from './schedule-oracle.js';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const F64_TOL: Tolerance = { rtol: 1e-12, atol: 1e-300 };
export const F32_TOL: Tolerance = { rtol: 2e-7, atol: 1e-37 };

export function compareArrays(got: NDArray, want: NDArray, tol: Tolerance, what: string): void {
  assert.is(got.dtype, want.dtype, `${what}: dtype`);
  assert.equal([...got.shape], [...want.shape], `${what}: shape`);
  if (got.dtype !== 'f32' && got.dtype !== 'f64') {
    assert.equal([...got.data], [...want.data], `${what}: values`);
    return;
  }
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!, w = want.data[i]!;
    if ((Number.isNaN(w) && Number.isNaN(g)) || g === w) continue;
    if (!(Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w))) assert.unreachable(`${what}: element ${i} is ${g} in C, ${w} on the interpreter`);
  }
}

export interface CCallArgs {
  readonly params: Args;
  readonly dims: ReadonlyMap<string, number>;
}

/** Runs `fn` for each call on both sides from the initial state; returns the C side's mean step time (ns). */
export async function expectCMatches(r: CompileResult, fn: string, calls: readonly CCallArgs[], tol?: Tolerance): Promise<number> {
  const { g } = scheduleOf(r, fn);
  const sink = createSink();
  const want = initialState(r.graphs!.shared, sink)!;
  let got = new Map(want);
  let ns = 0;
  for (const [step, call] of calls.entries()) {
    const expected = runGraph(g, { params: call.params, shared: want, dims: call.dims });
    const res = await runWithC(r, { entry: fn, params: call.params, state: got }, 1, sink);
    assert.ok(res, sink.diagnostics.map(d => `${d.code} ${d.message}`).join('\n'));
    ns += res!.stepNs;
    const tolOf = (t: string): Tolerance => tol ?? (t === 'f32' ? F32_TOL : F64_TOL);
    for (const o of g.outputs) {
      const w = expected.outputs.get(o.name)!;
      compareArrays(res!.outputs.get(o.name)!, w, tolOf(w.dtype), `${fn} call ${step + 1}: output ${o.name}`);
    }
    applyUpdates(want, expected.updates);
    for (const [name, v] of want) {
      const c = res!.state.get(name);
      assert.ok(c, `${fn} call ${step + 1}: shared ${name} missing from C`);
      compareArrays(c!, v, tolOf(v.dtype), `${fn} call ${step + 1}: shared ${name}`);
    }
    got = res!.state;
  }
  return ns / Math.max(1, calls.length);
}
