/**
 * @file Scalar expressions: a schedule Expr (schedule/types.ts) as one WGSL function of the
 * element's multi-index, `fn NAME(i0: i32, ..., [core: T]) -> T`. Loads read their binding through
 * the index map printed as index arithmetic; elementwise ops print through their op table entry's
 * `emit.wgsl` (this file holds no list of ops), index-function ops (arange, uniform) too, given
 * the flat index their map reads; a `dim` scalar is its size.
 */
import type { Dim } from '../../sema/dims.js';
import type { DType } from '../../sema/types.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { getPrimitive } from '../../ops/registry.js';
import type { IndexMap } from '../../schedule/index-map.js';
import type { Expr, Kernel, Value } from '../../schedule/types.js';
import { computeDType, fromStorage, literal, roundF16Text, valueType, type DimText } from './types.js';
import { indexVars, offsetLines as sharedOffsetLines, type IndexSyntax } from '../clike/index-text.js';

/** What an expression needs from its kernel: binding names of inputs and the dim printer. */
export interface ExprCx {
  readonly dim: DimText;
  /** The WGSL variable of kernel input `i`. */
  readonly input: (i: number) => string;
  readonly kernel: Kernel;
}

/** WGSL's spelling of index arithmetic (shared printer: backend/clike/index-text.ts). */
export const WGSL_INDEX: IndexSyntax = { decl: (name, e) => `let ${name} = ${e};`, zero: '0i' };

export { indexVars };

/** The flat buffer offset `map` gives for the multi-index `idx`, into `let <name>` (index-text.ts). */
export const offsetLines = (map: IndexMap, idx: readonly string[], name: string, dim: DimText): string[] =>
  sharedOffsetLines(map, idx, name, dim, WGSL_INDEX);

/** The dtype a value has (loads: the stored node's; scalars, sources and ops: their node's). */
function valueDtype(v: Value, k: Kernel, core: DType | null): DType {
  switch (v.kind) {
    case 'load': return k.inputs[v.input]!.value.type.dtype;
    case 'core': return core!;
    default: return v.node.type.dtype;
  }
}

/** `fn name(i0: i32, ..., [core: T]) -> T`: the expression at one element of its shape. */
export function exprFunction(name: string, e: Expr, cx: ExprCx, core: DType | null): string {
  const idx = indexVars(e.shape.length);
  const params = idx.map(v => `${v}: i32`);
  if (core !== null) params.push(`core: ${valueType(core)}`);
  const body: string[] = [];
  const types = e.values.map(v => valueDtype(v, cx.kernel, core));
  e.values.forEach((v, j) => {
    const t = types[j]!;
    let rhs: string;
    switch (v.kind) {
      case 'load': {
        body.push(...offsetLines(v.map, idx, `o${j}`, cx.dim));
        rhs = fromStorage(t, `${cx.input(v.input)}[o${j}]`);
        break;
      }
      case 'scalar':
        rhs = v.node.op === 'dim' ? `${cx.dim(v.node.attrs['dim'] as Dim)}` : literal(t, (v.node.attrs['value'] as NDArray).data[0]!);
        break;
      case 'source': {
        // An index function of the flat element index its map reads (arange: the index itself).
        body.push(...offsetLines(v.map, idx, `o${j}`, cx.dim));
        const printer = getPrimitive(v.node.op).emit?.wgsl;
        if (!printer) throw new Error(`${v.node.op} has no WGSL printer (support.ts should have rejected it)`);
        rhs = roundF16Text(t, printer([`o${j}`], computeDType(t), computeDType(t), v.node.attrs));
        break;
      }
      case 'op': {
        const op = getPrimitive(v.node.op);
        const printer = op.emit?.wgsl;
        if (!printer) throw new Error(`${v.node.op} has no WGSL printer (support.ts should have rejected it)`);
        const args = v.args.map(a => `v${a}`);
        // f16 operands and results are f32 registers: print in f32, round an f16 result once.
        rhs = roundF16Text(t, printer(args, computeDType(types[v.args[v.args.length - 1]!]!), computeDType(t), v.node.attrs));
        break;
      }
      case 'core':
        // A reduction or matmul accumulates f16 data in f32: its result is rounded here, once.
        rhs = roundF16Text(t, 'core');
        break;
    }
    body.push(`let v${j}: ${valueType(t)} = ${rhs};`);
  });
  const result = types[types.length - 1]!;
  return [`fn ${name}(${params.join(', ')}) -> ${valueType(result)} {`, ...body.map(l => `  ${l}`), `  return v${e.values.length - 1};`, '}'].join('\n');
}

/** The dtype an expression produces. */
export function exprDtype(e: Expr, k: Kernel, core: DType | null): DType {
  return valueDtype(e.values[e.values.length - 1]!, k, core);
}
