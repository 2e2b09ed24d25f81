/**
 * @file The counter-based generator: Philox4x32 against Random123's known-answer vectors, the
 * seed/counter mapping and the bits -> value conversions of docs/random.md against an independent
 * Python implementation (big integers, run once), plus distribution sanity checks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { philox4x32, seedKey, elementWords, uniformValues, normalValues, normalFromWords } from '../src/runtime/rng.js';
import { roundF16 } from '../src/runtime/ndarray.js';

const hex = (w: readonly number[]): string => w.map(x => x.toString(16).padStart(8, '0')).join(' ');

test('Philox4x32 matches the Random123 known-answer vectors (kat_vectors)', () => {
  assert.is(hex(philox4x32([0, 0, 0, 0], [0, 0])), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  assert.is(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])), '408f276d 41c83b0e a20bc7c6 6d5451fd');
  assert.is(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])), 'd16cfe09 94fdcceb 5001e420 24126ea1');
  // The 7-round variant of the same vector, also in kat_vectors.
  assert.is(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], 7)), '4dfccaba 190a87f0 c47362ba b6b5242a');
});

test('seeds map to keys as 64-bit two\'s complement; element i to counter (i lo, i hi, 0, 0)', () => {
  assert.equal(seedKey(0), [0, 0]);
  assert.equal(seedKey(7), [7, 0]);
  assert.equal(seedKey(2 ** 32 + 5), [5, 1]);
  assert.equal(seedKey(2 ** 53 - 1), [0xffffffff, 0x1fffff]);
  assert.equal(seedKey(-1), [0xffffffff, 0xffffffff]);
  assert.throws(() => seedKey(1.5));
  assert.equal(elementWords([0, 0], 0), philox4x32([0, 0, 0, 0], [0, 0]));
  assert.equal(elementWords([3, 4], 2 ** 32 + 9), philox4x32([9, 1, 0, 0], [3, 4]));
});

test('uniform bits by hand: seed 0, element 0 is the first KAT output', () => {
  // words 6627e8d5 e169c58d ...: f32 takes the top 24 bits of word 0, f16 the top 11,
  // f64 the top 27 bits of word 0 and the top 26 of word 1.
  assert.is(uniformValues(0, 1, 'f32')[0], 0x6627e8 / 2 ** 24);
  assert.is(uniformValues(0, 1, 'f16')[0], (0x6627e8d5 >>> 21) / 2 ** 11);
  assert.is(uniformValues(0, 1, 'f64')[0], ((0x6627e8d5 >>> 5) * 2 ** 26 + (0xe169c58d >>> 6)) / 2 ** 53);
  assert.is(Math.fround(uniformValues(0, 1, 'f32')[0]!), uniformValues(0, 1, 'f32')[0]);
});

/**
 * An independent Philox and conversions, straight from docs/random.md, in Python: big integers for
 * the words, the uniform values and the f32 normal (the integer algorithm of section 5.1, written
 * with Python's unbounded integers, floors and math.isqrt, its constants derived here from a
 * 60-digit pi and a series for ln 2), Python floats (IEEE doubles, each operation rounded once)
 * for the f64 normal of section 5.2. The JS values must be equal, bit for bit.
 */
