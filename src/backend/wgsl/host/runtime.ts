/**
 * @file The WGSL host runtime: one function, `thcHostRuntime(device, plan, options)`, that turns a
 * host plan (plan.ts) and a GPUDevice into the program object: one async method per entry point,
 * getState/setState for the shared variables, destroy. It is used twice: `thc run --device gpu`
 * calls it (run.ts), and `thc compile --target wgsl -o DIR` writes its source text
 * (`thcHostRuntime.toString()`) into the generated ES module (emit.ts). So the function must stay
 * self-contained: it refers to nothing outside its own body but WebGPU's globals (GPUBufferUsage,
 * GPUMapMode, GPUShaderStage) and `atob`, which a browser and Node both have; the type-only
 * import below is erased. tests/wgsl-host.test.ts runs the emitted copy in a Node process that
 * loads no thc code.
 *
 * Per call: arguments are checked and bind the dimension names (a mismatch throws an Error that
 * names the argument, the dimension and both sizes); each kernel's form is the first whose
 * conditions hold, and runs as its passes in order (one, or a split reduction's two), each pass
 * binding entry buffers and the form's scratch buffers (owned here per kernel and scratch index,
 * kept while their size stays the same); a pass's pipeline is made on first use and cached (by
 * text when the host bakes sizes into the WGSL, `textFor`; else by shader and the override
 * constants' values: the sizes and the form's own constants); one command encoder holds every
 * dispatch, then the update copies, then the copies of the outputs into MAP_READ staging buffers. With `debug`, each kernel's WGSL is reported on its first compilation and its GPU time on
 * every call (timestamp queries where the device has `timestamp-query`, else each dispatch is
 * submitted alone and awaited, which is slower: only for debugging).
 */
import type { HostPlan } from './plan.js';

/** A tensor as the host API takes and returns it. */
export interface HostTensor {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly dtype?: string;
}

export interface HostRuntimeOptions {
  /** Initial values of shared variables, overriding the plan's. */
  readonly state?: Readonly<Record<string, ArrayLike<number> | HostTensor>>;
  /** Receives the debug lines (kernel WGSL on first compilation, per-call GPU times). */
  readonly debug?: (line: string) => void;
  /** Workgroups per grid dimension before a grid folds into rows (default and maximum 65,535). */
  readonly maxGroupsPerDim?: number;
  /** Bakes the call's sizes into the WGSL of a kernel form's pass (thc run); without it, the plan's shaders run with overrides set. */
  readonly textFor?: (entry: string, kernel: number, form: number, pass: number, dims: Readonly<Record<string, number>>) => string;
  /** Builds the Error for a WebGPU failure (what failed, WebGPU's messages). */
  readonly gpuError?: (what: string, detail: string) => Error;
  /** Builds the Error for a buffer over the binding limit. */
  readonly limitError?: (buffer: string, bytes: number, limit: number) => Error;
}

export interface HostOutput {
  readonly data: Float32Array | Int32Array | Uint32Array | Uint8Array;
  readonly shape: number[];
  readonly dtype: string;
}

export interface HostProgram {
  /**
   * Calls an entry point by name. `dims`: sizes the caller already bound and checked (thc run);
   * then the arguments' shapes are not checked again.
   */
  call(entry: string, args: Readonly<Record<string, unknown>>, dims?: ReadonlyMap<string, number>): Promise<Record<string, HostOutput>>;
  getState(): Promise<Record<string, HostOutput>>;
  getState(name: string): Promise<HostOutput>;
  setState(name: string, value: ArrayLike<number> | HostTensor): void;
  destroy(): void;
  readonly [entry: string]: unknown;
}

