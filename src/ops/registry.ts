/**
 * @file The op table: every op declared once with its surface signature, type/shape rule and
 * reference kernel (later: gradient rule, per-target emitters, decomposition).
 * Op families (elementwise.ts, reduce.ts, shape.ts, linalg.ts, random.ts, source.ts) call `defineOp`
 * at import time; `ops/index.ts` imports them all, so importing it fills the table.
 * Consumers (sema, builder, interpreter, printers, backends) only ever call `getOp`/`allOps`.
 */
import type { Span } from '../source/span.js';
import type { DiagArgs } from '../diag/diagnostic.js';
import type { DType, TensorType } from '../sema/types.js';
import type { Dim } from '../sema/dims.js';
import type { NDArray } from '../runtime/ndarray.js';
import type { Node } from '../graph/node.js';
import type { Builder } from '../graph/builder.js';
import type { ViewStep } from '../schedule/index-map.js';

/**
 * A static attribute value. Dims may be symbolic strings (see sema/dims.ts); an NDArray appears
 * only as the payload of `const`.
 */
export type AttrValue = number | boolean | string | null | NDArray | readonly AttrValue[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/**
 * How a call argument is read. Tensor kinds become graph inputs (in parameter order); every other
 * kind must be known at compile time and becomes an attribute under the parameter's name.
 * - tensor: any expression; literals stay weak.        - tensors: `[a, b, ...]` list of tensors (concat).
 * - int / float / bool / string: a compile-time constant.
 * - axes: an int, a tuple of ints, or null -> number[] | null (negative values allowed; the op normalises).
 * - dtype: a dtype name (`f32`) -> DType string.
 * - shape: `[d0, d1]` of compile-time integers or dimension expressions (`b * n`) -> Dim[].
 * - dim: one compile-time integer or dimension expression -> Dim (arange(n)).
 */
export type ParamKind = 'tensor' | 'tensors' | 'int' | 'float' | 'bool' | 'string' | 'axes' | 'dtype' | 'shape' | 'dim';

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** Present when the parameter may be omitted. Tensor params cannot have defaults. */
  readonly default?: AttrValue;
}

export interface OpFlags {
  readonly elementwise?: true;
  readonly commutative?: true;
  readonly associative?: true;
  readonly differentiable?: false;
}

/**
 * Input promotion applied by the builder *before* `infer`: the listed inputs are converted to one
 * common dtype (numpy rules with weak literals, sema/types.ts `promote`) by inserting `cast` nodes or
 * re-typing weak constants. With `float: true`, an integer/bool common dtype becomes f64 (like numpy's
 * exp(int) -> float64). So kernels always see the listed inputs in one dtype, and the result of an op
 * whose promoted inputs are all weak literals stays weak.
 */
export interface Promotion {
  readonly inputs: readonly number[] | 'all';
  readonly float?: boolean;
}

/** Given to `infer`: report errors at the call being built, naming the inputs' types. */
export interface InferCx {
  /** The span of the call/operator being type-checked. */
  readonly span: Span;
  /** Span of input i (for labels). */
  inputSpan(i: number): Span;
  /**
   * Reports a diagnostic (code from the catalog, args fill its template) at the call; each index in
   * `inputs` adds a secondary label on that input showing its type. Always returns undefined so
   * rules can `return cx.error(...)`.
   */
  error(code: string, args: DiagArgs, opts?: { inputs?: readonly number[]; notes?: string[]; help?: string }): undefined;
}

/**
 * The kernel kinds of the schedule (src/schedule/, docs/schedule.md). An op's kind says what kernel
 * a node of it heads when it is not fused into another kernel.
 */
export type KernelKind = 'elementwise' | 'reduce' | 'matmul' | 'gather' | 'scatter' | 'concat' | 'other';