const PYTHON_REFERENCE = `
import math, struct, sys
from fractions import Fraction as F
M0, M1, W0, W1, MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF
def philox(c, k):
    c, k = list(c), list(k)
    for r in range(10):
        if r:
            k = [(k[0] + W0) & MASK, (k[1] + W1) & MASK]
        p0, p1 = M0 * c[0], M1 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & MASK, (p0 >> 32) ^ c[3] ^ k[1], p0 & MASK]
    return c
PI = F('3.14159265358979323846264338327950288419716939937510582097494459')
LN2 = sum(F(1, k * 2**k) for k in range(1, 120))
def fact(n): return math.factorial(n)
LOGQ = [round(F(2**31, n + 1)) for n in range(28)]
COSQ = [round((-1)**n * (PI / 2)**(2*n) / fact(2*n) * 2**30) for n in range(7)]
SINQ = [round((-1)**n * (PI / 2)**(2*n+1) / fact(2*n+1) * 2**30) for n in range(7)]
LN2Q = round(LN2 * 2**56)
def normal24(w0, w1):
    a, b = w0 >> 8, w1 >> 8
    q, f = b >> 22, b & (2**22 - 1)
    swap = f > 2**21
    g = 2**22 - f if swap else f
    W = g * g >> 12
    if (q & 1) != swap:
        acc = SINQ[6]
        for n in range(5, -1, -1): acc = SINQ[n] + (acc * W >> 32)
        mag = acc * (g << 10) >> 32
    else:
        acc = COSQ[6]
        for n in range(5, -1, -1): acc = COSQ[n] + (acc * W >> 32)
        mag = acc
    m = a + 1
    if m == 2**24 or mag == 0: return 0.0
    e = 24 - m.bit_length()
    V = (2**24 - (m << e)) << 8
    P = LOGQ[27]
    for n in range(26, -1, -1): P = LOGQ[n] + (P * V >> 32)
    N = 2 * ((V * P >> 7) + e * LN2Q)
    sh = (64 - N.bit_length()) & ~1
    S = math.isqrt(N << sh)
    Z = S * mag
    shift = Z.bit_length() - 24
    mant, rest = Z >> shift, Z & ((1 << shift) - 1)
    if rest * 2 > (1 << shift) or (rest * 2 == (1 << shift) and mant & 1): mant += 1
    z = math.ldexp(mant, shift - 58 - sh // 2)
    return -z if q in (0, 3) else z
LN2_HI = math.floor(LN2 * 2**33) / 2**33
LN2_LO = float(LN2 - F(LN2_HI))
SQRT_HALF = math.sqrt(0.5)
K = [2 / (2*k + 1) for k in range(1, 10)]
C64 = [float((-1)**n * (PI / 2)**(2*n) / fact(2*n)) for n in range(9)]
S64 = [float((-1)**n * (PI / 2)**(2*n+1) / fact(2*n+1)) for n in range(10)]
def horner(c, z):
    r = c[-1]
    for k in reversed(c[:-1]): r = k + z * r
    return r
def neglog(x):
    y, e = x, 0.0
    while y < SQRT_HALF: y, e = y * 2, e + 1
    f = y - 1
    s = f / (2 + f)
    z = s * s
    r = z * horner(K, z)
    hfsq = 0.5 * f * f
    return e * LN2_HI + (e * LN2_LO - (f - (hfsq - s * (hfsq + r))))
def normal53(w):
    a = ((w[0] >> 5) << 26) | (w[1] >> 6)
    b = ((w[2] >> 5) << 26) | (w[3] >> 6)
    r = math.sqrt(2 * neglog((a + 1) * 2.0**-53))
    q, f = b >> 51, b & (2**51 - 1)
    swap = f > 2**50
    s = (2**51 - f if swap else f) * 2.0**-51
    mag = s * horner(S64, s * s) if (q & 1) != swap else horner(C64, s * s)
    return r * (-mag if q in (0, 3) else mag)
for seed in [0, 1, 42, 2**32 + 5, 2**53 - 1, -3]:
    s = seed & (2**64 - 1)
    key = [s & MASK, s >> 32]
    for i in [0, 1, 2, 1000, 2**32 + 1]:
        w = philox([i & MASK, i >> 32, 0, 0], key)
        u32 = (w[0] >> 8) / 2**24
        u64 = ((w[0] >> 5) * 2**26 + (w[1] >> 6)) / 2**53
        u16 = (w[0] >> 21) / 2**11
        print(seed, i, ' '.join('%08x' % x for x in w), repr(u16), repr(u32), repr(u64), repr(normal24(w[0], w[1])), repr(normal53(w)))
# Many elements of one stream, and hand-picked words at the edges: u1 = 1 (z = 0), u1 = 2^-24 and
# 2^-53 (the largest radius), angles on the quadrant and octant boundaries and next to them.
key = [5, 0]
for i in range(20000):
    w = philox([i, 0, 0, 0], key)
    print('w', ' '.join('%08x' % x for x in w), repr(normal24(w[0], w[1])), repr(normal53(w)))
for a in [0, 1, 2**23 - 1, 2**23, 2**24 - 2, 2**24 - 1]:
    for b in [0, 1, 2**21 - 1, 2**21, 2**21 + 1, 2**22 - 1, 2**22, 2**22 + 1, 3 * 2**22, 2**24 - 1, 0x5a5a5a]:
        w = [a << 8 | 0xff, b << 8 | 0x80, (a << 8) ^ 0x12345678 | (b & 1) << 31, b << 8 | 0x7f]
        print('w', ' '.join('%08x' % x for x in w), repr(normal24(w[0], w[1])), repr(normal53(w)))
`;

test('words and values agree with an independent Python implementation, normals bit for bit', () => {
  const r = spawnSync('python3', ['-c', PYTHON_REFERENCE], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) { console.log(`  skipped: python3 unavailable (${r.error?.message ?? r.stderr})`); return; }
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 30 + 20000 + 66);
  for (const line of lines) {
    const f = line.split(' ');
    if (f[0] === 'w') {
      const w = f.slice(1, 5).map(x => parseInt(x, 16)) as [number, number, number, number];
      assert.is(normalFromWords(w, 'f32'), Number(f[5]), `f32 normal of ${f.slice(1, 5).join(' ')}`);
      assert.is(normalFromWords(w, 'f64'), Number(f[6]), `f64 normal of ${f.slice(1, 5).join(' ')}`);
      continue;
    }
    const seed = Number(f[0]);
    const i = Number(f[1]);
    const ctx = `seed ${seed} element ${i}`;
    assert.is(hex(elementWords(seedKey(seed), i)), f.slice(2, 6).join(' '), ctx);
    // Values for element i: generate i+1 values only for small i; the big index goes through elementWords.
    if (i > 1000) continue;
    assert.is(uniformValues(seed, i + 1, 'f16')[i], Number(f[6]), ctx);
    assert.is(uniformValues(seed, i + 1, 'f32')[i], Number(f[7]), ctx);
    assert.is(uniformValues(seed, i + 1, 'f64')[i], Number(f[8]), ctx);
    assert.is(normalValues(seed, i + 1, 'f32')[i], Number(f[9]), ctx);
    assert.is(normalValues(seed, i + 1, 'f64')[i], Number(f[10]), ctx);
    assert.is(normalValues(seed, i + 1, 'f16')[i], roundF16(Number(f[9])), ctx);
  }
});

