/* Shared by the CPU benchmark's C drivers (bench/cpu.ts builds each with the program's generated
 * .c from `thc compile --target c -o DIR`): a monotonic clock, the median-of-repetitions timer
 * with a time budget, and deterministic pseudo-random fill (the values only need to be ordinary
 * numbers; the workloads are timed, not checked). */
#ifndef THC_BENCH_H
#define THC_BENCH_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double bench_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int bench_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median seconds of fn(ctx) after one warm-up call: at least min_reps, at most 15, until budget s. */
static double bench_time(void (*fn)(void *), void *ctx, double budget, int min_reps) {
  double times[15];
  int n = 0;
  fn(ctx);
  double start = bench_now();
  while (n < 15 && (n < min_reps || bench_now() - start < budget)) {
    double t0 = bench_now();
    fn(ctx);
    times[n++] = bench_now() - t0;
  }
  qsort(times, (size_t)n, sizeof(double), bench_cmp);
  return times[n / 2];
}

static unsigned long bench_seed = 88172645463325252UL;
/* xorshift64 uniform in [-1, 1): deterministic inputs. */
static double bench_rand(void) {
  bench_seed ^= bench_seed << 13; bench_seed ^= bench_seed >> 7; bench_seed ^= bench_seed << 17;
  return (double)(bench_seed >> 11) * 0x1p-52 - 1.0;
}

static void bench_fill_f32(float *x, long n, double scale) { for (long i = 0; i < n; i++) x[i] = (float)(scale * bench_rand()); }
static void bench_fill_f64(double *x, long n, double scale) { for (long i = 0; i < n; i++) x[i] = scale * bench_rand(); }

#define BENCH_CHECK(call) do { int rc_ = (call); if (rc_) { fprintf(stderr, "%s failed: %d\n", #call, rc_); exit(1); } } while (0)
#endif
