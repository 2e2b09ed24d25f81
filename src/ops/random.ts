/**
 * @file Random tensors from the counter-based generator (runtime/rng.ts), so one seed gives the
 * same numbers on every backend: uniform(shape, lo, hi, seed, dtype) and
 * normal(shape, mean, std, seed, dtype). The affine map `lo + (hi - lo) * u` (or `mean + std * z`)
 * is computed in f64 on the generator's values and rounded once to the dtype.
 */
import { type DType, isDType, isFloat, tensorType } from '../sema/types.js';
import { uniformValues, normalValues } from '../runtime/rng.js';
import { sizeOf } from '../runtime/ndarray.js';
import { defineOp, type PrimitiveOp } from './registry.js';
import { attrParam, build, shapeAttr } from './helpers.js';

function randomOp(name: string, a: string, b: string, da: number, db: number, doc: string,
  values: (seed: number, n: number, dtype: DType) => Float64Array, map: (lo: number, hi: number, u: number) => number): void {
  defineOp<PrimitiveOp>({
    kind: 'primitive', name, builtin: true, doc,
    params: [attrParam('shape', 'shape'), attrParam(a, 'float', da), attrParam(b, 'float', db),
      attrParam('seed', 'int', 0), attrParam('dtype', 'dtype', 'f32')],
    // Element i is a function of (seed, i) alone: kernels compute it where they read it.
    schedule: { source: true },
    infer(_ts, attrs, cx) {
      const dt = attrs['dtype'] ?? 'f32';
      if (typeof dt !== 'string' || !isDType(dt) || !isFloat(dt)) return cx.error('TH0374', { dtype: String(dt) });
      const shape = shapeAttr(attrs['shape']);
      const neg = shape.find(d => typeof d === 'number' && d < 0);
      if (neg !== undefined) return cx.error('TH0373', { size: neg, op: name });
      return tensorType(dt, shape);
    },
    eval(_xs, attrs, cx) {
      const dtype = (attrs['dtype'] ?? 'f32') as DType;
      const shape = shapeAttr(attrs['shape']).map(d => cx.dim(d));
      const p = Number(attrs[a] ?? da), q = Number(attrs[b] ?? db);
      const u = values(Number(attrs['seed'] ?? 0), sizeOf(shape), dtype);
      return build(dtype, shape, k => map(p, q, u[k]!));
    },
  });
}

randomOp('uniform', 'lo', 'hi', 0, 1, 'uniform(shape, lo=0, hi=1, seed=0, dtype=f32): values in [lo, hi)',
  uniformValues, (lo, hi, u) => lo + (hi - lo) * u);
randomOp('normal', 'mean', 'std', 0, 1, 'normal(shape, mean=0, std=1, seed=0, dtype=f32): Gaussian values',
  normalValues, (mean, std, z) => mean + std * z);
