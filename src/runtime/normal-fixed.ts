/**
 * @file The f32 (and f16) standard normal in integer arithmetic only (docs/random.md section 5):
 * Box-Muller z = sqrt(-2 ln u1) * cos(pi (2 u2 - 1)) from two 24-bit integers, computed with
 * 32-bit words and truncating 32 x 32 -> 64-bit products, then rounded to f32 (to nearest, ties
 * to even) by assembling the bits. WGSL has no f64 and does not pin the rounding of its f32
 * operations or of its log/cos, so this is what makes the GPU's numbers equal the interpreter's
 * and C's: backend/wgsl/normal.ts and backend/c/normal.ts print the same steps with the same
 * constants (exported here). Every step is an exact integer function, specified with floors in
 * docs/random.md; tests/rng.test.ts checks it against a Python big-integer implementation.
 */

/** round(2^31 / (n + 1)), n = 0..27: -ln(1 - v) = v * sum_n v^n / (n + 1) in Q31 (v <= 1/2). */
export const LOG_Q31 = [2147483648, 1073741824, 715827883, 536870912, 429496730, 357913941, 306783378, 268435456,
  238609294, 214748365, 195225786, 178956971, 165191050, 153391689, 143165577, 134217728, 126322568, 119304647,
  113025455, 107374182, 102261126, 97612893, 93368854, 89478485, 85899346, 82595525, 79536431, 76695845] as const;
/** round(2^30 (-1)^n (pi/2)^(2n) / (2n)!), n = 0..6: cos(pi s / 2) in Q30 as a polynomial in s^2. */
export const COS_Q30 = [1073741824, -1324675879, 272375560, -22401992, 987048, -27060, 506] as const;
/** round(2^30 (-1)^n (pi/2)^(2n+1) / (2n+1)!), n = 0..6: sin(pi s / 2) / s in Q30. */
export const SIN_Q30 = [1686629713, -693598668, 85569306, -5026995, 172272, -3864, 61] as const;
/** round(ln 2 * 2^56) as two words. */
export const LN2_Q56_HI = 0xb17217;
export const LN2_Q56_LO = 0xf7d1cf7a;

/** floor(a * b / 2^32) for u32 a, b (16-bit limbs keep every partial product exact). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}
const mullo = (a: number, b: number): number => Math.imul(a, b) >>> 0;

/** floor(a * w / 2^32) for a signed 32-bit a and 0 <= w < 2^31. */
function mulhs(a: number, w: number): number {
  return a < 0 ? (mulhi(a >>> 0, w) - w) | 0 : mulhi(a, w);
}

/** Whether c^2 > hi * 2^32 + lo, exactly (c < 2^32). */
function squareAbove(c: number, hi: number, lo: number): boolean {
  const ph = mulhi(c, c), pl = mullo(c, c);
  return ph > hi || (ph === hi && pl > lo);
}

/**
 * floor(sqrt(hi * 2^32 + lo)) for 2^62 <= n < 2^64. Defined exactly, so any method gives the same
 * bits (WGSL and C go bit by bit): here Math.sqrt of the rounded double, off by at most one, then
 * corrected with exact squares.
 */
function isqrt64(hi: number, lo: number): number {
  let r = Math.min(Math.floor(Math.sqrt(hi * 2 ** 32 + lo)), 0xffffffff);
  while (squareAbove(r, hi, lo)) r--;
  while (r < 0xffffffff && !squareAbove(r + 1, hi, lo)) r++;
  return r;
}

/**
 * |cos(pi (2 b / 2^24 - 1))| in Q30 (at most 2^30) and its sign, for 0 <= b < 2^24. The angle is
 * -pi + (pi/2)(q + f / 2^22) with q = b >> 22; t = f / 2^22 > 1/2 is replaced by 1 - t (cos and
 * sin swap); then s = g / 2^22 <= 1/2, W = floor(g^2 / 2^12) = s^2 in Q32, and a Horner step is
 * acc = C[n] + floor(acc * W / 2^32).
 */
