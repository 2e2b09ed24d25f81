/*
 * thc's vectorizable exp, log and log1p (src/backend/c/vmath.ts) against long double expl, logl and
 * log1pl, and the f32 path ((float)thc_exp((double)x)) against (float)exp((double)x) from libm.
 * tests/c-vmath.test.ts prepends the generated prelude (with THC_VECTOR_MATH defined) and reads the
 * report from stdout: one `name value` line per measure.
 *
 * Errors are in units in the last place of the double nearest the reference; results below
 * 2^-1022 are counted apart (their ulp is 2^-1074, and exp rounds them twice).
 */
#include <float.h>
#include <stdio.h>

static uint64_t seed = 88172645463325252ull;
static uint64_t next(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }
/* Uniform in [a, b). */
static double uni(double a, double b) { return a + (b - a) * ((double)(next() >> 11) * 0x1p-53); }
/* Any finite double of either sign, uniform over the bit patterns. */
static double anybits(void) {
  for (;;) {
    uint64_t b = next();
    double x;
    memcpy(&x, &b, sizeof x);
    if (isfinite(x)) return x;
  }
}

static double worst[3][2];
static double worst_at[3][2];
static long bad_specials = 0;

/* The error of got in ulps of the reference want (rounded to double); infinities and NaN must match exactly. */
static void measure(int fn, double got, long double want, double x) {
  const double w = (double)want;
  double err;
  if (isnan(w) || isinf(w)) err = (isnan(w) ? isnan(got) : got == w) ? 0.0 : 1e9;
  else if (isnan(got) || isinf(got)) err = 1e9;
  else {
    int e;
    frexp(w == 0.0 ? DBL_MIN : w, &e);
    double ulp = ldexp(1.0, e - 53);
    if (ulp < 0x1p-1074) ulp = 0x1p-1074;
    err = (double)(fabsl((long double)got - want) / ulp);
  }
  const int sub = fabs(w) < DBL_MIN;
  if (err > worst[fn][sub]) { worst[fn][sub] = err; worst_at[fn][sub] = x; }
}

/* Exact expected values at the special points (bits compared: the sign of a zero counts). */
static void special(const char *what, double got, double want) {
  const int same = isnan(want) ? isnan(got) : memcmp(&got, &want, sizeof got) == 0;
  if (!same) { bad_specials++; printf("special %s got %a want %a\n", what, got, want); }
}

int main(void) {
  if (LDBL_MANT_DIG <= DBL_MANT_DIG) { printf("no-long-double 1\n"); return 0; }
  for (long i = 0; i < 400000; i++) {
    /* exp: the whole finite range, [-2, 2], tiny arguments, and any bit pattern. */
    const double xs[4] = { uni(-745.2, 709.8), uni(-2.0, 2.0), uni(-1.0, 1.0) * ldexp(1.0, -(int)(next() % 1000)), anybits() };
    for (int j = 0; j < 4; j++) measure(0, thc_exp(xs[j]), expl((long double)xs[j]), xs[j]);
    /* log: around 1, [0, 4], any positive double (subnormals included). */
    const double ls[3] = { uni(0.5, 2.0), uni(0.0, 4.0), fabs(anybits()) };
    for (int j = 0; j < 3; j++) measure(1, thc_log(ls[j]), logl((long double)ls[j]), ls[j]);
    /* log1p: (-1, 3], tiny arguments of both signs, [-1, 1e6], any double above -1. */
    double any = anybits();
    if (any <= -1.0) any = -any;
    const double ps[4] = { uni(-1.0, 3.0), uni(-1.0, 1.0) * ldexp(1.0, -(int)(next() % 1000)), uni(-1.0, 1e6), any };
    for (int j = 0; j < 4; j++) measure(2, thc_log1p(ps[j]), log1pl((long double)ps[j]), ps[j]);
  }
  /* f32: every 97th bit pattern, rounded once from double, against libm's double rounded once. */
  long f32_checked = 0, f32_differ = 0;
  for (uint64_t b = 0; b <= 0xffffffffu; b += 97) {
    uint32_t b32 = (uint32_t)b;
    float f;
    memcpy(&f, &b32, sizeof f);
    if (isnan(f)) continue;
    const float got[3] = { (float)thc_exp(f), (float)thc_log(f), (float)thc_log1p(f) };
    const float want[3] = { (float)exp(f), (float)log(f), (float)log1p(f) };
    for (int j = 0; j < 3; j++) {
      f32_checked++;
      if (!(memcmp(&got[j], &want[j], sizeof got[j]) == 0 || (isnan(got[j]) && isnan(want[j])))) f32_differ++;
    }
  }
  special("exp(0)", thc_exp(0.0), 1.0);
  special("exp(-0)", thc_exp(-0.0), 1.0);
  special("exp(inf)", thc_exp(INFINITY), INFINITY);
  special("exp(-inf)", thc_exp(-INFINITY), 0.0);
  special("exp(nan)", thc_exp(NAN), NAN);
  special("exp(709.78)", thc_exp(709.78), 0x1.fe9ce5c4c52b4p+1023);
  special("exp(709.79)", thc_exp(709.79), INFINITY);
  special("exp(-745.13)", thc_exp(-745.13), 0x0.0000000000001p-1022);
  special("exp(-745.14)", thc_exp(-745.14), 0.0);
  special("log(1)", thc_log(1.0), 0.0);
  special("log(0)", thc_log(0.0), -INFINITY);
  special("log(-0)", thc_log(-0.0), -INFINITY);
  special("log(-1)", thc_log(-1.0), NAN);
  special("log(inf)", thc_log(INFINITY), INFINITY);
  special("log(-inf)", thc_log(-INFINITY), NAN);
  special("log(nan)", thc_log(NAN), NAN);
  special("log(2)", thc_log(2.0), 0x1.62e42fefa39efp-1);
  special("log(min subnormal)", thc_log(0x0.0000000000001p-1022), -0x1.74385446d71c3p+9);
  special("log(max)", thc_log(DBL_MAX), 0x1.62e42fefa39efp+9);
  special("log1p(0)", thc_log1p(0.0), 0.0);
  special("log1p(-0)", thc_log1p(-0.0), -0.0);
  special("log1p(-1)", thc_log1p(-1.0), -INFINITY);
  special("log1p(-2)", thc_log1p(-2.0), NAN);
  special("log1p(inf)", thc_log1p(INFINITY), INFINITY);
  special("log1p(-inf)", thc_log1p(-INFINITY), NAN);
  special("log1p(nan)", thc_log1p(NAN), NAN);
  special("log1p(1e-300)", thc_log1p(1e-300), 1e-300);
  special("log1p(-1e-300)", thc_log1p(-1e-300), -1e-300);
  special("log1p(max)", thc_log1p(DBL_MAX), 0x1.62e42fefa39efp+9);
  const char *names[3] = { "exp", "log", "log1p" };
  for (int j = 0; j < 3; j++) {
    printf("%s_ulp %.4f %a\n", names[j], worst[j][0], worst_at[j][0]);
    printf("%s_ulp_subnormal %.4f %a\n", names[j], worst[j][1], worst_at[j][1]);
  }
  printf("f32_checked %ld\nf32_differ %ld\nbad_specials %ld\n", f32_checked, f32_differ, bad_specials);
  return 0;
}
