/* CPU benchmark driver: sum(sigmoid(x) * x + log1p(x * x)) over N f32 (bench/cpu/chain.th). Usage: chain N */
#include "bench.h"
#include "chain.h"

struct ctx { thc_chain_state *st; float *x; long shape[1]; };
static void call(void *p) {
  struct ctx *c = p;
  float *o = NULL; long os[1];
  BENCH_CHECK(thc_chain_chain(c->st, c->x, c->shape, &o, os));
  free(o);
}
int main(int argc, char **argv) {
  struct ctx c;
  c.shape[0] = argc > 1 ? atol(argv[1]) : 1L << 25;
  c.x = malloc((size_t)c.shape[0] * sizeof(float));
  bench_fill_f32(c.x, c.shape[0], 3.0);
  c.st = thc_chain_create();
  printf("%.9f\n", bench_time(call, &c, 3.0, 3));
  thc_chain_free(c.st);
  free(c.x);
  return 0;
}
