/**
 * @file The JS target's runtime: `thcJsRuntime(plan, fns, state)` runs one entry point's kernel
 * functions (module.ts text) over a plan (plan.ts). It refers to nothing outside its own body
 * but typed arrays and Math, so the standalone module can embed its source text
 * (`thcJsRuntime.toString()`) as the WGSL host module embeds its runtime. Per call: each
 * dimension name is bound from the first parameter axis that is exactly that name (or taken
 * from `dims`), every other axis is checked (an Error naming the parameter); every planned
 * temp/output buffer is one ArrayBuffer, kept between calls while its size stays the same and
 * viewed as the typed array of each value it holds (the schedule's temp reuse); parameters,
 * constants and shared variables are read where they live; outputs are copied into fresh arrays;
 * the update copies run last, in order, replacing the state's entries.
 */
import type { JsPlan } from './plan.js';

/** A tensor as the runtime takes and returns it. */
export interface JsTensor {
  readonly dtype?: string;
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;
}

export type JsKernelFn = (...args: unknown[]) => void;

export interface JsRuntime {
  call(params: ReadonlyMap<string, JsTensor>, dims?: ReadonlyMap<string, number>): Map<string, JsTensor & { readonly dtype: string }>;
  /** Drops the buffers (the next call allocates again). */
  release(): void;
}

export function thcJsRuntime(plan: JsPlan, fns: readonly JsKernelFn[], state: Map<string, JsTensor>): JsRuntime {
  const ARRAYS: Record<string, new (b: ArrayBuffer | number) => JsTensor['data']> = {
    f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, bool: Uint8Array,
  };
  /** A canonical Dim (`n`, `b*n`, `2*m-1`, `n+1`) from the bound sizes. */
  const dimOf = (d: number | string, sizes: Map<string, number>): number => {
    if (typeof d === 'number') return d;
    let total = 0;
    for (const m of d.matchAll(/([+-]?)([^+-]+)/g)) {
      let term = m[1] === '-' ? -1 : 1;
      for (const f of m[2]!.split('*')) {
        if (/^\d+$/.test(f)) { term *= Number(f); continue; }
        const v = sizes.get(f);
        if (v === undefined) throw new Error(`${plan.entry}: dimension \`${f}\` is not bound`);
        term *= v;
      }
      total += term;
    }
    return total;
  };
  let owned = new Map<number, { bytes: ArrayBuffer; views: Map<string, JsTensor['data']> }>();
  const ownedView = (id: number, bytes: number, dtype: string): JsTensor['data'] => {
    let o = owned.get(id);
    if (!o || o.bytes.byteLength !== bytes) owned.set(id, o = { bytes: new ArrayBuffer(bytes), views: new Map() });
    let v = o.views.get(dtype);
    if (!v) o.views.set(dtype, v = new ARRAYS[dtype]!(o.bytes));
    return v;
  };

  function call(params: ReadonlyMap<string, JsTensor>, dims?: ReadonlyMap<string, number>): Map<string, JsTensor & { dtype: string }> {
    const sizes = new Map<string, number>(dims ?? []);
    for (const p of plan.params) {
      const v = params.get(p.name);
      if (!v) throw new Error(`${plan.entry}: missing argument \`${p.name}\``);
      if (v.shape.length !== p.shape.length) throw new Error(`${plan.entry}: argument \`${p.name}\` must have rank ${p.shape.length}, got shape [${v.shape.join(', ')}]`);
      p.shape.forEach((d, a) => { if (typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) && !sizes.has(d)) sizes.set(d, v.shape[a]!); });
    }
    for (const p of plan.params) {
      const v = params.get(p.name)!;
      p.shape.forEach((d, a) => {
        if (dimOf(d, sizes) !== v.shape[a]) throw new Error(`${plan.entry}: argument \`${p.name}\` has size ${v.shape[a]} on axis ${a}, expected ${dimOf(d, sizes)} (\`${d}\`)`);
      });
    }
    // Where `_` dimensions meet, the kernels take the sizes to be equal.
    for (const [a, b] of plan.equalSizes) {
      const x = dimOf(a, sizes), y = dimOf(b, sizes);
      if (x !== y) throw new Error(`${plan.entry}: sizes ${x} and ${y} meet in this call where the kernels need them equal (\`_\` dimensions)`);
    }
    // An argument in another typed array is converted as a store into the declared one rounds.
    const given = new Map<string, JsTensor['data']>();
    for (const p of plan.params) {
      const d = params.get(p.name)!.data;
      given.set(p.name, d instanceof ARRAYS[p.dtype]! ? d : new ARRAYS[p.dtype]!(d as unknown as ArrayBuffer));
    }
    const arrayOf = (id: number, dtype: string): JsTensor['data'] => {
      const b = plan.buffers[id]!;
      if (b.kind === 'param') return given.get(b.name)!;
      if (b.kind === 'const') return b.value!;
      if (b.kind === 'shared') {
        const v = state.get(b.name);
        if (!v) throw new Error(`${plan.entry}: shared variable \`${b.name}\` has no value`);
        return v.data;
      }
      return ownedView(id, dimOf(b.count, sizes) * b.width, dtype);
    };
    plan.kernels.forEach((k, i) => {
      const args: unknown[] = k.buffers.map((buf, j) => arrayOf(buf, k.dtypes[j]!));
      for (const d of k.dims) args.push(sizes.get(d));
      fns[i]!(...args);
    });
    const outputs = new Map<string, JsTensor & { dtype: string }>();
    const copyOut = (buffer: number, dtype: string, shape: readonly (number | string)[]): JsTensor & { dtype: string } => {
      const dims = shape.map(d => dimOf(d, sizes));
      const n = dims.reduce((a, b) => a * b, 1);
      const data = new ARRAYS[dtype]!(n);
      data.set(arrayOf(buffer, dtype).subarray(0, n));
      return { dtype, shape: dims, data };
    };
    for (const o of plan.outputs) outputs.set(o.name, copyOut(o.buffer, o.dtype, o.shape));
    // Updates last, in order: every kernel read the old values.
    for (const c of plan.copies) state.set(c.shared, copyOut(c.from, c.dtype, c.shape));
    return outputs;
  }

  return { call, release() { owned = new Map(); } };
}
