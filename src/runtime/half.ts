/**
 * @file IEEE binary16 bit patterns <-> doubles, for .npy IO and f16 printing.
 * `halfBits` rounds to nearest-even (via roundF16) before encoding; `halfFromBits` is exact.
 * NaN encodes as the quiet NaN 0x7e00 (numpy's payload); the sign of zero is kept.
 */
import { roundF16 } from './ndarray.js';

/** The binary16 bit pattern of `x` rounded to half precision. */
export function halfBits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const y = roundF16(x);
  const sign = y < 0 || Object.is(y, -0) ? 0x8000 : 0;
  const ay = Math.abs(y);
  if (ay === Infinity) return sign | 0x7c00;
  if (ay < 2 ** -14) return sign | (ay * 2 ** 24); // subnormal (or zero): a multiple of 2^-24
  let e = Math.floor(Math.log2(ay));
  if (2 ** e > ay) e--; // log2 may round up just below a power of two
  else if (2 ** (e + 1) <= ay) e++;
  const mant = ay / 2 ** (e - 10) - 1024;
  return sign | ((e + 15) << 10) | mant;
}

/** The double a binary16 bit pattern stands for. */
export function halfFromBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * (1024 + m) * 2 ** (e - 25);
}
