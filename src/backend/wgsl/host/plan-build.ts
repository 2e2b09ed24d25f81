/**
 * @file Builds the host plan (plan.ts) from kernel schedules: per entry point its parameters (with
 * defaults), buffers (consts with their bytes), kernels with their grid forms (kernel.ts gridOf)
 * and, for the emitted module, each form's WGSL with symbolic sizes (module.ts symbolicModule);
 * the shared variables the entries use, with their initial values when a store gives them. The
 * runtime (runtime.ts) consumes it; `thc run --device gpu` builds one without WGSL (it bakes sizes
 * into the text per call), `thc compile --target wgsl -o DIR` one with.
 */
import type { Graph, ProgramGraphs } from '../../../graph/graph.js';
import type { NDArray } from '../../../runtime/ndarray.js';
import type { Kernel, Schedule } from '../../../schedule/types.js';
import type { DType } from '../../../sema/types.js';
import { gridOf } from '../kernel.js';
import { symbolicModule } from '../module.js';
import type { HostPlan, PlanDType, PlanEntry, PlanForm, PlanShared } from './plan.js';

const planDType = (t: DType): PlanDType => {
  if (t === 'f32' || t === 'i32' || t === 'u32' || t === 'bool') return t;
  throw new Error(`${t} has no GPU form (support.ts rejects it)`);
};

/** base64 of the little-endian GPU bytes of `a` (4 bytes an element, bool as u32). */
export function gpuBase64(a: NDArray): string {
  const n = a.data.length;
  const bytes = new ArrayBuffer(Math.max(4, n * 4));
  const view = a.dtype === 'f32' ? new Float32Array(bytes) : a.dtype === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
  view.set(a.data);
  return Buffer.from(bytes).toString('base64');
}

/**
 * A kernel's forms. The WGSL of form 0 is kernelModule's choice without sizes (a matmul's tiled
 * form); a second form (the untiled matmul, used below the tile size) is printed with sizes that
 * fail every condition of the first.
 */
function formsOf(k: Kernel, withWgsl: boolean): PlanForm[] {
  return gridOf(k).map((f, i) => {
    const m = withWgsl ? symbolicModule(k, i === 0 ? undefined : () => 0) : { text: '', overrides: [] };
    return { when: f.when.map(([d, n]) => [d, n] as const), grid: f.factors.map(([d, n]) => [d, n] as const), wgsl: m.text, overrides: m.overrides };
  });
}

export function entryPlan(s: Schedule, g: Graph, withWgsl: boolean): PlanEntry {
  return {
    name: g.name,
    params: g.params.map(p => ({
      name: p.name, dtype: planDType(p.type.dtype), shape: [...p.type.shape],
      buffer: s.params.find(x => x.name === p.name)?.buffer ?? -1,
      ...(p.default ? { default: Array.from(p.default.data) } : {}),
    })),
    buffers: s.buffers.map(b => ({
      name: b.name, kind: b.kind, dtype: planDType(b.type.dtype), count: b.count,
      ...(b.kind === 'const' ? { init: gpuBase64(b.values[0]!.attrs['value'] as NDArray) } : {}),
    })),
    kernels: s.kernels.map(k => {
      const forms = formsOf(k, withWgsl);
      const bindings = withWgsl ? symbolicModule(k).bindings : bindingOrder(k);
      return { name: k.name, bindings: [...bindings], forms };
    }),
    copies: s.copies.map(c => ({ from: c.from, to: c.to })),
    outputs: s.outputs.map(o => ({ name: o.name, buffer: o.buffer, dtype: planDType(o.value.type.dtype), shape: [...o.value.type.shape] })),
  };
}

/** kernel.ts's binding order (distinct input buffers in order, then the output) without printing. */
function bindingOrder(k: Kernel): number[] {
  const order: number[] = [];
  for (const x of k.inputs) if (!order.includes(x.buffer)) order.push(x.buffer);
  order.push(k.outputs[0]!.buffer);
  return order;
}

/**
 * The plan of `entries`; shared variables those entries use, in declaration order, with their
 * values from `store` when it has them.
 */
export function hostPlan(name: string, entries: readonly { schedule: Schedule; graph: Graph }[], program: ProgramGraphs,
  store: ReadonlyMap<string, NDArray> | undefined, withWgsl: boolean): HostPlan {
  const used = new Set(entries.flatMap(e => e.schedule.buffers.filter(b => b.kind === 'shared').map(b => b.name)));
  const shared: PlanShared[] = program.shared.filter(v => used.has(v.name)).map(v => {
    const init = store?.get(v.name);
    return {
      name: v.name, dtype: planDType(v.type.dtype), shape: v.type.shape.map(d => d as number),
      ...(init ? { init: gpuBase64(init) } : {}),
    };
  });
  return { program: name, entries: entries.map(e => entryPlan(e.schedule, e.graph, withWgsl)), shared };
}
