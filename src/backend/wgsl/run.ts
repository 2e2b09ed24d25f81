/**
 * @file The host side of the WGSL backend: runs a Schedule on the process's WebGPU device. Per
 * call: the call's sizes are baked into each kernel's WGSL (module.ts) and pipelines are cached by
 * text, so repeated calls with the same sizes (`--steps`) compile nothing; buffers follow the
 * schedule's plan (4 bytes per element, bool as u32, at least 4 bytes so zero-size tensors get a
 * valid buffer); shared variables stay resident on the GPU between calls; one command encoder per
 * call holds every dispatch (a multi-pass kernel, a split reduction, dispatches each of its
 * `passes` with its scratch buffers, owned here and kept while their size stays the same), then
 * the end-of-call update copies (the schedule executor's order),
 * then the copies of the outputs into MAP_READ staging buffers. Errors WebGPU reports (error
 * scopes) become a WgslError, which the CLI reports as TH0522, and a tensor too large for a
 * binding a WgslLimitError (TH0525); nothing here prints.
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import type { ProgramGraphs } from '../../graph/graph.js';
import type { Gpu } from '../../gpu/device.js';
import { captureErrors, compilationMessages } from '../../gpu/errors.js';
import { allocData, sizeOf, type NDArray, type TypedArray } from '../../runtime/ndarray.js';
import { evalContext } from '../../runtime/interp.js';
import type { Schedule } from '../../schedule/types.js';
import { concreteModules } from './module.js';
import { workgroupsOf, type KernelModule, type KernelPass } from './kernel.js';
import type { SplitOptions } from './reduce.js';
import { GPU_WIDTH } from './types.js';

/** WebGPU's guaranteed maximum of workgroups per grid dimension: larger grids fold into rows. */
const MAX_GROUPS = 65535;

/** A GPU failure that is thc's bug (an invalid shader, a rejected dispatch): TH0522. */
export class WgslError extends Error {
  constructor(readonly what: string, readonly detail: string) {
    super(`${what}: ${detail}`);
  }
}

/**
 * A tensor larger than one storage binding may be on this device (WebGPU's default
 * maxStorageBufferBindingSize is 128 MiB): a limit of the device, not a bug (TH0525).
 */
export class WgslLimitError extends Error {
  constructor(readonly buffer: string, readonly bytes: number, readonly limit: number) {
    super(`${buffer} needs ${bytes} bytes, more than the binding limit of ${limit}`);
  }
}

export interface WgslCall {
  readonly params: ReadonlyMap<string, NDArray>;
  readonly dims: ReadonlyMap<string, number>;
}

export interface WgslRunner {
  /** Runs one call; shared variables are updated on the GPU; returns the outputs by name. */
  run(call: WgslCall): Promise<Map<string, NDArray>>;
  /** The resident shared variables read back, by name (for --save-state and tests). */
  readShared(): Promise<Map<string, NDArray>>;
  /** Frees every buffer. */
  destroy(): void;
}

