/**
 * @file The plan the JS target's standalone module embeds (`thc compile --target js -o DIR`): per
 * entry point its runtime plan (plan.ts) with the parameters' declared defaults and the constants'
 * elements as base64 of their little-endian typed-array bytes (so the plan is JSON), and the
 * shared variables the entries use with their initial values (the same encoding). host.ts decodes
 * it; module-emit.ts prints it. A pure function of the compile result and the initial state.
 */
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray } from '../../runtime/ndarray.js';
import type { Schedule } from '../../schedule/types.js';
import type { JsKernel } from './kernel.js';
import { jsPlan, type JsPlan } from './plan.js';

export interface JsModuleEntry extends Omit<JsPlan, 'params' | 'buffers'> {
  readonly params: readonly (JsPlan['params'][number] & { readonly default?: readonly number[] })[];
  readonly buffers: readonly (Omit<JsPlan['buffers'][number], 'value'> & { readonly dtype: string; readonly init?: string })[];
}

export interface JsModulePlan {
  /** The .th file's base name. */
  readonly program: string;
  readonly entries: readonly JsModuleEntry[];
  readonly shared: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly number[]; readonly init?: string }[];
}

/** base64 of an array's elements in its dtype's typed array, little-endian (bool: one byte each). */
export function jsBase64(a: NDArray): string {
  return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64');
}

export function jsModulePlan(name: string, entries: readonly { schedule: Schedule; graph: Graph; kernels: readonly JsKernel[] }[],
  program: ProgramGraphs, store: ReadonlyMap<string, NDArray>): JsModulePlan {
  const used = new Set(entries.flatMap(e => e.schedule.buffers.filter(b => b.kind === 'shared').map(b => b.name)));
  return {
    program: name,
    entries: entries.map(({ schedule: s, graph: g, kernels }) => {
      const p = jsPlan(s, g, program, kernels);
      return {
        ...p,
        params: p.params.map((x, i) => {
          const d = g.params[i]!.default;
          return d ? { ...x, default: Array.from(d.data) } : x;
        }),
        buffers: p.buffers.map((b, i) => {
          const { value: _value, ...rest } = b;
          const sb = s.buffers[i]!;
          return { ...rest, dtype: sb.type.dtype, ...(sb.kind === 'const' ? { init: jsBase64(sb.values[0]!.attrs['value'] as NDArray) } : {}) };
        }),
      };
    }),
    shared: program.shared.filter(v => used.has(v.name)).map(v => {
      const init = store.get(v.name);
      return { name: v.name, dtype: v.type.dtype, shape: v.type.shape.map(d => d as number), ...(init ? { init: jsBase64(init) } : {}) };
    }),
  };
}
