/**
 * @file Builds the host plan (plan.ts) from kernel schedules: per entry point its parameters (with
 * defaults), buffers (consts with their bytes), kernels with their forms (kernel.ts kernelForms:
 * conditions, passes with grids and bindings, scratch buffers) and, for the emitted module, each
 * pass's WGSL with symbolic sizes (module.ts symbolicModule) in a table of distinct shaders (a
 * reduction's split forms share one text per pass: the part count is an override constant); the
 * shared variables the entries use, with their initial values when a store gives them. The
 * runtime (runtime.ts) consumes it; `thc run --device gpu` builds one without WGSL (it bakes sizes
 * into the text per call), `thc compile --target wgsl -o DIR` one with.
 */
import type { Graph, ProgramGraphs } from '../../../graph/graph.js';
import type { NDArray } from '../../../runtime/ndarray.js';
import type { Kernel, Schedule } from '../../../schedule/types.js';
import type { DType } from '../../../sema/types.js';
import { kernelForms, type ModuleOptions, type PassBinding } from '../kernel.js';
import { symbolicModule } from '../module.js';
import type { HostPlan, PlanBinding, PlanDType, PlanEntry, PlanForm, PlanShader, PlanShared } from './plan.js';
import { sizeAssumptions } from '../../../schedule/assumptions.js';

const planDType = (t: DType): PlanDType => {
  if (t === 'f32' || t === 'f16' || t === 'i32' || t === 'u32' || t === 'bool') return t;
  throw new Error(`${t} has no GPU form (support.ts rejects it)`);
};

/** base64 of the little-endian GPU bytes of `a` (4 bytes an element, bool as u32, f16 as its f32 value). */
export function gpuBase64(a: NDArray): string {
  const n = a.data.length;
  const bytes = new ArrayBuffer(Math.max(4, n * 4));
  const view = a.dtype === 'f32' || a.dtype === 'f16' ? new Float32Array(bytes) : a.dtype === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
  view.set(a.data);
  return Buffer.from(bytes).toString('base64');
}

const planBinding = (b: PassBinding): PlanBinding => ('buffer' in b ? b.buffer : { scratch: b.scratch });

/** The plan's shader table: each distinct text once. */
class Shaders {
  readonly list: PlanShader[] = [];
  private readonly index = new Map<string, number>();
  add(wgsl: string, overrides: readonly string[]): number {
    let i = this.index.get(wgsl);
    if (i === undefined) {
      i = this.list.length;
      this.list.push({ wgsl, overrides: [...overrides] });
      this.index.set(wgsl, i);
    }
    return i;
  }
}

/**
 * A kernel's forms; with `shaders`, each pass's WGSL with symbolic sizes goes into the table (a
 * split form is printed with its part count as the `split_parts` override, so every split form of
 * the kernel shares its two texts), else passes have no shader (-1: the host supplies the text).
 */
function formsOf(k: Kernel, shaders: Shaders | undefined, opts: ModuleOptions): PlanForm[] {
  return kernelForms(k, opts).map(f => {
    let ids: number[] = f.passes.map(() => -1);
    if (shaders) {
      const split = typeof f.choice.parts === 'number' && f.choice.parts > 1;
      const m = symbolicModule(k, split ? { parts: 'override' } : f.choice);
      const texts = m.passes ? m.passes.map(p => p.text) : [m.text];
      if (texts.length !== f.passes.length) throw new Error(`${k.name}: ${texts.length} texts for ${f.passes.length} passes`);
      ids = texts.map(t => shaders.add(t, m.overrides));
    }
    return {
      when: f.when.map(([d, n]) => [d, n] as const),
      passes: f.passes.map((p, j) => ({ shader: ids[j]!, grid: p.grid.map(([d, n]) => [d, n] as const), bindings: p.bindings.map(planBinding) })),
      scratch: f.scratch.map(x => ({ dtype: planDType(x.dtype), count: x.count })),
      constants: { ...f.constants },
    };
  });
}

function entryPlan(s: Schedule, g: Graph, shaders: Shaders | undefined, opts: ModuleOptions): PlanEntry {
  return {
    name: g.name,
    params: g.params.map(p => ({
      name: p.name, dtype: planDType(p.type.dtype), shape: [...p.type.shape],
      buffer: s.params.find(x => x.name === p.name)?.buffer ?? -1,
      ...(p.default ? { default: Array.from(p.default.data) } : {}),
    })),
    equalSizes: sizeAssumptions(g).map(a => [a.a, a.b] as const),
    buffers: s.buffers.map(b => ({
      name: b.name, kind: b.kind, dtype: planDType(b.type.dtype), count: b.count,
      ...(b.kind === 'const' ? { init: gpuBase64(b.values[0]!.attrs['value'] as NDArray) } : {}),
    })),
    kernels: s.kernels.map(k => ({ name: k.name, forms: formsOf(k, shaders, opts) })),
    copies: s.copies.map(c => ({ from: c.from, to: c.to })),
    outputs: s.outputs.map(o => ({ name: o.name, buffer: o.buffer, dtype: planDType(o.value.type.dtype), shape: [...o.value.type.shape] })),
  };
}

/**
 * The plan of `entries`; shared variables those entries use, in declaration order, with their
 * values from `store` when it has them. `opts.split` changes when reductions split (tests).
 */
export function hostPlan(name: string, entries: readonly { schedule: Schedule; graph: Graph }[], program: ProgramGraphs,
  store: ReadonlyMap<string, NDArray> | undefined, withWgsl: boolean, opts: ModuleOptions = {}): HostPlan {
  const used = new Set(entries.flatMap(e => e.schedule.buffers.filter(b => b.kind === 'shared').map(b => b.name)));
  const shared: PlanShared[] = program.shared.filter(v => used.has(v.name)).map(v => {
    const init = store?.get(v.name);
    return {
      name: v.name, dtype: planDType(v.type.dtype), shape: v.type.shape.map(d => d as number),
      ...(init ? { init: gpuBase64(init) } : {}),
    };
  });
  const shaders = withWgsl ? new Shaders() : undefined;
  const planned = entries.map(e => entryPlan(e.schedule, e.graph, shaders, opts));
  return { program: name, shaders: shaders?.list ?? [], entries: planned, shared };
}
