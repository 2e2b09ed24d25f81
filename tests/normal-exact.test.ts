/**
 * @file `normal` gives the interpreter's bits on every backend (docs/random.md section 5): the
 * generated C (f32 through the integer algorithm, f64 through thc's own log and cos) and WGSL (f32)
 * against the reference interpreter with zero tolerance, over about 1e5 elements, several seeds
 * (negative ones and ones with a high key word), mean/std, and views (strides, transposes, slices).
 * The GPU refuses a mean/std whose f32 affine map could round differently (TH0527).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import '../src/ops/index.js';
import { createSink } from '../src/diag/sink.js';
import { renderDiagnostics } from '../src/diag/render.js';
import { sourceFile } from '../src/source/source-file.js';
import { findCompiler } from '../src/backend/c/run.js';
import { checkWgslSupport } from '../src/backend/wgsl/support.js';
import { normalExactInF32 } from '../src/ops/random.js';
import { compileKernelsOk, opValues, randomArgs, scheduleOf } from './helpers/schedule-oracle.js';
import { expectCMatches } from './helpers/c-oracle.js';
import { expectGpuMatches } from './helpers/wgsl-oracle.js';
import { withGpu } from './helpers/gpu.js';
import { removeTempDirs, tempDir, thc } from './helpers/cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = tempDir('thc-normal-');
// Builds go to a fresh cache folder (the CLI runs inherit it), removed at the end.
process.env['THC_CACHE_DIR'] = join(dir, 'cache');
test.after(() => removeTempDirs());

const cc = findCompiler();
const cTest = (name: string, body: () => Promise<void> | void): void => (cc ? test(name, body) : test.skip(name, body));
const gpuTest = await withGpu(test);
const EXACT = { rtol: 0, atol: 0 };

const VIEWS = `fn f(x: f32[n]) = (normal([n], seed=7), x + normal([n], seed=-3), normal([300, 200], seed=2147483647)[::2, 1:],
  transpose(normal([150, 200], 0, 0.5, seed=-2147483647)) * 1, normal([n], 0, 4, seed=0))`;

cTest('C: f32 normal bits equal the interpreter\'s (1e5 elements, negative and large seeds, views, mean/std)', async () => {
  const src = `${VIEWS}
fn g(x: f32[n]) = (normal([n], 1, 0.1, seed=12), normal([40, 50], -2, 3, seed=-1)[::-3, ::7])`;
  const r = compileKernelsOk(src);
  for (const fn of ['f', 'g']) await expectCMatches(r, fn, [randomArgs(scheduleOf(r, fn).g, 1, { n: 100000 }, opValues)], EXACT);
});

cTest('C: f64 normal bits equal the interpreter\'s (thc\'s own log/cos in the same double operations)', async () => {
  const src = `fn h(x: f64[n]) = (normal([n], seed=7, dtype=f64), x * normal([n], 0.5, 3, seed=-5, dtype=f64),
  transpose(normal([100, 300], seed=-77, dtype=f64))[1:, ::2], normal([n], -1, 0.1, seed=2147483646, dtype=f64))`;
  const r = compileKernelsOk(src);
  await expectCMatches(r, 'h', [randomArgs(scheduleOf(r, 'h').g, 1, { n: 100000 }, opValues)], EXACT);
});

gpuTest('WGSL: f32 normal bits equal the interpreter\'s (integer-only helper; views; std a power of two)', async gpu => {
  const r = compileKernelsOk(VIEWS);
  await expectGpuMatches(gpu, r, 'f', [randomArgs(scheduleOf(r, 'f').g, 1, { n: 100000 }, opValues)], EXACT);
});

/** thc run on a program drawing normals with --device cpu, --backend c and --device gpu: the same JSON text. */
const CLI_SRC = 'fn f(x: f32[n]) = (x + normal([n], seed=-11), normal([7, 300], 0, 2, seed=4)[::2] * 3, normal([9], 1, 0.1, seed=5, dtype=f64))\n';
const cliRun = (extra: string[], src = CLI_SRC): string => {
  const file = join(dir, 'noise.th');
  writeFileSync(file, src);
  const r = thc(['run', file, `x=${JSON.stringify(Array.from({ length: 500 }, (_, i) => i / 7))}`, '--format', 'json', ...extra]);
  assert.is(r.code, 0, r.stderr);
  return r.stdout;
};

cTest('thc run --backend c prints the interpreter\'s normals (f32 and f64)', () => {
  assert.is(cliRun(['--backend', 'c']), cliRun([]));
});

gpuTest('thc run --device gpu prints the interpreter\'s normals', () => {
  const f32Only = CLI_SRC.replace(', normal([9], 1, 0.1, seed=5, dtype=f64))', ')');
  assert.is(cliRun(['--device', 'gpu'], f32Only), cliRun([], f32Only));
});

test('the GPU takes normal only with mean 0 and a positive power-of-two std (TH0527)', () => {
  assert.ok(normalExactInF32(0, 1) && normalExactInF32(0, 0.25) && normalExactInF32(0, 1024));
  assert.not.ok(normalExactInF32(1, 1) || normalExactInF32(0, 0.1) || normalExactInF32(0, -1) || normalExactInF32(0, 0) || normalExactInF32(0, 2 ** -200));
  const src = 'fn f(x: f32[3]) = x + normal([3], 0, 0.1, seed=1)';
  const r = compileKernelsOk(src);
  const { g, s } = scheduleOf(r, 'f');
  const sink = createSink();
  assert.is(checkWgslSupport(s, g, r.graphs!, sink), false);
  assert.match(renderDiagnostics(sink.diagnostics, new Map([['main.th', sourceFile('main.th', src)]]), { color: false }),
    /error\[TH0527\]: `normal` with mean = 0 and std = 0.1 cannot reproduce the interpreter's numbers on the GPU\n  --> main.th:1:23\n/);
});

test.run();
