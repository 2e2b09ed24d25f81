/**
 * @file Builder: the only way nodes are made. It applies an op's input promotion (numpy rules with
 * weak literals), runs its type rule, expands composites, and interns the result in a NodeTable.
 * Errors are reported to the sink at the builder's current span and yield a poisoned `error` node;
 * any op with a poisoned input is poisoned silently, so one mistake gives one diagnostic.
 */
import type { Span } from '../source/span.js';
import { syntheticSpan } from '../source/span.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { DiagArgs, DiagExtras } from '../diag/diagnostic.js';
import { type DType, type TensorType, promote, typeToString, tensorType, isFloat } from '../sema/types.js';
import type { Dim } from '../sema/dims.js';
import { getOp, type Attrs, type InferCx, type PrimitiveOp } from '../ops/registry.js';
import { type NDArray, fromNumbers, scalar as scalarArray } from '../runtime/ndarray.js';
import { createNodeTable, type Node, type NodeTable } from './node.js';

export interface Builder {
  readonly sink: DiagnosticSink;
  readonly table: NodeTable;
  /** Span given to nodes built now (the expression being elaborated). */
  readonly span: Span;
  /** Runs f with `span` as the current span. */
  at<T>(span: Span, f: () => T): T;
  /** Builds op `name` (primitive or composite) on inputs with attrs. */
  op(name: string, inputs: readonly Node[], attrs?: Attrs): Node;
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

export const isPoison = (n: Node): boolean => n.op === 'error';

export function createBuilder(sink: DiagnosticSink, table: NodeTable = createNodeTable()): Builder {
  let span: Span = syntheticSpan();
  const poisonType = tensorType('f64', []);

  const b: Builder = {
    sink,
    table,
    get span() { return span; },
    at(s, f) {
      const saved = span;
      span = s;
      try { return f(); } finally { span = saved; }
    },
    op(name, inputs, attrs = {}) {
      const def = getOp(name);
      if (!def) return b.error('TH0341', { op: name });
      if (inputs.some(isPoison)) return b.poison();
      if (def.kind === 'composite') return def.expand(b, inputs, attrs);
      return buildPrimitive(def, inputs, attrs);
    },
    constant(value, weak = false) {
      return table.intern('const', [], { value }, tensorType(value.dtype, value.shape, weak), span);
    },
    scalar(value, dtype, weak = false) {
      return b.constant(scalarArray(dtype, value), weak);
    },
    param(name, type) {
      return table.intern('param', [], { name }, type, span);
    },
    shared(name, type) {
      return table.intern('shared', [], { name }, type, span);
    },
    dim(d) {
      if (typeof d === 'number') return b.scalar(d, 'i32');
      return table.intern('dim', [], { dim: d }, tensorType('i32', []), span);
    },
    cast(x, dtype) {
      if (x.type.dtype === dtype && !x.type.weak) return x;
      if (x.op === 'const' && x.type.weak) {
        // A literal is re-typed, not converted at run time: `x + 1` with x: f32 stores 1 as f32.
        const v = x.attrs['value'] as NDArray;
        return b.constant(fromNumbers(dtype, v.shape, v.data), false);
      }
      return b.op('cast', [x], { dtype });
    },
    error(code, args, extras) {
      sink.error(code, args, span, extras);
      return b.poison();
    },
    poison() {
      return table.intern('error', [], {}, poisonType, span);
    },
  };

  function buildPrimitive(def: PrimitiveOp, raw: readonly Node[], attrs: Attrs): Node {
    let inputs = raw;
    let weakResult = false;
    if (def.promote) {
      const idx = def.promote.inputs === 'all' ? raw.map((_, i) => i) : def.promote.inputs.filter(i => i < raw.length);
      if (idx.length > 0) {
        let common: { dtype: DType; weak: boolean } | undefined = { dtype: raw[idx[0]!]!.type.dtype, weak: !!raw[idx[0]!]!.type.weak };
        for (const i of idx.slice(1)) {
          const t = raw[i]!.type;
          const next: { dtype: DType; weak: boolean } | undefined = promote({ ...tensorType(common.dtype), weak: common.weak }, t);
          if (!next) {
            return b.error('TH0340', { a: common.dtype, b: t.dtype, op: def.name });
          }
          common = next;
        }
        let dtype = common.dtype;
        if (def.promote.float && !isFloat(dtype)) dtype = 'f64';
        weakResult = common.weak;
        inputs = raw.map((x, i) => {
          if (!idx.includes(i)) return x;
          if (weakResult) return x.type.dtype === dtype ? x : retypeWeak(x, dtype);
          return b.cast(x, dtype);
        });
      }
    }
    const cx: InferCx = {
      span,
      inputSpan: i => inputs[i]?.span ?? span,
      error(code, args, opts = {}) {
        const secondary = (opts.inputs ?? []).map(i => ({ span: raw[i]!.span, label: `this is ${typeToString(raw[i]!.type)}` }))
          .filter(l => l.span.file !== span.file || l.span.start !== span.start || l.span.end !== span.end)
          .map(l => ({ span: l.span, message: l.label }));
        const extras: DiagExtras = { secondary };
        if (opts.notes) extras.notes = opts.notes;
        if (opts.help) extras.help = [{ message: opts.help }];
        sink.error(code, args, span, extras);
        return undefined;
      },
    };
    const t = def.infer(inputs.map(x => x.type), attrs, cx);
    if (!t) return b.poison();
    const type = weakResult ? tensorType(t.dtype, t.shape, true) : tensorType(t.dtype, t.shape);
    return table.intern(def.name, inputs, attrs, type, span);
  }

  /** A weak value combined only with other weak values keeps weakness but moves to the common dtype. */
  function retypeWeak(x: Node, dtype: DType): Node {
    if (x.op === 'const') {
      const v = x.attrs['value'] as NDArray;
      return b.constant(fromNumbers(dtype, v.shape, v.data), true);
    }
    const c = b.op('cast', [x], { dtype });
    return isPoison(c) ? c : table.intern(c.op, c.inputs, c.attrs, tensorType(c.type.dtype, c.type.shape, true), c.span);
  }

  return b;
}
