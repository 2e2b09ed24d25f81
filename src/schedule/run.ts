/**
 * @file The schedule executor: the test oracle for the schedule, not a backend. Consumes a Schedule,
 * the call's parameters and dimension sizes, and the program's resident shared buffers; runs the
 * kernels in order with the ops' reference kernels (`eval`), reading every input from its planned
 * buffer through its index map and writing every result into its planned buffer, then performs the
 * copy steps and reads the outputs back. Buffers are raw bytes, reused exactly as planned and
 * filled with 0xFF once released, so a wrong order, a wrong reuse or an update written too early
 * changes the results the tests compare with the interpreter's.
 */
import type { SharedVar } from '../graph/graph.js';
import type { Dim } from '../sema/dims.js';
import type { DType } from '../sema/types.js';
import { getPrimitive, type EvalCx } from '../ops/registry.js';
import { gatherData, offsetsFor } from '../ops/helpers.js';
import { allocData, viewData, scalar, sizeOf, type NDArray, type TypedArray } from '../runtime/ndarray.js';
import { evalContext } from '../runtime/interp.js';
import { isIdentity, offsetsOf, type IndexMap } from './index-map.js';
import type { Expr, Kernel, Schedule, Value } from './types.js';

/** One buffer's storage during a call: bytes (allocated at the first write) and the shape last written. */
interface Slot {
  bytes: ArrayBuffer | null;
  shape: number[];
}

/** A program's shared-variable buffers, by name: they stay between calls (and between entry points). */
export type Resident = Map<string, Slot>;

/** Bytes per element in this executor: f16 values live in a Float32Array like NDArray's. */
const execWidth = (t: DType): number => (t === 'f64' ? 8 : t === 'bool' ? 1 : 4);


function slotOf(a: NDArray): Slot {
  const bytes = new ArrayBuffer(a.data.length * execWidth(a.dtype));
  viewData(a.dtype, bytes).set(a.data);
  return { bytes, shape: [...a.shape] };
}

/** Resident buffers holding these shared values (copied: the store is left alone). */
export function residentFrom(values: ReadonlyMap<string, NDArray>): Resident {
  return new Map([...values].map(([name, a]) => [name, slotOf(a)]));
}

/** The resident values as NDArrays, in declaration order. */
export function residentValues(r: Resident, shared: readonly SharedVar[]): Map<string, NDArray> {
  return new Map(shared.flatMap(v => {
    const s = r.get(v.name);
    return s?.bytes ? [[v.name, read(s, v.type.dtype)] as const] : [];
  }));
}

const read = (s: Slot, t: DType): NDArray => ({ dtype: t, shape: [...s.shape], data: viewData(t, s.bytes!).slice() });

export interface ScheduleCall {
  readonly params: ReadonlyMap<string, NDArray>;
  readonly dims: ReadonlyMap<string, number>;
}

/** Runs one call; updates the resident buffers through the copy steps; returns the outputs by name. */
export function runSchedule(s: Schedule, call: ScheduleCall, resident: Resident): Map<string, NDArray> {
  const { cx } = evalContext(call.dims);
  const size = (d: Dim): number => cx.dim(d);
  const slots: Slot[] = s.buffers.map(b => {
    switch (b.kind) {
      case 'param': return slotOf(need(call.params.get(b.name), `parameter ${b.name}`));
      case 'shared': {
        let r = resident.get(b.name);
        if (!r) resident.set(b.name, r = { bytes: null, shape: [] });
        return r;
      }
      case 'const': return slotOf(b.values[0]!.attrs['value'] as NDArray);
      default: return { bytes: null, shape: [] };
    }
  });
  const counts = s.buffers.map(b => size(b.count));
  s.kernels.forEach((k, i) => {
    runKernel(k, slots, counts, cx, size);
    // Released temps hold garbage from now on, as a reused GPU buffer would.
    for (const b of s.releases[i]!) if (slots[b]!.bytes) new Uint8Array(slots[b]!.bytes!).fill(0xff);
  });
  for (const c of s.copies) {
    const from = slots[c.from]!, to = slots[c.to]!;
    if (!to.bytes || to.bytes.byteLength !== from.bytes!.byteLength) to.bytes = new ArrayBuffer(from.bytes!.byteLength);
    new Uint8Array(to.bytes).set(new Uint8Array(from.bytes!));
    to.shape = [...from.shape];
  }
  return new Map(s.outputs.map(o => [o.name, read(slots[o.buffer]!, o.value.type.dtype)]));
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`no value for ${what}`);
  return v;
}