export function thcHostRuntime(device: GPUDevice, plan: HostPlan, options: HostRuntimeOptions = {}): HostProgram {
  const MAX_GROUPS = 65535;
  const maxGroups = Math.min(MAX_GROUPS, options.maxGroupsPerDim ?? MAX_GROUPS);
  const debug = options.debug;
  const gpuError = options.gpuError ?? ((what: string, detail: string) => new Error(`WebGPU rejected ${what}: ${detail}`));
  const limitError = options.limitError ?? ((buffer: string, bytes: number, limit: number) =>
    new Error(`${buffer} needs ${bytes} bytes, more than the binding limit of ${limit}`));
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const DATA = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const timestamps = debug !== undefined && device.features.has('timestamp-query');

  type Arr = Float32Array | Int32Array | Uint32Array | Uint8Array;
  /** Bytes for `n` elements: 4 each, never 0 (WebGPU cannot bind an empty buffer). */
  const bytesFor = (n: number): number => Math.max(4, n * 4);
  const gpuView = (t: string, b: ArrayBuffer, n?: number): Float32Array | Int32Array | Uint32Array =>
    t === 'f32' || t === 'f16' ? new Float32Array(b, 0, n) : t === 'i32' ? new Int32Array(b, 0, n) : new Uint32Array(b, 0, n);
  const hostArray = (t: string, n: number): Arr =>
    t === 'f32' || t === 'f16' ? new Float32Array(n) : t === 'i32' ? new Int32Array(n) : t === 'u32' ? new Uint32Array(n) : new Uint8Array(n);
  const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
  const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

  function fromBase64(text: string): ArrayBuffer {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  /** Host elements in the GPU layout (bool as u32), padded to at least 4 bytes. */
  function toGpu(data: ArrayLike<number>, t: string): ArrayBuffer {
    const out = new ArrayBuffer(bytesFor(data.length));
    gpuView(t, out).set(data);
    return out;
  }

  /** A size: a number, or a polynomial over names (`b*n`, `2*n-1`) evaluated with `dims`. */
  function evalDim(d: number | string, dims: ReadonlyMap<string, number>): number {
    if (typeof d === 'number') return d;
    let total = 0;
    const re = /([+-]?)([^+-]+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(d))) {
      let term = m[1] === '-' ? -1 : 1;
      for (const f of m[2]!.split('*')) {
        if (/^\d+$/.test(f)) { term *= Number(f); continue; }
        const v = dims.get(f);
        if (v === undefined) throw new Error(`the size \`${f}\` is not bound by any argument`);
        term *= v;
      }
      total += term;
    }
    return total;
  }

  // ---------------------------------------------------------------- errors (WebGPU's error scopes)
  const FILTERS: GPUErrorFilter[] = ['internal', 'out-of-memory', 'validation'];
  async function capture<T>(body: () => T | Promise<T>): Promise<{ value: T; errors: string[] }> {
    for (const f of FILTERS) device.pushErrorScope(f);
    let value: T | undefined;
    let thrown: { e: unknown } | undefined;
    try { value = await body(); } catch (e) { thrown = { e }; }
    const errors: string[] = [];
    for (let i = 0; i < FILTERS.length; i++) {
      const e = await device.popErrorScope();
      if (e) errors.push(e.message);
    }
    if (thrown) throw thrown.e;
    return { value: value as T, errors };
  }

  // ---------------------------------------------------------------- shared variables (resident)
  const resident = new Map<string, GPUBuffer>();
  const sharedInfo = new Map(plan.shared.map(v => [v.name, v]));

  function tensorData(name: string, value: ArrayLike<number> | HostTensor, shape: readonly number[]): ArrayLike<number> {
    const isTensor = typeof value === 'object' && value !== null && 'data' in value && 'shape' in value;
    const data = isTensor ? (value as HostTensor).data : value as ArrayLike<number>;
    if (isTensor && shapeText((value as HostTensor).shape) !== shapeText(shape)) {
      throw new Error(`\`${name}\` has shape ${shapeText(shape)}, but the value has shape ${shapeText((value as HostTensor).shape)}`);
    }
    if (data.length !== sizeOf(shape)) throw new Error(`\`${name}\` has ${sizeOf(shape)} elements (shape ${shapeText(shape)}), but the value has ${data.length}`);
    return data;
  }

  function setState(name: string, value: ArrayLike<number> | HostTensor): void {
    const v = sharedInfo.get(name);
    if (!v) throw new Error(`no shared variable \`${name}\` (there are: ${[...sharedInfo.keys()].join(', ') || 'none'})`);
    device.queue.writeBuffer(resident.get(name)!, 0, toGpu(tensorData(name, value, v.shape), v.dtype));
  }

  for (const v of plan.shared) {
    const n = sizeOf(v.shape);
    if (bytesFor(n) > limit) throw limitError(v.name, bytesFor(n), limit);
    resident.set(v.name, device.createBuffer({ size: bytesFor(n), usage: DATA, label: v.name }));
    const given = options.state?.[v.name];
    if (given !== undefined) setState(v.name, given);
    else if (v.init !== undefined) device.queue.writeBuffer(resident.get(v.name)!, 0, fromBase64(v.init));
  }

  // ---------------------------------------------------------------- pipelines
  const pipelines = new Map<string, GPUComputePipeline>();
  const modules = new Map<string, GPUShaderModule>();
  const layouts = new Map<number, GPUPipelineLayout>();
  const reported = new Set<string>();

  /** Inputs read-only, the output last and writable: an explicit layout ('auto' drops unread bindings). */
  function layoutFor(n: number): GPUPipelineLayout {
    let l = layouts.get(n);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = Array.from({ length: n }, (_, i) => ({
        binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: i === n - 1 ? 'storage' : 'read-only-storage' },
      }));
      l = device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ entries })] });
      layouts.set(n, l);
    }
    return l;
  }

  async function pipelineFor(key: string, text: string, name: string, bindings: number, constants: Record<string, number>): Promise<GPUComputePipeline> {
    const hit = pipelines.get(key);
    if (hit) return hit;
    if (debug && !reported.has(text)) {
      reported.add(text);
      debug(`kernel ${name}:\n${text.replace(/\n$/, '')}`);
    }
    const { value, errors } = await capture(() => {
      let module = modules.get(text);
      if (!module) { module = device.createShaderModule({ code: text, label: name }); modules.set(text, module); }
      const compute: GPUProgrammableStage = Object.keys(constants).length ? { module, entryPoint: 'main', constants } : { module, entryPoint: 'main' };
      return { module, pipeline: device.createComputePipeline({ layout: layoutFor(bindings), compute, label: name }) };
    });
    if (errors.length > 0) {
      const info = await value.module.getCompilationInfo();
      const messages = info.messages.map(m => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`);
      modules.delete(text);
      throw gpuError(`kernel \`${name}\``, [...messages, ...errors].join('; '));
    }
    pipelines.set(key, value.pipeline);
    return value.pipeline;
  }

  // ---------------------------------------------------------------- arguments
  type Entry = HostPlan['entries'][number];

  /** The argument as elements and a shape, checked against the parameter's rank. */
  function argValue(e: Entry, p: Entry['params'][number], v: unknown): { data: ArrayLike<number>; shape: readonly number[] } {
    const where = `${e.name}: argument \`${p.name}\``;
    if (typeof v === 'number' || typeof v === 'boolean') {
      if (p.shape.length !== 0) throw new Error(`${where} has rank ${p.shape.length}, but got a scalar`);
      return { data: [Number(v)], shape: [] };
    }
    if (typeof v === 'object' && v !== null && 'data' in v && 'shape' in v) {
      const t = v as HostTensor;
      if (!Array.isArray(t.shape) || t.shape.some(d => !Number.isInteger(d) || d < 0)) throw new Error(`${where}: shape must be an array of sizes`);
      if (t.data.length !== sizeOf(t.shape)) throw new Error(`${where}: shape ${shapeText(t.shape)} has ${sizeOf(t.shape)} elements, but data has ${t.data.length}`);
      return { data: t.data, shape: t.shape };
    }
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      const data = v as unknown as ArrayLike<number>;
      if (p.shape.length === 1) return { data, shape: [data.length] };
      if (p.shape.length === 0 && data.length === 1) return { data, shape: [] };
      throw new Error(`${where} has rank ${p.shape.length}: pass { data, shape }`);
    }
    throw new Error(`${where}: expected a number, a typed array or { data, shape }, got ${v === null ? 'null' : typeof v}`);
  }

  /** Every parameter's value, and the sizes their shapes bind (checked for consistency). */
  function bind(e: Entry, args: Readonly<Record<string, unknown>>, preset?: ReadonlyMap<string, number>): { values: Map<string, ArrayLike<number>>; dims: Map<string, number> } {
    const known = new Set(e.params.map(p => p.name));
    for (const k of Object.keys(args)) {
      if (!known.has(k)) throw new Error(`${e.name}: no parameter \`${k}\` (parameters: ${[...known].join(', ') || 'none'})`);
    }
    const dims = new Map<string, number>(preset ?? []);
    const from = new Map<string, string>();
    const values = new Map<string, ArrayLike<number>>();
    const deferred: { p: string; axis: number; d: string; size: number }[] = [];
    for (const p of e.params) {
      const given = args[p.name];
      let v: { data: ArrayLike<number>; shape: readonly number[] };
      if (given === undefined) {
        if (!p.default) throw new Error(`${e.name}: missing argument \`${p.name}\``);
        v = { data: p.default, shape: p.shape.map(d => evalDim(d, new Map())) };
      } else v = argValue(e, p, given);
      values.set(p.name, v.data);
      // Sizes the caller bound (thc run's binder checked the arguments) are authoritative.
      if (preset) continue;
      if (v.shape.length !== p.shape.length) {
        throw new Error(`${e.name}: argument \`${p.name}\` must have rank ${p.shape.length}, got shape ${shapeText(v.shape)}`);
      }
      p.shape.forEach((d, axis) => {
        const size = v.shape[axis]!;
        if (typeof d === 'number') {
          if (d !== size) throw new Error(`${e.name}: argument \`${p.name}\` must have size ${d} on axis ${axis}, got shape ${shapeText(v.shape)}`);
        } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(d)) {
          const bound = dims.get(d);
          if (bound === undefined) { dims.set(d, size); from.set(d, p.name); }
          // Anonymous dimensions (`_1`) are each unrelated to every other, as in thc's binder.
          else if (bound !== size && !d.startsWith('_')) {
            throw new Error(`${e.name}: argument \`${p.name}\`: dimension \`${d}\` is ${size} on axis ${axis}, but ${bound} from ${from.has(d) ? `\`${from.get(d)}\`` : 'the caller'}`);
          }
        } else deferred.push({ p: p.name, axis, d, size });
      });
    }
    for (const x of deferred) {
      const want = evalDim(x.d, dims);
      if (want !== x.size) throw new Error(`${e.name}: argument \`${x.p}\`: dimension \`${x.d}\` is ${x.size} on axis ${x.axis}, but ${want} from the other arguments`);
    }
    // Where `_` dimensions meet, the kernels take the sizes to be equal.
    for (const [a, b] of e.equalSizes) {
      const x = evalDim(a, dims), y = evalDim(b, dims);
      if (x !== y) throw new Error(`${e.name}: sizes ${x} and ${y} meet in this call where the kernels need them equal (\`_\` dimensions)`);
    }
    return { values, dims };
  }

  // ---------------------------------------------------------------- calls
  const owned = new Map<string, GPUBuffer>();

  async function readBack(staging: { name: string; buffer: GPUBuffer | null; dtype: string; shape: number[] }[]): Promise<Record<string, HostOutput>> {
    await Promise.all(staging.map(s => s.buffer?.mapAsync(GPUMapMode.READ)));
    const out: Record<string, HostOutput> = {};
    for (const s of staging) {
      const n = sizeOf(s.shape);
      const data = hostArray(s.dtype, n);
      if (s.buffer) {
        data.set(gpuView(s.dtype, s.buffer.getMappedRange(), n));
        s.buffer.unmap();
        s.buffer.destroy();
      }
      Object.defineProperty(out, s.name, { value: { data, shape: s.shape, dtype: s.dtype }, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  function stagingFor(encoder: GPUCommandEncoder, src: GPUBuffer, name: string, dtype: string, shape: number[]) {
    const bytes = sizeOf(shape) * 4;
    const buffer = bytes === 0 ? null : device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    if (buffer) encoder.copyBufferToBuffer(src, 0, buffer, 0, bytes);
    return { name, buffer, dtype, shape };
  }

  async function call(entry: string, args: Readonly<Record<string, unknown>>, preset?: ReadonlyMap<string, number>): Promise<Record<string, HostOutput>> {
    const e = plan.entries.find(x => x.name === entry);
    if (!e) throw new Error(`no entry point \`${entry}\` (there are: ${plan.entries.map(x => x.name).join(', ')})`);
    const { values, dims } = bind(e, args ?? {}, preset);
    const dimRecord: Record<string, number> = {};
    for (const [k, v] of [...dims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) dimRecord[k] = v;
    // Each kernel's form; per pass its pipeline, workgroup count and bindings.
    type Bind = { buffer: number } | { scratch: string; bytes: number };
    const steps: { name: string; pipeline: GPUComputePipeline; groups: number; bindings: Bind[] }[] = [];
    for (let i = 0; i < e.kernels.length; i++) {
      const k = e.kernels[i]!;
      const f = k.forms.findIndex(x => x.when.every(([d, min]) => evalDim(d, dims) >= min));
      const form = k.forms[f]!;
      const scratch = form.scratch.map(x => bytesFor(evalDim(x.count, dims)));
      scratch.forEach((bytes, j) => { if (bytes > limit) throw limitError(`${k.name} scratch ${j}`, bytes, limit); });
      for (let j = 0; j < form.passes.length; j++) {
        const pass = form.passes[j]!;
        const name = form.passes.length === 1 ? k.name : `${k.name} pass ${j + 1}/${form.passes.length}`;
        const groups = pass.grid.reduce((p, [d, per]) => p * Math.ceil(evalDim(d, dims) / per), 1);
        let pipeline: GPUComputePipeline;
        if (options.textFor) {
          const text = options.textFor(e.name, i, f, j, dimRecord);
          pipeline = await pipelineFor(text, text, name, pass.bindings.length, {});
        } else {
          const shader = plan.shaders[pass.shader]!;
          const constants: Record<string, number> = {};
          for (const n of shader.overrides) constants[`dim_${n}`] = evalDim(n, dims);
          Object.assign(constants, form.constants);
          pipeline = await pipelineFor(`${pass.shader}/${JSON.stringify(constants)}`, shader.wgsl, name, pass.bindings.length, constants);
        }
        const bindings: Bind[] = pass.bindings.map(b => (typeof b === 'number' ? { buffer: b } : { scratch: `${e.name}/k${i}/s${b.scratch}`, bytes: scratch[b.scratch]! }));
        steps.push({ name, pipeline, groups, bindings });
      }
    }
    const counts = e.buffers.map(b => evalDim(b.count, dims));
    // Checked before anything is created: WebGPU would only say "invalid buffer" later.
    counts.forEach((n, i) => { if (bytesFor(n) > limit) throw limitError(e.buffers[i]!.name, bytesFor(n), limit); });
    const times: number[] = [];
    let staging: { name: string; buffer: GPUBuffer | null; dtype: string; shape: number[] }[] = [];
    const { errors } = await capture(async () => {
      const buffers = e.buffers.map((b, i) => {
        if (b.kind === 'shared') return resident.get(b.name)!;
        const bytes = bytesFor(counts[i]!);
        const key = `${e.name}/${i}`;
        let buf = owned.get(key);
        if (buf && buf.size !== bytes) { buf.destroy(); buf = undefined; }
        if (!buf) {
          buf = device.createBuffer({ size: bytes, usage: DATA, label: b.name });
          owned.set(key, buf);
          if (b.init !== undefined) device.queue.writeBuffer(buf, 0, fromBase64(b.init));
        }
        return buf;
      });
      for (const p of e.params) if (p.buffer >= 0) device.queue.writeBuffer(buffers[p.buffer]!, 0, toGpu(values.get(p.name)!, p.dtype));
      /** A kernel's scratch buffer, kept while its size stays the same. */
      const scratchBuffer = (key: string, bytes: number): GPUBuffer => {
        let buf = owned.get(key);
        if (buf && buf.size !== bytes) { buf.destroy(); buf = undefined; }
        if (!buf) { buf = device.createBuffer({ size: bytes, usage: DATA, label: key }); owned.set(key, buf); }
        return buf;
      };
      const encode = (pass: GPUComputePassEncoder, s: typeof steps[number]): void => {
        pass.setPipeline(s.pipeline);
        pass.setBindGroup(0, device.createBindGroup({
          layout: s.pipeline.getBindGroupLayout(0),
          entries: s.bindings.map((b, j) => ({ binding: j, resource: { buffer: 'buffer' in b ? buffers[b.buffer]! : scratchBuffer(b.scratch, b.bytes) } })),
        }));
        // More than 65,535 workgroups: rows of 65,535; main rebuilds the flat index and guards the tail.
        const x = Math.min(s.groups, maxGroups);
        pass.dispatchWorkgroups(x, Math.ceil(s.groups / x));
      };
      const run = steps.filter(s => s.groups > 0);
      const encoder = device.createCommandEncoder({ label: e.name });
      let query: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | undefined;
      if (debug && timestamps && run.length > 0) {
        const set = device.createQuerySet({ type: 'timestamp', count: 2 * run.length });
        query = {
          set,
          resolve: device.createBuffer({ size: 16 * run.length, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }),
          read: device.createBuffer({ size: 16 * run.length, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
        };
        run.forEach((s, i) => {
          const pass = encoder.beginComputePass({ timestampWrites: { querySet: set, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
          encode(pass, s);
          pass.end();
        });
        encoder.resolveQuerySet(set, 0, 2 * run.length, query.resolve, 0);
        encoder.copyBufferToBuffer(query.resolve, 0, query.read, 0, 16 * run.length);
      } else if (debug) {
        // No timestamp queries: each dispatch alone, timed from submit to completion on the host.
        for (const s of run) {
          const one = device.createCommandEncoder({ label: s.name });
          const pass = one.beginComputePass();
          encode(pass, s);
          pass.end();
          const t0 = performance.now();
          device.queue.submit([one.finish()]);
          await device.queue.onSubmittedWorkDone();
          times.push(performance.now() - t0);
        }
      } else {
        const pass = encoder.beginComputePass();
        for (const s of run) encode(pass, s);
        pass.end();
      }
      for (const c of e.copies) {
        const bytes = bytesFor(counts[c.from]!);
        if (bytes <= buffers[c.to]!.size) encoder.copyBufferToBuffer(buffers[c.from]!, 0, buffers[c.to]!, 0, bytes);
      }
      staging = e.outputs.map(o => stagingFor(encoder, buffers[o.buffer]!, o.name, o.dtype, o.shape.map(d => evalDim(d, dims))));
      device.queue.submit([encoder.finish()]);
      if (query) {
        await query.read.mapAsync(GPUMapMode.READ);
        const ts = new BigInt64Array(query.read.getMappedRange().slice(0));
        for (let i = 0; i < run.length; i++) times.push(Number(ts[2 * i + 1]! - ts[2 * i]!) / 1e6);
        query.read.unmap();
        query.read.destroy();
        query.resolve.destroy();
        query.set.destroy();
      }
      if (debug) {
        run.forEach((s, i) => debug(`${e.name} ${s.name} ${s.groups} workgroup${s.groups === 1 ? '' : 's'} ${times[i]!.toFixed(3)} ms${timestamps ? '' : ' (submitted alone)'}`));
      }
    });
    if (errors.length > 0) throw gpuError(`the call of \`${e.name}\``, errors.join('; '));
    return readBack(staging);
  }

  async function getState(name?: string): Promise<Record<string, HostOutput> | HostOutput> {
    const names = name === undefined ? [...sharedInfo.keys()] : [name];
    for (const n of names) if (!sharedInfo.has(n)) throw new Error(`no shared variable \`${n}\` (there are: ${[...sharedInfo.keys()].join(', ') || 'none'})`);
    const encoder = device.createCommandEncoder();
    const staging = names.map(n => stagingFor(encoder, resident.get(n)!, n, sharedInfo.get(n)!.dtype, [...sharedInfo.get(n)!.shape]));
    device.queue.submit([encoder.finish()]);
    const all = await readBack(staging);
    return name === undefined ? all : all[name]!;
  }

  function destroy(): void {
    for (const b of [...resident.values(), ...owned.values()]) b.destroy();
    resident.clear();
    owned.clear();
    pipelines.clear();
    modules.clear();
  }

  const program: Record<string, unknown> = {};
  for (const e of plan.entries) {
    Object.defineProperty(program, e.name, { value: (args: Readonly<Record<string, unknown>> = {}) => call(e.name, args), enumerable: true, configurable: true, writable: true });
  }
  // The API's own methods come last: an entry point named like one is reached through `call`.
  Object.assign(program, { call, getState, setState, destroy });
  return program as unknown as HostProgram;
}
