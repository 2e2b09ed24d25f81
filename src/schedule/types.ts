/**
 * @file The kernel schedule's data: what kernels.ts, buffers.ts and index.ts produce and what the
 * printers, the schedule executor (run.ts) and the future WGSL and C backends consume. One Schedule
 * per entry point: kernels in execution order, the buffer plan, and the final copy steps that
 * write shared-variable updates. Plain data over graph nodes; nothing here computes.
 */
import type { Node } from '../graph/node.js';
import type { Dim } from '../sema/dims.js';
import type { TensorType } from '../sema/types.js';
import type { KernelKind } from '../ops/registry.js';
import type { IndexMap, ViewStep } from './index-map.js';

export type { KernelKind } from '../ops/registry.js';

/**
 * One value of a kernel's expression, evaluated at every element of the expression's index space.
 * `load` reads a bound buffer through an index map; `scalar` is an inlined rank-0 constant or a
 * dimension size; `source` computes an index-function op (arange, uniform, normal) at the mapped
 * index; `op` applies an elementwise op to earlier values; `core` is the kernel's reduce/matmul
 * result at this element (epilogues only).
 */
export type Value =
  | { readonly kind: 'load'; readonly input: number; readonly map: IndexMap; readonly steps: readonly ViewStep[] }
  | { readonly kind: 'scalar'; readonly node: Node }
  | { readonly kind: 'source'; readonly node: Node; readonly map: IndexMap; readonly steps: readonly ViewStep[] }
  | { readonly kind: 'op'; readonly node: Node; readonly args: readonly number[] }
  | { readonly kind: 'core' };

/** An elementwise expression over one index space: values inputs-first; the last is the result. */
export interface Expr {
  readonly shape: readonly Dim[];
  readonly values: readonly Value[];
}

/** Where a kernel's lines come from: a file and the sorted, distinct line numbers. */
export interface SourceLines {
  readonly file: string;
  readonly lines: readonly number[];
}

/** A buffer a kernel reads: the value it holds (a graph node) and every map the kernel reads it through. */
export interface KernelInput {
  readonly value: Node;
  readonly buffer: number;
  readonly maps: readonly IndexMap[];
}

/** A buffer a kernel writes, through `map` (identity, or the slice of a concat's buffer). */
export interface KernelOutput {
  readonly value: Node;
  readonly buffer: number;
  readonly map: IndexMap;
}

export interface Kernel {
  /** Position in the schedule (execution order). */
  readonly index: number;
  /** `k3_sum_softplus_neg`: the index, then the core op and the fused ops, inputs first. */
  readonly name: string;
  readonly kind: KernelKind;
  /** The node whose value the kernel stores (for a concat part: the concat). */
  readonly root: Node;
  /** The reduce/matmul/gather/scatter/other node evaluated between `args` and `body`, if any. */
  readonly core: Node | null;
  /** For `concat` kernels: which operand this kernel writes into its slice. */
  readonly part: number | null;
  /** Every node the kernel computes (root, core, fused ops), topological order. */
  readonly members: readonly Node[];
  readonly inputs: readonly KernelInput[];
  readonly outputs: readonly KernelOutput[];
  /** The index space of the stored result (symbolic dims as the graph writes them). */
  readonly shape: readonly string[];
  /** The core's operands: a reduce's prologue, or one leaf read per matmul/gather/... operand. */
  readonly args: readonly Expr[];
  /** Elementwise work over `shape`: the whole kernel, or the epilogue after the core. */
  readonly body: Expr;
  readonly lines: readonly SourceLines[];
}

/**
 * param/shared/const: exist before the call (shared ones stay resident between calls); output:
 * an entry output's own buffer; temp: intermediates and update values, reused by liveness.
 */
export type BufferKind = 'param' | 'shared' | 'const' | 'output' | 'temp';

export interface Buffer {
  readonly id: number;
  readonly name: string;
  readonly kind: BufferKind;
  /** Bytes per element; a freed temp is reused only for the same width and element count. */
  readonly width: number;
  /** Symbolic element count (a canonical Dim string). */
  readonly count: string;
  /** The type it is created for: its first value's, or a shared variable's declared type. */
  readonly type: TensorType;
  /** The values it holds during a call, in order (one for everything but reused temps; none for a shared variable only written). */
  readonly values: readonly Node[];
}

/** End-of-call copy of an update value into its shared variable's buffer. */
export interface CopyStep {
  readonly shared: string;
  readonly from: number;
  readonly to: number;
}

export interface Schedule {
  readonly entry: string;
  readonly kernels: readonly Kernel[];
  readonly buffers: readonly Buffer[];
  /** Per kernel: temps whose value is dead after it (free for reuse from the next kernel on). */
  readonly releases: readonly (readonly number[])[];
  /** After every kernel: update values copied into the shared buffers, in update order. */
  readonly copies: readonly CopyStep[];
  /** Entry outputs in order, and the buffer each is read back from. */
  readonly outputs: readonly { readonly name: string; readonly value: Node; readonly buffer: number }[];
  /** Parameters by name and their buffers. */
  readonly params: readonly { readonly name: string; readonly buffer: number }[];
}

export interface ScheduleOptions {
  /** The most storage buffers (inputs + outputs) one kernel may bind: WebGPU's default is 8. */
  readonly maxBuffers?: number;
  /**
   * The most elementwise ops a value may have to be recomputed in each kernel that uses it
   * instead of being stored (0: always store a value two kernels use). Default 2.
   */
  readonly maxRecompute?: number;
}

export const DEFAULT_MAX_BUFFERS = 8;
export const DEFAULT_MAX_RECOMPUTE = 2;
