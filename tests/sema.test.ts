/**
 * @file Sema: types, shapes, weak literals, calls, inlining, tuples, updates, shared variables and
 * the diagnostics of src/diag/codes/sema.ts (each asserted with its line:col). Expected types are
 * worked out by hand from numpy's rules (np.result_type / np.broadcast_shapes agree).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { typeToString } from '../src/sema/types.js';
import type { NDArray } from '../src/runtime/ndarray.js';
import { evaluate } from '../src/runtime/interp.js';
import { createSink } from '../src/diag/sink.js';
import type { Span } from '../src/source/span.js';
import type { Arg, Expr } from '../src/syntax/ast.js';
import { bindArgs } from '../src/sema/call.js';
import { compileText, expectDiag, expectOk, expectType, graphOf, onlyDiag } from './helpers/compile.js';

const t = (name: string, f: () => void) => test(name, f);
const data = (a: NDArray | null | undefined): number[] => Array.from(a?.data ?? []);

// ---------------------------------------------------------------- broadcasting

t('broadcast: equal, scalar, size-1 and rank extension', () => {
  expectType('fn f(x: f32[2, 3], y: f32[3]) = x + y', 'f', 'f32[2, 3]');
  expectType('fn f(x: f32[5, 1, 3], y: f32[4, 1]) = x * y', 'f', 'f32[5, 4, 3]');
  expectType('fn f(x: f32[2, 3], s: f32) = x - s', 'f', 'f32[2, 3]');
  expectType('fn f(x: f32[1], y: f32[7]) = x / y', 'f', 'f32[7]');
});

t('broadcast: symbolic dims', () => {
  expectType('fn f(x: f32[n, 784], b: f32[784]) = x + b', 'f', 'f32[n, 784]');
  expectType('fn f(x: f32[n, 1], y: f32[1, m]) = x * y', 'f', 'f32[n, m]');
  expectType('fn f(x: f32[n, m], y: f32[n, m]) = x - y', 'f', 'f32[n, m]');
});

t('broadcast: anonymous dims match anything and take the known size', () => {
  expectType('fn f(x: f32[_, 3], y: f32[4, _]) = x + y', 'f', 'f32[4, 3]');
  expectType('type image = f32[_, 784]\nfn f(x: image, b: f32[784]) = x + b', 'f', 'f32[_1, 784]');
});

t('broadcast: mismatches are errors at the operator, with each operand labelled', () => {
  // The `+` of `x + y` is at column 38; the operands at 36 and 40.
  expectDiag('fn f(x: f32[n, 784], y: f32[10]) = x + y', ['TH0350 1:38']);
  expectDiag('fn f(x: f32[n], y: f32[m]) = x + y', ['TH0350 1:32']);
  const d = onlyDiag('fn f(x: f32[n, 784], y: f32[10]) = x + y', 'TH0350 1:38');
  assert.is(d.message, 'cannot broadcast f32[n, 784] with f32[10]');
  assert.equal(d.secondary.map(l => `${l.span.col}-${l.span.endCol} ${l.message}`), ['36-37 this is f32[n, 784]', '40-41 this is f32[10]']);
});

// ---------------------------------------------------------------- promotion and weak literals

t('promotion follows numpy', () => {
  expectType('fn f(x: f32[n], y: f64[n]) = x + y', 'f', 'f64[n]');
  expectType('fn f(x: i32[n], y: f32[n]) = x + y', 'f', 'f64[n]');
  expectType('fn f(x: i32, y: f64) = x * y', 'f', 'f64');
  expectType('fn f(x: f16, y: i32) = x - y', 'f', 'f64');
  expectType('fn f(x: u32, y: f32) = x + y', 'f', 'f64');
  expectType('fn f(x: bool, y: i32) = x + y', 'f', 'i32');
  expectType('fn f(x: bool, y: f16) = x + y', 'f', 'f16');
  expectType('fn f(x: f16, y: f32) = x + y', 'f', 'f32');
  expectType('fn f(x: u32, y: u32) = x + y', 'f', 'u32');
});

t('promotion: i32 with u32 has no common dtype', () => {
  expectDiag('fn f(x: i32[n], y: u32[n]) = x + y', ['TH0340 1:32']);
});

t('weak literals adopt the tensor dtype', () => {
  expectType('fn f(x: f32[n]) = 1 + x', 'f', 'f32[n]');
  expectType('fn f(x: f32[n]) = x * 2.5', 'f', 'f32[n]');
  expectType('fn f(x: f16[n]) = x * 2.5', 'f', 'f16[n]');
  expectType('fn f(i: i32) = i + 1', 'f', 'i32');
  expectType('fn f(i: i32) = 1.5 + i', 'f', 'f64');
  expectType('fn f(x: f32) = 2 * 3 + x', 'f', 'f32');
  expectType('fn f(x: f32) = (2 * 3.5) - x', 'f', 'f32');
});

t('weak literals alone: int is i32, float is f64; outputs become definite', () => {
  const r = expectOk('fn f() = 2 * 3\nfn g() = 1.5');
  const out = graphOf(r, 'f').outputs[0]!.node;
  assert.is(typeToString(out.type), 'i32');
  assert.not.ok(out.type.weak);
  assert.is(typeToString(graphOf(r, 'g').outputs[0]!.node.type), 'f64');
});

t('integer literal beyond i32 is TH0317', () => {
  expectDiag('fn f(x: f32[n]) = x + 3000000000', ['TH0317 1:23']);
  expectType('fn f(x: f32[n]) = x + 2147483647', 'f', 'f32[n]');
});

t('comparisons and logic give bool', () => {
  expectType('fn f(x: f32[n], y: f32[n]) = x < y', 'f', 'bool[n]');
  expectType('fn f(x: f32[n], y: f32[n]) = not (x < y) and x > 0 or true', 'f', 'bool[n]');
  expectType('fn f(x: f64[n]) = x == 1', 'f', 'bool[n]');
});

t('unary operators', () => {
  expectType('fn f(x: f32[n]) = -x', 'f', 'f32[n]');
  expectType('fn f(x: f32[n]) = +x', 'f', 'f32[n]');
  expectType('fn f(x: f32[n]) = -x ^ 2', 'f', 'f32[n]');
});

// ---------------------------------------------------------------- types and aliases

t('type aliases and constants as dims', () => {
  expectType('type v = f64[3]\nfn f(x: v) = x * 2', 'f', 'f64[3]');
  expectType('type real = f64\nfn f(x: real[n]) = x', 'f', 'f64[n]');
  expectType('let k = 10\nfn f(x: f32[k]) = x', 'f', 'f32[10]');
  expectType('let k = 2 * 5\nfn f(x: f32[n, k], y: f32[10]) = x + y', 'f', 'f32[n, 10]');
});

t('unknown type TH0208 with a suggestion', () => {
  const d = onlyDiag('type image = f32[_, 784]\nfn f(x: imag) = x', 'TH0208 2:9');
  assert.equal(d.help.map(h => h.message), ['a type with a similar name exists: `image`']);
  expectDiag('fn f(x: f23[n]) = x', ['TH0208 1:9']);
});

t('alias cycle TH0219 and shaped alias with a shape TH0325', () => {
  expectDiag('type a = b\ntype b = a\nfn f(x: a) = x', ['TH0219 2:10']);
  expectDiag('type v = f32[3]\nfn f(x: v[2]) = x', ['TH0325 2:9']);
});

t('a dim naming a non-integer constant is TH0329', () => {
  expectDiag('let eps = 1e-8\nfn f(x: f32[eps]) = x', ['TH0329 2:13']);
});

// ---------------------------------------------------------------- names

t('unknown name TH0201 with a suggestion from the builtins', () => {
  const d = onlyDiag('fn f(x: f32[n]) = sigmod(x)', 'TH0201 1:19');
  assert.equal(d.help.map(h => h.message), ['a function with a similar name exists: `sigmoid`']);
  assert.is(d.message, 'cannot find `sigmod` in this scope');
});

t('unknown name suggests locals and dims', () => {
  const d = onlyDiag('fn f(x: f32[n]) { let total = sum(x)\n return totl }', 'TH0201 2:9');
  assert.equal(d.help.map(h => h.message), ['a local value with a similar name exists: `total`']);
});

t('scope order: locals shadow dims, constants and builtins', () => {
  expectType('fn f(x: f32[n]) { let exp = x * 2\n return exp }', 'f', 'f32[n]');
  expectType('let c = 2.5\nfn f(x: f32[n]) = x * c', 'f', 'f32[n]');
  expectType('fn f(x: f32[n]) { let n = x\n return n }', 'f', 'f32[n]');
});

t('let may shadow an earlier let or a parameter', () => {
  expectType('fn f(a: f32[n]) { let a = a * 2\n let a = sum(a)\n return a }', 'f', 'f32');
});

t('symbolic dims are i32 scalars inside the body', () => {
  expectType('fn f(x: f32[n]) = n', 'f', 'i32');
  expectType('fn f(x: f64[n]) = sum(x) / n', 'f', 'f64');
  expectType('fn f(x: f32[n, m]) = arange(n * m)', 'f', 'i32[m*n]');
});

t('duplicates: top-level TH0206 and parameter TH0207', () => {
  expectDiag('fn f(y: f32) = y\nfn f(y: f32) = y', ['TH0206 2:4']);
  expectDiag('let a = 1\nshared a: f32 = 0', ['TH0206 2:8']);
  expectDiag('fn f(x: f32, x: f32) = x', ['TH0207 1:14']);
});

t('a type or a tensor used wrongly', () => {
  expectDiag('type v = f32\nfn f(x: f32) = x + v', ['TH0222 2:20']);
  expectDiag('fn f(x: f32[n]) = x(1)', ['TH0214 1:19']);
  expectDiag('fn f(x: f32[n]) = exp', ['TH0326 1:19']);
});

t('constant cycle TH0220', () => {
  expectDiag('let a = b + 1\nlet b = a * 2\nfn f(x: f32) = x + a', ['TH0220 2:9']);
});

t('top-level constants are elaborated where used and may read shared variables', () => {
  expectType('let scale = 2.0\nlet half = scale / 4\nfn f(x: f32[n]) = x * half', 'f', 'f32[n]');
  expectType('shared w: f32[3] = 1\nlet w2 = w * 2\nfn f(x: f32[3]) = x + w2', 'f', 'f32[3]');
});

// ---------------------------------------------------------------- members, tuples, indexing

t('x.T and x.shape', () => {
  expectType('fn f(x: f32[n, m]) = x.T', 'f', 'f32[m, n]');
  const r = expectOk('fn f(x: f32[n, 3]) = x.shape');
  assert.equal(graphOf(r, 'f').outputs.map(o => [o.name, typeToString(o.node.type)]), [['out0', 'i32'], ['out1', 'i32']]);
  expectType('fn f(x: f32[n, m]) = reshape(x, [x.shape[1], n])', 'f', 'f32[m, n]');
});

t('unknown members: tensor TH0212, tuple TH0331', () => {
  const d = onlyDiag('fn f(x: f32[n]) = x.TT', 'TH0212 1:21');
  assert.equal(d.help.map(h => h.message), ['a member with a similar name exists: `T`']);
  expectDiag('fn f(x: f32[n]) = (x, x).T', ['TH0331 1:26']);
});

t('tuples: destructuring and static indexing', () => {
  expectType('fn f(x: f32[n, m]) { let (a, b) = x.shape\n return arange(a * b) }', 'f', 'i32[m*n]');
  expectType('fn f(x: f32[n]) { let t = (x, sum(x))\n return t[1] }', 'f', 'f32');
  expectType('fn f(x: f32[n]) { let t = (x, sum(x))\n return t[-2] }', 'f', 'f32[n]');
  expectType('fn f(x: f32[n]) { let (a,) = (x,)\n return a }', 'f', 'f32[n]');
});

t('tuple errors: TH0312, TH0313, TH0314, TH0315, TH0311', () => {
  expectDiag('fn f(x: f32[n]) { let (a, b) = (x, x, x)\n return a }', ['TH0312 1:32']);
  expectDiag('fn f(x: f32[n]) { let (a, b) = x\n return a }', ['TH0313 1:32']);
  expectDiag('fn f(x: f32[n]) { let t = (x, x)\n return t[2] }', ['TH0314 2:11']);
  expectDiag('fn f(x: f32[n], i: i32) { let t = (x, x)\n return t[i] }', ['TH0315 2:11']);
  expectDiag('fn f(x: f32[n]) = (x, x) + 1', ['TH0311 1:19']);
});

t('indexing tensors: ints, slices, gather', () => {
  expectType('fn f(x: f32[3, 4]) = x[1:, ::-2]', 'f', 'f32[2, 2]');
  expectType('fn f(x: f32[n, 4]) = x[0, 1:3]', 'f', 'f32[2]');
  expectType('fn f(x: f32[n, 4]) = x[-1]', 'f', 'f32[4]');
  expectType('fn f(x: f32[n, 3], y: i32[k]) = x[y]', 'f', 'f32[k, 3]');
  expectType('fn f(x: f32[n]) = x[n - 1]', 'f', 'f32');
  expectType('fn f(p: f32[n, 10], y: i32[n]) = log(p)[arange(n), y]', 'f', 'f32[n]');
});

t('slice bounds must be static TH0307; other values cannot be indexed TH0332', () => {
  expectDiag('fn f(x: f32[n, m], k: i32) = x[k:]', ['TH0307 1:32']);
  expectDiag('use nn\nfn f(x: f32[n]) = nn[0]', ['TH0332 2:19']);
});

// ---------------------------------------------------------------- arrays and strings

t('array literals: constants, promotion, stacking', () => {
  expectType('fn f() = [[1, 2.5], [3, 4]]', 'f', 'f64[2, 2]');
  expectType('fn f() = [1, true]', 'f', 'i32[2]');
  expectType('fn f(x: f32[n]) = [1, x[0]]', 'f', 'f32[2]');
  expectType('fn f(x: f32[n, 3]) = [x, x]', 'f', 'f32[2, n, 3]');
  expectType('fn f(x: f32[3]) = x + [1, 2, 3]', 'f', 'f32[3]');
  expectType('fn f(x: f32[n]) = [-1, 2] * x[0]', 'f', 'f32[2]');
});

t('array literal values are exact', () => {
  const r = expectOk('fn f() = [[1, -2], [3, 4]]');
  const c = graphOf(r, 'f').outputs[0]!.node;
  assert.is(c.op, 'const');
  assert.equal(data(c.attrs['value'] as NDArray), [1, -2, 3, 4]);
});

t('array literal errors: ragged TH0318, empty TH0319', () => {
  expectDiag('fn f() = [[1, 2], [3, 4, 5]]', ['TH0318 1:19']);
  expectDiag('fn f() = [[1, 2], 3]', ['TH0318 1:19']);
  expectDiag('fn f(x: f32[n]) = []', ['TH0319 1:19']);
});

t('strings are not values TH0316; load outside an initializer TH0327', () => {
  expectDiag('fn f(x: f32[n]) = "hello"', ['TH0316 1:19']);
  expectDiag('fn f(x: f32[n]) = load("a.npy")', ['TH0327 1:19']);
});

// ---------------------------------------------------------------- builtins and compile-time arguments

t('builtins with keyword and compile-time arguments', () => {
  expectType('fn f(x: f32[2, 3]) = sum(x, axis=1)', 'f', 'f32[2]');
  expectType('fn f(x: f32[2, 3]) = sum(x, axis=-1, keepdims=true)', 'f', 'f32[2, 1]');
  expectType('fn f(x: f32[2, 3, 4]) = mean(x, axis=(0, 2))', 'f', 'f32[3]');
  expectType('fn f(x: f32[n, m]) = reshape(x, [m * n])', 'f', 'f32[m*n]');
  expectType('fn f(a: f32[n], b: f32[m]) = concat([a, b], axis=0)', 'f', 'f32[m+n]');
  expectType('fn f(a: i32[n]) = cast(a, f32)', 'f', 'f32[n]');
  expectType('fn f(a: i32[n]) = one_hot(a, 10, dtype=f64)', 'f', 'f64[n, 10]');
  expectType('fn f(a: f32[n]) = broadcast(a, [3, n])', 'f', 'f32[3, n]');
  expectType('fn f(a: f32[n]) = zeros([n, 3], dtype=f32) + a[0]', 'f', 'f32[n, 3]');
  expectType('fn f(x: f32[n, m]) = transpose(x, [1, 0])', 'f', 'f32[m, n]');
});

t('compile-time arguments: TH0307 not constant, TH0308 wrong kind, TH0328 non-integer dim', () => {
  expectDiag('fn f(x: f32[2, 3], a: i32) = sum(x, axis=a)', ['TH0307 1:42']);
  expectDiag('fn f(x: f32[2, 3]) = sum(x, axis=1.5)', ['TH0308 1:34']);
  expectDiag('fn f(x: f32[n]) = sum(x, keepdims=1)', ['TH0308 1:35']);
  expectDiag('fn f(a: f32[n]) = cast(a, 3)', ['TH0308 1:27']);
  expectDiag('fn f(x: f32[n]) = reshape(x, [2.5])', ['TH0328 1:31']);
  expectDiag('fn f(x: f32[n]) = reshape(x, [6 / 4])', ['TH0328 1:31']);
  expectType('fn f(x: f32[6]) = reshape(x, [6 / 2, 2])', 'f', 'f32[3, 2]');
  expectDiag('fn f(x: f32[n], k: i32) = arange(k)', ['TH0307 1:34']);
});

t('grad elaborates to a placeholder of the target\'s type; a non-scalar cost is TH0402', () => {
  expectType('fn f(x: f64[n]) = grad(sum(x), x)', 'f', 'f64[n]');
  const d = onlyDiag('fn f(x: f64[n]) = grad(x, x)', 'TH0402 1:24');
  assert.ok(d.message.includes('must be a scalar'));
});

// ---------------------------------------------------------------- calls of user functions

const G = 'fn g(x, k = 2, j = 3) = x * k + j\n';

t('keyword arguments and defaults', () => {
  expectType(`${G}fn f(x: f32[n]) = g(x, j=1)`, 'f', 'f32[n]');
  expectType(`${G}fn f(x: f32[n]) = g(k=x, x=1)`, 'f', 'f32[n]');
  expectType(`${G}fn f(x: f32[n]) = g(x, 1.5, 2)`, 'f', 'f32[n]');
});

t('call errors: TH0215 unknown keyword, TH0216 twice, TH0217 missing, TH0218 too many, TH0221 order', () => {
  const d = onlyDiag(`${G}fn f(x: f32[n]) = g(x, kk=1)`, 'TH0215 2:24');
  assert.equal(d.help.map(h => h.message), ['a parameter with a similar name exists: `k`']);
  expectDiag(`${G}fn f(x: f32[n]) = g(x, x=1)`, ['TH0216 2:24']);
  expectDiag(`${G}fn f(x: f32[n]) = g(k=1)`, ['TH0217 2:19']);
  expectDiag(`${G}fn f(x: f32[n]) = g(x, 1, 2, 3)`, ['TH0218 2:30']);
  expectDiag('fn f(x: f32[n]) = sum(x, 0, true, 2)', ['TH0218 1:35']);
  expectDiag('fn f(x: f32[n]) = sum(x, wrong=1)', ['TH0215 1:26']);
  expectDiag('fn f(x: f32[n]) = sum()', ['TH0217 1:19']);
});

t('bindArgs reports a positional argument after a keyword (TH0221; the parser also rejects it)', () => {
  const sink = createSink();
  const sp = (col: number): Span => ({ file: 'm.th', start: col - 1, end: col, line: 1, col, endLine: 1, endCol: col + 1 });
  const value = (col: number): Expr => ({ kind: 'Number', value: 1, isInt: true, text: '1', span: sp(col) });
  const args: Arg[] = [{ name: { kind: 'Ident', name: 'k', span: sp(3) }, value: value(5), span: sp(3) }, { name: null, value: value(8), span: sp(8) }];
  const b = bindArgs('g', [{ name: 'x', hasDefault: false }, { name: 'k', hasDefault: true }], args, sp(1), sink);
  assert.not.ok(b.ok);
  assert.equal(sink.diagnostics.map(d => `${d.code} ${d.primary!.span.col}`), ['TH0221 8', 'TH0217 1']);
});

t('defaults of generic parameters are evaluated in the callee, after earlier parameters', () => {
  expectType('fn g(x, s = sum(x)) = x - s\nfn f(x: f32[n]) = g(x)', 'f', 'f32[n]');
  expectType('let c = 3\nfn g(x, s = c) = x * s\nfn f(x: f64[n]) = g(x)', 'f', 'f64[n]');
});

t('typed parameters of called functions: weak literals adapt, dtype must match', () => {
  expectType('fn g(a: f32) = a\nfn f(x: f32[n]) = g(2)', 'f', 'f32');
  expectDiag('fn g(a: i32) = a\nfn f(x: f32[n]) = g(2.5)', ['TH0305 2:21']);
  expectDiag('fn g(a: f64[k]) = a\nfn f(x: f32[n]) = g(x)', ['TH0305 2:21']);
  expectDiag('fn g(a: f32[k, 2]) = a\nfn f(x: f32[n]) = g(x)', ['TH0305 2:21']);
  expectDiag('fn g(a: f32[3]) = a\nfn f(x: f32[4]) = g(x)', ['TH0305 2:21']);
  expectDiag('fn g(a: f32[n]) = a\nfn f(x: f32[n]) = g((x, x))', ['TH0305 2:21']);
});

t('symbolic dims unify at calls and bind the callee dims', () => {
  expectType('fn g(a: f32[n], b: f32[n]) = a + b\nfn f(x: f32[784], y: f32[784]) = g(x, y)', 'f', 'f32[784]');
  expectType('fn g(a: f32[k]) = a * k + arange(k)\nfn f(x: f32[3]) = g(x)', 'f', 'f64[3]');
  expectType('fn g(a: f32[k, j]) = reshape(a, [j * k])\nfn f(x: f32[m, 4]) = g(x)', 'f', 'f32[4*m]');
  expectType('fn g(a: f32[k]) = a\nfn f(x: f32[_]) = g(x)', 'f', 'f32[_1]');
});

t('symbolic dim mismatch TH0306 says where the dim got its size', () => {
  const d = onlyDiag('fn g(a: f32[n], b: f32[n]) = a + b\nfn f(x: f32[784], y: f32[10]) = g(x, y)', 'TH0306 2:38');
  assert.is(d.message, 'dimension `n` of `g` would be both 784 and 10');
  assert.equal(d.secondary.map(l => `${l.span.line}:${l.span.col} ${l.message}`), ['2:35 `n` = 784 here']);
  expectDiag('fn g(a: f32[n, n]) = a\nfn f(x: f32[3, 4]) = g(x)', ['TH0306 2:24']);
});

t('generic inlining errors point at the definition and the call', () => {
  const d = onlyDiag('fn g(a, b) = a + b\nfn f(x: f32[784], y: f32[10]) = g(x, y)', 'TH0350 1:16');
  assert.ok(d.secondary.some(l => l.span.line === 2 && l.span.col === 33 && l.message === 'in this call to `g`'));
  const u = onlyDiag('fn f(x: f32[n]) = h(x)\nfn h(x) = x + nope', 'TH0201 2:15');
  assert.equal(u.secondary.map(l => `${l.span.line}:${l.span.col} ${l.message}`), ['1:19 in this call to `h`']);
});

t('nested inlining labels every call, innermost first', () => {
  const d = onlyDiag('fn a(x) = x + [1, 2]\nfn b(x) = a(x)\nfn f(x: f32[3]) = b(x)', 'TH0350 1:13');
  assert.equal(d.secondary.filter(l => l.message.startsWith('in this call')).map(l => `${l.span.line}:${l.span.col} ${l.message}`),
    ['2:11 in this call to `a`', '3:19 in this call to `b`']);
});

t('recursion TH0213 names the cycle', () => {
  const d = onlyDiag('fn f(x: f32[n]) = g(x)\nfn g(x) = h(x)\nfn h(x) = g(x)', 'TH0213 3:11');
  assert.is(d.message, 'function `g` calls itself: g -> h -> g');
  expectDiag('fn g(x) = g(x)\nfn f(x: f32) = g(x)', ['TH0213 1:11']);
});

t('uncalled generic functions are still name-resolved', () => {
  expectDiag('fn h(x) = sum(x, axis=1) + zzz', ['TH0201 1:28']);
  expectDiag('fn h(x, y: f32[n]) = y + undefined_name', ['TH0201 1:26']);
  expectOk('fn h(x, axis = -1) = sum(x, axis=axis)');
});

t('entry points can call each other', () => {
  expectType('fn g(x: f32[n]) = x * 2\nfn f(y: f32[3]) = g(y) + 1', 'f', 'f32[3]');
});

t('not callable TH0214', () => {
  expectDiag('use nn\nfn f(x: f32[n]) = nn(x)', ['TH0214 2:19']);
});

// ---------------------------------------------------------------- entry points: params, defaults, outputs

t('outputs are named after identifiers, else out<i>', () => {
  const r = expectOk('fn f(x: f32[n]) { let cost = sum(x)\n return (cost, x * 2, x) }\nfn g(x: f32) = x\nfn h(x: f32) = x + 1');
  assert.equal(graphOf(r, 'f').outputs.map(o => o.name), ['cost', 'out1', 'x']);
  assert.equal(graphOf(r, 'g').outputs.map(o => o.name), ['x']);
  assert.equal(graphOf(r, 'h').outputs.map(o => o.name), ['out0']);
});

t('repeated output names are made unique', () => {
  const r = expectOk('fn f(x: f32) = (x, x)');
  assert.equal(graphOf(r, 'f').outputs.map(o => o.name), ['x', 'out1']);
});

t('params keep declared types, `_` becomes a fresh anonymous dim', () => {
  const r = expectOk('fn f(x: f32[_, 3], y: f32[_], z: f64[n, n]) = z');
  assert.equal(graphOf(r, 'f').params.map(p => `${p.name}: ${typeToString(p.type)}`), ['x: f32[_1, 3]', 'y: f32[_2]', 'z: f64[n, n]']);
});

t('defaults are folded and converted to the declared type', () => {
  const r = expectOk('fn f(x: f32[n], lr: f64 = 0.1, k: f32[3] = 2, m: i32[2, 2] = [[1, 2], [3, 4]], s: f32 = -0.5) = x');
  const ps = graphOf(r, 'f').params;
  assert.is(ps[0]!.default, null);
  assert.is(ps[1]!.default!.dtype, 'f64');
  assert.equal(data(ps[1]!.default), [0.1]);
  assert.equal([...ps[2]!.default!.shape], [3]);
  assert.equal(data(ps[2]!.default), [2, 2, 2]);
  assert.is(ps[3]!.default!.dtype, 'i32');
  assert.equal(data(ps[3]!.default), [1, 2, 3, 4]);
  assert.equal(data(ps[4]!.default), [-0.5]);
});

t('default errors: TH0309 not constant, TH0310 does not fit', () => {
  expectDiag('fn f(x: f32[n], lr: f64 = x) = x', ['TH0309 1:27']);
  expectDiag('fn f(x: f32[n], lr: i32 = 0.5) = x', ['TH0310 1:27']);
  expectDiag('fn f(v: f32[3] = [1, 2]) = v', ['TH0310 1:18']);
  expectDiag('fn f(v: f32[n, n] = [[1, 2, 3]]) = v', ['TH0310 1:21']);
});

t('entry selection: TH0209 unknown, TH0210 generic', () => {
  expectDiag('fn f(x: f32) = x', ['TH0209'], {}, { entry: 'g' });
  expectDiag('fn f(x: f32) = x\nfn g(x) = x', ['TH0210 2:6'], {}, { entry: 'g' });
  const r = expectOk('fn f(x: f32) = x\nfn g(x: f32) = x * 2', {}, { entry: 'g' });
  assert.equal(r.graphs!.entries.map(e => e.name), ['g']);
});

t('entry points are the functions with every parameter typed', () => {
  const r = expectOk('fn a(x: f32) = x\nfn b(x) = x\nfn c() = 1');
  assert.equal(r.graphs!.entries.map(e => e.name), ['a', 'c']);
});

// ---------------------------------------------------------------- updates

const W = 'shared w: f32[3] = 0\n';

t('updates convert to the declared type', () => {
  const r = expectOk(`${W}fn f(x: f32[3]) { w <- w + x\n return x }`);
  assert.equal(graphOf(r, 'f').updates.map(u => `${u.name}: ${typeToString(u.node.type)}`), ['w: f32[3]']);
  const b = expectOk(`${W}fn f(x: f32) { w <- 2.5\n return x }`);
  assert.equal(graphOf(b, 'f').updates.map(u => typeToString(u.node.type)), ['f32[3]']);
  const m = expectOk('shared m: f32[2, 3] = 0\nfn f(x: f32[3]) { m <- x\n return x }');
  assert.equal(graphOf(m, 'f').updates.map(u => typeToString(u.node.type)), ['f32[2, 3]']);
  const wide = expectOk('shared d: f64[3] = 0\nfn f(x: f32[3], i: i32[3]) { d <- d + x * 2 + i\n return x }');
  assert.equal(graphOf(wide, 'f').updates.map(u => typeToString(u.node.type)), ['f64[3]']);
});

t('inside the body a shared variable reads the value from before the call', () => {
  const r = expectOk(`${W}fn f(x: f32[3]) { w <- w + x\n return w }`);
  const g = graphOf(r, 'f');
  assert.is(g.outputs[0]!.node.op, 'shared');
  assert.is(g.updates[0]!.node.inputs.includes(g.outputs[0]!.node), true);
});

t('update errors: TH0301 not shared, TH0302 twice, TH0303 dtype, TH0304 shape', () => {
  const d = onlyDiag('fn f(x: f32[3]) { let y = x\n y <- 2\n return y }', 'TH0301 2:2');
  assert.ok(d.help[0]!.message.includes('use `let'));
  expectDiag('fn g(x) = x\nfn f(x: f32[3]) { g <- x\n return x }', ['TH0301 2:19']);
  expectDiag('fn f(x: f32[3]) { q <- x\n return x }', ['TH0201 1:19']);
  expectDiag(`${W}fn f(x: f32[3]) { w <- 1\n w <- 2\n return x }`, ['TH0302 3:2']);
  const c = onlyDiag(`${W}fn f(x: f64[3]) { w <- w + x\n return x }`, 'TH0303 2:24');
  assert.equal(c.help.map(h => h.message), ['convert it explicitly: `cast(..., f32)`']);
  expectDiag('shared k: i32[3] = 0\nfn f(x: f32[3]) { k <- k + 1.5\n return x }', ['TH0303 2:24']);
  expectDiag(`${W}fn f(x: f32[4]) { w <- x\n return x }`, ['TH0304 2:24']);
});

t('updates inside inlined functions belong to the calling entry point', () => {
  const r = expectOk(`${W}fn step(x) { w <- w * x\n return x }\nfn f(x: f32[3]) = step(x)`);
  assert.equal(graphOf(r, 'f').updates.map(u => u.name), ['w']);
});

// ---------------------------------------------------------------- shared variables

t('shared initializers build values of the declared type (a fill stays a broadcast scalar)', () => {
  const r = expectOk('let k = 2\nshared a: f32[k, 2] = [[1, 2], [3, 4]]\nshared b: f64 = 0.5\nshared c: i32[3] = ones\nshared d: f32[2] = zeros()\nshared e: f32[2]\nfn f(x: f32) = x');
  const shared = r.graphs!.shared;
  const get = (n: string) => shared.find(s => s.name === n)!;
  assert.equal(shared.map(s => `${s.name}: ${typeToString(s.type)}`), ['a: f32[2, 2]', 'b: f64', 'c: i32[3]', 'd: f32[2]', 'e: f32[2]']);
  const value = (n: string): NDArray | null => {
    const i = get(n).init;
    return i.kind === 'expr' ? evaluate([i.node], { params: new Map(), shared: new Map(), dims: new Map() })[0]! : null;
  };
  assert.equal(data(value('a')), [1, 2, 3, 4]);
  assert.is(value('a')!.dtype, 'f32');
  assert.equal(data(value('b')), [0.5]);
  assert.equal(data(value('c')), [1, 1, 1]);
  assert.equal(data(value('d')), [0, 0]);
  assert.equal(data(value('e')), [0, 0]);
  assert.is(value('c')!.dtype, 'i32');
  // A fill is not materialised at compile time: `ones` of i32[3] is broadcast(1, [3]).
  const c = get('c').init;
  assert.is(c.kind === 'expr' && c.node.op, 'broadcast');
});

t('random and load initializers', () => {
  const r = expectOk('shared u: f32[2, 3] = uniform(-1, 1, seed=3)\nshared n: f64[4] = normal(0, 1, seed=1)\nshared z: f64[2, 2] = load("w.npy")');
  const [u, n, z] = r.graphs!.shared;
  assert.is(u!.init.kind === 'expr' && typeToString(u!.init.node.type), 'f32[2, 3]');
  assert.is(u!.init.kind === 'expr' && u!.init.node.op, 'uniform');
  assert.is(n!.init.kind === 'expr' && typeToString(n!.init.node.type), 'f64[4]');
  assert.equal(z!.init.kind === 'load' ? z!.init.path : '', '/virtual/w.npy');
});

t('shared errors: TH0320 shape, TH0321 form, TH0322 array shape, TH0323 dtype', () => {
  expectDiag('shared w: f32[n] = 0', ['TH0320 1:15']);
  expectDiag('shared w: f32[_] = 0', ['TH0320 1:15']);
  expectDiag('shared w: f32[2] = exp(1)', ['TH0321 1:20']);
  expectDiag('shared w: f32[2] = load(3)', ['TH0321 1:20']);
  expectDiag('shared w: f32[2, 2] = [[1, 2, 3], [3, 4, 5]]', ['TH0322 1:23']);
  expectDiag('shared w: i32[2] = 1.5', ['TH0323 1:20']);
  expectDiag('shared w: f32[2] = uniform(0, 1, sed=1)', ['TH0215 1:34']);
});

t('shared variables are visible in every function', () => {
  expectType('shared w: f64[784] = 0\nshared b: f64 = 0\nfn p(x: f64[n, 784]) = sigmoid(x @ w + b) > 0.5', 'p', 'bool[n]');
});

// ---------------------------------------------------------------- the language guide's example

t('Theano logistic regression (without grad) elaborates', () => {
  const src = `use nn
shared w: f64[784] = normal(0, 1, seed=1)
shared b: f64 = 0
fn train(x: f64[n, 784], y: f64[n], lr: f64 = 0.1) {
  let p1 = sigmoid(x @ w + b)
  let xent = -y * log(p1) - (1 - y) * log(1 - p1)
  let cost = mean(xent) + 0.01 * sum(w ^ 2)
  w <- w - lr * mean(x, axis=0)
  b <- b - lr * cost
  let prediction = p1 > 0.5
  return (prediction, cost)
}
fn predict(x: f64[n, 784]) = sigmoid(x @ w + b) > 0.5`;
  const r = expectOk(src);
  const g = graphOf(r, 'train');
  assert.equal(g.outputs.map(o => `${o.name}: ${typeToString(o.node.type)}`), ['prediction: bool[n]', 'cost: f64']);
  assert.equal(g.updates.map(u => `${u.name}: ${typeToString(u.node.type)}`), ['w: f64[784]', 'b: f64']);
  assert.equal(data(g.params[2]!.default), [0.1]);
});

t('parser recovery does not cascade into sema errors', () => {
  const r = compileText('fn f(x: f32[n]) = x ** 2');
  assert.equal(r.diagnostics.map(d => d.code).filter(c => c.startsWith('TH02') || c.startsWith('TH03')), []);
});

t('`none` means every axis, passes through generic defaults, and is not a tensor', () => {
  expectType('fn f(x: f32[n, 3]) = sum(x, axis=none)', 'f', 'f32');
  expectType('fn g(v, axis = none) = max(v, axis=axis, keepdims=true)\nfn f(x: f32[n, 3]) = g(x)', 'f', 'f32[1, 1]');
  expectType('fn g(v, axis = none) = max(v, axis=axis)\nfn f(x: f32[n, 3]) = g(x, axis=0)', 'f', 'f32[3]');
  const d = onlyDiag('fn f(x: f32[3]) = x + none', 'TH0311 1:23');
  assert.is(d.message, 'expected a tensor, found `none`');
  expectType('let none = 2\nfn f(x: f32[3]) = x * none', 'f', 'f32[3]');
});

test.run();
