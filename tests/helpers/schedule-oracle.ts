/**
 * @file The interpreter as the schedule's oracle: compiles a program to the `kernels` stage, runs an
 * entry point for several calls both on the reference interpreter (runtime/interp.ts) and on the
 * schedule executor (schedule/run.ts), each with its own copy of the shared state, and asserts that
 * every output and every shared variable has the same bytes after every call.
 */
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { compileSource, type CompileResult } from '../../src/pipeline.js';
import type { Graph } from '../../src/graph/graph.js';
import type { ScheduleOptions } from '../../src/schedule/types.js';
import type { Schedule } from '../../src/schedule/index.js';
import { createSink } from '../../src/diag/sink.js';
import { runGraph } from '../../src/runtime/interp.js';
import { applyUpdates, initialState } from '../../src/runtime/state.js';
import { residentFrom, residentValues, runSchedule } from '../../src/schedule/run.js';
import { fromNumbers, type NDArray } from '../../src/runtime/ndarray.js';
import { isFloat, type DType } from '../../src/sema/types.js';
import { rng } from './program-gen.js';
import { repoPath } from './paths.js';

const readVirtual = (abs: string): string | undefined => {
  const rel = abs.startsWith('/virtual/') ? abs.slice('/virtual/'.length) : undefined;
  if (rel === undefined) return undefined;
  try { return readFileSync(repoPath(rel.startsWith('stdlib/') ? rel : `samples/${rel}`), 'utf8'); } catch { return undefined; }
};

/** Compiles `src` (as /virtual/main.th; `use` finds the real stdlib) through the `kernels` step. */
export function compileKernels(src: string, schedule: ScheduleOptions = {}): CompileResult {
  return compileSource({ source: src, path: '/virtual/main.th', displayName: 'main.th' },
    { stopAfter: 'kernels', schedule, host: { readFile: readVirtual, stdlibDir: '/virtual/stdlib' } });
}

export function compileKernelsOk(src: string, schedule: ScheduleOptions = {}): CompileResult {
  const r = compileKernels(src, schedule);
  assert.equal(r.diagnostics.map(d => `${d.code} ${d.message}`), [], `diagnostics of:\n${src}`);
  return r;
}

export function scheduleOf(r: CompileResult, fn: string): { g: Graph; s: Schedule } {
  const g = r.graphs?.entries.find(e => e.name === fn);
  const s = r.schedules?.get(fn);
  assert.ok(g && s, `no schedule for ${fn}`);
  return { g: g!, s: s! };
}

export type Args = ReadonlyMap<string, NDArray>;

/** Same dtype, shape and bytes (NaN payloads and -0 included). */
export function assertSameBytes(got: NDArray, want: NDArray, what: string): void {
  assert.is(got.dtype, want.dtype, `${what}: dtype`);
  assert.equal([...got.shape], [...want.shape], `${what}: shape`);
  const bytes = (a: NDArray) => new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const a = bytes(got), b = bytes(want);
  let same = a.length === b.length;
  for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
  if (!same) assert.equal([...got.data], [...want.data], `${what}: values`);
}

/** How `randomArgs` draws one element of parameter `name` (of dtype `t`) from `r`. */
export type DrawValue = (t: DType, name: string, r: () => number) => number;

/** Floats in [-2, 2], ints in [0, 2], bools at random: small values every kernel handles. */
export const smallValues: DrawValue = (t, _name, r) => (isFloat(t) ? r() * 4 - 2 : t === 'bool' ? +(r() < 0.5) : Math.floor(r() * 3));

/**
 * For the op-by-op backend tests: floats in [-2, 2] (names starting with `p`: in [0.5, 2.5], for
 * log/sqrt/pow), i32 in [-5, 5], u32 in [0, 9], bools at random.
 */
