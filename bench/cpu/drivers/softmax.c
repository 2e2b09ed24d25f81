/* CPU benchmark driver: row softmax of R x 1024 f32 (bench/cpu/softmax.th). Usage: softmax R */
#include "bench.h"
#include "softmax.h"

struct ctx { thc_softmax_state *st; float *x; long shape[2]; };
static void call(void *p) {
  struct ctx *c = p;
  float *o = NULL; long os[2];
  BENCH_CHECK(thc_softmax_rows(c->st, c->x, c->shape, &o, os));
  free(o);
}
int main(int argc, char **argv) {
  struct ctx c;
  c.shape[0] = argc > 1 ? atol(argv[1]) : 4096;
  c.shape[1] = 1024;
  c.x = malloc((size_t)(c.shape[0] * c.shape[1]) * sizeof(float));
  bench_fill_f32(c.x, c.shape[0] * c.shape[1], 5.0);
  c.st = thc_softmax_create();
  printf("%.9f\n", bench_time(call, &c, 3.0, 3));
  thc_softmax_free(c.st);
  free(c.x);
  return 0;
}
