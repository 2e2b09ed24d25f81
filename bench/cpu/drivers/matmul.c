/* CPU benchmark driver: M x M @ M x M f32 (bench/cpu/matmul.th). Usage: matmul M */
#include "bench.h"
#include "matmul.h"

struct ctx { thc_matmul_state *st; float *a, *b; long shape[2]; };
static void call(void *p) {
  struct ctx *c = p;
  float *o = NULL; long os[2];
  BENCH_CHECK(thc_matmul_mm(c->st, c->a, c->shape, c->b, c->shape, &o, os));
  free(o);
}
int main(int argc, char **argv) {
  struct ctx c;
  long m = argc > 1 ? atol(argv[1]) : 1024;
  c.shape[0] = c.shape[1] = m;
  c.a = malloc((size_t)(m * m) * sizeof(float));
  c.b = malloc((size_t)(m * m) * sizeof(float));
  bench_fill_f32(c.a, m * m, 1.0);
  bench_fill_f32(c.b, m * m, 1.0);
  c.st = thc_matmul_create();
  printf("%.9f\n", bench_time(call, &c, 3.0, 3));
  thc_matmul_free(c.st);
  free(c.a); free(c.b);
  return 0;
}
