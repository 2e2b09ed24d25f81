/**
 * @file Elementwise arithmetic and math: the operators `+ - * / % ^` and unary `-`, the math
 * builtins (exp ... round), maximum/minimum, clip (composite) and cast. Each entry is a scalar
 * function; helpers.ts derives broadcasting, type rule and kernel.
 * Dtype policy (numpy unless stated): bool operands of arithmetic are rejected (TH0351, help
 * `cast(x, i32)`) instead of numpy's bool+bool=or; i32/u32 wrap modulo 2^32; f32/f16 round once.
 */
import { tensorType, isDType } from '../sema/types.js';
import { defineOp, type CompositeOp, type PrimitiveOp } from './registry.js';
import { attrParam, binary, build, fail, tensorParam, unary } from './helpers.js';

// ---------------------------------------------------------------- scalar helpers

/** numpy's float remainder (npy_divmod): the result takes the sign of the divisor; x % 0 is NaN. */
export function floatMod(a: number, b: number): number {
  let m = a % b; // C fmod
  if (Number.isNaN(m)) return m;
  if (m !== 0) {
    if ((b < 0) !== (m < 0)) m += b;
  } else {
    m = b < 0 ? -0 : 0; // copysign(0, b)
  }
  return m;
}

/** numpy's integer remainder: sign of the divisor, and x % 0 == 0 (numpy warns; we document it). */
export function intMod(a: number, b: number): number {
  if (b === 0) return 0;
  let r = a % b;
  if (r !== 0 && (r < 0) !== (b < 0)) r += b;
  return r;
}

/** C's pow: unlike Math.pow, pow(1, y) == 1 and pow(-1, ±inf) == 1 (numpy follows C). */
export function floatPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** Integer power by squaring with wrap-around multiplies; negative exponents are TH0691 (numpy raises). */
export function intPow(a: number, b: number): number {
  if (b < 0) fail('TH0691', { base: a, exp: b });
  let r = 1, base = a | 0, e = b;
  while (e > 0) {
    if (e % 2 === 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return r;
}

/** numpy's round: half to even, keeping the sign of zero (round(-0.4) is -0). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

/** Stable logistic: exp(x)/(1+exp(x)) for x < 0 never overflows and keeps tiny values accurate. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Stable log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const ident = (x: number): number => x;

// ---------------------------------------------------------------- operators

binary('add', { doc: 'a + b (elementwise, broadcasting)', f: (a, b) => a + b, flags: { commutative: true, associative: true } });
binary('sub', { doc: 'a - b (elementwise, broadcasting)', f: (a, b) => a - b });
binary('mul', {
  doc: 'a * b (elementwise, broadcasting; integers wrap)', f: (a, b) => a * b,
  i32: Math.imul, u32: Math.imul, flags: { commutative: true, associative: true },
});
binary('div', { doc: 'a / b: true division (integers give f64, like numpy)', f: (a, b) => a / b, float: true });
binary('mod', {
  doc: 'a % b: numpy remainder, with the sign of the divisor; integer x % 0 is 0',
  f: floatMod, i32: intMod, u32: intMod,
});
binary('pow', {
  doc: 'a ^ b: power; integer ^ integer stays integer (wraps) and a negative integer exponent is a run-time error',
  f: floatPow, i32: intPow, u32: intPow, builtin: true, params: [tensorParam('x'), tensorParam('y')],
});
unary('neg', { doc: '-x (integers wrap)', f: x => -x, builtin: false });

// ---------------------------------------------------------------- math builtins

const floatFns: Record<string, [(x: number) => number, string]> = {
  exp: [Math.exp, 'e^x'],
  log: [Math.log, 'natural logarithm (NaN below 0, -inf at 0)'],
  log1p: [Math.log1p, 'log(1 + x), accurate for tiny x'],
  expm1: [Math.expm1, 'exp(x) - 1, accurate for tiny x'],
  sqrt: [Math.sqrt, 'square root'],
  rsqrt: [x => 1 / Math.sqrt(x), '1 / sqrt(x)'],
  sin: [Math.sin, 'sine'],
  cos: [Math.cos, 'cosine'],
  tan: [Math.tan, 'tangent'],
  tanh: [Math.tanh, 'hyperbolic tangent'],
  sigmoid: [sigmoid, 'logistic 1 / (1 + exp(-x)), stable for large |x|'],
  softplus: [softplus, 'log(1 + exp(x)), stable for large |x|'],
};
for (const [name, [f, what]] of Object.entries(floatFns)) {
  unary(name, { doc: `${what}; integer and bool inputs are computed in f64`, f, float: true });
}

unary('abs', { doc: 'absolute value (abs of the most negative i32 wraps to itself, like numpy)', f: Math.abs });
unary('sign', { doc: 'sign: -1, 0 or 1 (NaN stays NaN, -0 gives 0)', f: x => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x) });
unary('floor', { doc: 'round toward -inf (integers unchanged)', f: Math.floor, i32: ident, u32: ident });
unary('ceil', { doc: 'round toward +inf (integers unchanged)', f: Math.ceil, i32: ident, u32: ident });
unary('round', { doc: 'round half to even, like numpy (integers unchanged)', f: roundHalfEven, i32: ident, u32: ident });

/** numpy maximum/minimum: a NaN on either side wins. */
binary('maximum', {
  doc: 'elementwise maximum (NaN propagates)', builtin: true, allowBool: true, flags: { commutative: true },
  f: (a, b) => (Number.isNaN(a) ? a : Number.isNaN(b) ? b : a > b ? a : b),
});
binary('minimum', {
  doc: 'elementwise minimum (NaN propagates)', builtin: true, allowBool: true, flags: { commutative: true },
  f: (a, b) => (Number.isNaN(a) ? a : Number.isNaN(b) ? b : a < b ? a : b),
});

defineOp<CompositeOp>({
  kind: 'composite', name: 'clip', builtin: true,
  doc: 'clip(x, lo, hi) = minimum(maximum(x, lo), hi), like numpy (NaN in x propagates)',
  params: [tensorParam('x'), tensorParam('lo'), tensorParam('hi')],
  expand(b, [x, lo, hi]) {
    return b.op('minimum', [b.op('maximum', [x!, lo!]), hi!]);
  },
});

// ---------------------------------------------------------------- cast

defineOp<PrimitiveOp>({
  kind: 'primitive', name: 'cast', builtin: true,
  doc: 'convert to a dtype: float->int truncates toward zero (NaN/inf give 0, out-of-range values wrap modulo 2^32), '
    + 'i32<->u32 wrap, to bool is x != 0 (NaN is true), to f32/f16 rounds to nearest even',
  params: [tensorParam('x'), attrParam('dtype', 'dtype')],
  flags: { elementwise: true },
  infer([x], attrs, cx) {
    const dt = attrs['dtype'];
    if (typeof dt !== 'string' || !isDType(dt)) return cx.error('TH0374', { dtype: String(dt) });
    return tensorType(dt, x!.shape);
  },
  eval([x], attrs) {
    const dt = attrs['dtype'] as string;
    if (!isDType(dt)) throw new Error(`cast to unknown dtype ${dt}`);
    const d = x!.data;
    return build(dt, x!.shape, k => d[k]!);
  },
});
