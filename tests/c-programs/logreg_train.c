/*
 * @file A hand-written user of the header that `thc compile samples/logreg.th --target c -o DIR`
 * writes (tests/c-files.test.ts builds it with -std=c99 -Wall -Wextra -Werror against DIR/logreg.c).
 *
 *   logreg_train STATEDIR STEPS
 *
 * Reads every shared variable from STATEDIR/<name>.bin (raw little-endian elements, the shape
 * taken from the program's variable table), calls train(lr = 0.1) STEPS times and prints, one
 * number per line with 17 significant digits: `cost K C` and `accuracy K A` for each step K, then
 * `w I V` for every weight and `b 0 V`. Exit status 1 on any error, with a line on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logreg.h"

static long count_of(const thc_var_info *v) {
  long n = 1;
  for (int a = 0; a < v->rank; a++) n *= v->shape[a];
  return n;
}

static int load(thc_logreg_state *st, const char *dir, const thc_var_info *v) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.bin", dir, v->name);
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); return 1; }
  const long n = count_of(v);
  /* Every variable of logreg.th is f64. */
  if (strcmp(v->dtype, "f64") != 0) { fprintf(stderr, "%s is %s, expected f64\n", v->name, v->dtype); fclose(f); return 1; }
  double *data = malloc((size_t)(n > 0 ? n : 1) * sizeof *data);
  const int short_read = !data || fread(data, sizeof *data, (size_t)n, f) != (size_t)n;
  fclose(f);
  if (short_read) { fprintf(stderr, "cannot read %ld doubles from %s\n", n, path); free(data); return 1; }
  const int rc = thc_logreg_set(st, v->name, data, v->shape);
  free(data);
  if (rc != THC_OK) { fprintf(stderr, "set %s: %s\n", v->name, thc_logreg_strerror(rc)); return 1; }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s STATEDIR STEPS\n", argv[0]); return 1; }
  const long steps = strtol(argv[2], NULL, 10);
  thc_logreg_state *st = thc_logreg_create();
  if (!st) { fprintf(stderr, "out of memory\n"); return 1; }
  int status = 0;
  for (int i = 0; status == 0 && thc_logreg_var(i); i++) status = load(st, argv[1], thc_logreg_var(i));
  /* Setting an array of the wrong shape is refused and leaves the variable as it was. */
  const long wrong[1] = {783};
  const double zeros[784] = {0};
  if (status == 0 && thc_logreg_set_w(st, zeros, wrong) != THC_ESHAPE) { fprintf(stderr, "a wrong shape was accepted\n"); status = 1; }
  const double lr = 0.1;
  for (long k = 0; status == 0 && k < steps; k++) {
    double *cost = NULL, *accuracy = NULL;
    const int rc = thc_logreg_train(st, &lr, NULL, &cost, NULL, &accuracy, NULL);
    if (rc != THC_OK) { fprintf(stderr, "train: %s\n", thc_logreg_strerror(rc)); status = 1; break; }
    printf("cost %ld %.17g\naccuracy %ld %.17g\n", k, cost[0], k, accuracy[0]);
    free(cost);
    free(accuracy);
  }
  if (status == 0) {
    long shape[1] = {0};
    const double *w = thc_logreg_get_w(st, shape);
    const double *b = thc_logreg_get_b(st, NULL);
    if (!w || !b || shape[0] != 784) { fprintf(stderr, "the state lost w or b\n"); status = 1; }
    for (long i = 0; status == 0 && i < shape[0]; i++) printf("w %ld %.17g\n", i, w[i]);
    if (status == 0) printf("b 0 %.17g\n", b[0]);
  }
  thc_logreg_free(st);
  return status;
}