/**
 * How the kernel scheduler treats an op (src/schedule/). Elementwise ops (flags.elementwise) need
 * nothing here; every other primitive states its facts, so the scheduler holds no list of op names.
 * - kernel: the kind of kernel a node of the op gets (its elementwise producers fuse into a
 *   `reduce` as a prologue, `reduce` and `matmul` take same-shape elementwise consumers as an
 *   epilogue, `concat` writes each operand into its slice; the others read their operands as
 *   stored buffers, through views).
 * - source: the value of each element is a function of its index alone (arange, the
 *   counter-based random ops): fused into every consumer like a constant, never stored unless it
 *   is an output.
 * - view: the node is index arithmetic on its input, never a kernel; `undefined` when this node
 *   cannot be one (then it gets a kernel of kind `kernel`, default `other`).
 */
export interface ScheduleFacts {
  readonly kernel?: KernelKind;
  readonly source?: true;
  view?(node: Node): ViewStep | undefined;
}

/** Given to `eval`: the run-time sizes of dimension names, for attributes holding symbolic Dims. */
export interface EvalCx {
  readonly dims: ReadonlyMap<string, number>;
  /** Evaluates a Dim attribute (throws an internal error if unbound). */
  dim(d: Dim): number;
}

/**
 * A scalar printer: the operands' expressions (already of the operands' dtype `t`, after promotion)
 * to an expression of the result dtype `out`. For an index-function op (`schedule.source`) the one
 * argument is the element's flat index (i32) and `attrs` are the node's. WGSL printers may call the
 * `thc_*` helper functions of src/backend/wgsl/prelude.ts (the backend includes the ones a module
 * uses).
 */
export type ScalarEmit = (args: readonly string[], t: DType, out: DType, attrs: Attrs) => string;

interface OpCommon {
  readonly name: string;
  /** Exposed to `.th` programs under `name`. Internal ops (param, const, cast-like helpers) are not. */
  readonly builtin: boolean;
  /** The surface signature used to read call arguments (positional or by name). */
  readonly params: readonly ParamSpec[];
  /** One line for `--help`, docs and printers. */
  readonly doc: string;
}

export interface PrimitiveOp extends OpCommon {
  readonly kind: 'primitive';
  readonly flags?: OpFlags;
  readonly promote?: Promotion;
  /** Result type from input types (after promotion) and attrs; report and return undefined on error. */
  infer(inputs: readonly TensorType[], attrs: Attrs, cx: InferCx): TensorType | undefined;
  /** Reference kernel: exact dtype semantics (f32 rounding, i32 wrap-around). Never mutates inputs. */
  eval(inputs: readonly NDArray[], attrs: Attrs, cx: EvalCx): NDArray;
  /** Gradient rule (issue 3): one entry per input, null where there is none. */
  grad?(g: Node, node: Node, b: Builder): (Node | null)[];
  /** Scalar printers per target (issues 4, 5): elementwise and index-function ops. */
  readonly emit?: Partial<Record<'c' | 'wgsl' | 'js', ScalarEmit>>;
  /** Decomposition for targets that lack an emitter. */
  lower?(node: Node, b: Builder): Node;
  /** Kernel-scheduler facts (see ScheduleFacts); elementwise ops need none. */
  readonly schedule?: ScheduleFacts;
}

/** A derived builtin (mean, dot, outer, stack, clip, ...): built from other ops, no kernel of its own. */
export interface CompositeOp extends OpCommon {
  readonly kind: 'composite';
  /** Builds the composition. May report via b.error and return b.poison(). */
  expand(b: Builder, inputs: readonly Node[], attrs: Attrs): Node;
}

export type OpDef = PrimitiveOp | CompositeOp;

const table = new Map<string, OpDef>();

export function defineOp<T extends OpDef>(def: T): T {
  if (table.has(def.name)) throw new Error(`op ${def.name} is defined twice`);
  table.set(def.name, def);
  return def;
}

export function getOp(name: string): OpDef | undefined {
  return table.get(name);
}

export function getPrimitive(name: string): PrimitiveOp {
  const op = table.get(name);
  if (!op || op.kind !== 'primitive') throw new Error(`no primitive op named ${name}`);
  return op;
}

export function allOps(): OpDef[] {
  return [...table.values()];
}

/** Names visible to `.th` programs (for name resolution and suggestions). */
export function builtinNames(): string[] {
  return allOps().filter(o => o.builtin).map(o => o.name);
}
