/**
 * @file The WGSL helpers of the normal generator (docs/random.md section 5): thc_normal_f32 maps
 * Philox words to the f32 standard normal with integer operations only, step for step as
 * runtime/normal-fixed.ts (constants printed from there), and builds the f32 bits itself. WGSL
 * has no f64, allows f32 operations to round either way and bounds log/cos only loosely, so
 * this is the only way its numbers equal the interpreter's bit for bit. 32 x 32 -> 64 products
 * come from thc_mulhilo (prelude.ts); 64-bit values are (hi, lo) word pairs.
 */
import { COS_Q30, LN2_Q56_HI, LN2_Q56_LO, LOG_Q31, SIN_Q30 } from '../../runtime/normal-fixed.js';

/** Integer Horner steps `acc = C[n] + step` from the second-highest coefficient down. */
const steps = (v: string, c: readonly number[], step: string, suffix: string, indent: string): string =>
  c.slice(0, -1).map(k => `${indent}${v} = ${k}${suffix} + ${step};`).reverse().join('\n');

export const normalHelpers: Record<string, { readonly deps: readonly string[]; readonly text: string }> = {
  // floor(a * w / 2^32) for signed a and 0 <= w < 2^31: the unsigned high word, less w when a < 0.
  thc_mulhs: {
    deps: ['thc_mulhilo'], text: `fn thc_mulhs(a: i32, w: u32) -> i32 {
  return bitcast<i32>(thc_mulhilo(bitcast<u32>(a), w).x - select(0u, w, a < 0i));
}`,
  },
  // floor(sqrt(n)) of the 64-bit n = (hi, lo), bit by bit.
  thc_isqrt64: {
    deps: ['thc_mulhilo'], text: `fn thc_isqrt64(hi: u32, lo: u32) -> u32 {
  var r = 0u;
  for (var i = 0u; i < 32u; i = i + 1u) {
    let c = r | (0x80000000u >> i);
    let p = thc_mulhilo(c, c);
    if (p.x < hi || (p.x == hi && p.y <= lo)) { r = c; }
  }
  return r;
}`,
  },
  thc_normal_f32: {
    deps: ['thc_mulhilo', 'thc_mulhs', 'thc_isqrt64'], text: `fn thc_normal_f32(w: vec4<u32>) -> f32 {
  let b = w.y >> 8u;
  let q = b >> 22u;
  let f = b & 0x3fffffu;
  let swap = f > 0x200000u;
  let g = select(f, 0x400000u - f, swap);
  let gg = thc_mulhilo(g, g);
  let ww = (gg.x << 20u) | (gg.y >> 12u);
  var mag = 0u;
  if (((q & 1u) == 1u) != swap) {
    var acc = ${SIN_Q30[SIN_Q30.length - 1]}i;
${steps('acc', SIN_Q30, 'thc_mulhs(acc, ww)', 'i', '    ')}
    mag = thc_mulhilo(bitcast<u32>(acc), g << 10u).x;
  } else {
    var acc = ${COS_Q30[COS_Q30.length - 1]}i;
${steps('acc', COS_Q30, 'thc_mulhs(acc, ww)', 'i', '    ')}
    mag = bitcast<u32>(acc);
  }
  let m = (w.x >> 8u) + 1u;
  if (m == 0x1000000u || mag == 0u) { return 0.0f; }
  let e = countLeadingZeros(m) - 8u;
  let v = (0x1000000u - (m << e)) << 8u;
  var p = ${LOG_Q31[LOG_Q31.length - 1]}u;
${steps('p', LOG_Q31, 'thc_mulhilo(p, v).x', 'u', '  ')}
  let vp = thc_mulhilo(v, p);
  let el = thc_mulhilo(e, ${LN2_Q56_LO}u);
  let lo0 = (vp.y >> 7u) | (vp.x << 25u);
  let lo1 = lo0 + el.y;
  var hi = (vp.x >> 7u) + e * ${LN2_Q56_HI}u + el.x + select(0u, 1u, lo1 < lo0);
  hi = (hi << 1u) | (lo1 >> 31u);
  var lo = lo1 << 1u;
  let sh = countLeadingZeros(hi) & 0xfffffffeu;
  if (sh > 0u) { hi = (hi << sh) | (lo >> (32u - sh)); lo = lo << sh; }
  let z = thc_mulhilo(thc_isqrt64(hi, lo), mag);
  let lz = countLeadingZeros(z.x);
  var hn = z.x;
  if (lz > 0u) { hn = (z.x << lz) | (z.y >> (32u - lz)); }
  let ln = z.y << lz;
  var mant = hn >> 8u;
  var ex = 132u - lz - (sh >> 1u);
  if (((hn >> 7u) & 1u) == 1u && ((hn & 0x7fu) != 0u || ln != 0u || (mant & 1u) == 1u)) { mant = mant + 1u; }
  if (mant == 0x1000000u) { mant = 0x800000u; ex = ex + 1u; }
  return bitcast<f32>(select(0u, 0x80000000u, q == 0u || q == 3u) | (ex << 23u) | (mant & 0x7fffffu));
}`,
  },
};
