/**
 * @file Elementwise arithmetic and math: the operators `+ - * / % ^` and unary `-`, the math
 * builtins (exp ... round), maximum/minimum, clip (composite) and cast. Each entry is a scalar
 * function; helpers.ts derives broadcasting, type rule and kernel.
 * Dtype policy (numpy unless stated): bool operands of arithmetic are rejected (TH0351, help
 * `cast(x, i32)`) instead of numpy's bool+bool=or; i32/u32 wrap modulo 2^32; f32/f16 round once.
 * Gradient rules sit beside each op (docs/gradients.md lists them with the tie rules).
 */
import { tensorType, isDType, isFloat } from '../sema/types.js';
import type { Node } from '../graph/node.js';
import { defineOp, type CompositeOp, type PrimitiveOp, type ScalarEmit } from './registry.js';
import type { DType } from '../sema/types.js';
import { attrParam, binary, build, fail, gradMath, tensorParam, unary, type GradRule } from './helpers.js';

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

// WGSL printers (src/backend/wgsl): operands arrive in the operands' dtype; f32, i32, u32 and bool
// are the GPU's types (f64 and f16 programs are rejected before printing). Functions named thc_*
// are the backend's helpers (src/backend/wgsl/prelude.ts): WGSL has no log1p/expm1, and its pow,
// tanh and float % need care that a one-line printer cannot give.
const infix = (op: string): ScalarEmit => ([a, b]) => `(${a} ${op} ${b})`;
/** A helper per dtype: WGSL user functions cannot be overloaded. */
const byType = (name: string): ScalarEmit => (args, t) => `thc_${name}_${t}(${args.join(', ')})`;
const call = (fn: string): ScalarEmit => args => `${fn}(${args.join(', ')})`;
/** Rounding functions leave integers as they are. */
const floatOnly = (fn: string): ScalarEmit => ([a], t) => (t === 'f32' ? `${fn}(${a})` : a!);
/** WGSL spellings of the GPU's value types. */
export const wgslScalarType = (t: DType): string => (t === 'bool' ? 'bool' : t);
const zeroOf = (t: DType): string => (t === 'f32' ? '0.0f' : t === 'u32' ? '0u' : '0i');

/**
 * numpy's cast semantics where WGSL's conversions differ: to bool is `x != 0`; i32 <-> u32
 * conversions keep the bits in WGSL already; a negative float to u32 goes through i32 so it wraps
 * like the interpreter (WGSL would clamp it to 0). Floats beyond the i32/u32 range clamp on the GPU
 * where the interpreter wraps (docs/wgsl.md).
 */
const castEmit: ScalarEmit = ([a], t, out) => {
  if (t === out) return a!;
  if (out === 'bool') return `(${a} != ${zeroOf(t)})`;
  if (t === 'f32' && out === 'u32') return `select(u32(${a}), bitcast<u32>(i32(${a})), ${a} < 0.0f)`;
  return `${wgslScalarType(out)}(${a})`;
};

// C printers (src/backend/c): operands arrive in the operands' dtype (f64, f32, i32, u32, bool as
// uint8_t). f32 math is computed in double and rounded once, as the interpreter does (Math.* in f64,
// then fround), so f32 results match it to the rounding of the libm call. Signed overflow is
// undefined in C, so i32 arithmetic goes through the wrapping thc_* helpers of
// src/backend/c/prelude.ts; u32 arithmetic wraps in C already.
/** A libm function of doubles; f32 operands are widened and the result rounded once. */
const cMath = (fn: string): ScalarEmit => (args, t) => (t === 'f32' ? `((float)${fn}(${args.join(', ')}))` : `${fn}(${args.join(', ')})`);
/** An infix operator: wrapping helper for i32, a cast back for u32 (C promotes to unsigned int). */
const cArith = (op: string, name: string): ScalarEmit => ([a, b], t) =>
  (t === 'i32' ? `thc_${name}_i32(${a}, ${b})` : t === 'u32' ? `((uint32_t)(${a} ${op} ${b}))` : `(${a} ${op} ${b})`);
/** Integer helpers per dtype, floats through a double helper. */
const cByType = (name: string): ScalarEmit => (args, t) => (t === 'i32' || t === 'u32' ? `thc_${name}_${t}(${args.join(', ')})` : cMath(`thc_${name}`)(args, t, t, {}));
/** Rounding functions leave integers as they are. */
const cFloatOnly = (fn: string): ScalarEmit => ([a], t) => (t === 'f32' || t === 'f64' ? cMath(fn)([a!], t, t, {}) : a!);
/** C spellings of the value types (bool is a uint8_t holding 0 or 1). */
export const cScalarType = (t: DType): string =>
  ({ f64: 'double', f32: 'float', i32: 'int32_t', u32: 'uint32_t', bool: 'uint8_t', f16: '' } as const)[t];

