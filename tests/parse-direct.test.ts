/**
 * @file The direct parser (syntax/parse-direct.ts) parses error-free files straight to the AST;
 * that must never change what parsing produces. Generated and mutated programs (most with syntax
 * errors), every .th file of the repository and the benchmark's program give the same AST and
 * diagnostics as the careful path (Chevrotain with recovery). And the direct parser must really
 * be the one that parses them: it accepts every sample, stdlib file and the benchmark program, and
 * nearly every generated program that has no problem, so a parser that always gave up would fail.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_NESTING, parseSource } from '../src/syntax/parse.js';
import { parseDirect } from '../src/syntax/parse-direct.js';
import { sourceFile } from '../src/source/source-file.js';
import { createSink } from '../src/diag/sink.js';
import { generateProgram } from '../bench/frontend.js';
import { gen, mutate, program } from './helpers/program-gen.js';
import { syntaxProgram } from './helpers/syntax-gen.js';
import { repoPath } from './helpers/paths.js';

function parsed(src: string, direct: boolean, name = 't.th'): string {
  const sink = createSink();
  const ast = parseSource(sourceFile(name, src), sink, { direct });
  return `${JSON.stringify(ast)}\n${JSON.stringify(sink.diagnostics)}`;
}

const accepts = (src: string, name = 't.th'): boolean => parseDirect(sourceFile(name, src), MAX_NESTING) !== undefined;

/** Every .th file under a repository folder, recursively (relative paths, sorted). */
function thFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(repoPath(dir), { recursive: true, encoding: 'utf8' });
  } catch {
    return []; // no such folder
  }
  return entries.filter(f => f.endsWith('.th')).map(f => join(dir, f)).sort();
}

test('the default path equals the careful path on 3,000 generated programs, and the direct parser takes the clean ones', () => {
  let withErrors = 0, clean = 0, accepted = 0;
  for (let seed = 1; seed <= 1000; seed++) {
    const g = gen(seed);
    let src = program(g, 4);
    for (let m = 0; m < 3; m++) {
      if (m > 0) src = mutate(g, src);
      const careful = parsed(src, false);
      assert.is(parsed(src, true), careful, `seed ${seed}, mutation ${m}:\n${src}`);
      if (careful.includes('"code":"TH01')) withErrors++;
      if (careful.endsWith('\n[]')) {
        clean++;
        if (accepts(src)) accepted++;
      }
    }
  }
  // The comparison is only meaningful if many programs have syntax errors (recovery paths)...
  assert.ok(withErrors > 1500, `only ${withErrors} programs had syntax errors`);
  // ...and if the direct parser, not the fallback, parsed the clean ones.
  assert.ok(clean > 500, `only ${clean} programs parsed without diagnostics`);
  assert.ok(accepted >= 0.99 * clean, `the direct parser accepted only ${accepted} of ${clean} clean programs`);
});

test('the same on 1,000 programs written to exercise every syntactic form and its edge cases', () => {
  let clean = 0, accepted = 0;
  for (let seed = 1; seed <= 1000; seed++) {
    const src = syntaxProgram(gen(seed));
    const careful = parsed(src, false);
    assert.is(parsed(src, true), careful, `seed ${seed}:\n${src}`);
    if (careful.endsWith('\n[]')) {
      clean++;
      if (accepts(src)) accepted++;
    }
  }
  assert.ok(clean > 100, `only ${clean} programs parsed without diagnostics`);
  assert.ok(accepted >= 0.99 * clean, `the direct parser accepted only ${accepted} of ${clean} clean programs`);
});

test('every .th file of the repository and the benchmark program: same result, parsed directly', () => {
  const files = [...thFiles('samples'), ...thFiles('stdlib'), ...thFiles('tests/fixtures')];
  assert.ok(files.filter(f => !f.startsWith('tests')).length >= 10, `found only ${files.length} .th files`);
  for (const f of files) {
    const src = readFileSync(repoPath(f), 'utf8');
    assert.is(parsed(src, true, f), parsed(src, false, f), f);
    // Fixtures may hold deliberate mistakes; samples and stdlib must take the direct path.
    if (!f.startsWith('tests')) assert.ok(accepts(src, f), `the direct parser gave up on ${f}`);
  }
  const bench = generateProgram(300);
  assert.is(parsed(bench, true), parsed(bench, false));
  assert.ok(accepts(bench), 'the direct parser gave up on the benchmark program');
  assert.ok(accepts(generateProgram(5000)), 'the direct parser gave up on the 5,000-line benchmark program');
});

