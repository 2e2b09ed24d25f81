/**
 * @file Accuracy of thc's own f64 log and cos (runtime/libm.ts) and of the f32 integer normal
 * (runtime/normal-fixed.ts): against Math.log/Math.cos over millions of points, and against
 * exact values from Python's mpmath (100 digits) on a few thousand points, including the extremes
 * (x near 1, x = 2^-53, angles on the quadrant boundaries). Bit equality across backends is
 * tests/normal-exact.test.ts; the definition itself is checked in tests/rng.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { negLog, cosQuarter, sinQuarter, cosHalfTurns53 } from '../src/runtime/libm.js';
import { normalF32 } from '../src/runtime/normal-fixed.js';

/** The spacing of doubles at |x| (the ulp of the binade of x). */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -1022) return 2 ** -1074;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 52);
}

/** A fixed xorshift stream in [0, 1), so the points are the same on every run. */
function stream(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const hi = s;
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return ((hi >>> 5) * 2 ** 26 + (s >>> 6)) * 2 ** -53;
  };
}

/** Log arguments: uniform in (0, 1), just below 1, and spread over all binades down to 2^-53. */
function logPoints(n: number): number[] {
  const r = stream(11), out: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    const x = k === 0 ? r() : k === 1 ? 1 - Math.ceil(r() * 2 ** 20) * 2 ** -53 : r() * 2 ** -Math.floor(r() * 53);
    if (x > 0) out.push(x);
  }
  return out.concat([1, 1 - 2 ** -53, 0.5, 2 ** -53, 2 ** -24, Math.SQRT1_2, 0.7071067811865475]);
}

test('negLog is within 1 ulp of -Math.log over 3e6 points in (0, 1]; exact 0 at 1', () => {
  let worst = 0, at = 0;
  for (const x of logPoints(3_000_000)) {
    const want = -Math.log(x), d = Math.abs(negLog(x) - want) / ulp(want || 1);
    if (d > worst) { worst = d; at = x; }
  }
  assert.ok(worst <= 1, `worst ${worst} ulp at ${at}`);
  assert.is(negLog(1), 0);
});

test('cos/sin of quarter turns are within 2 ulp of Math.cos/Math.sin on [0, pi/4] (1e6 points each)', () => {
  const r = stream(5);
  let wc = 0, ws = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const s = Math.floor(r() * 2 ** 51) * 2 ** -51 / 2 * (i % 2 ? 1 : r());
    const c = Math.cos(Math.PI / 2 * s), sn = Math.sin(Math.PI / 2 * s);
    wc = Math.max(wc, Math.abs(cosQuarter(s) - c) / ulp(c));
    if (s > 0) ws = Math.max(ws, Math.abs(sinQuarter(s) - sn) / ulp(sn));
  }
  assert.ok(wc <= 2 && ws <= 2, `cos ${wc} ulp, sin ${ws} ulp`);
  assert.is(cosQuarter(0), 1);
  assert.is(sinQuarter(0), 0);
  // Quadrant boundaries of the Box-Muller angle pi (2 B / 2^53 - 1): -1 at B = 0, 0 at a quarter, 1 at a half.
  assert.is(cosHalfTurns53(0), -1);
  assert.is(cosHalfTurns53(2 ** 52), 1);
  assert.is(Math.abs(cosHalfTurns53(2 ** 51)), 0);
});

/** Exact values from mpmath: for each input line, the true function value to 30 significant digits. */
const MPMATH = `
import sys
from mpmath import mp, mpf, log, cos, sin, pi, sqrt
mp.dps = 100
for line in sys.stdin:
    f = line.split()
    if f[0] == 'log': v = -log(mpf(float(f[1])))
    elif f[0] == 'cosq': v = cos(pi * mpf(float(f[1])) / 2)
    elif f[0] == 'sinq': v = sin(pi * mpf(float(f[1])) / 2)
    elif f[0] == 'turn': v = cos(pi * (2 * mpf(int(f[1])) / mpf(2)**53 - 1))
    else:  # 'n24 a b': the Box-Muller value of the integers a, b (u1 = (a + 1) / 2^24, u2 = b / 2^24)
        v = sqrt(-2 * log(mpf(int(f[1]) + 1) / 2**24)) * cos(pi * (2 * mpf(int(f[2])) / 2**24 - 1))
    print(mp.nstr(v, 30, min_fixed=1, max_fixed=0))
`;

test('against mpmath: negLog, cosQuarter, sinQuarter within 1 ulp; the angle within 1 ulp of 1; the f32 normal within 2^-24 relative + 2^-29', () => {
  const r = stream(99);
  const lines: string[] = [];
  const logs = logPoints(3000);
  for (const x of logs) lines.push(`log ${x}`);
  const qs: number[] = [];
  for (let i = 0; i < 2000; i++) qs.push(Math.floor(r() * 2 ** 50) * 2 ** -51);
  qs.push(0.5, 2 ** -51);
  for (const s of qs) lines.push(`cosq ${s}`, `sinq ${s}`);
  const turns: number[] = [0, 1, 2 ** 51 - 1, 2 ** 51, 2 ** 51 + 1, 2 ** 50, 2 ** 52, 3 * 2 ** 51, 2 ** 53 - 1];
  for (let i = 0; i < 2000; i++) turns.push(Math.floor(r() * 2 ** 53));
  for (const b of turns) lines.push(`turn ${b}`);
  const pairs: [number, number][] = [[0, 0], [0, 2 ** 23], [2 ** 24 - 2, 5], [2 ** 23, 2 ** 22 + 1], [12345, 2 ** 21]];
  for (let i = 0; i < 5000; i++) pairs.push([Math.floor(r() * 2 ** 24), Math.floor(r() * 2 ** 24)]);
  for (const [a, b] of pairs) lines.push(`n24 ${a} ${b}`);
  const py = spawnSync('python3', ['-c', MPMATH], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  if (py.error || py.status !== 0) { console.log(`  skipped: python3 with mpmath unavailable (${py.error?.message ?? py.stderr.trim().split('\n').pop()})`); return; }
  const exact = py.stdout.trim().split('\n').map(Number);
  let k = 0, wl = 0, wc = 0, ws = 0, wt = 0, wn = 0;
  for (const x of logs) { const v = exact[k++]!; wl = Math.max(wl, Math.abs(negLog(x) - v) / ulp(v || 1)); }
  for (const s of qs) {
    const c = exact[k++]!, sn = exact[k++]!;
    wc = Math.max(wc, Math.abs(cosQuarter(s) - c) / ulp(c));
    ws = Math.max(ws, Math.abs(sinQuarter(s) - sn) / ulp(sn));
  }
  // Near its zeros the angle's cosine is judged by absolute error (in ulps of 1).
  for (const b of turns) { const v = exact[k++]!; wt = Math.max(wt, Math.abs(cosHalfTurns53(b) - v) / Math.max(ulp(v), 2 ** -53)); }
  for (const [a, b] of pairs) {
    const v = exact[k++]!;
    const z = normalF32((a << 8) >>> 0, (b << 8) >>> 0);
    wn = Math.max(wn, Math.abs(z - v) / (Math.abs(v) * 2 ** -24 + 2 ** -29));
  }
  console.log(`  worst: log ${wl} ulp, cos ${wc}, sin ${ws}, angle ${wt}, f32 normal ${wn} of the bound`);
  assert.ok(wl <= 1 && wc <= 1 && ws <= 1 && wt <= 1, `log ${wl}, cos ${wc}, sin ${ws}, angle ${wt}`);
  assert.ok(wn <= 1, `f32 normal ${wn}`);
});

test.run();
