/**
 * @file Runs a Schedule with the JS target's kernels in this process: the same interface as the
 * WGSL executor (backend/wgsl/run.ts). The kernel functions are built once per runner with
 * `new Function` from exactly the text `thc compile --target js` prints for the entry point
 * (module.ts entryKernels), so what is tested is what is emitted. Per call: dimension sizes come
 * from the call, buffers follow the schedule's plan (one ArrayBuffer per planned buffer, kept
 * between calls while its size stays the same, viewed as each value's typed array, so reused temps
 * are reused), parameters and constants are read where they live, shared variables stay resident
 * (copies of the store's values) and change only through the end-of-call copies, in the
 * schedule's order. A run-time error of a kernel (thc_fail) becomes the interpreter's RuntimeError
 * with the same code and arguments.
 */
import type { DType } from '../../sema/types.js';
import type { ProgramGraphs } from '../../graph/graph.js';
import { allocData, sizeOf, type NDArray, type TypedArray } from '../../runtime/ndarray.js';
import { evalContext } from '../../runtime/interp.js';
import { RuntimeError } from '../../runtime/runtime-error.js';
import type { DiagArgs } from '../../diag/diagnostic.js';
import type { Schedule } from '../../schedule/types.js';
import { entryKernels } from './module.js';

export interface JsCall {
  readonly params: ReadonlyMap<string, NDArray>;
  readonly dims: ReadonlyMap<string, number>;
}

export interface JsRunner {
  /** Runs one call; shared variables are updated in place; returns the outputs by name (fresh arrays). */
  run(call: JsCall): Promise<Map<string, NDArray>>;
  /** `run` without the promise. */
  runNow(call: JsCall): Map<string, NDArray>;
  /** Copies of the resident shared variables, by name (for --save-state and tests). */
  readShared(): Promise<Map<string, NDArray>>;
  /** Drops every buffer. */
  destroy(): void;
}

type KernelFn = (...args: (TypedArray | number)[]) => void;

const ARRAYS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, bool: Uint8Array } as const;

function view(bytes: ArrayBuffer, t: DType): TypedArray {
  const C = ARRAYS[t as keyof typeof ARRAYS];
  if (!C) throw new Error(`no JS array for ${t}`);
  return new C(bytes);
}

/** The kernel functions of `s`, built from the text the module prints. */
export function buildKernels(s: Schedule): { fns: KernelFn[]; text: string } {
  const { kernels, text } = entryKernels(s);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the generated kernels, by design
  const fns = new Function(`'use strict';\n${text}\nreturn [${kernels.map(k => k.name).join(', ')}];`)() as KernelFn[];
  return { fns, text };
}

/** Prepares a schedule to run in this process, with the shared variables' initial values from `store`. */
export function createJsRunner(s: Schedule, program: ProgramGraphs, store: ReadonlyMap<string, NDArray>): JsRunner {
  const { kernels } = entryKernels(s);
  const { fns } = buildKernels(s);
  const sharedTypes = new Map(program.shared.map(v => [v.name, v.type]));
  const resident = new Map<string, NDArray>();
  // Every shared variable of the program (readShared returns them all, like the WGSL runner's store).
  for (const sv of program.shared) {
    const v = store.get(sv.name);
    if (v) resident.set(sv.name, { dtype: sv.type.dtype, shape: [...v.shape], data: v.data.slice() });
  }
  /** Owned buffers (temps, outputs) by id: bytes and typed views by dtype. */
  const owned = new Map<number, { bytes: ArrayBuffer; views: Map<DType, TypedArray> }>();
  const consts = new Map<number, TypedArray>();

  function ownedView(id: number, bytes: number, t: DType): TypedArray {
    let o = owned.get(id);
    if (!o || o.bytes.byteLength !== bytes) owned.set(id, o = { bytes: new ArrayBuffer(bytes), views: new Map() });
    let v = o.views.get(t);
    if (!v) o.views.set(t, v = view(o.bytes, t));
    return v;
  }

  function runNow(call: JsCall): Map<string, NDArray> {
    const { cx } = evalContext(call.dims);
    const counts = s.buffers.map(b => cx.dim(b.count));
    /** The array of buffer `id` holding a value of dtype `t`. */
    const arrayOf = (id: number, t: DType): TypedArray => {
      const b = s.buffers[id]!;
      switch (b.kind) {
        case 'param': {
          const v = call.params.get(b.name);
          if (!v) throw new Error(`no value for parameter ${b.name}`);
          return v.data;
        }
        case 'shared': {
          const v = resident.get(b.name);
          if (!v) throw new Error(`shared variable ${b.name} has no value`);
          return v.data;
        }
        case 'const': {
          let c = consts.get(id);
          if (!c) consts.set(id, c = (b.values[0]!.attrs['value'] as NDArray).data);
          return c;
        }
        default: return ownedView(id, counts[id]! * b.width, t);
      }
    };
    s.kernels.forEach((k, i) => {
      const fn = kernels[i]!;
      const args: (TypedArray | number)[] = fn.buffers.map((buf, j) => {
        const t = j < fn.buffers.length - 1 ? k.inputs.find(x => x.buffer === buf)!.value.type.dtype : k.outputs[0]!.value.type.dtype;
        return arrayOf(buf, t);
      });
      for (const d of fn.dims) args.push(cx.dim(d));
      try {
        fns[i]!(...args);
      } catch (e) {
        const err = e as { thcCode?: string; thcArgs?: DiagArgs };
        if (err.thcCode) throw new RuntimeError(err.thcCode, err.thcArgs ?? {});
        throw e;
      }
    });
    const outputs = new Map<string, NDArray>();
    for (const o of s.outputs) {
      const t = o.value.type.dtype;
      const shape = o.value.type.shape.map(d => cx.dim(d));
      const n = sizeOf(shape);
      const data = allocData(t, n);
      data.set(arrayOf(o.buffer, t).subarray(0, n));
      outputs.set(o.name, { dtype: t, shape, data });
    }
    // Updates last, in order: every kernel read the old values.
    for (const c of s.copies) {
      const t = (sharedTypes.get(c.shared) ?? s.buffers[c.to]!.type).dtype;
      const shape = (sharedTypes.get(c.shared) ?? s.buffers[c.from]!.type).shape.map(d => cx.dim(d));
      const n = sizeOf(shape);
      const data = allocData(t, n);
      data.set(arrayOf(c.from, t).subarray(0, n));
      resident.set(c.shared, { dtype: t, shape, data });
    }
    return outputs;
  }

  async function readShared(): Promise<Map<string, NDArray>> {
    const out = new Map<string, NDArray>();
    for (const v of program.shared) {
      const r = resident.get(v.name);
      if (r) out.set(v.name, { dtype: r.dtype, shape: [...r.shape], data: r.data.slice() });
    }
    return out;
  }

  return {
    run: async call => runNow(call),
    runNow,
    readShared,
    destroy() { owned.clear(); consts.clear(); resident.clear(); },
  };
}