/**
 * The interpreter's casts: to bool is x != 0 (NaN is true); float to i32/u32 truncates, NaN and
 * infinities give 0 and out-of-range values wrap modulo 2^32 (thc_f2i32/thc_f2u32: C leaves them
 * undefined); integer to integer keeps the bits.
 */
const castC: ScalarEmit = ([a], t, out) => {
  if (t === out) return a!;
  if (out === 'bool') return `((uint8_t)(${a} != 0))`;
  if ((t === 'f64' || t === 'f32') && (out === 'i32' || out === 'u32')) return `thc_f2${out}(${a})`;
  return `((${cScalarType(out)})${a})`;
};

// JS printers (src/backend/js): operands are JS numbers holding exactly the stored values of
// dtype `t`; each printer is the interpreter's scalar function (the same Math calls in the same
// order) followed by what a store into an `out` array does to the double (jsStore: runtime/
// ndarray.ts's roundTo), so results are the interpreter's bit for bit. Functions named thc_* are
// the JS target's helpers (src/backend/js/prelude.ts: the functions above, embedded by their text).
/** The value a store into an `out` array keeps of the double `e` (roundTo's rules, as JS text). */
export function jsStore(out: DType, e: string): string {
  switch (out) {
    case 'f64': return `(${e})`;
    case 'f32': return `Math.fround(${e})`;
    case 'i32': return `((${e}) | 0)`;
    case 'u32': return `((${e}) >>> 0)`;
    // NaN !== 0: NaN casts to true, as in the interpreter.
    case 'bool': return `((${e}) !== 0 ? 1 : 0)`;
    default: throw new Error(`no JS store for ${out}`);
  }
}
const isIntT = (t: DType): boolean => t === 'i32' || t === 'u32' || t === 'bool';
/** An infix operator on doubles, then the store's rounding. */
const jsInfix = (op: string): ScalarEmit => ([a, b], _t, out) => jsStore(out, `${a} ${op} ${b}`);
/** A call, then the store's rounding. */
const jsCall = (fn: string): ScalarEmit => (args, _t, out) => jsStore(out, `${fn}(${args.join(', ')})`);
/** Per dtype: the interpreter's integer kernel or its float kernel. */
const jsByType = (float: string, int: string): ScalarEmit => (args, t, out) => jsCall(isIntT(t) ? int : float)(args, t, out, {});
/** Rounding functions leave integers as they are. */
const jsFloatOnly = (fn: string): ScalarEmit => ([a], t, out) => (isIntT(t) ? a! : jsCall(fn)([a!], t, out, {}));

// ---------------------------------------------------------------- operators

// Gradient rules: `g` is d cost / d out, in the broadcast output's shape; `y` is the node itself
// (hash-consing makes `exp`'s rule reuse the forward `exp`). Each carries its identity.

/** d(a + b) = g, g */
const addGrad: GradRule = g => [g, g];
/** d(a - b) = g, -g */
const subGrad: GradRule = (g, y, b) => [g, gradMath(b, y).neg(g)];
/** d(a * b) = g * b, g * a */
const mulGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), [p, q] = y.inputs as [Node, Node];
  return [m.mul(g, q), m.mul(g, p)];
};
/** d(a / b) = g / b, -g * (a / b) / b */
const divGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), q = y.inputs[1]!;
  return [m.div(g, q), m.neg(m.div(m.mul(g, y), q))];
};
/** a % b = a - floor(a / b) * b: d = g, -g * floor(a / b) (a.e.; the jumps have no derivative) */
const modGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), [p, q] = y.inputs as [Node, Node];
  return [g, m.neg(m.mul(g, m.floor(m.div(p, q))))];
};
/**
 * d(x ^ p) = g * p * x ^ (p - 1), g * x ^ p * log(x). The exponent's gradient uses
 * where(x > 0, log(x), 0): real powers of x <= 0 have no derivative in p (0 is what we give).
 */
const powGrad: GradRule = (g, y, b) => {
  const m = gradMath(b, y), [x, p] = y.inputs as [Node, Node];
  const dx = x.op === 'const' ? null : m.mul(m.mul(g, p), m.pow(x, m.sub(p, m.c(1))));
  // A literal exponent (the usual x ^ 2) needs no log(x): don't build what nobody reads.
  if (p.op === 'const') return [dx, null];
  const logx = m.where(m.gt(x, m.c(0)), m.log(x), m.c(0));
  return [dx, m.mul(m.mul(g, y), logx)];
};

