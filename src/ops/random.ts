/**
 * @file Random tensors from the counter-based generator (runtime/rng.ts), so one seed gives the
 * same numbers on every backend: uniform(shape, lo, hi, seed, dtype) and
 * normal(shape, mean, std, seed, dtype). The affine map `lo + (hi - lo) * u` (or `mean + std * z`)
 * is computed in f64 on the generator's values and rounded once to the dtype.
 */
import { type DType, isDType, isFloat, tensorType } from '../sema/types.js';
import { uniformValues, normalValues } from '../runtime/rng.js';
import { sizeOf } from '../runtime/ndarray.js';
import { defineOp, type PrimitiveOp, type ScalarEmit } from './registry.js';
import { seedKey } from '../runtime/rng.js';
import { attrParam, build, shapeAttr } from './helpers.js';
import { jsStore } from './elementwise.js';

function randomOp(name: string, a: string, b: string, da: number, db: number, doc: string,
  values: (seed: number, n: number, dtype: DType) => Float64Array, map: (lo: number, hi: number, u: number) => number, wgsl?: ScalarEmit, c?: ScalarEmit, js?: ScalarEmit): void {
  defineOp<PrimitiveOp>({
    kind: 'primitive', name, builtin: true, doc,
    params: [attrParam('shape', 'shape'), attrParam(a, 'float', da), attrParam(b, 'float', db),
      attrParam('seed', 'int', 0), attrParam('dtype', 'dtype', 'f32')],
    // Element i is a function of (seed, i) alone: kernels compute it where they read it.
    schedule: { source: true },
    ...(wgsl || c || js ? { emit: { ...(wgsl ? { wgsl } : {}), ...(c ? { c } : {}), ...(js ? { js } : {}) } } : {}),
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

/**
 * Whether f32 arithmetic on the GPU gives exactly the interpreter's f32 uniform values: the
 * interpreter computes lo + (hi - lo) * u in f64 and rounds once. With hi - lo a power of two and
 * lo an f32, (hi - lo) * u is exact in f32 (u has 24 bits), and the one rounding of the f32 sum
 * equals the interpreter's as long as the f64 sum is exact (all its bits fit in 53).
 */
export function uniformExactInF32(lo: number, hi: number): boolean {
  const d = hi - lo;
  if (!(d > 0) || !Number.isFinite(d) || Math.fround(lo) !== lo || 2 ** Math.round(Math.log2(d)) !== d) return false;
  const e = Math.round(Math.log2(d));
  if (e < -100 || e > 100) return false;
  if (lo === 0) return true;
  let low = Math.floor(Math.log2(Math.abs(lo)));
  while (Number.isInteger(lo / 2 ** low) && low < 200) low++;
  const lowest = Math.min(e - 24, low - 1), top = Math.max(e, Math.floor(Math.log2(Math.abs(lo)))) + 1;
  return top - lowest <= 52;
}

/**
 * WGSL: Philox word 0 of element k (prelude thc_philox, the interpreter's counter and key), its top
 * 24 bits as u in [0, 1), then lo + (hi - lo) * u in f32 (exact only where uniformExactInF32 holds;
 * the backend checks it before printing).
 */
const uniformWgsl: ScalarEmit = ([k], _t, _out, attrs) => {
  const [k0, k1] = seedKey(Number(attrs['seed'] ?? 0));
  const lo = Number(attrs['lo'] ?? 0), hi = Number(attrs['hi'] ?? 1);
  const u = `ldexp(f32(thc_philox(vec4<u32>(u32(${k}), 0u, 0u, 0u), vec2<u32>(${k0}u, ${k1}u)).x >> 8u), -24i)`;
  return `(f32(${lo}) + f32(${hi - lo}) * ${u})`;
};

/** A double constant as C text (shortest round-trip decimal; math.h names for the non-finite). */
const cDouble = (v: number): string => {
  if (Number.isNaN(v)) return 'NAN';
  if (!Number.isFinite(v)) return v > 0 ? 'INFINITY' : '(-INFINITY)';
  const s = String(v);
  return `(${/[.eE]/.test(s) ? s : `${s}.0`})`;
};

/**
 * C: the interpreter's computation exactly. Philox words of element k (prelude thc_philox, 64-bit
 * products), u from 24 bits (f32) or 53 bits (f64) as rng.ts takes them, then lo + (hi - lo) * u in
 * double with hi - lo folded as the interpreter folds it, rounded once to the dtype.
 */
const uniformC: ScalarEmit = ([k], _t, out, attrs) => {
  const [k0, k1] = seedKey(Number(attrs['seed'] ?? 0));
  const lo = Number(attrs['lo'] ?? 0), hi = Number(attrs['hi'] ?? 1);
  const u = `thc_uniform_${out === 'f32' ? '24' : '53'}((uint64_t)${k}, ${k0}u, ${k1}u)`;
  const v = `(${cDouble(lo)} + ${cDouble(hi - lo)} * ${u})`;
  return out === 'f32' ? `((float)${v})` : v;
};

/**
 * Whether the GPU's f32 std * z equals the interpreter's mean + std * z (f64, rounded once): with
 * mean 0 and std a positive power of two the product of the exact f32 z is exact in both (|z| is
 * between 2^-40 and 6, far from f32 overflow and subnormals for the exponents allowed here).
 */
export function normalExactInF32(mean: number, std: number): boolean {
  if (mean !== 0 || !(std > 0) || !Number.isFinite(std)) return false;
  const e = Math.round(Math.log2(std));
  return 2 ** e === std && e >= -80 && e <= 100;
}

/**
 * WGSL: the f32 normal of element k from the integer-only helper thc_normal_f32 (wgsl/normal.ts),
 * times std when std is not 1 (exact only where normalExactInF32 holds; the backend checks it).
 */
const normalWgsl: ScalarEmit = ([k], _t, _out, attrs) => {
  const [k0, k1] = seedKey(Number(attrs['seed'] ?? 0));
  const std = Number(attrs['std'] ?? 1);
  const z = `thc_normal_f32(thc_philox(vec4<u32>(u32(${k}), 0u, 0u, 0u), vec2<u32>(${k0}u, ${k1}u)))`;
  return std === 1 ? z : `(f32(${std}) * ${z})`;
};

/**
 * C: the interpreter's computation exactly: z from thc_normal_24 (f32, integer arithmetic) or
 * thc_normal_53 (f64, thc's own log and cos; c/normal.ts), then mean + std * z in double, rounded
 * once to the dtype.
 */
const normalC: ScalarEmit = ([k], _t, out, attrs) => {
  const [k0, k1] = seedKey(Number(attrs['seed'] ?? 0));
  const mean = Number(attrs['mean'] ?? 0), std = Number(attrs['std'] ?? 1);
  const z = out === 'f32' ? `(double)thc_normal_24((uint64_t)${k}, ${k0}u, ${k1}u)` : `thc_normal_53((uint64_t)${k}, ${k0}u, ${k1}u)`;
  const v = `(${cDouble(mean)} + ${cDouble(std)} * ${z})`;
  return out === 'f32' ? `((float)${v})` : v;
};

/**
 * JS: the interpreter's computation in the same engine. Philox words of element k (the JS
 * target's thc_uniform_24/53, rng.ts's algorithm), then lo + (hi - lo) * u in double with hi - lo
 * folded to the double the interpreter computes, rounded once to the dtype.
 */
/** A double as JS text in an expression (negatives and -0 parenthesised). */
const jsNum = (v: number): string => (Object.is(v, -0) ? '(-0)' : v < 0 ? `(${v})` : String(v));
const uniformJs: ScalarEmit = ([k], _t, out, attrs) => {
  const [k0, k1] = seedKey(Number(attrs['seed'] ?? 0));
  const lo = Number(attrs['lo'] ?? 0), hi = Number(attrs['hi'] ?? 1);
  return jsStore(out, `${jsNum(lo)} + ${jsNum(hi - lo)} * thc_uniform_${out === 'f32' ? '24' : '53'}(${k}, ${k0}, ${k1})`);
};

/**
 * JS: the interpreter's computation in the same engine: z from thc_normal_24 (f32: normal-fixed.ts's
 * integer path, an exact f32 value) or thc_normal_53 (f64: libm.ts's log and cos), both copied
 * into the JS target's helpers, then mean + std * z in double, rounded once to the dtype.
 */
const normalJs: ScalarEmit = ([k], _t, out, attrs) => {
  const [k0, k1] = seedKey(Number(attrs['seed'] ?? 0));
  const mean = Number(attrs['mean'] ?? 0), std = Number(attrs['std'] ?? 1);
  return jsStore(out, `${jsNum(mean)} + ${jsNum(std)} * thc_normal_${out === 'f32' ? '24' : '53'}(${k}, ${k0}, ${k1})`);
};

randomOp('uniform', 'lo', 'hi', 0, 1, 'uniform(shape, lo=0, hi=1, seed=0, dtype=f32): values in [lo, hi)',
  uniformValues, (lo, hi, u) => lo + (hi - lo) * u, uniformWgsl, uniformC, uniformJs);
randomOp('normal', 'mean', 'std', 0, 1, 'normal(shape, mean=0, std=1, seed=0, dtype=f32): Gaussian values',
  normalValues, (mean, std, z) => mean + std * z, normalWgsl, normalC, normalJs);