test('distributions: uniform in [0, 1) with mean 1/2, normal with mean 0 and variance 1', () => {
  const n = 100000;
  for (const dtype of ['f16', 'f32', 'f64'] as const) {
    const u = uniformValues(123, n, dtype);
    let sum = 0;
    for (const x of u) { assert.ok(x >= 0 && x < 1); sum += x; }
    assert.ok(Math.abs(sum / n - 0.5) < 0.005, `${dtype} uniform mean ${sum / n}`);
    const z = normalValues(123, n, dtype);
    let m = 0, v = 0;
    for (const x of z) { assert.ok(Number.isFinite(x)); m += x; v += x * x; }
    m /= n;
    v = v / n - m * m;
    assert.ok(Math.abs(m) < 0.02 && Math.abs(v - 1) < 0.02, `${dtype} normal mean ${m} variance ${v}`);
  }
  // Different seeds give different streams; the same seed the same one.
  assert.not.equal(Array.from(uniformValues(1, 4, 'f32')), Array.from(uniformValues(2, 4, 'f32')));
  assert.equal(Array.from(normalValues(9, 8, 'f32')), Array.from(normalValues(9, 8, 'f32')));
});

/** erfc with fractional error below 1.2e-7 (Numerical Recipes' erfcc, a Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
const phi = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** Kolmogorov-Smirnov distance of the samples from the standard normal CDF. */
function ksDistance(z: Float64Array): number {
  const s = Float64Array.from(z).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const p = phi(s[i]!);
    d = Math.max(d, Math.abs((i + 1) / s.length - p), Math.abs(p - i / s.length));
  }
  return d;
}

test('normal: Kolmogorov-Smirnov against the normal CDF (1e6 f32, 2e5 f64 samples) and the tails', () => {
  const n = 1_000_000;
  const z = normalValues(2024, n, 'f32');
  // The 0.1% critical value of the KS distance is 1.95 / sqrt(n).
  const d32 = ksDistance(z);
  assert.ok(d32 < 1.95 / Math.sqrt(n), `f32 KS distance ${d32}`);
  const d64 = ksDistance(normalValues(-2024, 200_000, 'f64'));
  assert.ok(d64 < 1.95 / Math.sqrt(200_000), `f64 KS distance ${d64}`);
  // Tails: P(|z| > 4) = 6.334e-5 (63.3 expected, Poisson sd 8), P(|z| > 5) = 5.73e-7; nothing beyond
  // the largest radius sqrt(-2 ln 2^-24) = sqrt(48 ln 2) = 5.76818.
  let over4 = 0, over5 = 0, max = 0;
  for (const x of z) { const a = Math.abs(x); if (a > 4) over4++; if (a > 5) over5++; max = Math.max(max, a); }
  assert.ok(over4 >= 31 && over4 <= 96, `|z| > 4: ${over4}`);
  assert.ok(over5 <= 6, `|z| > 5: ${over5}`);
  assert.ok(max <= 5.76819, `max |z| ${max}`);
  // The extreme itself: u1 = 2^-24 (a = 0) at the angle -pi (b = 0) and 0 (b = 2^23).
  const top = Math.sqrt(48 * Math.LN2);
  assert.ok(Math.abs(normalFromWords([0, 0, 0, 0], 'f32') + top) <= top * 2 ** -23, `${normalFromWords([0, 0, 0, 0], 'f32')}`);
  assert.ok(Math.abs(normalFromWords([0, 2 ** 31, 0, 0], 'f32') - top) <= top * 2 ** -23);
  const top64 = Math.sqrt(106 * Math.LN2);
  assert.ok(Math.abs(normalFromWords([0, 0, 0, 0], 'f64') + top64) <= top64 * 2 ** -50);
  // u1 = 1 gives exactly 0.
  assert.is(normalFromWords([0xffffffff, 0, 0, 0], 'f32'), 0);
  assert.is(Math.abs(normalFromWords([0xffffffff, 0xffffffff, 0, 0], 'f64')), 0);
});

test.run();
