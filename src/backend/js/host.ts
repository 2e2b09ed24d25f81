/**
 * @file The program object of the JS target's standalone module: `thcJsHost(plan, kernels,
 * runtime, options)` decodes the embedded plan (module-plan.ts), makes one runtime (runtime.ts
 * `thcJsRuntime`, passed in) per entry point over one shared state, and returns the WGSL host
 * module's API (docs/host-module.md) on typed arrays: one async method per entry point taking
 * named arguments (numbers, typed arrays or plain arrays for rank <= 1, `{data, shape}`), defaults
 * applied, outputs `{data, shape, dtype}`; getState/setState; call(entry, args); destroy. The
 * module embeds this function's source text (module-emit.ts), so it refers to nothing outside its
 * own body but typed arrays, `atob` (Node and browsers) and its arguments; the type-only imports
 * are erased. Argument errors use the WGSL host module's wording.
 */
import type { JsModulePlan } from './module-plan.js';
import type { JsKernelFn, JsRuntime, JsTensor } from './runtime.js';
import type { JsPlan } from './plan.js';

export interface JsHostOptions {
  /** Initial values of shared variables, overriding the embedded ones. */
  readonly state?: Readonly<Record<string, ArrayLike<number> | { readonly data: ArrayLike<number>; readonly shape: readonly number[] }>>;
}

export interface JsHostOutput {
  readonly data: JsTensor['data'];
  readonly shape: number[];
  readonly dtype: string;
}