/** Valid forms the generator rarely or never writes; each must be parsed directly, to the careful path's AST. */
const VALID = [
  'fn f(x) = -x^2 + 2^-1 - -+x ^ -y ^ 2',
  'fn f(a, b) = not a and not not b or a == b and not a < b',
  'fn f(a) = not -a + 1 >= 2 or a != 3 and a <= 4 and a > 5',
  'fn f(x) = x[1:2:3, ::2, :, 1:, :3, ::, 0][1,].T.shape[0]',
  'fn f(x) = g(x, k=1, j = x[0],)(1)[2].m(3)',
  'fn f() = ((), (1,), (1, 2,), [], [1,], [[1, 2], [3]], (((1))))',
  'fn f() = 1. + .5 + 1e-3 + 2.5E+2 + 1.e5 + 007 + 2.5.T',
  'fn f() = "a\\\\b\\"c" + "" + "é # not a comment"',
  'use nn\nuse "lib/x.th"\ntype T = f32[n, _, 3,]\ntype U = f64[]\ntype V = i32',
  'shared w: f32[3] = [1, 2, 3]\nshared b: f32\nlet k = 3;;\n;',
  'fn f(x: f32[n] = 0.1, y = 2, z: T) {\n  let (a, b,) = (x, y);\n  let (c) = z\n  w <- w + 1\n  return a\n  ;\n}',
  'fn f(x)\n{ return\n x\n -1 }  # trailing comment',
  'fn f(x) = x\r\n\r\nfn g(x) = x\t# tab\r\n',
  '# only a comment',
  '',
  'fn f(notx, fnord, true_, type_) = notx + fnord + true_ + type_',
  `fn f(x) = ${'('.repeat(99)}x${')'.repeat(99)}`,
  `fn f(x) = ${'-'.repeat(1000)}x`,
];

test('constructs the generator does not write: parsed directly, same AST as the careful path', () => {
  for (const src of VALID) {
    assert.ok(accepts(src), `the direct parser gave up on:\n${src}`);
    const careful = parsed(src, false);
    assert.ok(careful.endsWith('\n[]'), `careful path reports diagnostics for:\n${src}\n${careful}`);
    assert.is(parsed(src, true), careful, src);
  }
});

/** Inputs with a lexical problem, a syntax error or an error production: the direct parser must give up. */
const INVALID = [
  'fn f(x) = x ** 2', 'fn f(a, b, c) = a < b < c', 'fn f(a, b) = a = b', 'fn f(a, b) = a <- b',
  'fn f(a, b) = a + not b', 'fn f(a, b) = a == not b', 'fn f(a) = - not a', 'fn f(a) = 2 ^ not a',
  'fn f(x) = g(k=1, 2)', 'fn f(x) { return x, x }', 'return 1', 'x <- 1', 'f(1)', 'let (a, b) = (1, 2)',
  'fn type(x) = x', 'let fn = 1', 'shared w', 'shared w = 0', 'fn f(x) = x[]', 'fn f(x) = x[1,,2]',
  'fn f(x) = x[,1]', 'fn f(x) = g(1,,2)', 'fn f(x) = (1,,2)', 'fn f(x,,y) = x', 'type T = f32[n,,m]',
  'type T = f32[1.5]', 'fn f(x) = 1e', 'fn f(x) = 2x', 'fn f(x) = 1e+', 'fn f(x) = "abc', 'fn f(x) = "\\q"',
  'fn f(x) = x $ 1', 'fn f(x) = x ! 1', 'fn f(x) = é', '\ufefffn f(x) = x', 'fn f(x) { let a = x }',
  'fn f(x) { return x\n let a = 1 }', 'fn f(x) { x }', 'fn f(x) { x[0] <- 1 }', 'fn f(x) { b = 3 }',
  'fn f(x) = x.type', 'fn f(x) = x.5', 'fn f(x) = x)', 'fn f(x) = (x', 'fn f(x) =', 'fn f(x) = x\n)',
  'let (a,,b) = 1', 'use 3', 'use type', `fn f(x) = ${'('.repeat(101)}x${')'.repeat(101)}`,
  `fn f(x) = ${'-'.repeat(1025)}x`, `fn f(x) = ${'not '.repeat(1025)}x`, `fn f(x) = x${'^x'.repeat(1025)}`,
];

test('irregular input: the direct parser gives up, and the careful path reports it', () => {
  for (const src of INVALID) {
    assert.not.ok(accepts(src), `the direct parser accepted:\n${src}`);
    assert.ok(parsed(src, true).includes('"severity":"error"'), `no error reported for:\n${src}`);
  }
});

test.run();
