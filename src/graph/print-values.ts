/**
 * @file Value formatting for the graph printers: constants and attributes as short, stable text,
 * and NDArrays as JSON (nested lists like numpy's tolist(), NaN/Infinity as strings).
 * Numbers print as the shortest decimal that reads back to the same value in the array's dtype,
 * so an f32 0.1 prints `0.1`, not `0.10000000149011612`.
 */
import type { DType } from '../sema/types.js';
import { isNDArray, sizeOf, type NDArray } from '../runtime/ndarray.js';
import { arrayToTypedJson } from '../runtime/json-value.js';
import { shortestDigits } from '../runtime/dragon4.js';
import { dimToString, type Dim } from '../sema/dims.js';
import type { AttrValue } from '../ops/registry.js';

/** Arrays with at most this many elements print in full; larger ones are summarised. */
export const INLINE_ELEMENTS = 8;

/** One element: ints as integers, floats always with a `.` or exponent, `nan`/`inf` like numpy. */
export function formatNumber(x: number, dtype: DType): string {
  if (dtype === 'bool') return x ? 'true' : 'false';
  if (dtype === 'i32' || dtype === 'u32') return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0.0';
  // The shortest decimal that reads back to x in its own dtype (f32 0.1 prints `0.1`).
  const text = dtype === 'f64' ? String(x) : String(Number(shortestDigits(x, dtype)));
  return /[.en]/.test(text) ? text : `${text}.0`;
}

function nested(a: NDArray, f: (x: number) => string): string {
  if (a.shape.length === 0) return f(a.data[0]!);
  let at = 0;
  const walk = (axis: number): string => {
    const items: string[] = [];
    for (let i = 0; i < a.shape[axis]!; i++) items.push(axis === a.shape.length - 1 ? f(a.data[at++]!) : walk(axis + 1));
    return `[${items.join(', ')}]`;
  };
  return walk(0);
}

/**
 * A constant: scalars by value, small arrays as nested lists, large ones as
 * `const(f64[1000]: 0.0, 1.0, 2.0, ..., 999.0)`.
 */
export function formatConst(a: NDArray): string {
  const f = (x: number) => formatNumber(x, a.dtype);
  const n = sizeOf(a.shape);
  if (n <= INLINE_ELEMENTS) return nested(a, f);
  const head = Array.from(a.data.subarray(0, 3), f);
  return `const(${a.dtype}[${a.shape.join(', ')}]: ${head.join(', ')}, ..., ${f(a.data[n - 1]!)})`;
}

/** An attribute value as it appears in `op(x, axis=[1], keepdims=true)`. */
export function formatAttr(v: AttrValue): string {
  if (v === null) return 'none';
  if (isNDArray(v)) return formatConst(v);
  if (Array.isArray(v)) return `[${v.map(formatAttr).join(', ')}]`;
  return String(v);
}

/** Attribute values as JSON (Dims stay numbers or strings; NDArrays become `{dtype, shape, data}`). */
export function attrToJson(v: AttrValue): unknown {
  if (isNDArray(v)) return arrayToTypedJson(v);
  if (Array.isArray(v)) return v.map(attrToJson);
  return v;
}

export const shapeToJson = (shape: readonly Dim[]): (number | string)[] =>
  shape.map(d => (typeof d === 'number' ? d : dimToString(d)));
