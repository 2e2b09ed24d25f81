/**
 * @file The C text of thc's exp, log and log1p (`thc_exp`, `thc_log`, `thc_log1p`), which every
 * generated C file includes through the prelude. Consumed by prelude.ts; docs/c.md ("Vector math").
 *
 * Why: gcc does not vectorize a loop that calls libm (glibc declares its vector variants, libmvec,
 * only under -ffast-math, which breaks inf/NaN semantics), so a kernel with an `exp` ran one
 * element at a time. These are straight-line code that the compiler inlines and vectorizes:
 * fdlibm's algorithms (e_exp.c, e_log.c, s_log1p.c's correction term) without their branches; the
 * special cases are selected at the end with `?:` on values already computed.
 *
 * Which one a build uses: with `THC_VECTOR_MATH` defined, thc's; otherwise libm's (the default for
 * a user's build of `-o DIR` output, whose numbers are then the interpreter's up to libm's last
 * bit). `thc run --device cpu` defines it (run.ts). gcc if-converts the selects only under
 * `-fno-trapping-math` (or with AVX-512 masks): that flag changes no result, it lets the compiler
 * evaluate both sides of a select.
 *
 * Accuracy (tests/c-vmath.test.ts against long double): under 1 ulp (about 0.5-0.8) for results
 * in the normal range; exp's subnormal results are rounded twice (within 1 ulp). Special values
 * are exact (exp: -inf -> 0, +inf -> inf, overflow and underflow at libm's thresholds; log: 0 ->
 * -inf, below 0 -> NaN; log1p: -1 -> -inf, -0 -> -0). f32 math rounds the double result once,
 * which matched libm's float result on every float sampled.
 */

export const C_VMATH = `/* exp, log, log1p: thc's straight-line versions under THC_VECTOR_MATH (docs/c.md, "Vector math"), else libm. */
/* c ? a : b on two values already computed: the vectorizer turns it into a blend. */
static inline double thc_sel(int c, double a, double b) { return c ? a : b; }
#ifdef THC_VECTOR_MATH
static inline uint64_t thc_bits(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
static inline double thc_from_bits(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }

/* fdlibm's exp: x = k ln2 + r, |r| <= ln2 / 2, exp(r) from a rational form, times 2^k in two
   factors so that subnormal and overflowing results round once more at most. */
static inline double thc_exp(double x) {
  const double shift = 0x1.8p52;
  /* exp(-746) is 0 and exp(710) is inf: clamping keeps k in [-1077, 1025]; NaN passes. */
  const double xc = thc_sel(x < -746.0, -746.0, thc_sel(x > 710.0, 710.0, x));
  const double kd0 = xc * 1.44269504088896338700e+00 + shift;
  const uint64_t u = thc_bits(kd0) - thc_bits(shift) + UINT64_C(2048); /* k + 2048, never negative */
  const double kd = kd0 - shift;
  const double hi = xc - kd * 6.93147180369123816490e-01, lo = kd * 1.90821492927058770002e-10;
  const double r = hi - lo, t = r * r;
  const double c = r - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05
    + t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
  const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  const uint64_t u1 = u >> 1, u2 = u - u1; /* k = (u1 - 1024) + (u2 - 1024); biased exponents u1 - 1, u2 - 1 */
  return y * thc_from_bits((u1 - 1u) << 52) * thc_from_bits((u2 - 1u) << 52);
}

/* fdlibm's log of 1 + f (sqrt(2)/2 <= 1 + f < sqrt(2)) plus k ln2, with c added: log1p's
   correction for the rounding of 1 + x, relative to it. */
static inline double thc_log_core(double f, double kd, double c) {
  const double s = f / (2.0 + f), z = s * s, w = z * z;
  const double t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const double t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const double R = t2 + t1, hfsq = 0.5 * f * f;
  return s * (hfsq + R) + (kd * 1.90821492927058770002e-10 + c) - hfsq + f + kd * 6.93147180369123816490e-01;
}
/* A positive finite x as 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2): returns f, k as a double
   (through the 2^52 + 2^51 bias: converting a 64-bit integer does not vectorize before AVX-512). */
static inline double thc_log_split(double x, double *kd) {
  const int sub = x < 0x1p-1022;
  const double xs = thc_sel(sub, x * 0x1p54, x);
  const uint64_t u = thc_bits(xs) + (UINT64_C(0x3ff0000000000000) - UINT64_C(0x3fe6a09e667f3bcd));
  *kd = thc_from_bits((u >> 52) + (UINT64_C(0x4338000000000000) - 1023u)) - 0x1.8p52 - thc_sel(sub, 54.0, 0.0);
  return thc_from_bits((u & UINT64_C(0x000fffffffffffff)) + UINT64_C(0x3fe6a09e667f3bcd)) - 1.0;
}
static inline double thc_log(double x) {
  double kd;
  const double f = thc_log_split(x, &kd);
  const double y = thc_log_core(f, kd, 0.0);
  /* 0 (either sign) -> -inf, below 0 -> NaN, +inf and NaN -> themselves. */
  const double special = thc_sel(x == 0.0, -INFINITY, thc_sel(x < 0.0, NAN, x + x));
  return thc_sel((x > 0.0) & (x < INFINITY), y, special);
}
static inline double thc_log1p(double x) {
  const double u = 1.0 + x;
  double kd;
  const double f = thc_log_split(u, &kd);
  /* u's rounding error (exact while u < 2^54), relative to u; beyond, it is below log's last bit. */
  const double c = thc_sel(kd < 54.0, thc_sel(kd >= 2.0, 1.0 - (u - x), x - (u - 1.0)) / u, 0.0);
  const double y = thc_log_core(f, kd, c);
  const double special = thc_sel(x == -1.0, -INFINITY, thc_sel(x < -1.0, NAN, x + x));
  /* +-0 -> itself (log1p(-0) is -0), -1 -> -inf, below -1 -> NaN, +inf and NaN -> themselves. */
  return thc_sel((x > -1.0) & (x < INFINITY) & (x != 0.0), y, thc_sel(x == 0.0, x, special));
}
#else
static inline double thc_exp(double x) { return exp(x); }
static inline double thc_log(double x) { return log(x); }
static inline double thc_log1p(double x) { return log1p(x); }
#endif
/* Stable logistic: exp(-|x|) never overflows; 1 / (1 + e) at and above 0, e / (1 + e) below. */
static inline double thc_sigmoid(double x) {
  const double e = thc_exp(-fabs(x));
  return thc_sel(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e));
}
/* Stable log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)) (NaN stays NaN). */
static inline double thc_softplus(double x) { return thc_sel((x > 0.0) | (x != x), x, 0.0) + thc_log1p(thc_exp(-fabs(x))); }`;