function runKernel(k: Kernel, slots: Slot[], counts: readonly number[], cx: EvalCx, size: (d: Dim) => number): void {
  // WebGPU rejects a dispatch that binds one buffer both read-only and writable.
  for (const o of k.outputs) if (k.inputs.some(x => x.buffer === o.buffer)) throw new Error(`${k.name} reads and writes buffer ${o.buffer}`);
  const value = (v: Value, vals: readonly NDArray[], core: NDArray | null): NDArray => {
    switch (v.kind) {
      case 'load': {
        const x = k.inputs[v.input]!;
        return gather(slots[x.buffer]!, x.value.type.dtype, v.map, size, `${k.name} input ${v.input}`);
      }
      case 'scalar':
        return v.node.op === 'dim' ? scalar('i32', cx.dim(v.node.attrs['dim'] as Dim)) : v.node.attrs['value'] as NDArray;
      case 'source': {
        const whole = getPrimitive(v.node.op).eval([], v.node.attrs, cx);
        const shape = v.map.views[v.map.views.length - 1]!.shape.map(size);
        return gatherData(whole, shape, offsetsOf(v.map, size));
      }
      case 'op':
        return getPrimitive(v.node.op).eval(v.args.map(a => vals[a]!), v.node.attrs, cx);
      case 'core':
        return need(core ?? undefined, `the core of ${k.name}`);
    }
  };
  const evalExpr = (e: Expr, core: NDArray | null): NDArray => {
    const vals: NDArray[] = [];
    for (const v of e.values) vals.push(value(v, vals, core));
    const result = vals[vals.length - 1]!;
    // Scalars stay rank 0 through elementwise ops; the kernel still writes every element.
    const shape = e.shape.map(size);
    const same = result.shape.length === shape.length && result.shape.every((d, i) => d === shape[i]);
    return same ? result : gatherData(result, shape, offsetsFor(shape, result.shape));
  };
  const core = k.core ? getPrimitive(k.core.op).eval(k.args.map(a => evalExpr(a, null)), k.core.attrs, cx) : null;
  const result = evalExpr(k.body, core);
  for (const o of k.outputs) {
    const slot = slots[o.buffer]!;
    const t = o.value.type.dtype;
    const bytes = counts[o.buffer]! * execWidth(t);
    if (!slot.bytes) slot.bytes = new ArrayBuffer(bytes);
    if (slot.bytes.byteLength !== bytes) throw new Error(`${k.name} writes ${bytes} bytes into a buffer of ${slot.bytes.byteLength}`);
    write(viewData(t, slot.bytes), o.map, result, size, k.name);
    slot.shape = o.value.type.shape.map(size);
  }
}

/** Reads a buffer through a map into a fresh array of the map's shape (out-of-range reads throw). */
function gather(slot: Slot, t: DType, map: IndexMap, size: (d: Dim) => number, what: string): NDArray {
  if (!slot.bytes) throw new Error(`${what} reads a buffer nothing has written`);
  const data = viewData(t, slot.bytes);
  const shape = map.views[map.views.length - 1]!.shape.map(size);
  const offsets = offsetsOf(map, size);
  const values = allocData(t, offsets.length);
  for (let e = 0; e < offsets.length; e++) {
    const off = offsets[e]!;
    if (off < 0 || off >= data.length) throw new Error(`${what} reads element ${off} of a buffer of ${data.length}`);
    values[e] = data[off]!;
  }
  return { dtype: t, shape, data: values };
}

function write(dst: TypedArray, map: IndexMap, v: NDArray, size: (d: Dim) => number, what: string): void {
  if (isIdentity(map) && v.data.length === dst.length) { dst.set(v.data); return; }
  const offsets = offsetsOf(map, size);
  if (offsets.length !== sizeOf(v.shape)) throw new Error(`${what} writes ${sizeOf(v.shape)} elements through a map of ${offsets.length}`);
  for (let e = 0; e < offsets.length; e++) dst[offsets[e]!] = v.data[e]!;
}
