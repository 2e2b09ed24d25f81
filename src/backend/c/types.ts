/**
 * @file The C backend's types, literals, names and sizes. Values are double, float, int32_t,
 * uint32_t and bool as uint8_t (0 or 1), stored as themselves: one byte per bool, like the
 * interpreter's arrays, so files and NDArrays move without conversion. Sizes and indices are
 * `long` (64-bit on the C targets thc supports) so no element count overflows. Every program
 * name goes through `mangle`, which keeps only ASCII letters and digits and escapes everything
 * else, so no `.th` name can become a C keyword, clash with thc's own names or inject text.
 */
import type { DType } from '../../sema/types.js';
import { cScalarType } from '../../ops/elementwise.js';
import type { IndexSyntax } from '../clike/index-text.js';

export type CDType = 'f64' | 'f32' | 'i32' | 'u32' | 'bool';

export const isCDType = (t: DType): t is CDType => t !== 'f16';

/** The C type of a value and of a buffer element. */
export function cType(t: DType): string {
  if (!isCDType(t)) throw new Error(`${t} has no C type (support.ts rejects it)`);
  return cScalarType(t);
}

/** Bytes per element in C (and in the harness files). */
export const cWidth = (t: DType): number => (t === 'f64' ? 8 : t === 'bool' ? 1 : 4);

/** C's spelling of index arithmetic for the shared printer (clike/index-text.ts). */
export const C_INDEX: IndexSyntax = { decl: (name, e) => `const long ${name} = ${e};`, zero: '0' };

/** Shortest decimal that reads back as the same double. */
function f64Text(v: number): string {
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A constant as C. Infinities and NaN come from math.h. */
export function literal(t: DType, v: number): string {
  switch (t) {
    case 'f64': case 'f32': {
      const cast = t === 'f32' ? '(float)' : '';
      if (Number.isNaN(v)) return `(${cast}NAN)`;
      if (v === Infinity) return `(${cast}INFINITY)`;
      if (v === -Infinity) return `(-${cast}INFINITY)`;
      if (Object.is(v, -0)) return `(${cast}-0.0)`;
      // An f32 constant is exactly a float: its double text converts back to it exactly.
      return v < 0 ? `(${cast}${f64Text(v)})` : `${cast}${f64Text(v)}`;
    }
    case 'i32': return v === -2147483648 ? '((int32_t)(-2147483647 - 1))' : `((int32_t)${v})`;
    case 'u32': return `${v >>> 0}u`;
    case 'bool': return v !== 0 ? '1' : '0';
    default: throw new Error(`no C literal for ${t}`);
  }
}

/** Names and symbolic sizes are spelled as in the other C-like CPU target (clike/names.ts). */
export { dimVar, mangle, symbolicDims } from '../clike/names.js';