export function cosQ30(b: number): { mag: number; negative: boolean } {
  const q = b >>> 22, f = b & 0x3fffff;
  const swap = f > 0x200000;
  const g = swap ? 0x400000 - f : f;
  const W = Math.floor(g * g / 4096);
  let mag: number;
  if (((q & 1) === 1) !== swap) {
    let acc: number = SIN_Q30[6];
    for (let n = 5; n >= 0; n--) acc = SIN_Q30[n]! + mulhs(acc, W);
    mag = mulhi(acc, g * 1024);
  } else {
    let acc: number = COS_Q30[6];
    for (let n = 5; n >= 0; n--) acc = COS_Q30[n]! + mulhs(acc, W);
    mag = acc;
  }
  return { mag, negative: q === 0 || q === 3 };
}

/**
 * The f32 standard normal of the words (w0, w1), as a number (an exact f32 value). With
 * a = w0 >> 8, m = a + 1 (u1 = m / 2^24): e = shifts putting m << e in [2^23, 2^24),
 * V = (2^24 - (m << e)) << 8 (v = 1 - u1 * 2^e in Q32, 0 < v <= 1/2), P = -ln(1 - v) / v in Q31,
 * L = e ln2 - ln(1 - v) = -ln u1 in Q56 (64 bits), N = 2L << sh (sh even, top bit 62 or 63),
 * S = floor(sqrt(N)) = sqrt(-2 ln u1) * 2^(28 + sh/2), Z = S * |cos| (Q30), rounded to 24 bits.
 */
export function normalF32(w0: number, w1: number): number {
  const { mag, negative } = cosQ30(w1 >>> 8);
  const m = (w0 >>> 8) + 1;
  if (m === 0x1000000 || mag === 0) return 0;
  const e = Math.clz32(m) - 8;
  const V = (0x1000000 - m * 2 ** e) * 256;
  let P: number = LOG_Q31[27];
  for (let n = 26; n >= 0; n--) P = (LOG_Q31[n]! + mulhi(P, V)) >>> 0;
  // L = (V * P) >> 7 (Q63 -> Q56) + e * ln2 in Q56, as (hi, lo); then N = 2L.
  const ph = mulhi(V, P), pl = mullo(V, P);
  let lo = ((pl >>> 7) | (ph << 25)) >>> 0;
  let hi = ph >>> 7;
  const sum = lo + mullo(e, LN2_Q56_LO);
  hi = hi + e * LN2_Q56_HI + mulhi(e, LN2_Q56_LO) + (sum >= 2 ** 32 ? 1 : 0);
  lo = sum >>> 0;
  hi = ((hi << 1) | (lo >>> 31)) >>> 0;
  lo = (lo << 1) >>> 0;
  const sh = Math.clz32(hi) & ~1;
  if (sh > 0) { hi = ((hi << sh) | (lo >>> (32 - sh))) >>> 0; lo = (lo << sh) >>> 0; }
  const S = isqrt64(hi, lo);
  // Z = S * mag (64 bits, top word nonzero), normalized so bit 63 is set; keep 24 bits.
  const zh = mulhi(S, mag), zl = mullo(S, mag);
  const lz = Math.clz32(zh);
  const hn = lz > 0 ? ((zh << lz) | (zl >>> (32 - lz))) >>> 0 : zh;
  const ln = (zl << lz) >>> 0;
  let mant = hn >>> 8;
  let exp = 63 - lz - 58 - sh / 2;
  if (((hn >>> 7) & 1) === 1 && ((hn & 0x7f) !== 0 || ln !== 0 || (mant & 1) === 1)) mant++;
  if (mant === 0x1000000) { mant = 0x800000; exp++; }
  const z = mant * 2 ** (exp - 23);
  return negative ? -z : z;
}
