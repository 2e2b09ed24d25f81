/**
 * @file The helper functions generated JS may call (the `thc_*` names of the op table's `emit.js`
 * printers and of kernel.ts), as text. Each is a copy of the interpreter's scalar function
 * (ops/elementwise.ts: numpy's float and integer remainder, C's pow, the integer power, round half
 * to even, the stable sigmoid and softplus; runtime/rng.ts: Philox4x32-10 and its uniform
 * values; runtime/normal-fixed.ts and libm.ts: the normal generator's integer f32 path and its
 * f64 log and cos, their constants interpolated from those modules' exports), statement for
 * statement. They are written out rather than embedded with
 * `fn.toString()`: the bundled CLI reformats and renames the functions it contains, and the
 * generated text must not depend on how thc was built. tests/js-backend.test.ts holds each copy
 * to its original bit for bit on special and random arguments. `preludeFor` keeps only the
 * helpers a text calls (and the ones they call), in a fixed order: the output is deterministic.
 */

import { COS_Q30, LN2_Q56_HI, LN2_Q56_LO, LOG_Q31, SIN_Q30 } from '../../runtime/normal-fixed.js';
import { COS_C, LN2_HI, LN2_LO, LOG_K, SIN_C, SQRT_HALF } from '../../runtime/libm.js';

/** A constant list as JS text (each double's shortest round-trip decimal, which reads back exactly). */
const list = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

