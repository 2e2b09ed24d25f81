/**
 * @file The dtype map of the WGSL backend and its literals. The GPU holds f32, i32 and u32 as
 * themselves and bool as u32 (WGSL's bool is not host-shareable, so it cannot live in a storage
 * buffer); every element is 4 bytes. f16 lives in f32 storage and f32 registers, holding values
 * already rounded to f16 (as the interpreter's Float32Array does, runtime/ndarray.ts roundF16):
 * every f16 result is rounded by the thc_round_f16 helper (`roundF16Text`, prelude.ts), integer
 * arithmetic rather than WGSL's f16 type. support.ts still runs f16 only on a device with
 * `shader-f16`, as the language contract says. f64 has no GPU form (support.ts).
 * Dims print through a `DimText` so one emitter serves concrete sizes (thc run: each call's sizes
 * are baked into the text) and symbolic ones (thc compile: `override` constants).
 */
import type { DType } from '../../sema/types.js';
import type { Dim } from '../../sema/dims.js';
import { roundF16 } from '../../runtime/ndarray.js';

/** The dtypes the GPU computes in. */
export type GpuDType = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

/** Whether the backend can hold `t` (f16 only on a device with `shader-f16`: support.ts checks that). */
export const isGpuDType = (t: DType): t is GpuDType => t === 'f32' || t === 'f16' || t === 'i32' || t === 'u32' || t === 'bool';

/** The dtype a value of `t` is computed in: f16 values are f32 registers holding f16-rounded values. */
export const computeDType = (t: DType): DType => (t === 'f16' ? 'f32' : t);

/** The type of a value in registers. */
export function valueType(t: DType): string {
  if (!isGpuDType(t)) throw new Error(`${t} has no WGSL type (support.ts rejects it)`);
  return computeDType(t);
}

/**
 * `e` (an f32 expression) rounded to f16 and widened back, when `t` is f16 (round to nearest even,
 * overflow to inf, as roundF16); other dtypes unchanged. Rounding an f16 value again changes nothing.
 */
export const roundF16Text = (t: DType, e: string): string => (t === 'f16' ? `thc_round_f16(${e})` : e);

/** The element type of a storage buffer holding `t`. */
export const storageType = (t: DType): string => (t === 'bool' ? 'u32' : valueType(t));

/** Bytes per element on the GPU (bool included). */
export const GPU_WIDTH = 4;

/** A buffer element read as a value. */
export const fromStorage = (t: DType, e: string): string => (t === 'bool' ? `(${e} != 0u)` : e);

/** A value written into a buffer element. */
export const toStorage = (t: DType, e: string): string => (t === 'bool' ? `select(0u, 1u, ${e})` : roundF16Text(t, e));

/** Shortest decimal that reads back as the same f32 (the value is already f32-rounded). */
function f32Text(v: number): string {
  if (Object.is(v, -0)) return '-0.0f';
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return `${Number(s)}f`.replace('e+', 'e');
  }
  return `${v}f`;
}

/**
 * A constant as WGSL. Infinities and NaN are never literals (a shader-creation error under WGSL's
 * finite-math rules): they come from the thc_inf()/thc_nan() helpers (prelude.ts).
 */
export function literal(t: DType, v: number): string {
  switch (t) {
    case 'f16':
      return literal('f32', roundF16(v));
    case 'f32':
      if (Number.isNaN(v)) return 'thc_nan()';
      if (v === Infinity) return 'thc_inf()';
      if (v === -Infinity) return '(-thc_inf())';
      return v < 0 || Object.is(v, -0) ? `(${f32Text(v)})` : f32Text(v);
    case 'i32': return v === -2147483648 ? 'i32(-2147483648)' : v < 0 ? `(${v}i)` : `${v}i`;
    case 'u32': return `${v >>> 0}u`;
    case 'bool': return v !== 0 ? 'true' : 'false';
    default: throw new Error(`no WGSL literal for ${t}`);
  }
}

/** Prints a Dim as an i32 expression (the type is shared with the C backend). */
export type { DimText } from '../clike/index-text.js';
import type { DimText } from '../clike/index-text.js';

/** Concrete sizes: the call's bindings are baked into the text. */
export function concreteDims(size: (d: Dim) => number): DimText {
  return d => {
    const n = size(d);
    return n < 0 ? `(${n}i)` : `${n}i`;
  };
}

/** Symbolic sizes: each name is an `override dim_<name>: i32` of the module (thc compile). */
export function symbolicDims(): { text: DimText; names: Set<string> } {
  const names = new Set<string>();
  const text: DimText = d => {
    if (typeof d === 'number') return d < 0 ? `(${d}i)` : `${d}i`;
    const e = d.replace(/[A-Za-z_][A-Za-z0-9_]*/g, m => { names.add(m); return `dim_${m}`; })
      .replace(/(^|[^A-Za-z0-9_])(\d+)(?![A-Za-z0-9_])/g, (_m, pre: string, num: string) => `${pre}${num}i`);
    return `(${e})`;
  };
  return { text, names };
}
