/**
 * @file The counter-based generator: Philox4x32 against Random123's known-answer vectors, the
 * seed/counter mapping and the bits -> value conversions of docs/random.md against an independent
 * Python implementation (big integers, run once), plus distribution sanity checks.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { philox4x32, seedKey, elementWords, uniformValues, normalValues } from '../src/runtime/rng.js';

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

/** An independent Philox and conversions, straight from docs/random.md, in Python big integers. */
const PYTHON_REFERENCE = `
import math, struct
M0, M1, W0, W1, MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF
def philox(c, k):
    c, k = list(c), list(k)
    for r in range(10):
        if r:
            k = [(k[0] + W0) & MASK, (k[1] + W1) & MASK]
        p0, p1 = M0 * c[0], M1 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & MASK, (p0 >> 32) ^ c[3] ^ k[1], p0 & MASK]
    return c
def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]
for seed in [0, 1, 42, 2**32 + 5, 2**53 - 1, -3]:
    s = seed & (2**64 - 1)
    key = [s & MASK, s >> 32]
    for i in [0, 1, 2, 1000, 2**32 + 1]:
        w = philox([i & MASK, i >> 32, 0, 0], key)
        u32 = (w[0] >> 8) / 2**24
        u64 = ((w[0] >> 5) * 2**26 + (w[1] >> 6)) / 2**53
        u16 = (w[0] >> 21) / 2**11
        a1 = ((w[0] >> 8) + 1) / 2**24; a2 = (w[1] >> 8) / 2**24
        n32 = f32(math.sqrt(-2 * math.log(a1)) * math.cos(math.pi * (2 * a2 - 1)))
        b1 = ((w[0] >> 5) * 2**26 + (w[1] >> 6) + 1) / 2**53
        b2 = ((w[2] >> 5) * 2**26 + (w[3] >> 6)) / 2**53
        n64 = math.sqrt(-2 * math.log(b1)) * math.cos(math.pi * (2 * b2 - 1))
        print(seed, i, ' '.join('%08x' % x for x in w), repr(u16), repr(u32), repr(u64), repr(n32), repr(n64))
`;

test('words and values agree with an independent Python implementation', () => {
  const r = spawnSync('python3', ['-c', PYTHON_REFERENCE], { encoding: 'utf8' });
  if (r.error || r.status !== 0) { console.log(`  skipped: python3 unavailable (${r.error?.message ?? r.stderr})`); return; }
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 30);
  for (const line of lines) {
    const f = line.split(' ');
    const seed = Number(f[0]);
    const i = Number(f[1]);
    const ctx = `seed ${seed} element ${i}`;
    assert.is(hex(elementWords(seedKey(seed), i)), f.slice(2, 6).join(' '), ctx);
    // Values for element i: generate i+1 values only for small i; the big index goes through elementWords.
    if (i > 1000) continue;
    assert.is(uniformValues(seed, i + 1, 'f16')[i], Number(f[6]), ctx);
    assert.is(uniformValues(seed, i + 1, 'f32')[i], Number(f[7]), ctx);
    assert.is(uniformValues(seed, i + 1, 'f64')[i], Number(f[8]), ctx);
    // Transcendentals may differ in the last bit between libms: allow 1 f32 ulp / 4 f64 ulps.
    const n32 = normalValues(seed, i + 1, 'f32')[i]!;
    assert.ok(Math.abs(n32 - Number(f[9])) <= Math.abs(Number(f[9])) * 2 ** -23, `${ctx}: ${n32} vs ${f[9]}`);
    const n64 = normalValues(seed, i + 1, 'f64')[i]!;
    assert.ok(Math.abs(n64 - Number(f[10])) <= Math.abs(Number(f[10])) * 2 ** -50 + 1e-300, `${ctx}: ${n64} vs ${f[10]}`);
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

test.run();
