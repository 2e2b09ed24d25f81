/**
 * @file End-to-end tests of `thc gradcheck` through the real executable: passing checks (f64 and
 * f32 programs, parameter and shared targets, second derivatives, --load-state), a failing check
 * at a kink (where finite differences are wrong, not the gradient), tolerances and steps, and every
 * error (no `grad`, bad arguments, bad options) with its code and exit status. The analytic values
 * in the table are compared with derivatives worked out by hand and evaluated by numpy.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, python, removeTempDirs, tempDir, thc, type ThcResult } from './helpers/cli.js';

const dir = tempDir('gradcheck');
const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

const CUBIC = write('cubic.th', `fn f(x: f64[n]) {
  let c = sum(x ^ 3) + sum(sin(x))
  return grad(c, x)
}
`);
const F32 = write('f32.th', `shared s: f32[2] = [0.3, -0.7]
fn f(x: f32[n]) {
  let c = sum(tanh(x) * 3 + 1) + sum(s * s * x[0])
  let (gx, gs) = grad(c, (x, s))
  return (gx, gs)
}
`);
const KINK_SRC = 'fn relu_cost(x: f64[n]) = grad(sum(where(x > 0, x, 0)), x)\n';
const KINK = write('kink.th', KINK_SRC);
const SECOND = write('second.th', `fn f(x: f64[n]) {
  let g = grad(sum(x ^ 3), x)
  return grad(sum(g * sin(x)), x)
}
`);
const TRAIN = write('train.th', `shared w: f64[2] = [1.0, -2.0]
fn train(x: f64[2], lr: f64 = 0.1) {
  let cost = sum((w * x - 1) ^ 2)
  w <- w - lr * grad(cost, w)
  return cost
}
`);
const LOGREG = write('logreg.th', `fn f(x: f64[n, k], y: f64[n], w: f64[k], b: f64) {
  let p1 = 1 / (1 + exp(-(x @ w) - b))
  let xent = -y * log(p1) - (1 - y) * log(1 - p1)
  let cost = mean(xent) + 0.01 * sum(w ^ 2)
  let (gw, gb) = grad(cost, (w, b))
  return (cost, gw, gb)
}
`);
const NO_GRAD = write('nograd.th', 'fn f(x: f64) = x * 2\n');

interface Row { grad: string; target: string; shape: string; err: number; index: string; analytic: number; numeric: number; status: string }

/** The table on stdout, one Row per line after the header. */
function table(r: ThcResult): Row[] {
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^grad +target +shape +worst rel\. error +at index +analytic +numeric +status$/);
  return lines.slice(1).filter(l => !l.startsWith('note:')).map(l => {
    const c = l.split(/ {2,}/);
    return { grad: c[0]!, target: c[1]!, shape: c[2]!, err: Number(c[3]), index: c[4]!, analytic: Number(c[5]), numeric: Number(c[6]), status: c[7]! };
  });
}

const codes = (r: ThcResult): string[] => r.stderr.trim().split('\n').filter(l => l !== '').map(l => (JSON.parse(l) as { code: string }).code);
const clean = (r: ThcResult): void => assert.not.ok(hasStackTrace(r.stderr), `stack trace in stderr:\n${r.stderr}`);
/** numpy's value of `expr` at index `i` (`[1]`), as a number. */
const npAt = (setup: string, expr: string, index: string): number => Number(python(`${setup}\nprint(repr(float((${expr})[tuple(${index})])))`));

const gtest = test;

