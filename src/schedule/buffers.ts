/**
 * @file The buffer plan of one entry point. Consumes the kernel drafts in execution order and the
 * graph's params, outputs and updates; produces the buffers, the buffer of every value each kernel
 * reads and writes, the per-kernel releases and the final copy steps.
 * - params, shared variables and constant arrays are external buffers (shared ones are resident
 *   between calls and written only by the copy steps);
 * - every entry output gets a buffer of its own, never reused;
 * - every other stored value gets a temp; a temp whose value is dead (its last reader ran) is
 *   reused for a later value of the same byte width and the same symbolic element count;
 * - an update value is computed into a temp that stays live until the end, then copied into its
 *   shared variable after every kernel, so no kernel reads a shared variable already updated.
 * A kernel's output is allocated before the temps it frees, so no kernel binds one buffer as both
 * an input and an output (WebGPU forbids it).
 */
import type { Node } from '../graph/node.js';
import type { Graph } from '../graph/graph.js';
import { dimMul, type Dim } from '../sema/dims.js';
import type { DType, TensorType } from '../sema/types.js';
import type { Roles } from './roles.js';
import type { KernelDraft } from './body.js';
import type { Buffer, BufferKind, CopyStep } from './types.js';

/** Bytes per element as stored: bool is one byte (a WGSL backend widens it when it legalizes types). */
export const BYTE_WIDTH: Readonly<Record<DType, number>> = { f64: 8, f32: 4, i32: 4, u32: 4, f16: 2, bool: 1 };

export interface BufferPlan {
  readonly buffers: readonly Buffer[];
  /** Per kernel: the buffer of each input value, in the kernel's input order. */
  readonly inputs: readonly (readonly number[])[];
  /** Per kernel: the buffer it writes. */
  readonly outputs: readonly number[];
  readonly releases: readonly (readonly number[])[];
  readonly copies: readonly CopyStep[];
  /** Entry outputs, in order. */
  readonly results: readonly { readonly name: string; readonly value: Node; readonly buffer: number }[];
  readonly params: readonly { readonly name: string; readonly buffer: number }[];
}

/** Symbolic element count of a shape, as the canonical Dim text. */
export const elementCount = (shape: readonly Dim[]): string => String(shape.reduce<Dim>((p, d) => dimMul(p, d), 1));

interface MutableBuffer {
  id: number; name: string; kind: BufferKind; width: number; count: string; type: TensorType; values: Node[];
}

/** An update as the plan needs it: the variable, its declared type, the value written. */
export interface PlannedUpdate {
  readonly name: string;
  readonly type: TensorType;
  readonly node: Node;
}

/** The buffers being planned, with unique names; external ones are made once per variable or constant. */
function bufferTable() {
  const buffers: MutableBuffer[] = [];
  const names = new Set<string>();
  const external = new Map<string | Node, number>();
  let consts = 0, temps = 0;
  const create = (kind: BufferKind, base: string, type: TensorType, value: Node | null): number => {
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
    names.add(name);
    buffers.push({
      id: buffers.length, name, kind, width: BYTE_WIDTH[type.dtype], count: elementCount(type.shape), type,
      values: value ? [value] : [],
    });
    return buffers.length - 1;
  };
  const once = (key: string | Node, make: () => number): number => {
    let b = external.get(key);
    if (b === undefined) external.set(key, b = make());
    return b;
  };
  return {
    buffers,
    /** A parameter's, shared variable's or constant array's buffer (by name; constants by node). */
    external: (n: Node): number => (n.op === 'const'
      ? once(n, () => create('const', `const${consts++}`, n.type, n))
      : once(`${n.op}:${String(n.attrs['name'])}`, () => create(n.op === 'param' ? 'param' : 'shared', String(n.attrs['name']), n.type, n))),
    shared: (u: PlannedUpdate): number => once(`shared:${u.name}`, () => create('shared', u.name, u.type, null)),
    output: (name: string, v: Node): number => create('output', `out_${name}`, v.type, v),
    temp: (v: Node): number => create('temp', `t${temps++}`, v.type, v),
  };
}

export function planBuffers(g: Graph, updates: readonly PlannedUpdate[], kernels: readonly KernelDraft[], roles: Roles): BufferPlan {
  const table = bufferTable();
  // Numbered in a readable order: params, what the kernels read, updated variables, outputs, temps.
  const params = g.params.map(p => ({ name: p.name, buffer: table.external(p.node) }));
  for (const k of kernels) for (const x of k.inputs) if (roles.of(x.value).kind === 'buffer') table.external(x.value);
  for (const u of updates) table.shared(u);
  // Entry outputs get their own buffers (a value returned twice shares one).
  const produced = new Map<Node, number>();
  for (const o of g.outputs) if (!produced.has(o.node)) produced.set(o.node, table.output(o.name, o.node));
  const readBuffer = (n: Node): number => (roles.of(n).kind === 'buffer' ? table.external(n) : produced.get(n)!);
  const live = assignTemps(kernels, new Set(updates.map(u => u.node)), table.buffers, produced, readBuffer, table.temp);
  // After every kernel: the resident variables change only here.
  const copies: CopyStep[] = updates.map(u => ({ shared: u.name, from: produced.get(u.node)!, to: table.shared(u) }));
  return {
    buffers: table.buffers, ...live, copies, params,
    results: g.outputs.map(o => ({ name: o.name, value: o.node, buffer: produced.get(o.node)! })),
  };
}

/**
 * Liveness: walks the kernels in order, giving each result without a buffer a free temp of its
 * width and element count (or a new one), then freeing the temps whose value this kernel read
 * last. Update values (`pinned`) are never freed: the copy steps read them at the end.
 */
function assignTemps(kernels: readonly KernelDraft[], pinned: ReadonlySet<Node>, buffers: MutableBuffer[], produced: Map<Node, number>,
  readBuffer: (n: Node) => number, newTemp: (v: Node) => number): Pick<BufferPlan, 'inputs' | 'outputs' | 'releases'> {
  const lastRead = new Map<Node, number>();
  kernels.forEach((k, i) => { for (const x of k.inputs) lastRead.set(x.value, i); });
  const pool = new Map<string, number[]>();
  const inputs: number[][] = [], outputs: number[] = [], releases: number[][] = [];
  kernels.forEach((k, i) => {
    inputs.push(k.inputs.map(x => readBuffer(x.value)));
    const v = k.output.value;
    let out = produced.get(v);
    if (out === undefined) {
      out = takeTemp(pool, buffers, v) ?? newTemp(v);
      produced.set(v, out);
    }
    outputs.push(out);
    // Freed only now: the output above was allocated while they were still live.
    const freed: number[] = [];
    for (const x of k.inputs) {
      const b = readBuffer(x.value);
      if (lastRead.get(x.value) !== i || buffers[b]!.kind !== 'temp' || pinned.has(x.value)) continue;
      freed.push(b);
      const key = poolKey(buffers[b]!);
      pool.set(key, [...(pool.get(key) ?? []), b].sort((a, c) => a - c));
    }
    releases.push(freed);
  });
  return { inputs, outputs, releases };
}

const poolKey = (b: { width: number; count: string }): string => `${b.width}:${b.count}`;

/** Reuses the lowest-numbered free temp of the same byte width and element count. */
function takeTemp(pool: Map<string, number[]>, buffers: MutableBuffer[], v: Node): number | undefined {
  const free = pool.get(poolKey({ width: BYTE_WIDTH[v.type.dtype], count: elementCount(v.type.shape) }));
  const b = free?.shift();
  if (b === undefined) return undefined;
  buffers[b]!.values.push(v);
  return b;
}
