/**
 * @file The JS target's types, literals, names and rounding. Values are JS numbers holding exactly
 * what the interpreter's typed arrays hold: f64 as is, f32 rounded with Math.fround, i32 and u32
 * wrapped with `| 0` and `>>> 0` (ToInt32/ToUint32: the interpreter's roundTo, NaN and infinities
 * give 0), bool as 0 or 1 in a Uint8Array. Buffers are the interpreter's typed arrays, so NDArray
 * data moves without conversion. Program names go through `mangle` (letters and digits kept).
 */
import type { DType } from '../../sema/types.js';
import type { IndexSyntax } from '../clike/index-text.js';

export type JsDType = 'f64' | 'f32' | 'i32' | 'u32' | 'bool';

export const isJsDType = (t: DType): t is JsDType => t !== 'f16';

/** The typed array constructor of a dtype (the interpreter's, runtime/ndarray.ts). */
export function jsArray(t: DType): string {
  switch (t) {
    case 'f64': return 'Float64Array';
    case 'f32': return 'Float32Array';
    case 'i32': return 'Int32Array';
    case 'u32': return 'Uint32Array';
    case 'bool': return 'Uint8Array';
    default: throw new Error(`${t} has no JS array (support.ts rejects it)`);
  }
}

/** Bytes per element (the schedule's buffer widths). */
export const jsWidth = (t: DType): number => (t === 'f64' ? 8 : t === 'bool' ? 1 : 4);

/** JS's spelling of index arithmetic for the shared printer (clike/index-text.ts); `/` is a float division, so indices divide with Math.floor. */
export const JS_INDEX: IndexSyntax = { decl: (name, e) => `const ${name} = ${e};`, zero: '0', div: (a, b) => `Math.floor(${a} / ${/^[A-Za-z0-9_]+$/.test(b) ? b : `(${b})`})` };

/** A constant as JS text that reads back as the same number (-0, NaN and infinities included). */
export function literal(t: DType, v: number): string {
  if (t === 'bool') return v !== 0 ? '1' : '0';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

/** Names and symbolic sizes are spelled as in the other C-like CPU target (clike/names.ts). */
export { dimVar, mangle, symbolicDims } from '../clike/names.js';
