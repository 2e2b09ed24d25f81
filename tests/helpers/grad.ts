/**
 * @file Gradient-test helpers: compile a `.th` program to the `grad` stage in memory (the real
 * stdlib is available), evaluate entry points in the reference interpreter, and compare a
 * gradient against central finite differences of the cost computed by the same interpreter.
 */
import * as assert from 'uvu/assert';
import { compileSource, type CompileResult, type StageName } from '../../src/pipeline.js';
import type { Graph } from '../../src/graph/graph.js';
import { evaluate } from '../../src/runtime/interp.js';
import { type NDArray, fromNumbers } from '../../src/runtime/ndarray.js';
import type { DType } from '../../src/sema/types.js';

export function compileTo(src: string, stopAfter: StageName = 'grad'): CompileResult {
  return compileSource({ source: src, path: '/virtual/main.th', displayName: 'main.th' }, { stopAfter });
}

export function compileOk(src: string, stopAfter: StageName = 'grad'): CompileResult {
  const r = compileTo(src, stopAfter);
  assert.equal(r.diagnostics.map(d => `${d.code} ${d.primary?.span.line}:${d.primary?.span.col} ${d.message}`), [], `diagnostics in:\n${src}`);
  return r;
}

export function entry(r: CompileResult, fn: string): Graph {
  const g = r.graphs!.entries.find(e => e.name === fn);
  assert.ok(g, `no entry ${fn}`);
  return g!;
}

export type Values = ReadonlyMap<string, NDArray>;

/** Every output of `g` for these parameter (and shared) values. */
export function run(g: Graph, params: Values, shared: Values = new Map()): NDArray[] {
  return evaluate(g.outputs.map(o => o.node), { params, shared, dims: new Map() });
}

/** A small deterministic generator (mulberry32) for test inputs. */
export { rng } from './program-gen.js';

export function randomArray(r: () => number, shape: readonly number[], lo: number, hi: number, dtype: DType = 'f64'): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  return fromNumbers(dtype, shape, Array.from({ length: n }, () => lo + (hi - lo) * r()));
}

/** `|a - b| / max(|a|, |b|, floor)`: relative error, absolute near zero. */
export function relErr(a: number, b: number, floor = 1e-3): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/**
 * Central differences of the scalar first output of `cost` with respect to parameter `name`,
 * one element at a time (step h scaled by the element's size).
 */
export function finiteDiff(cost: Graph, params: Values, name: string, h = 1e-5, shared: Values = new Map()): Float64Array {
  const x = params.get(name)!;
  const out = new Float64Array(x.data.length);
  const at = (k: number, v: number): number => {
    const data = Float64Array.from(x.data);
    data[k] = v;
    const p = new Map(params);
    p.set(name, { dtype: x.dtype, shape: x.shape, data });
    return run(cost, p, shared)[0]!.data[0]!;
  };
  for (let k = 0; k < out.length; k++) {
    const v = x.data[k]!;
    const step = h * Math.max(1, Math.abs(v));
    out[k] = (at(k, v + step) - at(k, v - step)) / (2 * step);
  }
  return out;
}

/** Asserts element-wise relative error below `tol`, naming the worst element. */
export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  let worst = 0, at = -1;
  for (let k = 0; k < got.length; k++) {
    const e = Number.isNaN(got[k]!) || Number.isNaN(want[k]!) ? Infinity : relErr(got[k]!, want[k]!);
    if (e > worst) { worst = e; at = k; }
  }
  assert.ok(worst < tol, `${what}: relative error ${worst} at element ${at} (got ${got[at]}, want ${want[at]})`);
}
