/**
 * @file The host plan: everything the WGSL host runtime (runtime.ts) needs to run a program's
 * entry points, as plain JSON-able data (types only; plan-build.ts makes one from schedules). Sizes
 * are Dims: a number, or a polynomial over dimension names written as a string (`n`, `b*n`,
 * `2*n-1`, src/sema/dims.ts), which the runtime evaluates once the call's arguments bind the names.
 */

export type PlanDim = number | string;

/**
 * The dtypes a plan holds: every element is 4 bytes on the GPU (bool as u32, f16 as an f32 holding
 * an f16-rounded value, a Float32Array on the host).
 */
export type PlanDType = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

/** A WGSL module of the plan, sizes as `override dim_<name>: i32` constants. */
export interface PlanShader {
  readonly wgsl: string;
  /** The dimension names the WGSL declares as overrides (`n` for `dim_n`). */
  readonly overrides: readonly string[];
}

/**
 * A binding of a pass: an entry buffer index, or `{ scratch: j }`, the form's j-th scratch buffer.
 * The last binding of a pass is written; the others are read.
 */
export type PlanBinding = number | { readonly scratch: number };

/** One dispatch of a kernel form. */
export interface PlanPass {
  /** Its WGSL: an index into HostPlan.shaders, or -1 when the host bakes sizes into the text (thc run's `textFor`). */
  readonly shader: number;
  /** Workgroups: the product of ceil(size / per) (kernel.ts KernelForm). */
  readonly grid: readonly (readonly [PlanDim, number])[];
  readonly bindings: readonly PlanBinding[];
}

/**
 * One form of a kernel (matmul: blocked, tiled, simple; a reduction: split in two passes with so
 * many partial results per output, or one pass): used for the first form whose `when` holds.
 */
export interface PlanForm {
  /** (size, minimum) pairs that must all hold; a maximum is written (cap - size, 0). */
  readonly when: readonly (readonly [PlanDim, number])[];
  /** Dispatched in order. */
  readonly passes: readonly PlanPass[];
  /** Buffers the kernel owns for this form (a split reduction's partial results). */
  readonly scratch: readonly { readonly dtype: PlanDType; readonly count: PlanDim }[];
  /** Override constants the form's shaders need besides the sizes (`split_parts`). */
  readonly constants: Readonly<Record<string, number>>;
}

export interface PlanKernel {
  readonly name: string;
  readonly forms: readonly PlanForm[];
}

export interface PlanBuffer {
  readonly name: string;
  readonly kind: 'param' | 'shared' | 'const' | 'output' | 'temp';
  readonly dtype: PlanDType;
  /** Elements. */
  readonly count: PlanDim;
  /** A const buffer's contents: base64 of its little-endian GPU bytes. */
  readonly init?: string;
}

export interface PlanParam {
  readonly name: string;
  readonly dtype: PlanDType;
  readonly shape: readonly PlanDim[];
  /** Its buffer, or -1 when no kernel reads it (its shape still binds sizes). */
  readonly buffer: number;
  /** The declared default's elements (C order), when it has one. */
  readonly default?: readonly number[];
}

export interface PlanOutput {
  readonly name: string;
  readonly buffer: number;
  readonly dtype: PlanDType;
  readonly shape: readonly PlanDim[];
}

export interface PlanEntry {
  readonly name: string;
  readonly params: readonly PlanParam[];
  /** Sizes the kernels take to be equal where `_` dimensions meet (schedule/assumptions.ts). */
  readonly equalSizes: readonly (readonly [PlanDim, PlanDim])[];
  readonly buffers: readonly PlanBuffer[];
  readonly kernels: readonly PlanKernel[];
  /** End-of-call copies of update values into shared buffers (buffer indices). */
  readonly copies: readonly { readonly from: number; readonly to: number }[];
  readonly outputs: readonly PlanOutput[];
}

export interface PlanShared {
  readonly name: string;
  readonly dtype: PlanDType;
  readonly shape: readonly number[];
  /** The initial value: base64 of its little-endian GPU bytes (absent: zeros, or the host supplies it). */
  readonly init?: string;
}

export interface HostPlan {
  /** The .th file's base name, for labels and messages. */
  readonly program: string;
  /** Every distinct WGSL module of the entries' forms (empty when the host bakes sizes into the text). */
  readonly shaders: readonly PlanShader[];
  readonly entries: readonly PlanEntry[];
  readonly shared: readonly PlanShared[];
}