/** Helpers in dependency order (a helper only calls earlier ones). */
const HELPERS: readonly (readonly [string, string])[] = [
  ['thc_fail', `/** A run-time error the interpreter also reports: its diagnostic code and arguments. */
function thc_fail(code, args) {
  const e = new Error(\`thc run-time error \${code}: \${JSON.stringify(args)}\`);
  e.thcCode = code;
  e.thcArgs = args;
  throw e;
}`],
  ['thc_fmod', `/** numpy's float remainder: the divisor's sign; x % 0 is NaN (ops/elementwise.ts floatMod). */
function thc_fmod(a, b) {
  let m = a % b;
  if (Number.isNaN(m)) return m;
  if (m !== 0) {
    if ((b < 0) !== (m < 0)) m += b;
  } else {
    m = b < 0 ? -0 : 0;
  }
  return m;
}`],
  ['thc_imod', `/** numpy's integer remainder: the divisor's sign, x % 0 is 0 (ops/elementwise.ts intMod). */
function thc_imod(a, b) {
  if (b === 0) return 0;
  let r = a % b;
  if (r !== 0 && (r < 0) !== (b < 0)) r += b;
  return r;
}`],
  ['thc_fpow', `/** C's pow: pow(1, y) and pow(x, 0) are 1, pow(-1, +-inf) is 1 (ops/elementwise.ts floatPow). */
function thc_fpow(a, b) {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}`],
  ['thc_ipow', `/** Integer power by squaring with wrapping multiplies (ops/elementwise.ts intPow); a negative exponent is TH0691. */
function thc_ipow(a, b) {
  if (b < 0) thc_fail('TH0691', { base: a, exp: b });
  let r = 1, base = a | 0, e = b;
  while (e > 0) {
    if (e % 2 === 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return r;
}`],
  ['thc_round', `/** numpy's round: half to even, keeping the sign of zero (ops/elementwise.ts roundHalfEven). */
function thc_round(x) {
  if (!Number.isFinite(x)) return x;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}`],
  ['thc_sigmoid', `/** Stable logistic (ops/elementwise.ts sigmoid). */
function thc_sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}`],
  ['thc_softplus', `/** Stable log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)) (ops/elementwise.ts softplus). */
function thc_softplus(x) {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}`],
  ['thc_mulhi', `/** High 32 bits of the product of two u32 (16-bit limbs stay exact in doubles; runtime/rng.ts mulhilo). */
function thc_mulhi(a, b) {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}`],
  ['thc_philox', `/** Philox4x32-10 of counter (i lo, i hi, 0, 0) and key (k0, k1) into thc_words (runtime/rng.ts, docs/random.md). */
const thc_words = new Uint32Array(4);
function thc_philox(i, k0, k1) {
  let c0 = i >>> 0, c1 = Math.floor(i / 4294967296) >>> 0, c2 = 0, c3 = 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 = (k0 + 0x9e3779b9) >>> 0; k1 = (k1 + 0xbb67ae85) >>> 0; }
    const hi0 = thc_mulhi(0xd2511f53, c0), lo0 = Math.imul(0xd2511f53, c0) >>> 0;
    const hi1 = thc_mulhi(0xcd9e8d57, c2), lo1 = Math.imul(0xcd9e8d57, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0, n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
  }
  thc_words[0] = c0; thc_words[1] = c1; thc_words[2] = c2; thc_words[3] = c3;
}`],
  ['thc_uniform_24', `/** Uniform in [0, 1) from 24 bits of word 0 (rng.ts uniformFromWords, f32). */
function thc_uniform_24(i, k0, k1) {
  thc_philox(i, k0, k1);
  return (thc_words[0] >>> 8) * 2 ** -24;
}`],
  ['thc_uniform_53', `/** Uniform in [0, 1) from the top 27 bits of word 0 and 26 of word 1 (rng.ts uniformFromWords, f64). */
function thc_uniform_53(i, k0, k1) {
  thc_philox(i, k0, k1);
  return ((thc_words[0] >>> 5) * 67108864 + (thc_words[1] >>> 6)) * 2 ** -53;
}`],
  ['thc_normal_24', `/** The f32 standard normal of element i in integers only (runtime/normal-fixed.ts normalF32, docs/random.md section 5). */
const thc_LOG_Q31 = ${list(LOG_Q31)};
const thc_COS_Q30 = ${list(COS_Q30)};
const thc_SIN_Q30 = ${list(SIN_Q30)};
/** floor(a * w / 2^32) for a signed 32-bit a and 0 <= w < 2^31 (normal-fixed.ts mulhs). */
function thc_mulhs(a, w) {
  return a < 0 ? (thc_mulhi(a >>> 0, w) - w) | 0 : thc_mulhi(a, w);
}
/** Whether c^2 > hi * 2^32 + lo, exactly (normal-fixed.ts squareAbove). */
function thc_square_above(c, hi, lo) {
  const ph = thc_mulhi(c, c), pl = Math.imul(c, c) >>> 0;
  return ph > hi || (ph === hi && pl > lo);
}
/** floor(sqrt(hi * 2^32 + lo)) for 2^62 <= n < 2^64 (normal-fixed.ts isqrt64). */
function thc_isqrt64(hi, lo) {
  let r = Math.min(Math.floor(Math.sqrt(hi * 4294967296 + lo)), 0xffffffff);
  while (thc_square_above(r, hi, lo)) r--;
  while (r < 0xffffffff && !thc_square_above(r + 1, hi, lo)) r++;
  return r;
}
function thc_normal_24(i, k0, k1) {
  thc_philox(i, k0, k1);
  const w0 = thc_words[0], w1 = thc_words[1];
  // |cos(pi (2 b / 2^24 - 1))| in Q30 and its sign (normal-fixed.ts cosQ30).
  const bq = w1 >>> 8;
  const q = bq >>> 22, f = bq & 0x3fffff;
  const swap = f > 0x200000;
  const g = swap ? 0x400000 - f : f;
  const W = Math.floor(g * g / 4096);
  let mag;
  if (((q & 1) === 1) !== swap) {
    let acc = thc_SIN_Q30[6];
    for (let n = 5; n >= 0; n--) acc = thc_SIN_Q30[n] + thc_mulhs(acc, W);
    mag = thc_mulhi(acc, g * 1024);
  } else {
    let acc = thc_COS_Q30[6];
    for (let n = 5; n >= 0; n--) acc = thc_COS_Q30[n] + thc_mulhs(acc, W);
    mag = acc;
  }
  const negative = q === 0 || q === 3;
  const m = (w0 >>> 8) + 1;
  if (m === 0x1000000 || mag === 0) return 0;
  const e = Math.clz32(m) - 8;
  const V = (0x1000000 - m * 2 ** e) * 256;
  let P = thc_LOG_Q31[27];
  for (let n = 26; n >= 0; n--) P = (thc_LOG_Q31[n] + thc_mulhi(P, V)) >>> 0;
  const ph = thc_mulhi(V, P), pl = Math.imul(V, P) >>> 0;
  let lo = ((pl >>> 7) | (ph << 25)) >>> 0;
  let hi = ph >>> 7;
  const sum = lo + (Math.imul(e, ${LN2_Q56_LO}) >>> 0);
  hi = hi + e * ${LN2_Q56_HI} + thc_mulhi(e, ${LN2_Q56_LO}) + (sum >= 4294967296 ? 1 : 0);
  lo = sum >>> 0;
  hi = ((hi << 1) | (lo >>> 31)) >>> 0;
  lo = (lo << 1) >>> 0;
  const sh = Math.clz32(hi) & ~1;
  if (sh > 0) { hi = ((hi << sh) | (lo >>> (32 - sh))) >>> 0; lo = (lo << sh) >>> 0; }
  const S = thc_isqrt64(hi, lo);
  const zh = thc_mulhi(S, mag), zl = Math.imul(S, mag) >>> 0;
  const lz = Math.clz32(zh);
  const hn = lz > 0 ? ((zh << lz) | (zl >>> (32 - lz))) >>> 0 : zh;
  const ln = (zl << lz) >>> 0;
  let mant = hn >>> 8;
  let exp = 63 - lz - 58 - sh / 2;
  if (((hn >>> 7) & 1) === 1 && ((hn & 0x7f) !== 0 || ln !== 0 || (mant & 1) === 1)) mant++;
  if (mant === 0x1000000) { mant = 0x800000; exp++; }
  const z = mant * 2 ** (exp - 23);
  return negative ? -z : z;
}`],
  ['thc_normal_53', `/** The f64 standard normal of element i with thc's own log and cos (runtime/rng.ts normalFromWords, libm.ts). */
const thc_LOG_K = ${list(LOG_K)};
const thc_COS_C = ${list(COS_C)};
const thc_SIN_C = ${list(SIN_C)};
/** Horner's rule, highest coefficient last in c (libm.ts horner). */
function thc_horner(c, z) {
  let r = c[c.length - 1];
  for (let n = c.length - 2; n >= 0; n--) r = c[n] + z * r;
  return r;
}
/** -ln(x) for x in (0, 1] from + - * / only (libm.ts negLog). */
function thc_neglog(x) {
  let y = x, e = 0;
  while (y < ${SQRT_HALF}) { y = y * 2; e = e + 1; }
  const f = y - 1;
  const s = f / (2 + f);
  const z = s * s;
  const r = z * thc_horner(thc_LOG_K, z);
  const hfsq = 0.5 * f * f;
  const lny = f - (hfsq - s * (hfsq + r));
  return e * ${LN2_HI} + (e * ${LN2_LO} - lny);
}
/** cos(pi (2 B / 2^53 - 1)) for an integer 0 <= B < 2^53 (libm.ts cosHalfTurns53). */
function thc_cos_half_turns53(B) {
  const q = Math.floor(B / 2 ** 51);
  const f = B - q * 2 ** 51;
  const swap = f > 2 ** 50;
  const s = (swap ? 2 ** 51 - f : f) * 2 ** -51;
  const mag = ((q & 1) === 1) !== swap ? s * thc_horner(thc_SIN_C, s * s) : thc_horner(thc_COS_C, s * s);
  return q === 0 || q === 3 ? -mag : mag;
}
function thc_normal_53(i, k0, k1) {
  thc_philox(i, k0, k1);
  const u1 = ((thc_words[0] >>> 5) * 67108864 + (thc_words[1] >>> 6) + 1) * 2 ** -53;
  return Math.sqrt(2 * thc_neglog(u1)) * thc_cos_half_turns53((thc_words[2] >>> 5) * 67108864 + (thc_words[3] >>> 6));
}`],
];

/** Which helpers each helper calls. */
const DEPENDS: Readonly<Record<string, readonly string[]>> = {
  thc_ipow: ['thc_fail'], thc_philox: ['thc_mulhi'], thc_uniform_24: ['thc_philox'], thc_uniform_53: ['thc_philox'],
  thc_normal_24: ['thc_philox'], thc_normal_53: ['thc_philox'],
};

/** The helpers `text` calls, with their dependencies, in HELPERS order. */
export function preludeFor(text: string): string {
  const need = new Set<string>();
  const add = (n: string): void => {
    if (need.has(n)) return;
    need.add(n);
    for (const d of DEPENDS[n] ?? []) add(d);
  };
  for (const [name] of HELPERS) if (new RegExp(`\\b${name}\\(`).test(text)) add(name);
  return HELPERS.filter(([n]) => need.has(n)).map(([, t]) => t).join('\n\n');
}

/** Every helper's text by name (for the tests that hold each to the interpreter's function). */
export const HELPER_TEXTS: ReadonlyMap<string, string> = new Map(HELPERS);
