/**
 * @file Syntax front end tests: one-line cases (esbuild style) for every construct, precedence and
 * associativity, numbers, strings, comments, `;`, every error production, recovery and spans.
 * Expected ASTs and positions are written by hand from the language description, not from output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectAst, expectDiag, expectExpr, exprOf, onlyDiag, parse } from './helpers/expect-syntax.js';
import { printAst } from '../src/syntax/print-ast.js';
import { sourceFile } from '../src/source/source-file.js';
import type { Span } from '../src/source/span.js';

test('primary expressions', () => {
  expectExpr('1', '1');
  expectExpr('3.0', '3.0');
  expectExpr('.5', '.5');
  expectExpr('1e-3', '1e-3');
  expectExpr('2.5E+4', '2.5E+4');
  expectExpr('true', 'true');
  expectExpr('false', 'false');
  expectExpr('x', 'x');
  expectExpr('_x1', '_x1');
  expectExpr('(x)', '(paren x)');
  expectExpr('((x))', '(paren (paren x))');
  expectExpr('(a, b)', '(tuple a b)');
  expectExpr('(a, b,)', '(tuple a b)');
  expectExpr('(a,)', '(tuple a)');
  expectExpr('()', '(tuple)');
  expectExpr('[[1, 2], [3, 4]]', '(array (array 1 2) (array 3 4))');
  expectExpr('[a, b]', '(array a b)');
  expectExpr('[1, 2,]', '(array 1 2)');
  expectExpr('[]', '(array)');
  expectExpr('""', '""');
  expectExpr('"w.npy"', '"w.npy"');
});

test('precedence and associativity', () => {
  expectExpr('-x^2', '(neg (^ x 2))');
  expectExpr('2^3^2', '(^ 2 (^ 3 2))');
  expectExpr('2^-1', '(^ 2 (neg 1))');
  expectExpr('x^2^-1', '(^ x (^ 2 (neg 1)))');
  expectExpr('a - b - c', '(- (- a b) c)');
  expectExpr('a / b * c', '(* (/ a b) c)');
  expectExpr('a + b * c', '(+ a (* b c))');
  expectExpr('a * b + c', '(+ (* a b) c)');
  expectExpr('a % b', '(% a b)');
  expectExpr('x @ w + b', '(+ (@ x w) b)');
  expectExpr('a @ b @ c', '(@ (@ a b) c)');
  expectExpr('not a == b', '(not (== a b))');
  expectExpr('a or b and c', '(or a (and b c))');
  expectExpr('a and b or c', '(or (and a b) c)');
  expectExpr('a or b or c', '(or (or a b) c)');
  expectExpr('not a and b', '(and (not a) b)');
  expectExpr('a or not b', '(or a (not b))');
  expectExpr('not not a', '(not (not a))');
  expectExpr('a == b and c', '(and (== a b) c)');
  expectExpr('-a * b', '(* (neg a) b)');
  expectExpr('- -a', '(neg (neg a))');
  expectExpr('+a', '(pos a)');
  expectExpr('-x.T', '(neg (. x T))');
  expectExpr('-f(x)^2', '(neg (^ (call f x) 2))');
  expectExpr('(a + b) * c', '(* (paren (+ a b)) c)');
  expectExpr('a < b + 1', '(< a (+ b 1))');
  expectExpr('a + 1 > b * 2', '(> (+ a 1) (* b 2))');
  expectExpr('1 / (1 + exp(-x))', '(/ 1 (paren (+ 1 (call exp (neg x)))))');
});

test('comparison operators', () => {
  expectExpr('a == b', '(== a b)');
  expectExpr('a != b', '(!= a b)');
  expectExpr('a < b', '(< a b)');
  expectExpr('a <= b', '(<= a b)');
  expectExpr('a > b', '(> a b)');
  expectExpr('a >= b', '(>= a b)');
  expectExpr('a<b', '(< a b)');
  expectExpr('a < -1', '(< a (neg 1))');
  expectExpr('a<=-1', '(<= a (neg 1))');
  expectExpr('a >-1', '(> a (neg 1))');
});

test('postfix: calls, indexing, members', () => {
  expectExpr('f()', '(call f)');
  expectExpr('f(a, k=v)', '(call f a k=v)');
  expectExpr('f(a,)', '(call f a)');
  expectExpr('f(k = -1)', '(call f k=(neg 1))');
  expectExpr('f(x)(y)', '(call (call f x) y)');
  expectExpr('f(a == b)', '(call f (== a b))');
  expectExpr('where(x > 0, x, 0)', '(call where (> x 0) x 0)');
  expectExpr('sum(x, axis=(0, 1), keepdims=true)', '(call sum x axis=(tuple 0 1) keepdims=true)');
  expectExpr('reshape(a, [b * n, k])', '(call reshape a (array (* b n) k))');
  expectExpr('load("w.npy")', '(call load "w.npy")');
  expectExpr('x[i, 1:3, :, ::2, y]', '(index x i (slice 1 3 ~) (slice ~ ~ ~) (slice ~ ~ 2) y)');
  expectExpr('x[1:]', '(index x (slice 1 ~ ~))');
  expectExpr('x[:3]', '(index x (slice ~ 3 ~))');
  expectExpr('x[1:3:2]', '(index x (slice 1 3 2))');
  expectExpr('x[::]', '(index x (slice ~ ~ ~))');
  expectExpr('x[:-1]', '(index x (slice ~ (neg 1) ~))');
  expectExpr('x[-1]', '(index x (neg 1))');
  expectExpr('x[1,]', '(index x 1)');
  expectExpr('x[0][1]', '(index (index x 0) 1)');
  expectExpr('log(p)[arange(n), y]', '(index (call log p) (call arange n) y)');
  expectExpr('x.T', '(. x T)');
  expectExpr('x.shape', '(. x shape)');
  expectExpr('nn.relu(x)', '(call (. nn relu) x)');
  expectExpr('f(x)[0].T', '(. (index (call f x) 0) T)');
  expectExpr('x.T @ y', '(@ (. x T) y)');
  expectExpr('x.shape[0]', '(index (. x shape) 0)');
});

test('numbers: value and isInt', () => {
  const num = (src: string): [number, boolean] => {
    const e = exprOf(src);
    if (e.kind !== 'Number') throw new Error(`${src} is not a number`);
    return [e.value, e.isInt];
  };
  assert.equal(num('3'), [3, true]);
  assert.equal(num('007'), [7, true]);
  assert.equal(num('3.0'), [3, false]);
  assert.equal(num('.5'), [0.5, false]);
  assert.equal(num('1e-3'), [0.001, false]);
  assert.equal(num('2.5E+4'), [25000, false]);
  assert.equal(num('1e3'), [1000, false]);
  assert.equal(num('1.'), [1, false]);
  assert.equal(num('123456'), [123456, true]);
  const e = exprOf('1e-3');
  assert.is(e.kind === 'Number' && e.text, '1e-3');
});

test('strings and escapes', () => {
  const str = (src: string): string => {
    const e = exprOf(src);
    if (e.kind !== 'String') throw new Error(`${src} is not a string`);
    return e.value;
  };
  assert.is(str('"abc"'), 'abc');
  assert.is(str('"a\\"b"'), 'a"b');
  assert.is(str('"a\\\\b"'), 'a\\b');
  assert.is(str('"\\\\"'), '\\');
  assert.is(str('"x # not a comment"'), 'x # not a comment');
  expectExpr('"a\\"b"', '"a\\"b"');
  expectDiag('use "a\\q.th"', ['TH0105 1:7']);
  expectDiag('use "a\\nb"', ['TH0105 1:7']);
  expectDiag('use "abc', ['TH0104 1:5']);
  expectDiag('use "abc\\"', ['TH0104 1:5']);
  expectDiag('use "abc\nfn f(x) = x', ['TH0104 1:5']);
});

test('declarations', () => {
  expectAst('', '');
  expectAst('use nn', '(use nn)');
  expectAst('use "layers.th"', '(use "layers.th")');
  expectAst('type image = f32[_, 784]', '(type image f32[_,784])');
  expectAst('type s = f32', '(type s f32)');
  expectAst('type e = f32[]', '(type e f32[])');
  expectAst('type m = f64[n, m,]', '(type m f64[n,m])');
  expectAst('let eps = 1e-8', '(const eps 1e-8)');
  expectAst('shared w: f64[784] = 0', '(shared w f64[784] 0)');
  expectAst('shared b: f64', '(shared b f64)');
  expectAst('shared w: f32[2, 2] = [[1, 2], [3, 4]]', '(shared w f32[2,2] (array (array 1 2) (array 3 4)))');
  expectAst('shared w: f32[10] = uniform(-1, 1, seed=3)', '(shared w f32[10] (call uniform (neg 1) 1 seed=3))');
  expectAst('shared w: f32[3] = load("w.npy")', '(shared w f32[3] (call load "w.npy"))');
  expectAst('fn f() = 1', '(fn f (params) 1)');
  expectAst('fn f(x: f32[n, m]) = x', '(fn f (params (x f32[n,m])) x)');
  expectAst('fn f(lr: f64 = 0.1) = lr', '(fn f (params (lr f64 = 0.1)) lr)');
  expectAst('fn f(x, axis = -1) = x', '(fn f (params (x) (axis = (neg 1))) x)');
  expectAst('fn f(x,) = x', '(fn f (params (x)) x)');
  expectAst('fn f(x: image) = x', '(fn f (params (x image)) x)');
  expectAst('fn f(x: f32[3, _, n]) = x', '(fn f (params (x f32[3,_,n])) x)');
  expectAst('fn f(x)=x', '(fn f (params (x)) x)');
  expectAst('fn fn_(letter, notx, true_) = letter', '(fn fn_ (params (letter) (notx) (true_)) letter)');
  expectAst('fn logistic(x: f64[n, m]) = 1 / (1 + exp(-x))',
    '(fn logistic (params (x f64[n,m])) (/ 1 (paren (+ 1 (call exp (neg x))))))');
});

test('blocks and statements', () => {
  expectAst('fn f(x) { return x }', '(fn f (params (x)) (block (return x)))');
  expectAst('fn f(x) { let a = x; return a }', '(fn f (params (x)) (block (let a x) (return a)))');
  expectAst('fn f(x) { let a = x return a }', '(fn f (params (x)) (block (let a x) (return a)))');
  expectAst('fn f(x) { let (a, b) = x; return (a, b) }', '(fn f (params (x)) (block (let (a b) x) (return (tuple a b))))');
  expectAst('fn f(x) { let (a,) = x; return a }', '(fn f (params (x)) (block (let (a) x) (return a)))');
  expectAst('fn f(x) { let (a, b,) = x; return a }', '(fn f (params (x)) (block (let (a b) x) (return a)))');
  expectAst('fn f(x) { w <- w + x; return x }', '(fn f (params (x)) (block (<- w (+ w x)) (return x)))');
  expectAst('fn f(x) { w <- x > 0; return x }', '(fn f (params (x)) (block (<- w (> x 0)) (return x)))');
  expectAst('fn f(x) { w<-x; return x }', '(fn f (params (x)) (block (<- w x) (return x)))');
  expectAst('fn f(x) { w <- -x; return x }', '(fn f (params (x)) (block (<- w (neg x)) (return x)))');
  expectAst('fn f(x) {\n  let y = f\n  (a, b)\n  return y\n}', '(fn f (params (x)) (block (let y (call f a b)) (return y)))');
  expectAst('fn f(x) { ; let a = x ;; return a ; }', '(fn f (params (x)) (block (let a x) (return a)))');
  expectAst('fn f(x) { return (x, 1) }', '(fn f (params (x)) (block (return (tuple x 1))))');
});

test('comments, semicolons and layout', () => {
  expectAst('# only a comment', '');
  expectAst('fn f(x) = x # trailing\n# another\nfn g(y) = y', '(fn f (params (x)) x)\n(fn g (params (y)) y)');
  expectAst('fn f(x) = x fn g(y) = y', '(fn f (params (x)) x)\n(fn g (params (y)) y)');
  expectAst('fn f(x) = x; fn g(y) = y', '(fn f (params (x)) x)\n(fn g (params (y)) y)');
  expectAst(';;fn f(x) = x;', '(fn f (params (x)) x)');
  expectAst('fn f(x) =\n  x\n  +\n  1', '(fn f (params (x)) (+ x 1))');
  expectAst('fn f(x) {\r\n  return x\r\n}', '(fn f (params (x)) (block (return x)))');
  expectAst('fn f(x) {\treturn x # done }\n}', '(fn f (params (x)) (block (return x)))');
  expectAst('use nn; use stats', '(use nn)\n(use stats)');
});

test('the logistic regression example', () => {
  const src = [
    'use nn',
    'shared w: f64[784] = normal(0, 1, seed=1)',
    'shared b: f64 = 0',
    '',
    'fn train(x: f64[n, 784], y: f64[n], lr: f64 = 0.1) {',
    '  let p1 = sigmoid(x @ w + b)',
    '  let xent = -y * log(p1) - (1 - y) * log(1 - p1)',
    '  let cost = mean(xent) + 0.01 * sum(w ^ 2)',
    '  let (gw, gb) = grad(cost, (w, b))',
    '  w <- w - lr * gw',
    '  b <- b - lr * gb',
    '  let prediction = p1 > 0.5',
    '  return (prediction, cost)',
    '}',
    '',
    'fn predict(x: f64[n, 784]) = sigmoid(x @ w + b) > 0.5',
  ].join('\n');
  expectAst(src, [
    '(use nn)',
    '(shared w f64[784] (call normal 0 1 seed=1))',
    '(shared b f64 0)',
    '(fn train (params (x f64[n,784]) (y f64[n]) (lr f64 = 0.1)) (block' +
      ' (let p1 (call sigmoid (+ (@ x w) b)))' +
      ' (let xent (- (* (neg y) (call log p1)) (* (paren (- 1 y)) (call log (- 1 p1)))))' +
      ' (let cost (+ (call mean xent) (* 0.01 (call sum (^ w 2)))))' +
      ' (let (gw gb) (call grad cost (tuple w b)))' +
      ' (<- w (- w (* lr gw)))' +
      ' (<- b (- b (* lr gb)))' +
      ' (let prediction (> p1 0.5))' +
      ' (return (tuple prediction cost))))',
    '(fn predict (params (x f64[n,784])) (> (call sigmoid (+ (@ x w) b)) 0.5))',
  ].join('\n'));
});

test('error productions', () => {
  expectDiag('fn f(x) = x ** 2', ['TH0110 1:13']);
  expectDiag('fn f(x) = -x**2', ['TH0110 1:13']);
  expectDiag('fn f(a, b, c) = a < b < c', ['TH0111 1:23']);
  expectDiag('fn f(a, b, c) = a == b != c', ['TH0111 1:24']);
  expectDiag('let c = a = b', ['TH0112 1:11']);
  expectDiag('fn f(x) = where(x + 1 = 2, x, 0)', ['TH0112 1:23']);
  expectDiag('fn f(a) = a<-1', ['TH0113 1:12']);
  expectDiag('fn f(a) = g(a <- 1)', ['TH0113 1:15']);
  expectDiag('fn f(x) { let y = x }', ['TH0114 1:21']);
  expectDiag('fn f(x) { }', ['TH0114 1:11']);
  expectDiag('fn f(x) { return x; let y = 2 }', ['TH0115 1:21']);
  expectDiag('fn f(x) { return x return x }', ['TH0115 1:20']);
  expectDiag('return 1', ['TH0116 1:1']);
  expectDiag('fn f(x) = x\nreturn x', ['TH0116 2:1']);
  expectDiag('fn f(x) { x + 1; return x }', ['TH0117 1:11']);
  expectDiag('fn f(x) { f(x); return x }', ['TH0117 1:11']);
  expectDiag('fn f(x) { b = 3; return b }', ['TH0118 1:13']);
  expectDiag('w <- 1', ['TH0119 1:1']);
  expectDiag('fn f(x) { x[0] <- 1; return x }', ['TH0120 1:11']);
  expectDiag('let (a, b) = 1', ['TH0121 1:1']);
  expectDiag('fn f(x) { return x, 1 }', ['TH0122 1:21']);
  expectDiag('fn f(x) = f(a=1, 2)', ['TH0123 1:18']);
  expectDiag('fn f(x: f32[2.5]) = x', ['TH0124 1:13']);
  expectDiag('shared w = 1', ['TH0125 1:8']);
  expectDiag('let type = 1', ['TH0126 1:5']);
  expectDiag('fn f(not) = 1', ['TH0126 1:6']);
  expectDiag('1 + 2', ['TH0109 1:1']);
});

test('error productions: wording and help', () => {
  const helps = (src: string): string => onlyDiag(src).help.map(h => h.message).join('\n');
  assert.match(helps('fn f(x) = x ** 2'), '`x ^ 2`');
  assert.match(helps('fn f(a, b, c) = a < b < c'), '`a < b and b < c`');
  assert.match(helps('let c = a = b'), '`a == b`');
  assert.match(helps('fn f(a) = a<-1'), '`< -` with a space');
  assert.match(helps('fn f(x) { let y = x }'), 'return <expr>');
  assert.match(helps('fn f(x) { x + 1; return x }'), '`let name = ...` or `return` it');
  assert.match(helps('fn f(x) { return x, 1 }'), '`return (x, 1)`');
  assert.is(onlyDiag('fn f(x) = x ** 2').message, '`**` is not an operator');
  assert.is(onlyDiag('fn f(x) { let y = x }').message, 'function `f` has no `return`');
  const chained = onlyDiag('fn f(a, b, c) = a < b < c');
  assert.equal(chained.secondary.map(s => `${s.span.line}:${s.span.col}`), ['1:19']);
  const late = onlyDiag('fn f(x) { return x; let y = 2 }');
  assert.equal(late.secondary.map(s => `${s.span.line}:${s.span.col}`), ['1:11']);
});

test('lexical errors', () => {
  expectDiag('fn f(x) = x $', ['TH0101 1:13']);
  expectDiag('fn f(x) = x\n$$ fn g(y) = y', ['TH0101 2:1']);
  expectDiag('fn f(x) = 1e', ['TH0103 1:11']);
  expectDiag('fn f(x) = 2x', ['TH0103 1:11']);
  expectDiag('fn f(x) = 1.5e+', ['TH0103 1:11']);
  const d = onlyDiag('fn f(x) = x ` 1');
  assert.is(d.message, 'unknown character ```');
  assert.equal([d.primary!.span.col, d.primary!.span.endCol], [13, 14]);
});

test('syntax errors', () => {
  expectDiag('fn f(x) = (x + 1', ['TH0106 1:17']);
  expectDiag('fn f(x) = [1, 2', ['TH0106 1:16']);
  expectDiag('fn f(x) {', ['TH0106 1:10']);
  expectDiag('fn f(x: f32[n, m) = x', ['TH0106 1:17']);
  expectDiag('fn f(x) = ', ['TH0107 1:10']);
  expectDiag('fn f(x) = not', ['TH0107 1:14']);
  expectDiag('fn f(x) { return }', ['TH0107 1:18']);
  expectDiag('fn f(x) = x + * 2', ['TH0107 1:15']);
  expectDiag(') fn f(x) = x', ['TH0108 1:1']);
  expectDiag('fn f(x) = x )', ['TH0108 1:13']);
  expectDiag('fn (x) = 1', ['TH0102 1:4']);
  expectDiag('fn f x = 1', ['TH0102 1:6']);
  expectDiag('fn f(x) = x[]', ['TH0102 1:13']);
  expectDiag('fn f(x) = x[1,,2]', ['TH0102 1:15']);
  expectDiag('fn f(x) = (a,,b)', ['TH0102 1:14']);
  expectDiag('fn f(x) = g(a,,b)', ['TH0102 1:15']);
  expectDiag('use 3', ['TH0102 1:5']);
  const unclosed = onlyDiag('fn f(x) = (x + 1');
  assert.is(unclosed.message, 'expected `)` to close `(`, found end of file');
  assert.equal(unclosed.secondary.map(s => `${s.span.line}:${s.span.col}`), ['1:11']);
  assert.is(onlyDiag('fn (x) = 1').message, 'expected a name, found `(`');
  assert.is(onlyDiag('fn f(x) = ').message, 'expected an expression, found end of file');
});

test('recovery: several errors, each at its own position', () => {
  const src = 'fn f(x) {\n  let a = (x + 1\n  return a\n}\nfn g(y) = y +\nfn h(z) = z ** 2';
  expectDiag(src, ['TH0106 3:3', 'TH0107 6:1', 'TH0110 6:13']);
  const { program } = parse(src);
  assert.equal(program.decls.map(d => d.kind === 'Fn' ? d.name.name : d.kind), ['f', 'g', 'h']);
  assert.is(printAst(program.decls[1]!), '(fn g (params (y)) (+ y <error>))');
  expectDiag('fn a() = 1 ** 2\nfn b() = x < y < z\nfn c() { let q = 1 }', ['TH0110 1:12', 'TH0111 2:16', 'TH0114 3:20']);
  expectDiag(') fn f(x) = x ** 2 ] fn g(y) = y', ['TH0108 1:1', 'TH0110 1:15', 'TH0108 1:20']);
  expectDiag('fn f(x) { let = 3; return x }\nfn g(x) = x ** 2', ['TH0102 1:15', 'TH0110 2:13']);
  expectDiag('use "a\\q"\nfn f(x) = x ** 2\nreturn 1', ['TH0105 1:7', 'TH0110 2:13', 'TH0116 3:1']);
  const after = parse('shared w = 1\nfn f(x) = x');
  assert.equal(after.program.decls.map(d => d.kind), ['Fn']);
});

test('never throws: truncated programs and token soup', () => {
  const src = 'use nn\nshared w: f64[3] = [1, 2, 3]\nfn f(x: f64[n, 3], k = -1) {\n  let (a, b) = g(x[1:, ::2], k=2)\n  w <- w - 0.1 * a\n  return (a.T @ b, "s\\"")\n}\n';
  for (let i = 0; i <= src.length; i++) {
    const { program, diagnostics } = parse(src.slice(0, i));
    assert.is(program.kind, 'Program');
    assert.ok(!diagnostics.some(d => d.code.startsWith('TH9')), `internal error at prefix ${i}`);
  }
  const deep = (n: number): string => `fn f(x) = ${'('.repeat(n)}x${')'.repeat(n)}`;
  expectAst(deep(100), `(fn f (params (x)) ${'(paren '.repeat(100)}x${')'.repeat(100)})`);
  expectDiag(deep(101), ['TH0127 1:111']);
  expectDiag(`fn f(x) = ${'exp('.repeat(500)}x${')'.repeat(500)}`, ['TH0127 1:414']);
  expectDiag('fn f(x) = ' + '[x, '.repeat(300), ['TH0127 1:411']);
  assert.is(parse(`fn f(x) = ${'-'.repeat(1000)}x`).diagnostics.length, 0);
  expectDiag(`fn f(x) = ${'-'.repeat(50000)}x`, ['TH0127 1:1']);
  const pieces = ['fn', 'let', 'return', '(', ')', '[', ']', '{', '}', ',', '=', '<-', '**', 'x', '1', ':', ';', '"s', '.', 'not', '+', '==', '@'];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let n = 0; n < 300; n++) {
    const words = Array.from({ length: 1 + (next() % 20) }, () => pieces[next() % pieces.length]);
    const { program, diagnostics } = parse(words.join(' '));
    assert.is(program.kind, 'Program');
    assert.ok(!diagnostics.some(d => d.code.startsWith('TH9')), `internal error for ${words.join(' ')}`);
  }
});

test('flat expression grammar: precedence climbing over mixed operators', () => {
  expectExpr('a + b * c ^ d ^ e - f', '(- (+ a (* b (^ c (^ d e)))) f)');
  expectExpr('a or b and not c < d + e * f', '(or a (and b (not (< c (+ d (* e f))))))');
  expectExpr('a + 1 < b and c or d', '(or (and (< (+ a 1) b) c) d)');
  expectExpr('not not a == b', '(not (not (== a b)))');
  expectExpr('not a ^ b', '(not (^ a b))');
  expectExpr('not -x', '(not (neg x))');
  expectExpr('-a^-b^c', '(neg (^ a (neg (^ b c))))');
  expectExpr('a * -b', '(* a (neg b))');
  expectExpr('a - -b', '(- a (neg b))');
  expectExpr('a / b % c @ d', '(@ (% (/ a b) c) d)');
  expectExpr('a and b and c', '(and (and a b) c)');
  expectExpr('(not a) == b', '(== (paren (not a)) b)');
  expectExpr('a == (not b)', '(== a (paren (not b)))');
  expectExpr('f(x).T[0](y).z', '(. (call (index (. (call f x) T) 0) y) z)');
  expectExpr('x[0].T(1)[2]', '(index (call (. (index x 0) T) 1) 2)');
  expectExpr('-x.a[1]^2', '(neg (^ (index (. x a) 1) 2))');
  expectExpr('f(not a, k = not b)', '(call f (not a) k=(not b))');
  expectExpr('[not a, -b]', '(array (not a) (neg b))');
  expectExpr('x[not a]', '(index x (not a))');
});

test('flat expression grammar: `not` where the layered grammar had no room for it', () => {
  expectDiag('fn f(x) = a == not b', ['TH0107 1:16']);
  expectDiag('fn f(x) = a + not b', ['TH0107 1:15']);
  expectDiag('fn f(x) = a * not b', ['TH0107 1:15']);
  expectDiag('fn f(x) = 2 ^ not x', ['TH0107 1:15']);
  expectDiag('fn f(x) = -not x', ['TH0107 1:12']);
  expectDiag('fn f(x) = x ^ -not y', ['TH0107 1:16']);
  expectDiag('fn f(x) = - - not a', ['TH0107 1:15']);
  assert.is(onlyDiag('fn f(x) = a == not b').message, 'expected an expression, found keyword `not`');
  expectDiag('fn f(x) = a <= not b or c', ['TH0107 1:16']);
  // The recovered operand is reported once: no `=` or chained-comparison error on top of it.
  expectDiag('fn f(x) = = b', ['TH0107 1:11']);
  expectDiag('let c = = b == d', ['TH0107 1:9']);
});

test('operator chains: long ones parse, overlong ones are TH0127', () => {
  const pow = (n: number): string => `fn f(x) = ${'x^'.repeat(n)}x`;
  const { program, diagnostics } = parse(pow(500));
  assert.is(diagnostics.length, 0);
  assert.ok(printAst(program).startsWith('(fn f (params (x)) (^ x (^ x (^ x'));
  expectDiag(pow(2000), ['TH0127 1:1']);
  assert.is(parse(`fn f(x) = ${'not '.repeat(1000)}x`).diagnostics.length, 0);
  expectDiag(`fn f(x) = ${'not '.repeat(2000)}x`, ['TH0127 1:1']);
});

test('spans agree with SourceFile positions (tokens carry line/col; only \\n breaks lines)', () => {
  const src = 'fn f(x) {\r\n  let a = x +\r 2 * g(x, k=1)[0]\n  return (a, -a ^ 2)\n}\nfn g(y, k) = y . T';
  const file = sourceFile('t.th', src);
  const { program, diagnostics } = parse(src, 't.th');
  assert.is(diagnostics.length, 0);
  let count = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o['start'] === 'number' && typeof o['line'] === 'number') {
      const s = o as unknown as Span;
      const a = file.position(s.start), b = file.position(s.end);
      assert.equal([s.line, s.col, s.endLine, s.endCol], [a.line, a.col, b.line, b.col], `span ${s.start}-${s.end}`);
      count++;
      return;
    }
    for (const x of Object.values(o)) visit(x);
  };
  visit(program);
  assert.ok(count > 30);
  // `2` follows a lone `\r`, which is not a line break: line 2, column 16.
  const fn = program.decls[0]!;
  if (fn.kind !== 'Fn' || fn.body.kind !== 'Block') throw new Error('not a block fn');
  const let_ = fn.body.stmts[0]!;
  if (let_.kind !== 'Let' || let_.value.kind !== 'Binary' || let_.value.right.kind !== 'Binary') throw new Error('not a sum');
  assert.equal([let_.value.right.left.span.line, let_.value.right.left.span.col], [2, 16]);
});

test('spans', () => {
  const e = exprOf('x + 10'); // `fn t() = ` is 9 characters, so `x` is at offset 9, column 10
  assert.equal({ start: e.span.start, end: e.span.end, line: e.span.line, col: e.span.col, endCol: e.span.endCol }, { start: 9, end: 15, line: 1, col: 10, endCol: 16 });
  assert.is(e.span.file, 'test.th');
  if (e.kind !== 'Binary') throw new Error('not binary');
  assert.equal([e.opSpan.col, e.opSpan.endCol], [12, 13]);
  assert.equal([e.right.span.col, e.right.span.endCol], [14, 16]);
  const call = exprOf('f(a, b)');
  assert.equal([call.span.col, call.span.endCol], [10, 17]);
  const idx = exprOf('x[1:3]');
  if (idx.kind !== 'Index') throw new Error('not index');
  assert.equal([idx.items[0]!.span.col, idx.items[0]!.span.endCol], [12, 15]);
  const neg = exprOf('-x^2');
  assert.equal([neg.span.col, neg.span.endCol], [10, 14]);

  const src = 'fn f(x) {\n  let a = x\n  return a\n}';
  const { program } = parse(src);
  const fn = program.decls[0]!;
  if (fn.kind !== 'Fn' || fn.body.kind !== 'Block') throw new Error('not a block fn');
  const [let_, ret] = fn.body.stmts;
  assert.equal([let_!.span.line, let_!.span.col, let_!.span.endLine, let_!.span.endCol], [2, 3, 2, 12]);
  assert.equal([ret!.span.line, ret!.span.col, ret!.span.endLine, ret!.span.endCol], [3, 3, 3, 11]);
  assert.equal([fn.body.span.line, fn.body.span.col, fn.body.span.endLine, fn.body.span.endCol], [1, 9, 4, 2]);
  assert.equal([fn.span.start, fn.span.end], [0, src.length]);
  assert.equal([fn.name.span.col, fn.name.span.endCol], [4, 5]);
  assert.equal([fn.params[0]!.span.col, fn.params[0]!.span.endCol], [6, 7]);
  assert.equal([program.span.start, program.span.end], [0, src.length]);

  const typed = parse('shared w: f64[784] = 0').program.decls[0]!;
  if (typed.kind !== 'Shared') throw new Error('not shared');
  assert.equal([typed.type.span.col, typed.type.span.endCol], [11, 19]);
  assert.equal(typed.type.shape!.map(d => [d.kind, d.span.col]), [['DimNum', 15]]);
  assert.equal([typed.span.col, typed.span.endCol], [1, 23]);
  const d = onlyDiag('fn f(x) = x ** 2');
  assert.equal([d.primary!.span.col, d.primary!.span.endCol], [13, 15]);
});

test.run();