gtest('a correct f64 gradient passes: one row, error below 1e-6, analytic value right', () => {
  const r = thc(['gradcheck', CUBIC, 'x=[0.5, -1.2, 2]']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const [row, ...rest] = table(r);
  assert.is(rest.length, 0);
  assert.is(row!.grad, `${CUBIC}:3:10`);
  assert.is(row!.target, 'x');
  assert.is(row!.shape, 'f64[3]');
  assert.ok(row!.err < 1e-6, String(row!.err));
  assert.is(row!.status, 'ok');
  // d/dx (x^3 + sin x) = 3x^2 + cos x, by hand; the table prints 10 significant digits.
  const want = npAt('x = np.array([0.5, -1.2, 2])', '3 * x**2 + np.cos(x)', row!.index);
  assert.ok(Math.abs(row!.analytic - want) <= 1e-9 * Math.abs(want), `${row!.analytic} vs ${want}`);
  assert.ok(Math.abs(row!.numeric - want) <= 1e-6 * Math.abs(want), `${row!.numeric} vs ${want}`);
});

gtest('an f32 program is differenced in f64: parameter and shared targets both pass', () => {
  const r = thc(['gradcheck', F32, 'x=[0.5, -1.2, 2]']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout, 'note:');
  const rows = table(r);
  assert.equal(rows.map(x => [x.target, x.shape, x.status]), [['x', 'f32[3]', 'ok'], ['s', 'f32[2]', 'ok']]);
  // f32 arithmetic against f64 differences: a few f32 ulps, far below the f32 tolerance 1e-3.
  for (const row of rows) assert.ok(row.err < 1e-5, `${row.target}: ${row.err}`);
  // d/ds of sum(s*s*x[0]) = 2 s x[0]
  const s = rows[1]!;
  const want = npAt('s = np.array([0.3, -0.7], dtype=np.float32).astype(np.float64)', '2 * s * 0.5', s.index);
  assert.ok(Math.abs(s.analytic - want) <= 1e-6 * Math.abs(want), `${s.analytic} vs ${want}`);
});

gtest('a kink makes finite differences wrong: relu at 0 fails with TH0683, exit 1', () => {
  // Central differences of max(x, 0) at 0 give (h - 0) / 2h = 0.5; the gradient there is 0.
  const r = thc(['gradcheck', KINK, 'x=[0.0, 1.5]']);
  assert.is(r.code, 1);
  const [row] = table(r);
  assert.is(row!.index, '[0]');
  assert.is(row!.analytic, 0);
  assert.is(row!.numeric, 0.5);
  assert.is(row!.err, 0.5);
  assert.is(row!.status, 'FAIL (> 1e-6)');
  assert.match(r.stderr, 'error[TH0683]: the gradient with respect to `x` differs from finite differences: relative error 0.5 at index [0] exceeds the tolerance 1e-6');
  assert.match(r.stderr, `${KINK}:1:${KINK_SRC.indexOf('grad(') + 1}`);
  clean(r);
  const j = thc(['--diagnostics', 'json', 'gradcheck', KINK, 'x=[0.0, 1.5]']);
  assert.equal(codes(j), ['TH0683']);
});

gtest('away from the kink the same program passes; --tolerance can accept the kink', () => {
  assert.is(thc(['gradcheck', KINK, 'x=[0.1, 1.5]']).code, 0);
  const loose = thc(['gradcheck', KINK, 'x=[0.0, 1.5]', '--tolerance', '0.6']);
  assert.is(loose.code, 0, loose.stderr);
  assert.is(table(loose)[0]!.status, 'ok');
});

gtest('--eps sets the step: a large step spoils a curved cost', () => {
  // x^3 at x = 2 with step h: ((2+h)^3 - (2-h)^3) / 2h = 12 + h^2, h = 0.1 * max(1, |2|) = 0.2:
  // 0.04 too much, plus the sine's share; the check fails against 3x^2 + cos x = 11.58.
  const r = thc(['gradcheck', CUBIC, 'x=[2.0]', '--eps', '0.1']);
  assert.is(r.code, 1);
  const row = table(r)[0]!;
  const want = Number(python('x = 2.0; h = 0.2; print(repr(float(((x+h)**3 + np.sin(x+h) - (x-h)**3 - np.sin(x-h)) / (2*h))))'));
  assert.ok(Math.abs(row.numeric - want) <= 1e-9 * want, `${row.numeric} vs ${want}`);
});

gtest('second derivatives: one row per grad, both pass', () => {
  const r = thc(['gradcheck', SECOND, 'x=[0.5, -1.2, 2]']);
  assert.is(r.code, 0, r.stderr);
  const rows = table(r);
  assert.is(rows.length, 2);
  assert.equal(rows.map(x => x.grad), [`${SECOND}:2:11`, `${SECOND}:3:10`]);
  // d/dx sum(3x^2 sin x) = 6x sin x + 3x^2 cos x
  const want = npAt('x = np.array([0.5, -1.2, 2])', '6*x*np.sin(x) + 3*x**2*np.cos(x)', rows[1]!.index);
  assert.ok(Math.abs(rows[1]!.analytic - want) <= 1e-9 * Math.abs(want));
});

gtest('a shared target in a training step, at the initial and at a loaded state', () => {
  const r = thc(['gradcheck', TRAIN, 'x=[0.5, 2]']);
  assert.is(r.code, 0, r.stderr);
  const row = table(r)[0]!;
  assert.is(row.target, 'w');
  // d/dw sum((w x - 1)^2) = 2 (w x - 1) x
  assert.ok(Math.abs(row.analytic - npAt('w = np.array([1.0, -2]); x = np.array([0.5, 2])', '2*(w*x - 1)*x', row.index)) < 1e-12);
  python(`np.savez(${JSON.stringify(join(dir, 'w.npz'))}, w=np.array([2.0, 3.0]))`);
  const l = thc(['gradcheck', TRAIN, 'x=[0.5, 2]', '--load-state', join(dir, 'w.npz')]);
  assert.is(l.code, 0, l.stderr);
  const lr = table(l)[0]!;
  assert.ok(Math.abs(lr.analytic - npAt('w = np.array([2.0, 3]); x = np.array([0.5, 2])', '2*(w*x - 1)*x', lr.index)) < 1e-12);
});

gtest('logistic regression (matmul, sigmoid, xent, weight decay) passes', () => {
  const r = thc(['gradcheck', LOGREG, 'x=[[0.5, -1, 2], [1, 1, -0.3]]', 'y=[1, 0]', 'w=[0.1, -0.2, 0.3]', 'b=0.05']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const rows = table(r);
  assert.equal(rows.map(x => [x.target, x.shape]), [['w', 'f64[3]'], ['b', 'f64[]']]);
  const setup = 'x = np.array([[0.5, -1, 2], [1, 1, -0.3]]); y = np.array([1.0, 0]); w = np.array([0.1, -0.2, 0.3]); b = 0.05\np = 1 / (1 + np.exp(-(x @ w) - b))';
  const gw = npAt(setup, 'x.T @ (p - y) / 2 + 0.02 * w', rows[0]!.index);
  assert.ok(Math.abs(rows[0]!.analytic - gw) <= 1e-9 * Math.abs(gw), `${rows[0]!.analytic} vs ${gw}`);
});

gtest('samples/mlp.th passes', () => {
  const r = thc(['gradcheck', 'samples/mlp.th', '--fn', 'train']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.equal(table(r).map(x => x.target), ['W1', 'b1', 'W2', 'b2']);
});

test('a function without grad is TH0684, exit 1', () => {
  const r = thc(['--diagnostics', 'json', 'gradcheck', NO_GRAD, 'x=1']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.equal(codes(r), ['TH0684']);
  const t = thc(['gradcheck', NO_GRAD]);
  assert.match(t.stderr, '`f` has no `grad` expression, so there is no gradient to check');
  clean(t);
});

gtest('argument problems are reported as for thc run', () => {
  assert.equal(codes(thc(['--diagnostics', 'json', 'gradcheck', CUBIC])), ['TH0655']);
  assert.equal(codes(thc(['--diagnostics', 'json', 'gradcheck', CUBIC, 'x=[1]', 'z=2'])), ['TH0656']);
  assert.equal(codes(thc(['--diagnostics', 'json', 'gradcheck', CUBIC, '--fn', 'g', 'x=[1]'])), ['TH0653']);
});

test('bad options are usage errors (exit 2, one line)', () => {
  for (const args of [['--eps', '0'], ['--eps', '-1'], ['--tolerance', 'abc'], ['--tolerance', 'Infinity'], ['bad-binding']]) {
    const r = thc(['gradcheck', CUBIC, ...args]);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.is(r.stdout, '');
  }
});

test.after(removeTempDirs);
test.run();
