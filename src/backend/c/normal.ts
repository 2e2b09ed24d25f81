/**
 * @file The C text of the normal generator (docs/random.md section 5), printed after the prelude (program.ts) when an entry uses it:
 * thc_normal_24 (f32: integer arithmetic, runtime/normal-fixed.ts step for step) and
 * thc_normal_53 (f64: thc's own log and cos from runtime/libm.ts, the same double operations in
 * the same order). The constants are printed from those modules so the texts cannot drift. The
 * f64 form equals the interpreter's bits only when the compiler neither contracts a * b + c into
 * an fma nor keeps extra precision: run.ts compiles with -ffp-contract=off, and double must be
 * IEEE binary64 evaluated in its own precision (FLT_EVAL_METHOD 0: x86-64 SSE2, AArch64).
 */
import { COS_C, LN2_HI, LN2_LO, LOG_K, SIN_C, SQRT_HALF } from '../../runtime/libm.js';
import { COS_Q30, LN2_Q56_HI, LN2_Q56_LO, LOG_Q31, SIN_Q30 } from '../../runtime/normal-fixed.js';

/** A double literal that reads back as exactly `v` (shortest round-trip decimal). */
const lit = (v: number): string => {
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
};
/** Horner's rule as nested C text, coefficients c[0] + z * (c[1] + ...). */
const horner = (c: readonly number[], z: string): string =>
  c.slice(0, -1).reduceRight((acc, k) => `(${lit(k)} + ${z} * ${acc})`, lit(c[c.length - 1]!));
/** Integer Horner steps `acc = C[n] + step(acc)` from the second-highest coefficient down. */
const steps = (c: readonly number[], step: string, suffix: string): string =>
  c.slice(0, -1).map((k, n) => `${k}${suffix} + ${step}`).reverse().map(s => `  acc = ${s};`).join('\n');

export const C_NORMAL = `
/* The normal generator (docs/random.md section 5, runtime/normal-fixed.ts and libm.ts). Its f64 bits
   need IEEE doubles without fma contraction: compile with -ffp-contract=off (docs/c.md). */
static inline int thc_clz32(uint32_t x) { int n = 0; while (!(x & 0x80000000u)) { x <<= 1; n++; } return n; }
/* floor(a * w / 2^32) for signed a, 0 <= w < 2^31 (the top word of the two's complement product). */
static inline int32_t thc_mulhs(int32_t a, uint32_t w) { return (int32_t)(uint32_t)((uint64_t)((int64_t)a * (int64_t)w) >> 32); }
static inline uint32_t thc_isqrt64(uint64_t n) {
  uint32_t r = 0u;
  for (int bit = 31; bit >= 0; bit--) { uint32_t c = r | (1u << bit); if ((uint64_t)c * c <= n) r = c; }
  return r;
}
/* f32 normal from the words, as an exact f32 value: integer Box-Muller, rounded to nearest even by hand. */
static inline float thc_normal_24(uint64_t i, uint32_t k0, uint32_t k1) {
  uint32_t w[4];
  thc_philox(i, k0, k1, w);
  const uint32_t b = w[1] >> 8, q = b >> 22, f = b & 0x3fffffu;
  const int swap = f > 0x200000u;
  const uint32_t g = swap ? 0x400000u - f : f;
  const uint32_t ww = (uint32_t)(((uint64_t)g * g) >> 12);
  uint32_t mag;
  if (((q & 1u) == 1u) != swap) {
    int32_t acc = ${SIN_Q30[SIN_Q30.length - 1]};
${steps(SIN_Q30, 'thc_mulhs(acc, ww)', '')}
    mag = (uint32_t)(((uint64_t)(uint32_t)acc * (g << 10)) >> 32);
  } else {
    int32_t acc = ${COS_Q30[COS_Q30.length - 1]};
${steps(COS_Q30, 'thc_mulhs(acc, ww)', '')}
    mag = (uint32_t)acc;
  }
  const uint32_t m = (w[0] >> 8) + 1u;
  if (m == 0x1000000u || mag == 0u) return 0.0f;
  const uint32_t e = (uint32_t)thc_clz32(m) - 8u;
  const uint32_t v = (0x1000000u - (m << e)) << 8;
  uint32_t acc = ${LOG_Q31[LOG_Q31.length - 1]}u;
${steps(LOG_Q31, '(uint32_t)(((uint64_t)acc * v) >> 32)', 'u')}
  const uint64_t l = (((uint64_t)v * acc) >> 7) + (uint64_t)e * ${(BigInt(LN2_Q56_HI) << 32n) | BigInt(LN2_Q56_LO)}ull;
  const uint64_t n2 = l << 1;
  const int sh = thc_clz32((uint32_t)(n2 >> 32)) & ~1;
  const uint32_t s = thc_isqrt64(n2 << sh);
  const uint64_t z = (uint64_t)s * mag;
  const int lz = thc_clz32((uint32_t)(z >> 32));
  const uint64_t zn = z << lz;
  uint32_t mant = (uint32_t)(zn >> 40), ex = (uint32_t)(132 - lz - sh / 2);
  const uint64_t rest = zn & 0xffffffffffull;
  if (rest > 0x8000000000ull || (rest == 0x8000000000ull && (mant & 1u))) mant++;
  if (mant == 0x1000000u) { mant = 0x800000u; ex++; }
  const uint32_t bits = ((q == 0u || q == 3u) ? 0x80000000u : 0u) | (ex << 23) | (mant & 0x7fffffu);
  float out;
  memcpy(&out, &bits, sizeof out);
  return out;
}
/* -ln x for x in (0, 1]: reduce to y in [sqrt(1/2), sqrt(2)), ln y = 2 atanh((y - 1) / (y + 1)). */
static inline double thc_neglog(double x) {
  double y = x, e = 0.0;
  while (y < ${lit(SQRT_HALF)}) { y = y * 2.0; e = e + 1.0; }
  const double f = y - 1.0, s = f / (2.0 + f), zz = s * s;
  const double r = zz * ${horner(LOG_K, 'zz')};
  const double hfsq = 0.5 * f * f;
  const double lny = f - (hfsq - s * (hfsq + r));
  return e * ${lit(LN2_HI)} + (e * ${lit(LN2_LO)} - lny);
}
/* f64 normal from the words: sqrt(-2 ln u1) * cos(pi (2 u2 - 1)), the angle reduced exactly on the integer. */
static inline double thc_normal_53(uint64_t i, uint32_t k0, uint32_t k1) {
  uint32_t w[4];
  thc_philox(i, k0, k1, w);
  const uint64_t a = ((uint64_t)(w[0] >> 5) << 26) | (w[1] >> 6), b = ((uint64_t)(w[2] >> 5) << 26) | (w[3] >> 6);
  const double r = sqrt(2.0 * thc_neglog((double)(a + 1u) * 0x1p-53));
  const uint64_t q = b >> 51, f = b & 0x7ffffffffffffull;
  const int swap = f > 0x4000000000000ull;
  const double s = (double)(swap ? 0x8000000000000ull - f : f) * 0x1p-51, zz = s * s;
  const double mag = ((q & 1u) == 1u) != swap ? s * ${horner(SIN_C, 'zz')} : ${horner(COS_C, 'zz')};
  return r * ((q == 0u || q == 3u) ? -mag : mag);
}
`;