binary('add', {
  doc: 'a + b (elementwise, broadcasting)', f: (a, b) => a + b, flags: { commutative: true, associative: true }, grad: addGrad,
  wgsl: infix('+'), c: cArith('+', 'add'), js: jsInfix('+'),
});
binary('sub', { doc: 'a - b (elementwise, broadcasting)', f: (a, b) => a - b, grad: subGrad, wgsl: infix('-'), c: cArith('-', 'sub'), js: jsInfix('-') });
binary('mul', {
  doc: 'a * b (elementwise, broadcasting; integers wrap)', f: (a, b) => a * b,
  i32: Math.imul, u32: Math.imul, flags: { commutative: true, associative: true }, grad: mulGrad, wgsl: infix('*'), c: cArith('*', 'mul'),
  // The interpreter's integer kernel is Math.imul (an i32 product as a double may pass 2^53).
  js: ([a, b], t, out) => (t === 'i32' || t === 'u32' ? jsStore(out, `Math.imul(${a}, ${b})`) : jsStore(out, `${a} * ${b}`)),
});
binary('div', { doc: 'a / b: true division (integers give f64, like numpy)', f: (a, b) => a / b, float: true, grad: divGrad, wgsl: infix('/'), c: ([a, b]) => `(${a} / ${b})`, js: jsInfix('/') });
binary('mod', {
  doc: 'a % b: numpy remainder, with the sign of the divisor; integer x % 0 is 0',
  f: floatMod, i32: intMod, u32: intMod, grad: modGrad, wgsl: byType('mod'), c: cByType('mod'), js: jsByType('thc_fmod', 'thc_imod'),
});
binary('pow', {
  doc: 'a ^ b: power; integer ^ integer stays integer (wraps) and a negative integer exponent is a run-time error',
  f: floatPow, i32: intPow, u32: intPow, builtin: true, params: [tensorParam('x'), tensorParam('y')], grad: powGrad,
  wgsl: byType('pow'), c: cByType('pow'), js: jsByType('thc_fpow', 'thc_ipow'),
});
/** d(-x) = -g */
unary('neg', {
  doc: '-x (integers wrap)', f: x => -x, builtin: false, grad: (g, y, b) => [gradMath(b, y).neg(g)],
  wgsl: ([a], t) => (t === 'u32' ? `(0u - ${a})` : `(-${a})`),
  c: ([a], t) => (t === 'i32' ? `thc_neg_i32(${a})` : t === 'u32' ? `((uint32_t)(0u - ${a}))` : `(-${a})`),
  js: ([a], _t, out) => jsStore(out, `-${a}`),
});

// ---------------------------------------------------------------- math builtins

/** A unary rule from d y / d x written with x, y (the node) and the gradient math kit. */
type Local = (m: ReturnType<typeof gradMath>, x: Node, y: Node) => Node;
const chain = (dydx: Local): GradRule => (g, y, b) => {
  const m = gradMath(b, y);
  return [m.mul(g, dydx(m, y.inputs[0]!, y))];
};

const floatFns: Record<string, [(x: number) => number, string, GradRule]> = {
  // d exp(x) = exp(x)
  exp: [Math.exp, 'e^x', chain((_m, _x, y) => y)],
  // d log(x) = 1 / x
  log: [Math.log, 'natural logarithm (NaN below 0, -inf at 0)', (g, y, b) => [gradMath(b, y).div(g, y.inputs[0]!)]],
  // d log1p(x) = 1 / (1 + x)
  log1p: [Math.log1p, 'log(1 + x), accurate for tiny x', (g, y, b) => {
    const m = gradMath(b, y);
    return [m.div(g, m.add(y.inputs[0]!, m.c(1)))];
  }],
  // d expm1(x) = exp(x) = expm1(x) + 1
  expm1: [Math.expm1, 'exp(x) - 1, accurate for tiny x', chain((m, _x, y) => m.add(y, m.c(1)))],
  // d sqrt(x) = 1 / (2 sqrt(x))
  sqrt: [Math.sqrt, 'square root', (g, y, b) => {
    const m = gradMath(b, y);
    return [m.div(g, m.mul(m.c(2), y))];
  }],
  // d x^(-1/2) = -1/2 x^(-3/2) = -0.5 * rsqrt(x) / x
  rsqrt: [x => 1 / Math.sqrt(x), '1 / sqrt(x)', chain((m, x, y) => m.mul(m.c(-0.5), m.div(y, x)))],
  // d sin(x) = cos(x)
  sin: [Math.sin, 'sine', chain((m, x) => m.cos(x))],
  // d cos(x) = -sin(x)
  cos: [Math.cos, 'cosine', chain((m, x) => m.neg(m.sin(x)))],
  // d tan(x) = 1 + tan(x)^2
  tan: [Math.tan, 'tangent', chain((m, _x, y) => m.add(m.c(1), m.mul(y, y)))],
  // d tanh(x) = 1 - tanh(x)^2
  tanh: [Math.tanh, 'hyperbolic tangent', chain((m, _x, y) => m.sub(m.c(1), m.mul(y, y)))],
  // d sigmoid(x) = sigmoid(x) (1 - sigmoid(x))
  sigmoid: [sigmoid, 'logistic 1 / (1 + exp(-x)), stable for large |x|', chain((m, _x, y) => m.mul(y, m.sub(m.c(1), y)))],
  // d softplus(x) = sigmoid(x)
  softplus: [softplus, 'log(1 + exp(x)), stable for large |x|', chain((m, x) => m.sigmoid(x))],
};
/**
 * WGSL for each float function: builtins where WGSL's accuracy is good enough on the whole range,
 * helpers where it is not (log1p, expm1: no builtin; sin/cos: only accurate on [-pi, pi], so the
 * helper reduces the argument; tanh, sigmoid, softplus: stable forms that never overflow exp).
 */
