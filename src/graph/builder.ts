/**
 * @file Builder: the only way nodes are made. It applies an op's input promotion (numpy rules with
 * weak literals), runs its type rule, expands composites, and interns the result in a NodeTable.
 * Errors are reported to the sink at the builder's current span and yield a poisoned `error` node;
 * any op with a poisoned input is poisoned silently, so one mistake gives one diagnostic.
 */
import type { Span } from '../source/span.js';
import { sameSpan, syntheticSpan } from '../source/span.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { DiagArgs, DiagExtras } from '../diag/diagnostic.js';
import { fillTemplate } from '../diag/codes.js';
import { graphLabels } from '../diag/codes/graph.js';
import { type DType, type TensorType, promote, typeToString, tensorType, isFloat } from '../sema/types.js';
import type { Dim } from '../sema/dims.js';
import { getOp, type Attrs, type InferCx, type PrimitiveOp, type Promotion } from '../ops/registry.js';
import { type NDArray, fromNumbers, scalar as scalarArray } from '../runtime/ndarray.js';
import { createNodeTable, NO_ATTRS, type Node, type NodeTable } from './node.js';

export interface Builder {
  readonly sink: DiagnosticSink;
  readonly table: NodeTable;
  /** Span given to nodes built now (the expression being elaborated). */
  readonly span: Span;
  /** Runs f with `span` as the current span. */
  at<T>(span: Span, f: () => T): T;
  /**
   * Makes `span` the current span and returns the previous one, for hot callers that restore it
   * themselves in a `finally` (no closure per call, unlike `at`).
   */
  swapSpan(span: Span): Span;
  /**
   * Builds op `name` (primitive or composite) on inputs with attrs. `site` says where the
   * operation and its operands are written, for diagnostics: the nodes' own spans are where they
   * were first built (hash-consing shares them), not where this expression uses them.
   */
  op(name: string, inputs: readonly Node[], attrs?: Attrs, site?: OpSite): Node;
  /** A constant; `weak` marks a literal that adopts its partner's dtype. */
  constant(value: NDArray, weak?: boolean): Node;
  scalar(value: number, dtype: DType, weak?: boolean): Node;
  param(name: string, type: TensorType): Node;
  shared(name: string, type: TensorType): Node;
  /** The size of a dimension as an i32 scalar (`n` used as a value). */
  dim(d: Dim): Node;
  cast(x: Node, dtype: DType): Node;
  /** Reports at the current span and returns a poisoned node. */
  error(code: string, args: DiagArgs, extras?: DiagExtras): Node;
  poison(): Node;
}

/** Where an operation is written: the span for its errors, and each operand's span for labels. */
export interface OpSite {
  readonly primary?: Span;
  readonly inputs?: readonly (Span | undefined)[];
}

export const isPoison = (n: Node): boolean => n.op === 'error';

