/**
 * @file WGSL helper functions the op printers call (`thc_<name>_<dtype>`): stable forms of the
 * functions WGSL lacks or computes badly, and numpy's remainder and power. module.ts includes a
 * helper (and the helpers it calls) only when the module's text uses it, so modules stay small and
 * their text deterministic. Accuracy notes are in docs/wgsl.md.
 */

import { normalHelpers } from './normal.js';

interface Helper {
  readonly deps: readonly string[];
  readonly text: string;
}

/**
 * WGSL may assume no value is infinite or NaN, and a constant expression that evaluates to one is a
 * shader-creation error, so never write inf as a literal: read its bits from a private variable
 * (not a constant expression, so creation accepts it).
 */
const INF = `var<private> thc_inf_bits: u32 = 0x7f800000u;
var<private> thc_nan_bits: u32 = 0x7fc00000u;
fn thc_inf() -> f32 { return bitcast<f32>(thc_inf_bits); }
fn thc_nan() -> f32 { return bitcast<f32>(thc_nan_bits); }`;

/** Integer power by squaring in `t` (literal suffix `s`), after the optional `guard` lines. */
const intPow = (t: 'i32' | 'u32', s: 'i' | 'u', guard: string): string => `fn thc_pow_${t}(a: ${t}, b: ${t}) -> ${t} {
${guard}  var r = 1${s};
  var base = a;
  var e = b;
  while (e > 0${s}) {
    if ((e & 1${s}) == 1${s}) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}`;

