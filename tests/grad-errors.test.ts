/**
 * @file `grad` at elaboration: every TH04xx error with its position and wording (message, label,
 * help), the argument-binding errors of the call, `disconnected="zero"`, tuple targets, and what
 * the `graph` stage holds (placeholders of the target's type) before the `grad` stage expands them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectDiag, onlyDiag, expectOk } from './helpers/compile.js';
import { compileOk, entry, run } from './helpers/grad.js';
import { fromNumbers } from '../src/runtime/ndarray.js';
import { typeToString } from '../src/sema/types.js';

test('TH0402: a non-scalar cost, with its type', () => {
  const d = onlyDiag('fn f(x: f64[3]) = grad(x * 2, x)', 'TH0402 1:24');
  assert.is(d.message, 'the cost of `grad` must be a scalar, found f64[3]');
  assert.is(d.primary!.message, 'this is f64[3]');
  assert.ok(d.help[0]!.message.includes('sum(...)'));
  expectDiag('fn f(x: f64[n, m]) {\n  let c = x @ x.T\n  return grad(c, x)\n}', ['TH0402 3:15']);
});

test('TH0403: an integer or bool cost', () => {
  const d = onlyDiag('fn f(x: f64[3], k: i32) = grad(k * 2, x)', 'TH0403 1:32');
  assert.is(d.message, 'cannot differentiate a i32 cost');
  assert.ok(d.help[0]!.message.includes('cast('));
  expectDiag('fn f(x: f64) = grad(x > 0, x)', ['TH0403 1:21']);
});

test('TH0404: an integer target', () => {
  const d = onlyDiag('fn f(k: i32[3]) = grad(sum(cast(k, f64)), k)', 'TH0404 1:43');
  assert.is(d.message, 'cannot differentiate with respect to `k` of type i32[3]');
  assert.is(d.primary!.message, '`k` is i32[3]');
  expectDiag('shared s: i32 = 1\nfn f(x: f64) = grad(x * cast(s, f64), (x, s))', ['TH0404 2:43']);
});

test('TH0405: a target that is not a parameter or shared variable', () => {
  const d = onlyDiag('fn f(x: f64) {\n  let y = x * 2\n  return grad(y * y, y)\n}', 'TH0405 3:22');
  // A `let` name is named as such.
  assert.is(d.message, '`grad` differentiates with respect to a parameter or a shared variable, not `y`, a local value of type f64');
  assert.ok(d.help.length > 0);
  const e = onlyDiag('fn f(x: f64[3]) = grad(sum(x), x * 2)', 'TH0405 1:32');
  assert.is(e.message, '`grad` differentiates with respect to a parameter or a shared variable, not an expression of type f64[3]');
  expectDiag('fn f(x: f64[3]) = grad(sum(x), x[0])', ['TH0405 1:32']);
  expectDiag('fn f(x: f64) = grad(x * 2, 1.5)', ['TH0405 1:28']);
});

test('TH0401: a target the cost does not depend on, per target of a tuple', () => {
  const d = onlyDiag('fn f(x: f64, y: f64) = grad(x * x, y)', 'TH0401 1:36');
  assert.is(d.message, 'the cost does not depend on `y`');
  assert.is(d.primary!.message, '`y` does not reach the cost');
  assert.ok(d.help[0]!.message.includes('disconnected="zero"'));
  expectDiag('fn f(x: f64, y: f64, z: f64) = grad(x * y, (x, z, y))', ['TH0401 1:48']);
  expectDiag('shared w: f64[2] = 0\nfn f(x: f64) = grad(x * 2, w)', ['TH0401 2:28']);
  // the dependence is structural: x * 0 still uses x
  expectOk('fn f(x: f64) = grad(x * 0, x)');
});

test('TH0406 and TH0308: the disconnected argument', () => {
  const d = onlyDiag('fn f(x: f64, y: f64) = grad(x * x, y, disconnected="ignore")', 'TH0406 1:52');
  assert.is(d.message, 'unknown value `ignore` for `disconnected`');
  assert.ok(d.help[0]!.message.includes('"zero"'));
  expectDiag('fn f(x: f64) = grad(x * x, x, disconnected=1)', ['TH0308 1:44']);
  expectOk('fn f(x: f64) = grad(x * x, x, disconnected="raise")');
});

test('TH0407: targets that are not variables', () => {
  const d = onlyDiag('fn f(x: f64) = grad(x * 2, exp)', 'TH0407 1:28');
  assert.is(d.message, 'the targets of `grad` must be a variable or a tuple of variables, found the builtin `exp`');
  expectDiag('fn f(x: f64, y: f64) = grad(x * y, ((x, y), x))', ['TH0407 1:37']);
});

test('arity and argument forms: the usual call errors', () => {
  expectDiag('fn f(x: f64) = grad(x)', ['TH0217 1:16']);
  expectDiag('fn f(x: f64) = grad(x * x, x, "zero", 1)', ['TH0218 1:39']);
  expectDiag('fn f(x: f64) = grad(x * x, x, mode="zero")', ['TH0215 1:31']);
  expectDiag('fn f(x: f64) = grad(wrt=x, cost=x * x) + 1', []);
  expectDiag('fn f(x: f64[2]) = grad(sum(x), (x, x)) + 1', ['TH0311 1:19']);
});

test('errors in both arguments are all reported, nothing cascades', () => {
  expectDiag('fn f(x: f64[3], k: i32) = grad(x, k)', ['TH0402 1:32', 'TH0404 1:35']);
  expectDiag('fn f(x: f64[3]) = grad(sum(nope), x)', ['TH0201 1:28']);
  expectDiag('fn f(x: f64[3]) = grad(sum(x), nope)', ['TH0201 1:32']);
});

test('the graph stage holds one placeholder per target, of the target\'s type', () => {
  const r = compileOk('shared w: f32[4] = 0\nfn f(x: f64[n, 4], b: f64) = grad(sum(x @ cast(w, f64)) + b, (w, b))', 'graph');
  const outs = entry(r, 'f').outputs;
  assert.is(outs.length, 2);
  assert.equal(outs.map(o => [o.node.op, typeToString(o.node.type)]), [['grad', 'f32[4]'], ['grad', 'f64']]);
  assert.is(outs[0]!.node.inputs[0], outs[1]!.node.inputs[0], 'one cost node');
});

test('disconnected="zero": zeros of the target\'s type, alone and in a tuple', () => {
  const r = compileOk('fn f(x: f64[2], y: f32[3]) = grad(sum(x * x), (x, y), disconnected="zero")\n'
    + 'fn g(x: f64[2], y: f64) = grad(y * 2, x, disconnected="zero")');
  const p = new Map([['x', fromNumbers('f64', [2], [1.5, -2])], ['y', fromNumbers('f32', [3], [1, 2, 3])]]);
  const [gx, gy] = run(entry(r, 'f'), p);
  assert.equal([...gx!.data], [3, -4]);
  assert.is(gy!.dtype, 'f32');
  assert.equal(gy!.shape, [3]);
  assert.equal([...gy!.data], [0, 0, 0]);
  const [z] = run(entry(r, 'g'), new Map([['x', fromNumbers('f64', [2], [1, 1])], ['y', fromNumbers('f64', [], [3])]]));
  assert.equal([...z!.data], [0, 0]);
});

test('a tuple of targets destructures with let, a tuple value of targets works too', () => {
  const src = 'fn f(x: f64, y: f64) {\n  let (gx, gy) = grad(x * x * y, (x, y))\n  let both = (x, y)\n'
    + '  let (hx, hy) = grad(x + 3 * y, both)\n  return (gx, gy, hx, hy)\n}';
  const r = compileOk(src);
  const out = run(entry(r, 'f'), new Map([['x', fromNumbers('f64', [], [3])], ['y', fromNumbers('f64', [], [-2])]]));
  assert.equal(out.map(o => o.data[0]), [2 * 3 * -2, 9, 1, 3]);
});

test('grad inside a generic function, on the caller\'s parameter', () => {
  const r = compileOk('fn d(f, x) = grad(f, x)\nfn main(x: f64[2]) = d(sum(sin(x)), x)');
  const [g] = run(entry(r, 'main'), new Map([['x', fromNumbers('f64', [2], [0.5, 2])]]));
  assert.equal([...g!.data], [Math.cos(0.5), Math.cos(2)]);
});

test('an unexpanded placeholder cannot run: the interpreter reports an internal error', () => {
  const r = compileOk('fn f(x: f64) = grad(x * x, x)', 'graph');
  assert.throws(() => run(entry(r, 'f'), new Map([['x', fromNumbers('f64', [], [1])]])), /TH0699|grad/);
});

test.run();