export const opValues: DrawValue = (t, name, r) =>
  isFloat(t) ? (name.startsWith('p') ? 0.5 + 2 * r() : r() * 4 - 2) : t === 'bool' ? +(r() < 0.5) : t === 'u32' ? Math.floor(r() * 10) : Math.floor(r() * 11) - 5;

/** Random arguments for every parameter without a default: named dims get the sizes in `sizes` (else 3). */
export function randomArgs(g: Graph, seed: number, sizes: Readonly<Record<string, number>> = {}, draw: DrawValue = smallValues): { params: Args; dims: Map<string, number> } {
  const r = rng(seed);
  const dims = new Map<string, number>();
  const params = new Map<string, NDArray>();
  for (const p of g.params) {
    const shape = p.type.shape.map(d => {
      if (typeof d === 'number') return d;
      if (!dims.has(d)) dims.set(d, sizes[d] ?? 3);
      return dims.get(d)!;
    });
    if (p.default) { params.set(p.name, p.default); continue; }
    const n = shape.reduce((a, b) => a * b, 1);
    const t = p.type.dtype;
    params.set(p.name, fromNumbers(t, shape, Array.from({ length: n }, () => draw(t, p.name, r))));
  }
  return { params, dims };
}

/**
 * Runs `fn` for `calls.length` calls on both sides, from the program's initial state, comparing
 * outputs and every shared variable after each call. Returns the schedule for further checks.
 */
export function expectScheduleMatches(r: CompileResult, fn: string, calls: readonly { params: Args; dims: ReadonlyMap<string, number> }[]): Schedule {
  const { g, s } = scheduleOf(r, fn);
  const sink = createSink();
  const store = initialState(r.graphs!.shared, sink)!;
  assert.equal(sink.diagnostics.map(d => d.message), [], 'initial state');
  const resident = residentFrom(store);
  calls.forEach((call, step) => {
    const want = runGraph(g, { params: call.params, shared: store, dims: call.dims });
    const got = runSchedule(s, call, resident);
    for (const o of g.outputs) assertSameBytes(got.get(o.name)!, want.outputs.get(o.name)!, `${fn} call ${step + 1}: output ${o.name}`);
    applyUpdates(store, want.updates);
    const shared = residentValues(resident, r.graphs!.shared);
    for (const [name, v] of store) {
      if (shared.has(name)) assertSameBytes(shared.get(name)!, v, `${fn} call ${step + 1}: shared ${name}`);
    }
  });
  return s;
}

/**
 * The gather/scatter case the backend suites share: entry `f` indexes with index tensors (broadcast,
 * negative, u32, adjacent or not), int items and slices; entry `g` differentiates through repeated
 * indices. Index values are small (repeats), some negative, all in range.
 */
export function gatherCase(t: 'f32' | 'f64'): { src: string; params: (r: CompileResult) => Map<string, NDArray> } {
  const src = `fn f(x: ${t}[6, 5, 4], i: i32[3], j: i32[2, 3], u: u32[3]) = (
    x[i] * 2, x[j, 1:4] + 1, x[:, i] * 1, x[1, :, i] * 1, x[i, ::-2, j] * 1, x[-1, j] * 1, x[u, 0] * 1, x[::2, :, j] * 1)
fn g(x: ${t}[6, 5, 4], i: i32[3], j: i32[2, 3]) {
  let (gx,) = grad(sum(x[i] * x[i]) + sum(x[j, 1:4] * 3) + sum(x[1, ::-2, j]), (x,))
  return gx
}`;
  const params = (r: CompileResult): Map<string, NDArray> => new Map<string, NDArray>([
    ['x', randomArgs(scheduleOf(r, 'f').g, 1, {}, opValues).params.get('x')!],
    ['i', fromNumbers('i32', [3], [2, -1, 2])], ['j', fromNumbers('i32', [2, 3], [0, -4, 3, 3, 1, 0])], ['u', fromNumbers('u32', [3], [5, 0, 5])],
  ]);
  return { src, params };
}
