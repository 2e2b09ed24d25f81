/* CPU benchmark driver: one training step of the 784-256-10 MLP, batch 256 f32 (bench/cpu/mlp.th). */
#include "bench.h"
#include "mlp.h"

struct ctx { thc_mlp_state *st; float *x; int32_t *y; long xs[2], ys[1]; float lr; };
static void call(void *p) {
  struct ctx *c = p;
  float *o = NULL; long os[1];
  BENCH_CHECK(thc_mlp_step(c->st, c->x, c->xs, c->y, c->ys, &c->lr, NULL, &o, os));
  free(o);
}
int main(void) {
  struct ctx c;
  c.xs[0] = 256; c.xs[1] = 784; c.ys[0] = 256; c.lr = 0.01f;
  c.x = malloc(256 * 784 * sizeof(float));
  c.y = malloc(256 * sizeof(int32_t));
  bench_fill_f32(c.x, 256 * 784, 1.0);
  for (int i = 0; i < 256; i++) c.y[i] = (int32_t)(i * 7 % 10);
  c.st = thc_mlp_create();
  static float W1[784 * 256], b1[256], W2[256 * 10], b2[10];
  bench_fill_f32(W1, 784 * 256, 0.05); bench_fill_f32(W2, 256 * 10, 0.05);
  long sW1[2] = {784, 256}, sb1[1] = {256}, sW2[2] = {256, 10}, sb2[1] = {10};
  BENCH_CHECK(thc_mlp_set(c.st, "W1", W1, sW1)); BENCH_CHECK(thc_mlp_set(c.st, "b1", b1, sb1));
  BENCH_CHECK(thc_mlp_set(c.st, "W2", W2, sW2)); BENCH_CHECK(thc_mlp_set(c.st, "b2", b2, sb2));
  printf("%.9f\n", bench_time(call, &c, 3.0, 3));
  thc_mlp_free(c.st);
  free(c.x); free(c.y);
  return 0;
}
