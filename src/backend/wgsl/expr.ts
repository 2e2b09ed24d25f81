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
import { fromStorage, literal, valueType, type DimText } from './types.js';

/** What an expression needs from its kernel: binding names of inputs and the dim printer. */
export interface ExprCx {
  readonly dim: DimText;
  /** The WGSL variable of kernel input `i`. */
  readonly input: (i: number) => string;
  readonly kernel: Kernel;
}

/** Index variables `i0..i{rank-1}`. */
export const indexVars = (rank: number, prefix = 'i'): string[] => Array.from({ length: rank }, (_, k) => `${prefix}${k}`);

/**
 * Statements computing the flat buffer offset that `map` gives for the multi-index `idx` (the map's
 * read space), into `let <name>`. The top view is strided; each view below it unravels the flat
 * C-order index of its own shape (index-map.ts's stack).
 */
export function offsetLines(map: IndexMap, idx: readonly string[], name: string, dim: DimText): string[] {
  const views = map.views;
  const top = views[views.length - 1]!;
  const lines: string[] = [];
  const terms = strided(top.shape, top.strides, idx, dim);
  lines.push(`let ${name}_${views.length - 1} = ${sum(dim(top.offset), terms)};`);
  for (let k = views.length - 2; k >= 0; k--) {
    const v = views[k]!;
    const flat = `${name}_${k + 1}`;
    const parts: string[] = [];
    let inner = '';
    for (let ax = v.shape.length - 1; ax >= 0; ax--) {
      const d = dim(v.shape[ax]!);
      const q = inner === '' ? flat : `(${flat} / ${inner})`;
      // An empty axis (d is 0) has no element to read: leave its term out (WGSL rejects % 0).
      if (!isZero(v.strides[ax]!) && !isOne(v.shape[ax]!) && d !== '0i') parts.push(`((${q} % ${d}) * ${dim(v.strides[ax]!)})`);
      inner = inner === '' ? d : `${inner} * ${d}`;
    }
    lines.push(`let ${name}_${k} = ${sum(dim(v.offset), parts.reverse())};`);
  }
  lines.push(`let ${name} = ${name}_0;`);
  return lines;
}

const isZero = (d: Dim): boolean => d === 0;
const isOne = (d: Dim): boolean => d === 1;

function strided(shape: readonly Dim[], strides: readonly Dim[], idx: readonly string[], dim: DimText): string[] {
  const terms: string[] = [];
  shape.forEach((d, k) => {
    const s = strides[k]!;
    if (isZero(s) || isOne(d)) return;
    terms.push(isOne(s) ? idx[k]! : `${idx[k]} * ${dim(s)}`);
  });
  return terms;
}

function sum(base: string, terms: readonly string[]): string {
  const parts = base === '0i' ? [...terms] : [base, ...terms];
  return parts.length === 0 ? '0i' : parts.join(' + ');
}

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
        rhs = printer([`o${j}`], t, t, v.node.attrs);
        break;
      }
      case 'op': {
        const op = getPrimitive(v.node.op);
        const printer = op.emit?.wgsl;
        if (!printer) throw new Error(`${v.node.op} has no WGSL printer (support.ts should have rejected it)`);
        const args = v.args.map(a => `v${a}`);
        rhs = printer(args, types[v.args[v.args.length - 1]!]!, t, v.node.attrs);
        break;
      }
      case 'core':
        rhs = 'core';
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
