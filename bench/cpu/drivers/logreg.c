/* CPU benchmark driver: STEPS training steps of samples/logreg.th (400 x 784, f64). Usage: logreg STEPS */
#include "bench.h"
#include "logreg.h"

struct ctx { thc_logreg_state *st; long steps; double *w0; };
static void call(void *p) {
  struct ctx *c = p;
  long ws[1] = {784}, bs_unused = 0; double b0 = 0, lr = 0.1;
  (void)bs_unused;
  BENCH_CHECK(thc_logreg_set(c->st, "w", c->w0, ws));
  BENCH_CHECK(thc_logreg_set(c->st, "b", &b0, NULL));
  for (long s = 0; s < c->steps; s++) {
    double *o0 = NULL, *o1 = NULL; long s0[1], s1[1];
    BENCH_CHECK(thc_logreg_train(c->st, &lr, NULL, &o0, s0, &o1, s1));
    free(o0); free(o1);
  }
}
int main(int argc, char **argv) {
  struct ctx c;
  c.steps = argc > 1 ? atol(argv[1]) : 1000;
  static double x[400 * 784], coin[400], w0[784];
  bench_fill_f64(x, 400 * 784, 1.7);
  for (int i = 0; i < 400; i++) coin[i] = 0.5 * (bench_rand() + 1.0);
  bench_fill_f64(w0, 784, 0.01);
  c.w0 = w0;
  c.st = thc_logreg_create();
  long xs[2] = {400, 784}, cs[1] = {400};
  BENCH_CHECK(thc_logreg_set(c.st, "D_x", x, xs));
  BENCH_CHECK(thc_logreg_set(c.st, "D_coin", coin, cs));
  printf("%.9f\n", bench_time(call, &c, 5.0, 1));
  thc_logreg_free(c.st);
  return 0;
}