const USAGE_DATA = (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A buffer size for `count` elements: a multiple of 4, and never 0 (WebGPU cannot bind an empty buffer). */
const bytesFor = (count: number): number => Math.max(GPU_WIDTH, count * GPU_WIDTH);

/** Host data in the GPU's layout (bool as u32). */
function toGpu(a: NDArray, t: DType): ArrayBuffer {
  const n = a.data.length;
  const out = new ArrayBuffer(bytesFor(n));
  const view = t === 'f32' ? new Float32Array(out) : t === 'i32' ? new Int32Array(out) : new Uint32Array(out);
  view.set(a.data.subarray(0, n));
  return out;
}

function fromGpu(bytes: ArrayBuffer, t: DType, shape: readonly number[]): NDArray {
  const n = sizeOf(shape);
  const data: TypedArray = allocData(t, n);
  const src = t === 'f32' ? new Float32Array(bytes, 0, n) : t === 'i32' ? new Int32Array(bytes, 0, n) : new Uint32Array(bytes, 0, n);
  data.set(src);
  return { dtype: t, shape: [...shape], data };
}

export interface WgslRunnerOptions {
  /**
   * Workgroups per grid dimension before the grid folds into rows (default and maximum: WebGPU's
   * 65,535). Tests lower it to exercise the folding without millions of elements.
   */
  readonly maxGroupsPerDim?: number;
  /** When reductions split into two passes (reduce.ts); tests lower `chunk` to split small rows. */
  readonly split?: SplitOptions;
}

/** A kernel's dispatches: its passes (a split reduction), or its one module. */
const passesOf = (m: KernelModule, groups: () => number): readonly KernelPass[] =>
  m.passes ?? [{ text: m.text, bindings: m.bindings.map(buffer => ({ buffer })), groups: groups() }];

/** Prepares a schedule to run on `gpu`, with the shared variables' initial values from `store`. */
export function createWgslRunner(gpu: Gpu, s: Schedule, program: ProgramGraphs, store: ReadonlyMap<string, NDArray>, opts: WgslRunnerOptions = {}): WgslRunner {
  const maxGroups = Math.min(MAX_GROUPS, opts.maxGroupsPerDim ?? MAX_GROUPS);
  const device = gpu.device;
  const pipelines = new Map<string, GPUComputePipeline>();
  const resident = new Map<string, GPUBuffer>();
  /** Temps, outputs and constants by buffer id, kept while their size stays the same. */
  const owned = new Map<number, GPUBuffer>();
  /** Scratch buffers of multi-pass kernels by `kernel:scratch`, kept while their size stays the same. */
  const scratch = new Map<string, GPUBuffer>();
  const sharedTypes = new Map(program.shared.map(v => [v.name, v.type]));

  const create = (bytes: number, label: string): GPUBuffer => device.createBuffer({ size: bytes, usage: USAGE_DATA(), label });

  // Shared variables: uploaded once, then only the GPU changes them (the update copies).
  for (const b of s.buffers) {
    if (b.kind !== 'shared' || resident.has(b.name)) continue;
    const t = sharedTypes.get(b.name) ?? b.type;
    const count = sizeOf(t.shape.map(d => d as number));
    const buf = create(bytesFor(count), b.name);
    const v = store.get(b.name);
    if (v) device.queue.writeBuffer(buf, 0, toGpu(v, t.dtype));
    resident.set(b.name, buf);
  }

  /**
   * An explicit layout (inputs read-only, the output last and writable) rather than 'auto': an
   * automatic layout leaves out bindings the shader never reads, and the bind group would then
   * not match it.
   */
  function layoutFor(bindings: number): GPUPipelineLayout {
    const entries: GPUBindGroupLayoutEntry[] = Array.from({ length: bindings }, (_, i) => ({
      binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: i === bindings - 1 ? 'storage' : 'read-only-storage' },
    }));
    return device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ entries })] });
  }

  async function pipelineFor(text: string, name: string, bindings: number): Promise<GPUComputePipeline> {
    const hit = pipelines.get(text);
    if (hit) return hit;
    const { value, errors } = await captureErrors(device, () => {
      const module = device.createShaderModule({ code: text, label: name });
      return { module, pipeline: device.createComputePipeline({ layout: layoutFor(bindings), compute: { module, entryPoint: 'main' }, label: name }) };
    });
    if (errors.length > 0) {
      const messages = await compilationMessages(value.module);
      throw new WgslError(`kernel \`${name}\``, [...messages, ...errors.map(e => e.message)].join('; '));
    }
    pipelines.set(text, value.pipeline);
    return value.pipeline;
  }

  async function run(call: WgslCall): Promise<Map<string, NDArray>> {
    const { cx } = evalContext(call.dims);
    const size = (d: Dim): number => cx.dim(d);
    const modules = concreteModules(s, size, { split: opts.split });
    const passes = modules.map((m, i) => passesOf(m, () => workgroupsOf(s.kernels[i]!, size)));
    const compiled: GPUComputePipeline[][] = [];
    for (let i = 0; i < s.kernels.length; i++) {
      const list: GPUComputePipeline[] = [];
      for (const p of passes[i]!) list.push(await pipelineFor(p.text, s.kernels[i]!.name, p.bindings.length));
      compiled.push(list);
    }
    const counts = s.buffers.map(b => size(b.count));
    // Checked before anything is created: WebGPU would only say "invalid buffer" later.
    const limit = Math.min(gpu.limits['maxStorageBufferBindingSize'] ?? 134217728, gpu.limits['maxBufferSize'] ?? 268435456);
    counts.forEach((n, i) => {
      if (bytesFor(n) > limit) throw new WgslLimitError(s.buffers[i]!.name, bytesFor(n), limit);
    });
    const staging: { name: string; buffer: GPUBuffer | null; t: DType; shape: number[] }[] = [];
    const { errors } = await captureErrors(device, () => {
      const buffers: GPUBuffer[] = s.buffers.map((b, i) => {
        if (b.kind === 'shared') return resident.get(b.name)!;
        const bytes = bytesFor(counts[i]!);
        let buf = owned.get(i);
        if (buf && buf.size !== bytes) { buf.destroy(); buf = undefined; }
        if (!buf) {
          buf = create(bytes, b.name);
          owned.set(i, buf);
          if (b.kind === 'const') device.queue.writeBuffer(buf, 0, toGpu(b.values[0]!.attrs['value'] as NDArray, b.type.dtype));
        }
        if (b.kind === 'param') {
          const v = call.params.get(b.name);
          if (!v) throw new Error(`no value for parameter ${b.name}`);
          device.queue.writeBuffer(buf, 0, toGpu(v, b.type.dtype));
        }
        return buf;
      });
      const encoder = device.createCommandEncoder({ label: s.entry });
      const pass = encoder.beginComputePass();
      s.kernels.forEach((_, i) => {
        const scratchOf = (j: number): GPUBuffer => {
          const bytes = bytesFor(modules[i]!.scratch![j]!.count);
          const key = `${i}:${j}`;
          let buf = scratch.get(key);
          if (buf && buf.size !== bytes) { buf.destroy(); buf = undefined; }
          if (!buf) { buf = create(bytes, `${s.kernels[i]!.name} scratch ${j}`); scratch.set(key, buf); }
          return buf;
        };
        passes[i]!.forEach((p, j) => {
          if (p.groups === 0) return;
          const pipeline = compiled[i]![j]!;
          const bind = device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0),
            entries: p.bindings.map((b, n) => ({ binding: n, resource: { buffer: 'buffer' in b ? buffers[b.buffer]! : scratchOf(b.scratch) } })),
          });
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bind);
          // More than 65,535 workgroups: rows of 65,535; main rebuilds the flat index and guards the tail.
          const x = Math.min(p.groups, maxGroups);
          pass.dispatchWorkgroups(x, Math.ceil(p.groups / x));
        });
      });
      pass.end();
      for (const c of s.copies) {
        const bytes = bytesFor(counts[c.from]!);
        if (bytes <= buffers[c.to]!.size) encoder.copyBufferToBuffer(buffers[c.from]!, 0, buffers[c.to]!, 0, bytes);
      }
      for (const o of s.outputs) {
        const shape = o.value.type.shape.map(size);
        const bytes = sizeOf(shape) * GPU_WIDTH;
        const buffer = bytes === 0 ? null : device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        if (buffer) encoder.copyBufferToBuffer(buffers[o.buffer]!, 0, buffer, 0, bytes);
        staging.push({ name: o.name, buffer, t: o.value.type.dtype, shape });
      }
      device.queue.submit([encoder.finish()]);
    });
    if (errors.length > 0) throw new WgslError(`the call of \`${s.entry}\``, errors.map(e => e.message).join('; '));
    return readBack(staging);
  }

  async function readBack(staging: readonly { name: string; buffer: GPUBuffer | null; t: DType; shape: number[] }[]): Promise<Map<string, NDArray>> {
    const out = new Map<string, NDArray>();
    await Promise.all(staging.map(st => st.buffer?.mapAsync(GPUMapMode.READ)));
    for (const st of staging) {
      if (!st.buffer) { out.set(st.name, fromGpu(new ArrayBuffer(0), st.t, st.shape)); continue; }
      out.set(st.name, fromGpu(st.buffer.getMappedRange().slice(0), st.t, st.shape));
      st.buffer.unmap();
      st.buffer.destroy();
    }
    return out;
  }

  async function readShared(): Promise<Map<string, NDArray>> {
    const encoder = device.createCommandEncoder();
    const staging: { name: string; buffer: GPUBuffer | null; t: DType; shape: number[] }[] = [];
    for (const v of program.shared) {
      const src = resident.get(v.name);
      if (!src) continue;
      const shape = v.type.shape.map(d => d as number);
      const bytes = sizeOf(shape) * GPU_WIDTH;
      const buffer = bytes === 0 ? null : device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      if (buffer) encoder.copyBufferToBuffer(src, 0, buffer, 0, bytes);
      staging.push({ name: v.name, buffer, t: v.type.dtype, shape });
    }
    device.queue.submit([encoder.finish()]);
    return readBack(staging);
  }

  function destroy(): void {
    for (const b of [...resident.values(), ...owned.values(), ...scratch.values()]) b.destroy();
    resident.clear();
    owned.clear();
    scratch.clear();
  }

  return { run, readShared, destroy };
}