const floatWgsl: Record<string, ScalarEmit> = {
  exp: call('exp'), log: call('log'), log1p: byType('log1p'), expm1: byType('expm1'), sqrt: call('sqrt'),
  rsqrt: call('inverseSqrt'), sin: byType('sin'), cos: byType('cos'), tan: call('tan'), tanh: byType('tanh'),
  sigmoid: byType('sigmoid'), softplus: byType('softplus'),
};
/**
 * C for each float function: libm where it has one, the interpreter's stable forms otherwise; exp,
 * log and log1p through thc_* (libm, or thc's vectorizable ones under THC_VECTOR_MATH:
 * src/backend/c/vmath.ts).
 */
const floatC: Record<string, ScalarEmit> = {
  exp: cMath('thc_exp'), log: cMath('thc_log'), log1p: cMath('thc_log1p'), expm1: cMath('expm1'), sqrt: cMath('sqrt'),
  rsqrt: cMath('thc_rsqrt'), sin: cMath('sin'), cos: cMath('cos'), tan: cMath('tan'), tanh: cMath('tanh'),
  sigmoid: cMath('thc_sigmoid'), softplus: cMath('thc_softplus'),
};
/** JS for each float function: the interpreter's own Math call or helper (prelude.ts embeds sigmoid and softplus). */
const floatJs: Record<string, ScalarEmit> = {
  exp: jsCall('Math.exp'), log: jsCall('Math.log'), log1p: jsCall('Math.log1p'), expm1: jsCall('Math.expm1'), sqrt: jsCall('Math.sqrt'),
  rsqrt: ([a], _t, out) => jsStore(out, `1 / Math.sqrt(${a})`), sin: jsCall('Math.sin'), cos: jsCall('Math.cos'), tan: jsCall('Math.tan'),
  tanh: jsCall('Math.tanh'), sigmoid: jsCall('thc_sigmoid'), softplus: jsCall('thc_softplus'),
};
for (const [name, [f, what, grad]] of Object.entries(floatFns)) {
  unary(name, { doc: `${what}; integer and bool inputs are computed in f64`, f, float: true, grad, wgsl: floatWgsl[name]!, c: floatC[name]!, js: floatJs[name]! });
}

// d |x| = sign(x) (0 at x = 0, the middle of the subgradient [-1, 1])
unary('abs', { doc: 'absolute value (abs of the most negative i32 wraps to itself, like numpy)', f: Math.abs, grad: chain((m, x) => m.sign(x)), wgsl: call('abs'),
  c: ([a], t) => (t === 'i32' ? `thc_abs_i32(${a})` : t === 'u32' ? a! : cMath('fabs')([a!], t, t, {})),
  js: ([a], t, out) => (t === 'u32' ? a! : jsStore(out, `Math.abs(${a})`)) });