export function createBuilder(sink: DiagnosticSink, table: NodeTable = createNodeTable()): Builder {
  let span: Span = syntheticSpan();
  const poisonType = tensorType('f64', []);
  const { leaves, scalars } = leafCache(table);
  let poisonNode: Node | undefined;
  /** One InferCx, re-aimed before each type rule runs (rules use it synchronously, never keep it). */
  const cx = new PrimitiveCx(sink);

  const b: Builder = {
    sink,
    table,
    get span() { return span; },
    at(s, f) {
      const saved = span;
      span = s;
      try { return f(); } finally { span = saved; }
    },
    swapSpan(s) {
      const saved = span;
      span = s;
      return saved;
    },
    op(name, inputs, attrs = NO_ATTRS, site) {
      const def = getOp(name);
      if (!def) return b.error('TH0341', { op: name });
      for (let i = 0; i < inputs.length; i++) if (inputs[i]!.op === 'error') return b.poison();
      if (def.kind === 'composite') return def.expand(b, inputs, attrs);
      return buildPrimitive(def, inputs, attrs, site);
    },
    constant(value, weak = false) {
      return table.intern('const', [], { value }, tensorType(value.dtype, value.shape, weak), span);
    },
    scalar(value, dtype, weak = false) {
      // NaN (payloads) and -0 are not told apart by Map keys: those take the general path.
      if (value !== value || (value === 0 && 1 / value < 0)) return b.constant(scalarArray(dtype, value), weak);
      const group = weak ? `w${dtype}` : dtype;
      let byValue = scalars.get(group);
      if (!byValue) scalars.set(group, byValue = new Map());
      let node = byValue.get(value);
      if (!node) byValue.set(value, node = b.constant(scalarArray(dtype, value), weak));
      return node;
    },
    param(name, type) {
      return table.intern('param', [], { name }, type, span);
    },
    shared(name, type) {
      return table.intern('shared', [], { name }, type, span);
    },
    dim(d) {
      if (typeof d === 'number') return b.scalar(d, 'i32');
      const key = `d${d}`;
      let node = leaves.get(key);
      if (!node) leaves.set(key, node = table.intern('dim', [], { dim: d }, tensorType('i32', []), span));
      return node;
    },
    cast(x, dtype) {
      if (x.type.dtype === dtype && !x.type.weak) return x;
      if (x.op === 'const' && x.type.weak) {
        // A literal is re-typed, not converted at run time: `x + 1` with x: f32 stores 1 as f32.
        const v = x.attrs['value'] as NDArray;
        return v.shape.length === 0 ? b.scalar(v.data[0]!, dtype) : b.constant(fromNumbers(dtype, v.shape, v.data), false);
      }
      return b.op('cast', [x], { dtype });
    },
    error(code, args, extras) {
      sink.error(code, args, span, extras);
      return b.poison();
    },
    poison() {
      return poisonNode ??= table.intern('error', [], {}, poisonType, span);
    },
  };

  function buildPrimitive(def: PrimitiveOp, raw: readonly Node[], attrs: Attrs, site: OpSite | undefined): Node {
    let inputs = raw;
    let weakResult = false;
    const promoted = def.promote ? promotedInputs(def.promote, raw.length) : null;
    if (promoted && promoted.length > 0) {
      // Fold the promoted inputs' dtypes left to right (numpy rules with weak literals).
      const first = raw[promoted[0]!]!.type;
      const acc = { dtype: first.dtype, shape: NO_DIMS as readonly Dim[], weak: !!first.weak };
      for (let k = 1; k < promoted.length; k++) {
        const t = raw[promoted[k]!]!.type;
        // Two strong operands of one dtype: promote would answer that dtype, strong.
        if (!t.weak && !acc.weak && t.dtype === acc.dtype) continue;
        const next = promote(acc, t);
        if (!next) {
          sink.error('TH0340', { a: acc.dtype, b: t.dtype, op: def.name }, site?.primary ?? span);
          return b.poison();
        }
        acc.dtype = next.dtype;
        acc.weak = next.weak;
      }
      let dtype = acc.dtype;
      if (def.promote!.float && !isFloat(dtype)) dtype = 'f64';
      weakResult = acc.weak;
      // Converted in input order (node ids depend on the order nodes are built); the copy is made
      // only when some input actually changes.
      const all = def.promote!.inputs === 'all';
      let converted: Node[] | null = null;
      for (let i = 0; i < raw.length; i++) {
        if (!all && !promoted.includes(i)) continue;
        const x = raw[i]!;
        const c = weakResult ? (x.type.dtype === dtype ? x : retypeWeak(x, dtype)) : b.cast(x, dtype);
        if (c !== x) (converted ??= raw.slice())[i] = c;
      }
      if (converted) inputs = converted;
    }
    const types: TensorType[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) types[i] = inputs[i]!.type;
    const t = def.infer(types, attrs, cx.reset(site?.primary ?? span, raw, inputs, site?.inputs));
    if (!t) return b.poison();
    // A rule's fresh strong result is already what tensorType would build: reuse it.
    const type = weakResult ? tensorType(t.dtype, t.shape, true) : t.weak === undefined ? t : tensorType(t.dtype, t.shape);
    return table.intern(def.name, inputs, attrs, type, span);
  }

  /** A weak value combined only with other weak values keeps weakness but moves to the common dtype. */
  function retypeWeak(x: Node, dtype: DType): Node {
    if (x.op === 'const') {
      const v = x.attrs['value'] as NDArray;
      return v.shape.length === 0 ? b.scalar(v.data[0]!, dtype, true) : b.constant(fromNumbers(dtype, v.shape, v.data), true);
    }
    const c = b.op('cast', [x], { dtype });
    return isPoison(c) ? c : table.intern(c.op, c.inputs, c.attrs, tensorType(c.type.dtype, c.type.shape, true), c.span);
  }

  return b;
}

