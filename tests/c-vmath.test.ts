/**
 * @file thc's vectorizable exp, log and log1p for C (src/backend/c/vmath.ts): their accuracy in ulps
 * against long double libm over wide ranges and their special values (tests/c-programs/vmath_ulp.c;
 * expected special values from Python's decimal at 60 digits, rounded to double), f32 results
 * equal to libm's on a sample of all floats; gcc vectorizes a generated elementwise kernel with
 * them and not without; and the ops that use them (exp, log, log1p, sigmoid, softplus, logsumexp)
 * match the interpreter with vector math on and off. Without a C compiler the suite skips.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/ops/index.js';
import { createSink } from '../src/diag/sink.js';
import { fromNumbers } from '../src/runtime/ndarray.js';
import { C_PRELUDE } from '../src/backend/c/prelude.js';
import { cProgram } from '../src/backend/c/module.js';
import { C_FLAGS, C_VECTOR_FLAGS, buildFlags, findCompiler } from '../src/backend/c/run.js';
import { compileKernelsOk } from './helpers/schedule-oracle.js';
import { expectCMatches } from './helpers/c-oracle.js';
import { repoPath } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'thc-c-vmath-'));
process.env['THC_CACHE_DIR'] = join(dir, 'cache');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const cc = findCompiler();
const cTest = (name: string, body: () => Promise<void> | void): void => (cc ? test(name, body) : test.skip(name, body));
if (!cc) console.log('skip: no C compiler (cc, gcc or clang) on the PATH');

cTest('exp, log and log1p: under 1 ulp on normal results, exact special values, f32 equal to libm', () => {
  const src = join(dir, 'ulp.c');
  writeFileSync(src, `#define THC_VECTOR_MATH 1\n${C_PRELUDE}\n${readFileSync(repoPath('tests', 'c-programs', 'vmath_ulp.c'), 'utf8')}`);
  const exe = join(dir, 'ulp');
  // The flags thc's own builds use (vector math; the sanitizers under THC_C_SANITIZE=1), and -pedantic.
  execFileSync(cc!, [...buildFlags(cc!).filter(f => f !== '-DTHC_VECTOR_MATH'), '-pedantic', '-o', exe, src, '-lm']);
  const out = execFileSync(exe, { encoding: 'utf8' });
  const report = new Map(out.trim().split('\n').map(l => { const [k, v] = l.split(' '); return [k!, Number(v)] as const; }));
  if (report.has('no-long-double')) { console.log('skip: long double is double here, no reference'); return; }
  assert.is(report.get('bad_specials'), 0, out);
  for (const fn of ['exp', 'log', 'log1p']) {
    assert.ok(report.get(`${fn}_ulp`)! < 1, `${fn}: ${out}`);
    assert.ok(report.get(`${fn}_ulp_subnormal`)! <= 1, `${fn} (subnormal results): ${out}`);
  }
  assert.ok(report.get('f32_checked')! > 100e6, out);
  assert.is(report.get('f32_differ'), 0, out);
});

/** gcc's -fopt-info-vec lines that report a vectorized loop inside a function whose name starts with thck_. */
function vectorizedKernels(text: string, flags: readonly string[]): number {
  const file = join(dir, 'k.c');
  writeFileSync(file, text);
  // gcc writes the report on stderr.
  const res = spawnSync(cc!, [...C_FLAGS, ...flags, '-fopt-info-vec-optimized', '-c', '-o', join(dir, 'k.o'), file], { encoding: 'utf8' });
  assert.is(res.status, 0, res.stderr);
  const lines = text.split('\n');
  const kernelOf = (line: number): string | undefined => {
    for (let i = line - 1; i >= 0; i--) {
      const m = /^static void (thck_\w+)\(/.exec(lines[i]!);
      if (m) return m[1];
      if (/^(static |int |void )/.test(lines[i]!) && i !== line - 1) return undefined;
    }
    return undefined;
  };
  const hits = new Set<string>();
  for (const m of res.stderr.matchAll(/:(\d+):\d+: optimized: loop vectorized/g)) {
    const k = kernelOf(Number(m[1]));
    if (k) hits.add(k);
  }
  return hits.size;
}

const isGcc = (): boolean => {
  try { return /Free Software Foundation/.test(execFileSync(cc!, ['--version'], { encoding: 'utf8' })); } catch { return false; }
};

cTest('gcc vectorizes an elementwise kernel of exp, log, log1p, sigmoid and softplus with vector math, not with libm', () => {
  if (!isGcc()) { console.log('skip: the vectorization report is gcc\'s'); return; }
  for (const t of ['f64', 'f32']) {
    const text = cProgram(compileKernelsOk(`fn f(x: ${t}[n]) = exp(x) * 2 + log(x * x + 1) + log1p(x * x) + sigmoid(x) + softplus(x)`), createSink())!;
    assert.is(vectorizedKernels(text, ['-O3', ...C_VECTOR_FLAGS]), 1, t);
    assert.is(vectorizedKernels(text, ['-O3']), 0, `${t} without vector math`);
  }
});

cTest('exp, log, log1p, sigmoid, softplus and logsumexp match the interpreter with vector math on and off (f64 1e-12, f32 2e-7)', async () => {
  const before = process.env['THC_C_VECTOR_MATH'];
  const values = [1e-300, 5e-324, -1e-20, 1e-7, -3e-6, 1e-3, 0.3, -0.45, 0.99, 1, 2, 3, -7, 20, 80, -80, 0, -0, 700, -745, 709.7, -708.5, 1e300, -0.999999];
  try {
    for (const mode of ['1', '0']) {
      process.env['THC_C_VECTOR_MATH'] = mode;
      for (const t of ['f64', 'f32'] as const) {
        const r = compileKernelsOk(`fn f(x: ${t}[n]) = (exp(x), log(abs(x)), log(x), log1p(x), sigmoid(x), softplus(x), sigmoid(-x), softplus(-x), logsumexp(x), logsumexp(-x * 0.5))`);
        const x = fromNumbers(t, [values.length], values);
        await expectCMatches(r, 'f', [{ params: new Map([['x', x]]), dims: new Map([['n', values.length]]) }]);
      }
    }
  } finally {
    if (before === undefined) delete process.env['THC_C_VECTOR_MATH'];
    else process.env['THC_C_VECTOR_MATH'] = before;
  }
});

test.run();
