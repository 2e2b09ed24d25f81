/**
 * @file NDArray: the dense, C-ordered tensor value used by the interpreter, the CLI and file IO.
 * Storage per dtype: f64 Float64Array, f32 Float32Array, f16 Float32Array holding values already
 * rounded to half precision, i32 Int32Array, u32 Uint32Array, bool Uint8Array (0/1).
 * Arrays are treated as immutable once built: kernels always allocate their result.
 */
import type { DType } from '../sema/types.js';

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

export interface NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

/** True for an NDArray among other attribute-like values (numbers, strings, arrays, null). */
export function isNDArray(v: unknown): v is NDArray {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v && 'shape' in v && 'dtype' in v;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** C-order strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}

/** The typed array that stores each dtype (f16 computes in f32; bool is one byte per element). */
const DATA_TYPES = {
  f64: Float64Array, f32: Float32Array, f16: Float32Array, i32: Int32Array, u32: Uint32Array, bool: Uint8Array,
} as const satisfies Record<DType, unknown>;

export function allocData(dtype: DType, n: number): TypedArray {
  return new DATA_TYPES[dtype](n);
}

/** A typed array of `dtype` over the whole of `bytes` (no copy). */
export function viewData(dtype: DType, bytes: ArrayBuffer): TypedArray {
  return new DATA_TYPES[dtype](bytes);
}

export function zeros(dtype: DType, shape: readonly number[]): NDArray {
  return { dtype, shape: [...shape], data: allocData(dtype, sizeOf(shape)) };
}

/** Builds an array from plain numbers, rounding/wrapping each to the dtype exactly as a store would. */
export function fromNumbers(dtype: DType, shape: readonly number[], values: ArrayLike<number>): NDArray {
  const a = zeros(dtype, shape);
  const round = roundTo(dtype);
  for (let i = 0; i < a.data.length; i++) a.data[i] = round(values[i]!);
  return a;
}

export function scalar(dtype: DType, value: number): NDArray {
  return fromNumbers(dtype, [], [value]);
}

// ---------------------------------------------------------------- exact dtype rounding

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** Rounds a double to the nearest IEEE half (round-to-nearest-even), returned as a double. */
export function roundF16(x: number): number {
  if (Number.isNaN(x) || !Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  if (ax >= 65520) return x > 0 ? Infinity : -Infinity; // 65504 + half an ulp rounds to inf
  // Spacing of halves near ax: subnormals below 2^-14 have a fixed step of 2^-24.
  const e = Math.max(Math.floor(Math.log2(ax)), -14);
  let step = Math.pow(2, e - 10);
  // log2 can be off by one near powers of two; correct e so that 2^e <= ax < 2^(e+1) (or subnormal).
  if (e > -14 && ax < Math.pow(2, e)) step /= 2;
  else if (ax >= Math.pow(2, e + 1)) step *= 2;
  const q = ax / step;
  let r = Math.round(q);
  if (r - q === 0.5 && r % 2 === 1) r -= 1; // Math.round rounds .5 up; ties go to even
  return Math.sign(x) * r * step;
}

/** The function that converts a double to what a store into `dtype` keeps. */
export function roundTo(dtype: DType): (x: number) => number {
  switch (dtype) {
    case 'f64': return x => x;
    case 'f32': return Math.fround;
    case 'f16': return roundF16;
    // Typed-array stores wrap modulo 2^32 for finite values; NaN/inf store as 0 (numpy leaves it undefined).
    case 'i32': return x => (Number.isFinite(x) ? Math.trunc(x) | 0 : 0);
    case 'u32': return x => (Number.isFinite(x) ? Math.trunc(x) >>> 0 : 0);
    case 'bool': return x => (x !== 0 && !Number.isNaN(x) ? 1 : Number.isNaN(x) ? 1 : 0);
  }
}

/** Bits of an f32, for tests that compare results bit for bit. */
export function f32Bits(x: number): number {
  f32buf[0] = x;
  return u32buf[0]!;
}