export function thcJsHost(plan: JsModulePlan, kernels: readonly (readonly JsKernelFn[])[],
  runtime: (plan: JsPlan, fns: readonly JsKernelFn[], state: Map<string, JsTensor>) => JsRuntime,
  options: JsHostOptions = {}): Record<string, unknown> {
  type Arr = JsTensor['data'];
  type Tensor = { readonly data: ArrayLike<number>; readonly shape: readonly number[] };
  const ARRAYS: Record<string, { new (n: number | ArrayLike<number> | ArrayBuffer): Arr }> = {
    f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, bool: Uint8Array,
  };
  const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
  const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;
  /** A store into the dtype's array (bool: nonzero is 1, as a cast to bool). */
  const toArray = (dtype: string, data: ArrayLike<number>): Arr => {
    if (dtype !== 'bool') return new ARRAYS[dtype]!(data);
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
    return out;
  };
  const decode = (text: string, dtype: string): Arr => {
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new ARRAYS[dtype]!(bytes.buffer);
  };
  const isTensor = (v: unknown): v is Tensor => typeof v === 'object' && v !== null && 'data' in v && 'shape' in v;

  // ---------------------------------------------------------------- shared variables
  const state = new Map<string, JsTensor>();
  const sharedInfo = new Map(plan.shared.map(v => [v.name, v]));
  const noShared = (name: string): Error => new Error(`no shared variable \`${name}\` (there are: ${[...sharedInfo.keys()].join(', ') || 'none'})`);

  function setState(name: string, value: ArrayLike<number> | Tensor): void {
    const v = sharedInfo.get(name);
    if (!v) throw noShared(name);
    const data = isTensor(value) ? value.data : value;
    if (isTensor(value) && shapeText(value.shape) !== shapeText(v.shape)) {
      throw new Error(`\`${name}\` has shape ${shapeText(v.shape)}, but the value has shape ${shapeText(value.shape)}`);
    }
    if (data.length !== sizeOf(v.shape)) throw new Error(`\`${name}\` has ${sizeOf(v.shape)} elements (shape ${shapeText(v.shape)}), but the value has ${data.length}`);
    state.set(name, { dtype: v.dtype, shape: [...v.shape], data: toArray(v.dtype, data) });
  }

  for (const v of plan.shared) {
    const given = options.state?.[v.name];
    if (given !== undefined) setState(v.name, given);
    else state.set(v.name, { dtype: v.dtype, shape: [...v.shape], data: v.init !== undefined ? decode(v.init, v.dtype) : new ARRAYS[v.dtype]!(sizeOf(v.shape)) });
  }

  // ---------------------------------------------------------------- entry points
  const runtimes = plan.entries.map((e, i) => runtime({
    ...e,
    buffers: e.buffers.map(b => (b.init !== undefined ? { ...b, value: decode(b.init, b.dtype) } : b)),
  } as unknown as JsPlan, kernels[i]!, state));

  type Entry = JsModulePlan['entries'][number];
  /** The argument as elements and a shape, checked against the parameter's rank. */
  function argValue(e: Entry, p: Entry['params'][number], v: unknown): Tensor {
    const where = `${e.entry}: argument \`${p.name}\``;
    if (typeof v === 'number' || typeof v === 'boolean') {
      if (p.shape.length !== 0) throw new Error(`${where} has rank ${p.shape.length}, but got a scalar`);
      return { data: [Number(v)], shape: [] };
    }
    if (isTensor(v)) {
      if (!Array.isArray(v.shape) || v.shape.some(d => !Number.isInteger(d) || d < 0)) throw new Error(`${where}: shape must be an array of sizes`);
      if (v.data.length !== sizeOf(v.shape)) throw new Error(`${where}: shape ${shapeText(v.shape)} has ${sizeOf(v.shape)} elements, but data has ${v.data.length}`);
      return v;
    }
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      const data = v as unknown as ArrayLike<number>;
      if (p.shape.length === 1) return { data, shape: [data.length] };
      if (p.shape.length === 0 && data.length === 1) return { data, shape: [] };
      throw new Error(`${where} has rank ${p.shape.length}: pass { data, shape }`);
    }
    throw new Error(`${where}: expected a number, a typed array or { data, shape }, got ${v === null ? 'null' : typeof v}`);
  }

  async function call(entry: string, args: Readonly<Record<string, unknown>> = {}): Promise<Record<string, JsHostOutput>> {
    const i = plan.entries.findIndex(x => x.entry === entry);
    if (i < 0) throw new Error(`no entry point \`${entry}\` (there are: ${plan.entries.map(x => x.entry).join(', ')})`);
    const e = plan.entries[i]!;
    const known = new Set(e.params.map(p => p.name));
    for (const k of Object.keys(args ?? {})) {
      if (!known.has(k)) throw new Error(`${e.entry}: no parameter \`${k}\` (parameters: ${[...known].join(', ') || 'none'})`);
    }
    const values = new Map<string, JsTensor>();
    for (const p of e.params) {
      const given = (args ?? {})[p.name];
      let v: Tensor;
      if (given === undefined) {
        if (!p.default) throw new Error(`${e.entry}: missing argument \`${p.name}\``);
        v = { data: p.default, shape: p.shape as number[] };
      } else v = argValue(e, p, given);
      // A typed array of the declared kind is read in place; anything else is stored as the dtype rounds.
      const data = v.data instanceof ARRAYS[p.dtype]! ? v.data as Arr : toArray(p.dtype, v.data);
      values.set(p.name, { shape: v.shape, data });
    }
    const out: Record<string, JsHostOutput> = {};
    for (const [name, t] of runtimes[i]!.call(values)) {
      Object.defineProperty(out, name, { value: { data: t.data, shape: [...t.shape], dtype: t.dtype }, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  const copyOf = (name: string): JsHostOutput => {
    const v = state.get(name)!;
    return { data: v.data.slice(), shape: [...v.shape], dtype: sharedInfo.get(name)!.dtype };
  };

  async function getState(name?: string): Promise<Record<string, JsHostOutput> | JsHostOutput> {
    if (name !== undefined) {
      if (!sharedInfo.has(name)) throw noShared(name);
      return copyOf(name);
    }
    const all: Record<string, JsHostOutput> = {};
    for (const n of sharedInfo.keys()) Object.defineProperty(all, n, { value: copyOf(n), enumerable: true, writable: true, configurable: true });
    return all;
  }

  function destroy(): void {
    for (const r of runtimes) r.release();
    state.clear();
  }

  const program: Record<string, unknown> = {};
  for (const e of plan.entries) {
    Object.defineProperty(program, e.entry, { value: (args: Readonly<Record<string, unknown>> = {}) => call(e.entry, args), enumerable: true, configurable: true, writable: true });
  }
  // The API's own methods come last: an entry point named like one is reached through `call`.
  Object.assign(program, { call, getState, setState, destroy });
  return program;
}
