/* STREAM-style triad a[i] = b[i] + s * c[i] over three arrays of doubles, for the CPU benchmark's
 * context line (the machine's memory bandwidth). Prints one number: the best GB/s of several
 * passes, counting 24 bytes per element (two reads, one write), as STREAM does.
 * Build: cc -O3 -fopenmp stream.c -o stream (OpenMP optional). Usage: stream [MIB_PER_ARRAY]. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 128;
  long n = mib * 1024 * 1024 / (long)sizeof(double);
  double *a = malloc((size_t)n * sizeof(double)), *b = malloc((size_t)n * sizeof(double)), *c = malloc((size_t)n * sizeof(double));
  if (!a || !b || !c) return 1;
#pragma omp parallel for
  for (long i = 0; i < n; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
  double best = 0, s = 3;
  for (int rep = 0; rep < 10; rep++) {
    double t0 = now();
#pragma omp parallel for
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
    double t = now() - t0;
    double gbs = 24.0 * (double)n / t / 1e9;
    if (gbs > best) best = gbs;
  }
  printf("%.2f\n", best + 0 * a[n / 2]);
  free(a); free(b); free(c);
  return 0;
}
