/**
 * @file thc's own f64 logarithm and quarter-turn cosine/sine for the normal generator
 * (docs/random.md section 5): written only with IEEE basic operations (+ - * / and nothing else),
 * each exactly rounded, so the interpreter (JS doubles) and the C backend (C99 doubles compiled
 * with -ffp-contract=off, backend/c/normal.ts prints the same operations in the same order) get
 * identical bits, which Math.log/Math.cos (not specified to the last bit) would not guarantee.
 * The constants were computed with mpmath at 200 bits and rounded to the nearest double.
 */

/** ln 2 = LN2_HI + LN2_LO; LN2_HI has 33 significant bits, so e * LN2_HI is exact for e < 2^20. */
export const LN2_HI = 0.6931471804855391;
export const LN2_LO = 7.440617110012397e-11;
/** The double nearest sqrt(1/2): the reduction puts y in [SQRT_HALF, 2 SQRT_HALF). */
export const SQRT_HALF = 0.7071067811865476;
/** 2 / (2k + 1) for k = 1..9: 2 atanh(s) = 2s + s * sum_k LOG_K[k-1] * s^(2k). */
export const LOG_K = [0.6666666666666666, 0.4, 0.2857142857142857, 0.2222222222222222, 0.18181818181818182,
  0.15384615384615385, 0.13333333333333333, 0.11764705882352941, 0.10526315789473684] as const;
/** (-1)^n (pi/2)^(2n) / (2n)!, n = 0..8: cos(pi s / 2) = sum_n COS_C[n] * s^(2n). */
export const COS_C = [1.0, -1.2337005501361697, 0.25366950790104803, -0.02086348076335296, 0.0009192602748394266,
  -2.5202042373060607e-05, 4.710874778818172e-07, -6.386603083791852e-09, 6.565963114979473e-11] as const;
/** (-1)^n (pi/2)^(2n+1) / (2n+1)!, n = 0..9: sin(pi s / 2) = s * sum_n SIN_C[n] * s^(2n). */
export const SIN_C = [1.5707963267948966, -0.6459640975062463, 0.07969262624616705, -0.004681754135318688,
  0.00016044118478735983, -3.598843235212085e-06, 5.692172921967927e-08, -6.688035109811468e-10,
  6.0669357311061955e-12, -4.377065467313742e-14] as const;

/** Horner's rule, highest coefficient first: c[0] + z * (c[1] + z * (...)). */
function horner(c: readonly number[], z: number): number {
  let r = c[c.length - 1]!;
  for (let n = c.length - 2; n >= 0; n--) r = c[n]! + z * r;
  return r;
}

/**
 * -ln(x) for x in (0, 1] (within 2 ulp of the true value; exact 0 at 1). Reduce x = y * 2^-e with
 * y in [SQRT_HALF, 2 SQRT_HALF) by exact doublings; with f = y - 1 (exact), s = f / (2 + f):
 * ln y = 2 atanh(s) = f - (f^2/2 - s * (f^2/2 + R)), R = sum_k 2 s^(2k) / (2k + 1) (k = 1..9;
 * |s| <= 0.172, so the next term is below 2^-56 of the result). Then -ln x = e ln2 - ln y with
 * ln2 split in two so e * LN2_HI is exact.
 */
export function negLog(x: number): number {
  let y = x, e = 0;
  while (y < SQRT_HALF) { y = y * 2; e = e + 1; }
  const f = y - 1;
  const s = f / (2 + f);
  const z = s * s;
  const r = z * horner(LOG_K, z);
  const hfsq = 0.5 * f * f;
  const lny = f - (hfsq - s * (hfsq + r));
  return e * LN2_HI + (e * LN2_LO - lny);
}

/** cos(pi s / 2) for s in [0, 1/2] (the terms after n = 8 are below 2^-58). */
export function cosQuarter(s: number): number {
  return horner(COS_C, s * s);
}

/** sin(pi s / 2) for s in [0, 1/2]. */
export function sinQuarter(s: number): number {
  return s * horner(SIN_C, s * s);
}

/**
 * cos(pi (2 B / 2^53 - 1)) = -cos(2 pi B / 2^53) for an integer 0 <= B < 2^53, the reduction done
 * exactly on the integer: quadrant q = B >> 51, t = (B mod 2^51) / 2^51, so the angle is
 * (pi/2)(q + t); for t > 1/2 use the complement 1 - t and swap cos and sin. No pi enters the
 * reduction, so it adds no error.
 */
export function cosHalfTurns53(B: number): number {
  const q = Math.floor(B / 2 ** 51);
  const f = B - q * 2 ** 51;
  const swap = f > 2 ** 50;
  const s = (swap ? 2 ** 51 - f : f) * 2 ** -51;
  const mag = ((q & 1) === 1) !== swap ? sinQuarter(s) : cosQuarter(s);
  return q === 0 || q === 3 ? -mag : mag;
}