unary('sign', { doc: 'sign: -1, 0 or 1 (NaN stays NaN, -0 gives 0)', f: x => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x),
  // WGSL has no sign(u32): an unsigned value's sign is 0 or 1.
  wgsl: ([a], t) => (t === 'u32' ? `min(${a}, 1u)` : `sign(${a})`),
  c: ([a], t) => (t === 'i32' ? `((int32_t)((${a} > 0) - (${a} < 0)))` : t === 'u32' ? `((uint32_t)(${a} > 0u))` : cMath('thc_sign')([a!], t, t, {})),
  js: ([a], _t, out) => jsStore(out, `${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a} === 0 ? 0 : ${a}`),
});
unary('floor', { doc: 'round toward -inf (integers unchanged)', f: Math.floor, i32: ident, u32: ident, wgsl: floatOnly('floor'), c: cFloatOnly('floor'), js: jsFloatOnly('Math.floor') });
unary('ceil', { doc: 'round toward +inf (integers unchanged)', f: Math.ceil, i32: ident, u32: ident, wgsl: floatOnly('ceil'), c: cFloatOnly('ceil'), js: jsFloatOnly('Math.ceil') });
unary('round', { doc: 'round half to even, like numpy (integers unchanged)', f: roundHalfEven, i32: ident, u32: ident, wgsl: floatOnly('round'), c: cFloatOnly('nearbyint'), js: jsFloatOnly('thc_round') });

/**
 * d maximum(a, b) = g where a wins, g / 2 to each on a tie (like PyTorch; the average of the
 * one-sided derivatives), 0 where the other wins; minimum likewise with `<`.
 */
const extremumGrad = (wins: 'gt' | 'lt'): GradRule => (g, y, b) => {
  const m = gradMath(b, y), [p, q] = y.inputs as [Node, Node];
  const zero = m.c(0), half = m.where(m.eq(p, q), m.mul(g, m.c(0.5)), zero);
  const beats = (u: Node, v: Node) => b.op(wins, [u, v]);
  return [m.where(beats(p, q), g, half), m.where(beats(q, p), g, half)];
};

/** numpy maximum/minimum: a NaN on either side wins. */
binary('maximum', {
  doc: 'elementwise maximum (NaN propagates)', builtin: true, allowBool: true, flags: { commutative: true },
  f: (a, b) => (Number.isNaN(a) ? a : Number.isNaN(b) ? b : a > b ? a : b), grad: extremumGrad('gt'),
  wgsl: ([a, b], t) => (t === 'bool' ? `(${a} || ${b})` : `max(${a}, ${b})`),
  c: ([a, b], t) => (t === 'bool' ? `(${a} || ${b})` : t === 'f64' || t === 'f32' ? cMath('thc_maximum')([a!, b!], t, t, {}) : `(${a} > ${b} ? ${a} : ${b})`),
  // x !== x is Number.isNaN(x); the result is one of the operands, so nothing to round.
  js: ([a, b], t) => (isIntT(t) ? `(${a} > ${b} ? ${a} : ${b})` : `(${a} !== ${a} ? ${a} : ${b} !== ${b} ? ${b} : ${a} > ${b} ? ${a} : ${b})`),
});
binary('minimum', {
  doc: 'elementwise minimum (NaN propagates)', builtin: true, allowBool: true, flags: { commutative: true },
  f: (a, b) => (Number.isNaN(a) ? a : Number.isNaN(b) ? b : a < b ? a : b), grad: extremumGrad('lt'),
  wgsl: ([a, b], t) => (t === 'bool' ? `(${a} && ${b})` : `min(${a}, ${b})`),
  c: ([a, b], t) => (t === 'bool' ? `(${a} && ${b})` : t === 'f64' || t === 'f32' ? cMath('thc_minimum')([a!, b!], t, t, {}) : `(${a} < ${b} ? ${a} : ${b})`),
  // x !== x is Number.isNaN(x); the result is one of the operands, so nothing to round.
  js: ([a, b], t) => (isIntT(t) ? `(${a} < ${b} ? ${a} : ${b})` : `(${a} !== ${a} ? ${a} : ${b} !== ${b} ? ${b} : ${a} < ${b} ? ${a} : ${b})`),
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
  emit: { wgsl: castEmit, c: castC, js: ([a], t, out) => (t === out ? a! : jsStore(out, a!)) },
  infer([x], attrs, cx) {
    const dt = attrs['dtype'];
    if (typeof dt !== 'string' || !isDType(dt)) return cx.error('TH0374', { dtype: String(dt) });
    return tensorType(dt, x!.shape);
  },
  // d cast(x) = cast(g) back to x's dtype (float -> float; integer results carry no gradient)
  grad(g, y, b) {
    const x = y.inputs[0]!;
    return [isFloat(x.type.dtype) ? b.cast(g, x.type.dtype) : null];
  },
  eval([x], attrs) {
    const dt = attrs['dtype'] as string;
    if (!isDType(dt)) throw new Error(`cast to unknown dtype ${dt}`);
    const d = x!.data;
    return build(dt, x!.shape, k => d[k]!);
  },
});
