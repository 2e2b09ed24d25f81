/**
 * @file The counter-based generator (Philox4x32-10, Salmon et al. 2011, as in Random123) and the
 * exact conversions from its bits to uniform and normal values. docs/random.md specifies all of
 * it so the WGSL and C backends reproduce the uniform bits exactly: element i of stream `seed`
 * is philox(counter = (i lo, i hi, 0, 0), key = (seed lo, seed hi)); no state is carried.
 */
import type { DType } from '../sema/types.js';
import { roundTo } from './ndarray.js';
import { negLog, cosHalfTurns53 } from './libm.js';
import { normalF32 } from './normal-fixed.js';

export type Words4 = readonly [number, number, number, number];

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9; // golden ratio
const W1 = 0xbb67ae85; // sqrt(3) - 1

/** High and low 32 bits of the 64-bit product of two u32 (exact: 16-bit limbs stay below 2^53). */
function mulhilo(a: number, b: number): [number, number] {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const hi = (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
  return [hi, Math.imul(a, b) >>> 0];
}

/**
 * Philox4x32 with `rounds` rounds (10 for thc). Each round:
 * (hi0, lo0) = M0 * c0, (hi1, lo1) = M1 * c2, c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
 * the key is bumped by (W0, W1) mod 2^32 before every round but the first.
 */
export function philox4x32(counter: Words4, key: readonly [number, number], rounds = 10): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map(x => x >>> 0) as [number, number, number, number];
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) { k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0; }
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
  }
  return [c0, c1, c2, c3];
}

/** key = (seed mod 2^32, (seed >> 32) mod 2^32) of the seed as a 64-bit two's-complement integer. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`a random seed must be an integer below 2^53 in magnitude, not ${seed}`);
  const s = BigInt.asUintN(64, BigInt(seed));
  return [Number(s & 0xffffffffn), Number(s >> 32n)];
}

/** The four words for element `i` (0 <= i < 2^53) of stream `key`. */
export function elementWords(key: readonly [number, number], i: number): [number, number, number, number] {
  return philox4x32([i >>> 0, Math.floor(i / 2 ** 32) >>> 0, 0, 0], key);
}

/** A 53-bit integer from two words: the top 27 bits of `a` and the top 26 of `b` (genrand_res53). */
const bits53 = (a: number, b: number): number => (a >>> 5) * 2 ** 26 + (b >>> 6);

/** Uniform in [0, 1) from the words, exact in the dtype: f16 11 bits, f32 24 bits, else 53 bits. */
export function uniformFromWords(w: Words4, dtype: DType): number {
  switch (dtype) {
    case 'f16': return (w[0] >>> 21) * 2 ** -11;
    case 'f32': return (w[0] >>> 8) * 2 ** -24;
    default: return bits53(w[0], w[1]) * 2 ** -53;
  }
}

/**
 * Standard normal by Box-Muller with the angle in [-pi, pi): u1 in (0, 1] so log(u1) is finite,
 * z = sqrt(-2 log u1) * cos(pi * (2 u2 - 1)), defined so that every backend computes the same bits
 * (docs/random.md section 5). f16/f32 take u1, u2 from 24 bits of words 0 and 1 and compute in
 * integers (normal-fixed.ts), an exact f32 value; f64 (and the others) take them from 53 bits of
 * words (0, 1) and (2, 3) and compute in f64 with thc's own log and cos (libm.ts) and Math.sqrt.
 */
export function normalFromWords(w: Words4, dtype: DType): number {
  if (dtype === 'f16' || dtype === 'f32') return normalF32(w[0], w[1]);
  const u1 = (bits53(w[0], w[1]) + 1) * 2 ** -53;
  return Math.sqrt(2 * negLog(u1)) * cosHalfTurns53(bits53(w[2], w[3]));
}

/**
 * n uniform values in [0, 1) for stream `seed`, element i from counter i, exactly representable
 * in dtype (integer and bool dtypes get the 53-bit f64 values; mapping them is the caller's job).
 */
export function uniformValues(seed: number, n: number, dtype: DType): Float64Array {
  const key = seedKey(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = uniformFromWords(elementWords(key, i), dtype);
  return out;
}

/** n standard normal values for stream `seed`, each rounded to dtype (f16: the f32 value rounded once more). */
export function normalValues(seed: number, n: number, dtype: DType): Float64Array {
  const key = seedKey(seed);
  const round = dtype === 'f16' || dtype === 'f32' ? roundTo(dtype) : (x: number) => x;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = round(normalFromWords(elementWords(key, i), dtype));
  return out;
}
