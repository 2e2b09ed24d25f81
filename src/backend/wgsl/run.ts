/**
 * @file The host side of the WGSL backend: runs a Schedule on the process's WebGPU device. Per
 * call: the call's sizes are baked into each kernel's WGSL (module.ts) and pipelines are cached by
 * text, so repeated calls with the same sizes (`--steps`) compile nothing; buffers follow the
 * schedule's plan (4 bytes per element, bool as u32, at least 4 bytes so zero-size tensors get a
 * valid buffer); shared variables stay resident on the GPU between calls; one command encoder per
 * call holds every dispatch (each kernel's form picked by its conditions on the sizes: a matmul's
 * blocked, tiled or simple form, a reduction split in two passes through a scratch buffer or not),
 * then the end-of-call update copies (the schedule executor's order),
 * then the copies of the outputs into MAP_READ staging buffers. Errors WebGPU reports (error
 * scopes) become a WgslError, which the CLI reports as TH0522, and a tensor too large for a
 * binding a WgslLimitError (TH0525); nothing here prints.
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import type { ProgramGraphs } from '../../graph/graph.js';
import type { Gpu } from '../../gpu/device.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { evalContext } from '../../runtime/interp.js';
import type { Schedule } from '../../schedule/types.js';
import { concreteDims } from './types.js';
import { kernelForms, kernelModule, type KernelModule } from './kernel.js';
import type { SplitOptions } from './reduce.js';
import { thcHostRuntime, type HostOutput } from './host/runtime.js';
import { hostPlan } from './host/plan-build.js';

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

export interface WgslRunnerOptions {
  /**
   * Workgroups per grid dimension before the grid folds into rows (default and maximum: WebGPU's
   * 65,535). Tests lower it to exercise the folding without millions of elements.
   */
  readonly maxGroupsPerDim?: number;
  /** Receives THC_DEBUG=kernels lines (each kernel's WGSL once, its GPU time per call). */
  readonly debug?: (line: string) => void;
  /** When reductions split into two passes (reduce.ts); tests lower `chunk` to split small rows. */
  readonly split?: SplitOptions;
}

const toNDArray = (o: HostOutput): NDArray => ({ dtype: o.dtype as DType, shape: o.shape, data: o.data });

/**
 * Prepares a schedule to run on `gpu`, with the shared variables' initial values from `store`:
 * the host runtime (host/runtime.ts, the same code the emitted module carries) over a plan without
 * WGSL, whose kernels get their text per call with the call's sizes baked in.
 */
export function createWgslRunner(gpu: Gpu, s: Schedule, program: ProgramGraphs, store: ReadonlyMap<string, NDArray>, opts: WgslRunnerOptions = {}): WgslRunner {
  const graph = program.entries.find(g => g.name === s.entry);
  if (!graph) throw new Error(`no graph for entry ${s.entry}`);
  const split = opts.split ? { split: opts.split } : {};
  const plan = hostPlan(s.entry, [{ schedule: s, graph }], program, undefined, false, split);
  const state: Record<string, NDArray> = {};
  for (const v of plan.shared) { const a = store.get(v.name); if (a) state[v.name] = a; }
  // The plan's forms are kernelForms(k, split): the runtime picks form `form` of kernel `kernel`,
  // and the text printed here for it is that form with the call's sizes.
  const forms = s.kernels.map(k => kernelForms(k, split));
  // The modules of the last sizes seen (`--steps` calls all have the same ones), by kernel and form.
  let last: { key: string; modules: Map<string, KernelModule> } | undefined;
  const textFor = (_entry: string, kernel: number, form: number, pass: number, dims: Readonly<Record<string, number>>): string => {
    const key = JSON.stringify(dims);
    if (last?.key !== key) last = { key, modules: new Map() };
    let m = last.modules.get(`${kernel}/${form}`);
    if (!m) {
      const { cx } = evalContext(new Map(Object.entries(dims)));
      const size = (d: Dim): number => cx.dim(d);
      m = kernelModule(s.kernels[kernel]!, concreteDims(size), [], size, { ...split, form: forms[kernel]![form]!.choice });
      last.modules.set(`${kernel}/${form}`, m);
    }
    return m.passes ? m.passes[pass]!.text : m.text;
  };
  const host = thcHostRuntime(gpu.device, plan, {
    state, textFor,
    ...(opts.maxGroupsPerDim === undefined ? {} : { maxGroupsPerDim: opts.maxGroupsPerDim }),
    ...(opts.debug ? { debug: opts.debug } : {}),
    gpuError: (what, detail) => new WgslError(what, detail),
    limitError: (buffer, bytes, limit) => new WgslLimitError(buffer, bytes, limit),
  });
  const outputsOf = (r: Record<string, HostOutput>): Map<string, NDArray> => new Map(Object.keys(r).map(k => [k, toNDArray(r[k]!)]));
  return {
    async run(call: WgslCall): Promise<Map<string, NDArray>> {
      const args: Record<string, NDArray> = {};
      for (const [k, v] of call.params) args[k] = v;
      return outputsOf(await host.call(s.entry, args, call.dims));
    },
    async readShared(): Promise<Map<string, NDArray>> {
      return outputsOf(await host.getState());
    },
    destroy: () => host.destroy(),
  };
}
