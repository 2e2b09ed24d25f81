/**
 * @file dtypes, dimensions and tensor types, with numpy's promotion rules and weak literals.
 * Consumed by the op table's type rules, sema and every backend. Pure data and functions.
 */
import { type Dim, dimToString } from './dims.js';

export type { Dim } from './dims.js';

export const DTYPES = ['f16', 'f32', 'f64', 'i32', 'u32', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}
export const isFloat = (t: DType): boolean => t === 'f16' || t === 'f32' || t === 'f64';
export const isInt = (t: DType): boolean => t === 'i32' || t === 'u32';

/** numpy's name for each dtype, used in printing (`dtype=float32`) and in .npy headers. */
export const NUMPY_NAME: Record<DType, string> = {
  f16: 'float16', f32: 'float32', f64: 'float64', i32: 'int32', u32: 'uint32', bool: 'bool',
};

/**
 * A static tensor type. `weak` marks a value that came only from literals (`2`, `1.5`, `2 * 3`):
 * it takes the dtype of the tensor it combines with, like numpy's Python scalars (NEP 50).
 */
export interface TensorType {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  readonly weak?: boolean;
}

export function tensorType(dtype: DType, shape: readonly Dim[] = [], weak = false): TensorType {
  return weak ? { dtype, shape, weak } : { dtype, shape };
}

/** `f32[n, 784]`; a scalar prints as `f32`. */
export function typeToString(t: TensorType): string {
  return t.shape.length === 0 ? t.dtype : `${t.dtype}[${t.shape.map(dimToString).join(', ')}]`;
}


const DTYPE_RANK: Readonly<Record<DType, number>> = { bool: 0, u32: 1, i32: 1, f16: 2, f32: 3, f64: 4 };

/**
 * numpy's promote_types restricted to our dtypes. i32 with u32 would need int64, which .th lacks:
 * that pair returns undefined and the caller reports it (with a `cast` help).
 */
export function promoteStrong(a: DType, b: DType): DType | undefined {
  if (a === b) return a;
  const rank = (t: DType): number => DTYPE_RANK[t];
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  if (isInt(a) && isInt(b)) return undefined; // i32 + u32 -> int64 in numpy
  if (isFloat(a) && isFloat(b)) return rank(a) >= rank(b) ? a : b;
  // one int, one float: numpy gives f64 for f16/f32 with a 32-bit int (f16/f32 cannot hold it exactly)
  return 'f64';
}

/**
 * Result dtype of combining two operands, honouring weak literals (NEP 50):
 * a weak operand adopts the other's dtype when it fits its kind (int literal with any dtype except bool,
 * float literal with any float); a weak float with an integer/bool tensor gives f64; a weak int with a bool gives i32.
 * Two weak operands stay weak: int with float -> float.
 */
export function promote(a: TensorType, b: TensorType): { dtype: DType; weak: boolean } | undefined {
  if (a.weak && b.weak) {
    return { dtype: a.dtype === 'f64' || b.dtype === 'f64' ? 'f64' : a.dtype === 'bool' && b.dtype === 'bool' ? 'bool' : 'i32', weak: true };
  }
  if (a.weak || b.weak) {
    const w = a.weak ? a : b;
    const s = a.weak ? b : a;
    if (w.dtype === 'bool') return { dtype: s.dtype, weak: false };
    if (isFloat(w.dtype)) return { dtype: isFloat(s.dtype) ? s.dtype : 'f64', weak: false };
    return { dtype: s.dtype === 'bool' ? 'i32' : s.dtype, weak: false };
  }
  const dt = promoteStrong(a.dtype, b.dtype);
  return dt === undefined ? undefined : { dtype: dt, weak: false };
}

/**
 * Whether a value of type `t` may be stored as `dtype` without narrowing: a weak literal adopts
 * any dtype its value promotes into, a strong value only a dtype it promotes to.
 */
export function widensTo(t: TensorType, dtype: DType): boolean {
  return t.weak ? promote(t, tensorType(dtype))?.dtype === dtype : t.dtype === dtype || promoteStrong(t.dtype, dtype) === dtype;
}
