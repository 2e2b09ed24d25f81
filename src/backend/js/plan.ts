/**
 * @file The JS target's plan for one entry point: plain data (JSON-able but for constants' typed
 * arrays) that runtime.ts needs to run the kernel functions: the parameters with their declared
 * shapes (symbolic dims as canonical strings such as `n`, `b*n`), the buffers of the schedule's
 * plan, per kernel its function's buffer order, dtypes and dims, the end-of-call copies and the
 * outputs. Built from a Schedule and its Graph; the module's future `-o DIR` form embeds it.
 */
import type { Graph, ProgramGraphs } from '../../graph/graph.js';
import type { NDArray, TypedArray } from '../../runtime/ndarray.js';
import type { Schedule } from '../../schedule/types.js';
import type { JsKernel } from './kernel.js';
import { sizeAssumptions } from '../../schedule/assumptions.js';

export interface JsPlan {
  readonly entry: string;
  readonly params: readonly { readonly name: string; readonly dtype: string; readonly shape: readonly (number | string)[]; readonly buffer: number | null }[];
  /** Sizes the kernels take to be equal where `_` dimensions meet (schedule/assumptions.ts). */
  readonly equalSizes: readonly (readonly [number | string, number | string])[];
  readonly buffers: readonly {
    readonly kind: 'param' | 'shared' | 'const' | 'output' | 'temp';
    readonly name: string;
    readonly width: number;
    readonly count: number | string;
    /** A constant's elements. */
    readonly value?: TypedArray;
  }[];
  readonly kernels: readonly { readonly name: string; readonly buffers: readonly number[]; readonly dtypes: readonly string[]; readonly dims: readonly string[] }[];
  readonly copies: readonly { readonly shared: string; readonly from: number; readonly dtype: string; readonly shape: readonly (number | string)[] }[];
  readonly outputs: readonly { readonly name: string; readonly buffer: number; readonly dtype: string; readonly shape: readonly (number | string)[] }[];
}

export function jsPlan(s: Schedule, g: Graph, program: ProgramGraphs, kernels: readonly JsKernel[]): JsPlan {
  const sharedType = (name: string) => program.shared.find(v => v.name === name)!.type;
  return {
    entry: s.entry,
    params: g.params.map(p => ({ name: p.name, dtype: p.type.dtype, shape: [...p.type.shape], buffer: s.params.find(x => x.name === p.name)?.buffer ?? null })),
    equalSizes: sizeAssumptions(g).map(a => [a.a, a.b] as const),
    buffers: s.buffers.map(b => ({
      kind: b.kind, name: b.name, width: b.width, count: b.count,
      ...(b.kind === 'const' ? { value: (b.values[0]!.attrs['value'] as NDArray).data } : {}),
    })),
    kernels: s.kernels.map((k, i) => {
      const fn = kernels[i]!;
      const dtypes = fn.buffers.map((buf, j) => (j < fn.buffers.length - 1 ? k.inputs.find(x => x.buffer === buf)!.value.type.dtype : k.outputs[0]!.value.type.dtype));
      return { name: fn.name, buffers: fn.buffers, dtypes, dims: fn.dims };
    }),
    copies: s.copies.map(c => ({ shared: c.shared, from: c.from, dtype: sharedType(c.shared).dtype, shape: [...sharedType(c.shared).shape] })),
    outputs: s.outputs.map(o => ({ name: o.name, buffer: o.buffer, dtype: o.value.type.dtype, shape: [...o.value.type.shape] })),
  };
}