const helpers: Record<string, Helper> = {
  thc_inf: { deps: [], text: INF },
  // An f32 rounded to the nearest f16 (ties to even; |x| >= 65520 to inf; steps of 2^-24 below
  // 2^-14), widened back: runtime/ndarray.ts roundF16 in integer arithmetic. Not f32(f16(x)) (with
  // `enable f16;`): WGSL lets that conversion pick either neighbour, and on lavapipe (measured) it
  // left values unrounded: f32(f16(1e-7)) came back as 1e-7, and a matmul result rounded that way
  // then scaled by 0.5 and shifted by 1 was off by a fraction of an f16 ulp.
  thc_round_f16: {
    deps: [], text: `fn thc_round_f16(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  let mag = bits & 0x7fffffffu;
  let sign = bits & 0x80000000u;
  if (mag >= 0x7f800000u) { return x; }
  if (mag >= 0x477ff000u) { return bitcast<f32>(sign | 0x7f800000u); }
  if (mag < 0x38800000u) {
    let a = bitcast<f32>(mag) * 16777216.0f;
    let r = a - floor(a);
    var q = floor(a);
    if (r > 0.5f || (r == 0.5f && (u32(q) & 1u) == 1u)) { q = q + 1.0f; }
    return bitcast<f32>(sign | bitcast<u32>(q * 5.9604644775390625e-8f));
  }
  let rounded = (mag + 0xfffu + ((mag >> 13u) & 1u)) & 0xffffe000u;
  return bitcast<f32>(sign | rounded);
}`,
  },
  // numpy remainder: the sign of the divisor. WGSL's float % truncates like C's fmod.
  thc_mod_f32: {
    deps: [], text: `fn thc_mod_f32(a: f32, b: f32) -> f32 {
  let m = a - b * trunc(a / b);
  return select(m, m + b, m != 0.0f && ((m < 0.0f) != (b < 0.0f)));
}`,
  },
  // numpy integer remainder: sign of the divisor, x % 0 == 0 (WGSL's % of 0 is not numpy's).
  thc_mod_i32: {
    deps: [], text: `fn thc_mod_i32(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let r = a % b;
  return select(r, r + b, r != 0i && ((r < 0i) != (b < 0i)));
}`,
  },
  thc_mod_u32: {
    deps: [], text: `fn thc_mod_u32(a: u32, b: u32) -> u32 {
  return select(a % b, 0u, b == 0u);
}`,
  },
  // C pow: WGSL's pow is exp2(y * log2(x)), undefined for x < 0; an integral y gives the sign.
  thc_pow_f32: {
    deps: [], text: `fn thc_pow_f32(x: f32, y: f32) -> f32 {
  if (x == 1.0f || y == 0.0f) { return 1.0f; }
  if (x == 0.0f) { return select(0.0f, 1.0f / x, y < 0.0f); }
  let p = exp2(y * log2(abs(x)));
  let odd = y == trunc(y) && abs(y % 2.0f) == 1.0f;
  return select(p, -p, x < 0.0f && odd);
}`,
  },
  // Integer power by squaring (wraps); a negative exponent, a run-time error on the CPU, gives 0.
  thc_pow_i32: { deps: [], text: intPow('i32', 'i', '  if (b < 0i) { return 0i; }\n') },
  thc_pow_u32: { deps: [], text: intPow('u32', 'u', '') },
  // log1p: WGSL's log has an absolute (not relative) error of 2^-21 on [0.5, 2], so near 0 it is
  // useless; there use 2 atanh(s), s = x / (2 + x), as a series (|s| <= 1/3: 8 terms reach 2e-8).
  thc_log1p_f32: {
    deps: [], text: `fn thc_log1p_f32(x: f32) -> f32 {
  if (x < -0.5f || x > 1.0f) { return log(1.0f + x); }
  let s = x / (2.0f + x);
  let s2 = s * s;
  let p = 1.0f + s2 * (1.0f / 3.0f + s2 * (0.2f + s2 * (1.0f / 7.0f + s2 * (1.0f / 9.0f + s2 * (1.0f / 11.0f + s2 * (1.0f / 13.0f + s2 * (1.0f / 15.0f)))))));
  return 2.0f * s * p;
}`,
  },
  // expm1: exp(x) - 1 cancels near 0; there a Taylor polynomial (|x| < 0.5, 11 terms: < 1e-9).
  thc_expm1_f32: {
    deps: [], text: `fn thc_expm1_f32(x: f32) -> f32 {
  if (abs(x) >= 0.5f) { return exp(x) - 1.0f; }
  var t = 1.0f / 39916800.0f;
  t = 1.0f / 3628800.0f + x * t;
  t = 1.0f / 362880.0f + x * t;
  t = 1.0f / 40320.0f + x * t;
  t = 1.0f / 5040.0f + x * t;
  t = 1.0f / 720.0f + x * t;
  t = 1.0f / 120.0f + x * t;
  t = 1.0f / 24.0f + x * t;
  t = 1.0f / 6.0f + x * t;
  t = 0.5f + x * t;
  t = 1.0f + x * t;
  return x * t;
}`,
  },
  // sin/cos are only specified on [-pi, pi]: reduce first, Cody-Waite style (2 pi = C1 + C2 with C1
  // short enough that k * C1 is exact), so the reduction adds no error for |x| up to ~1e4.
  thc_reduce2pi_f32: {
    deps: [], text: `fn thc_reduce2pi_f32(x: f32) -> f32 {
  let k = round(x * 0.15915494f);
  return (x - k * 6.28125f) - k * 0.0019353072f;
}`,
  },
  thc_sin_f32: {
    deps: ['thc_reduce2pi_f32'], text: `fn thc_sin_f32(x: f32) -> f32 {
  return sin(thc_reduce2pi_f32(x));
}`,
  },
  thc_cos_f32: {
    deps: ['thc_reduce2pi_f32'], text: `fn thc_cos_f32(x: f32) -> f32 {
  return cos(thc_reduce2pi_f32(x));
}`,
  },
  // tanh through expm1 of -2|x|: never overflows, keeps relative accuracy near 0.
  thc_tanh_f32: {
    deps: ['thc_expm1_f32'], text: `fn thc_tanh_f32(x: f32) -> f32 {
  let e = thc_expm1_f32(-2.0f * abs(x));
  let t = -e / (2.0f + e);
  return select(t, -t, x < 0.0f);
}`,
  },
  // sigmoid with exp(-|x|) only: 1 / (1 + e) for x >= 0, e / (1 + e) below (no overflow).
  thc_sigmoid_f32: {
    deps: [], text: `fn thc_sigmoid_f32(x: f32) -> f32 {
  let e = exp(-abs(x));
  let r = 1.0f / (1.0f + e);
  return select(r, e * r, x < 0.0f);
}`,
  },
  // Philox4x32-10 exactly as runtime/rng.ts (docs/random.md): 32 x 32 -> 64-bit products from
  // 16-bit limbs, since WGSL has no u64.
  thc_mulhilo: {
    deps: [], text: `fn thc_mulhilo(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2<u32>(ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u), a * b);
}`,
  },
  thc_philox: {
    deps: ['thc_mulhilo'], text: `fn thc_philox(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var r = 0u; r < 10u; r = r + 1u) {
    if (r > 0u) { k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u); }
    let p0 = thc_mulhilo(0xd2511f53u, c.x);
    let p1 = thc_mulhilo(0xcd9e8d57u, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
  }
  return c;
}`,
  },
  // The normal generator: integer-only, so its bits equal the interpreter's (normal.ts).
  ...normalHelpers,
  // softplus = max(x, 0) + log1p(exp(-|x|)).
  thc_softplus_f32: {
    deps: ['thc_log1p_f32'], text: `fn thc_softplus_f32(x: f32) -> f32 {
  return max(x, 0.0f) + thc_log1p_f32(exp(-abs(x)));
}`,
  },
};

/** The helpers `body` calls, with their dependencies, in a fixed order (dependencies first). */
export function preludeFor(body: string): string {
  const wanted = new Set<string>();
  const add = (name: string): void => {
    if (wanted.has(name)) return;
    for (const d of helpers[name]!.deps) add(d);
    wanted.add(name);
  };
  for (const name of Object.keys(helpers).sort()) {
    const used = name === 'thc_inf' ? /\bthc_(inf|nan)\(/.test(body) : new RegExp(`\\b${name}\\(`).test(body);
    if (used) add(name);
  }
  return [...wanted].map(n => helpers[n]!.text).join('\n\n');
}