const NO_DIMS: readonly Dim[] = Object.freeze([]);

/**
 * Leaves already interned in a table, by a cheap key: the table maps a node's structure to one
 * node forever, so a repeated literal or dim need not rebuild its NDArray and interning key. Kept
 * per table, not per builder: every stage after `graph` makes its own builder on the same table.
 */
interface LeafCache {
  /** `d<dim>` -> the `dim` node. */
  readonly leaves: Map<string, Node>;
  /** Scalar literals by dtype (`w` prefix when weak), then by value. */
  readonly scalars: Map<string, Map<number, Node>>;
}

const leafCaches = new WeakMap<NodeTable, LeafCache>();

function leafCache(table: NodeTable): LeafCache {
  let c = leafCaches.get(table);
  if (!c) leafCaches.set(table, c = { leaves: new Map(), scalars: new Map() });
  return c;
}

/** The input positions a Promotion covers, ascending and in range (shared arrays: never mutated). */
const allInputs: number[][] = [];
function promotedInputs(p: Promotion, n: number): readonly number[] {
  if (p.inputs === 'all') {
    while (allInputs.length <= n) allInputs.push(Array.from({ length: allInputs.length }, (_, i) => i));
    return allInputs[n]!;
  }
  // Usually every listed input exists: the list itself is the answer, no copy.
  for (let k = 0; k < p.inputs.length; k++) if (p.inputs[k]! >= n) return p.inputs.filter(i => i < n);
  return p.inputs;
}

/**
 * The InferCx given to an op's type rule: errors at the operation's site, labels on its operands
 * where they are written (falling back to where each operand node was first built).
 */
class PrimitiveCx implements InferCx {
  span: Span = syntheticSpan();
  private raw: readonly Node[] = [];
  private inputs: readonly Node[] = [];
  private inputSpans: readonly (Span | undefined)[] | undefined;

  constructor(private readonly sink: DiagnosticSink) {}

  reset(span: Span, raw: readonly Node[], inputs: readonly Node[], inputSpans: readonly (Span | undefined)[] | undefined): this {
    this.span = span;
    this.raw = raw;
    this.inputs = inputs;
    this.inputSpans = inputSpans;
    return this;
  }

  inputSpan(i: number): Span {
    return this.inputSpans?.[i] ?? this.inputs[i]?.span ?? this.span;
  }

  error(code: string, args: DiagArgs, opts: { inputs?: readonly number[]; notes?: string[]; help?: string } = {}): undefined {
    const span = this.span;
    const secondary = (opts.inputs ?? [])
      .map(i => ({ span: this.inputSpan(i), message: fillTemplate(graphLabels.inputType, { type: typeToString(this.raw[i]!.type) }) }))
      .filter(l => !sameSpan(l.span, span));
    const extras: DiagExtras = { secondary };
    if (opts.notes) extras.notes = opts.notes;
    if (opts.help) extras.help = [{ message: opts.help }];
    this.sink.error(code, args, span, extras);
    return undefined;
  }
}
