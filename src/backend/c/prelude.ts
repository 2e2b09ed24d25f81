/**
 * @file The helper functions every generated C file starts with: the interpreter's semantics where
 * C's operators differ (wrapping i32 arithmetic, numpy's remainder and integer power, float to
 * integer casts that wrap, NaN-propagating maximum/minimum, sign) and its stable forms (sigmoid,
 * softplus) and exp/log/log1p (vmath.ts). All are `static inline`, so the ones a program does not use cost nothing and raise no
 * unused-function warning. A run-time error (a negative integer exponent, a label outside one_hot's
 * range, max of an empty axis, an index outside its axis) sets `thc_error`, which the entry function returns.
 */

import { C_VMATH } from './vmath.js';

/** Error codes of the generated API (docs/c.md); the harness exits with them. */
export const C_ERRORS = { ok: 0, shape: 1, state: 2, memory: 3, negativePower: 4, label: 5, empty: 6, index: 7, name: 8 } as const;

/** What each code means, for the generated `thc_<prog>_strerror` (files.ts) and docs/c.md. */
export const C_ERROR_TEXT: Readonly<Record<keyof typeof C_ERRORS, string>> = {
  ok: 'no error',
  shape: 'an array does not have the declared shape',
  state: 'a shared variable the entry point reads is not set',
  memory: 'out of memory',
  negativePower: 'an integer raised to a negative power',
  label: 'a one_hot label outside 0..k-1',
  empty: 'max, min, argmax or argmin of an empty axis',
  index: 'an index outside its axis',
  name: 'no shared variable has this name',
};

/** The C names of the codes, in C_ERRORS order. */
export const C_ERROR_NAMES: Readonly<Record<keyof typeof C_ERRORS, string>> = {
  ok: 'THC_OK', shape: 'THC_ESHAPE', state: 'THC_ESTATE', memory: 'THC_ENOMEM', negativePower: 'THC_ENEGPOW',
  label: 'THC_ELABEL', empty: 'THC_EEMPTY', index: 'THC_EINDEX', name: 'THC_ENAME',
};

/** The error enum, guarded so that every generated file and header can define it once. */
export const C_ERROR_ENUM = `/* The same codes in every thc header and file, so two programs' headers can be included together. */
#ifndef THC_ERROR_CODES
#define THC_ERROR_CODES
enum {
${(Object.keys(C_ERRORS) as (keyof typeof C_ERRORS)[]).map(k => `  ${C_ERROR_NAMES[k]} = ${C_ERRORS[k]}`).join(',\n')}
};
#endif`;

export const C_PRELUDE = `#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

${C_ERROR_ENUM}

/* The first run-time error of the current call (the entry function clears and returns it). */
static int thc_error = THC_OK;
static inline void thc_fail(int code) {
#ifdef _OPENMP
#pragma omp critical(thc_fail)
#endif
  { if (thc_error == THC_OK) thc_error = code; }
}

/* i32 arithmetic wraps modulo 2^32 (signed overflow is undefined in C). */
static inline int32_t thc_add_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t thc_sub_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t thc_mul_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }
static inline int32_t thc_neg_i32(int32_t a) { return (int32_t)(0u - (uint32_t)a); }
static inline int32_t thc_abs_i32(int32_t a) { return a < 0 ? thc_neg_i32(a) : a; }

/* numpy's integer remainder: the divisor's sign, x % 0 == 0 (and no INT_MIN % -1 trap). */
static inline int32_t thc_mod_i32(int32_t a, int32_t b) {
  if (b == 0 || b == -1) return 0;
  int32_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
static inline uint32_t thc_mod_u32(uint32_t a, uint32_t b) { return b == 0u ? 0u : a % b; }

/* numpy's float remainder: the divisor's sign; x % 0 is NaN. */
static inline double thc_mod(double a, double b) {
  double m = fmod(a, b);
  if (isnan(m)) return m;
  if (m != 0.0) { if ((b < 0) != (m < 0)) m += b; } else { m = b < 0 ? -0.0 : 0.0; }
  return m;
}

/* Integer power by squaring, wrapping; a negative exponent is a run-time error (numpy raises). */
static inline int32_t thc_pow_i32(int32_t a, int32_t b) {
  if (b < 0) { thc_fail(THC_ENEGPOW); return 0; }
  uint32_t r = 1u, base = (uint32_t)a;
  for (uint32_t e = (uint32_t)b; e > 0u; e >>= 1) { if (e & 1u) r *= base; base *= base; }
  return (int32_t)r;
}
static inline uint32_t thc_pow_u32(uint32_t a, uint32_t b) {
  uint32_t r = 1u, base = a;
  for (uint32_t e = b; e > 0u; e >>= 1) { if (e & 1u) r *= base; base *= base; }
  return r;
}
/* C's pow already has numpy's special cases: pow(1, y) == 1, pow(-1, +-inf) == 1. */
static inline double thc_pow(double a, double b) { return pow(a, b); }

static inline double thc_rsqrt(double x) { return 1.0 / sqrt(x); }
/* -1, 0 or 1; NaN stays NaN and -0 gives 0. */
static inline double thc_sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x; }
/* numpy maximum/minimum: a NaN on either side wins. */
static inline double thc_maximum(double a, double b) { return isnan(a) ? a : isnan(b) ? b : a > b ? a : b; }
static inline double thc_minimum(double a, double b) { return isnan(a) ? a : isnan(b) ? b : a < b ? a : b; }
${C_VMATH}

/* Float to integer: truncate; NaN and infinities give 0; out-of-range values wrap modulo 2^32. */
static inline uint32_t thc_f2bits(double x) {
  if (!isfinite(x)) return 0u;
  double r = fmod(trunc(x), 4294967296.0);
  if (r < 0) r += 4294967296.0;
  return (uint32_t)r;
}
static inline int32_t thc_f2i32(double x) { return (int32_t)thc_f2bits(x); }
static inline uint32_t thc_f2u32(double x) { return thc_f2bits(x); }

/* Philox4x32-10 (runtime/rng.ts, docs/random.md): element i of a stream is philox((i lo, i hi, 0, 0), key). */
static inline void thc_philox(uint64_t i, uint32_t k0, uint32_t k1, uint32_t w[4]) {
  uint32_t c0 = (uint32_t)i, c1 = (uint32_t)(i >> 32), c2 = 0u, c3 = 0u;
  for (int r = 0; r < 10; r++) {
    if (r > 0) { k0 += 0x9e3779b9u; k1 += 0xbb67ae85u; }
    const uint64_t p0 = (uint64_t)0xd2511f53u * c0, p1 = (uint64_t)0xcd9e8d57u * c2;
    const uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c1 = (uint32_t)p1; c3 = (uint32_t)p0; c0 = n0; c2 = n2;
  }
  w[0] = c0; w[1] = c1; w[2] = c2; w[3] = c3;
}
/* Uniform in [0, 1) exactly as rng.ts: 24 bits of word 0 (f32), or 27 + 26 bits of words 0, 1. */
static inline double thc_uniform_24(uint64_t i, uint32_t k0, uint32_t k1) {
  uint32_t w[4];
  thc_philox(i, k0, k1, w);
  return (double)(w[0] >> 8) * 0x1p-24;
}
static inline double thc_uniform_53(uint64_t i, uint32_t k0, uint32_t k1) {
  uint32_t w[4];
  thc_philox(i, k0, k1, w);
  return ((double)(w[0] >> 5) * 67108864.0 + (double)(w[1] >> 6)) * 0x1p-53;
}
`;
