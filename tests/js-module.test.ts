/**
 * @file The JS target's standalone module (`thc compile FILE --target js -o DIR`, docs/js.md): the
 * CLI writes `<stem>.js` and `<stem>.d.ts`, the same bytes twice and from the bundled and the plain
 * build; the module imports nothing, and a plain Node process that loads no thc code
 * (tests/fixtures/js-module/train-logreg.mjs) trains samples/logreg.th (f64, as is) for 100 steps
 * and matches an independent numpy reference (tests/fixtures/host-module/logreg_ref.py, float64
 * from the same initial state) to rtol 1e-9; the `.d.ts` type-checks a TypeScript consumer and
 * rejects wrong calls (tests/fixtures/js-consumer); in-process, the API behaves as the WGSL host
 * module's (defaults, scalars, plain arrays, {data, shape}, bool as Uint8Array, call, getState /
 * setState / the state option, argument errors worded alike) with results checked against values
 * computed by hand; refusals (f16: TH0540) write nothing and a write error is TH0542.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { removeTempDirs, tempDir, thc } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';
import { thcJsRuntime } from '../src/backend/js/runtime.js';
import { thcJsHost } from '../src/backend/js/host.js';

const dir = tempDir('thc-js-module');
test.after(() => removeTempDirs());

/** Compiles `file` with -o into a fresh folder; returns the folder. */
function compileTo(file: string, name: string): string {
  const out = join(dir, name);
  const r = thc(['compile', file, '--target', 'js', '-o', out]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.is(r.stderr, '');
  return out;
}

/** The same command through the unbundled modules under dist/src (tests/launcher.test.ts does the same). */
function unbundled(args: readonly string[]): { code: number; stderr: string } {
  const script = `import { main } from ${JSON.stringify(repoPath('dist', 'src', 'cli', 'main.js'))}; process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stderr: r.stderr };
}

const LOGREG = repoPath('samples', 'logreg.th');

test('compile -o DIR writes <stem>.js and .d.ts: the same bytes twice and from the bundled CLI and dist/src; no import; the printed kernels inside', () => {
  const a = compileTo(LOGREG, 'out-a'), b = compileTo(LOGREG, 'out-b');
  const c = join(dir, 'out-c');
  const plain = unbundled(['compile', LOGREG, '--target', 'js', '-o', c]);
  assert.is(plain.code, 0, plain.stderr);
  for (const f of ['logreg.js', 'logreg.d.ts']) {
    assert.ok(existsSync(join(a, f)), f);
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between two compilations`);
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(c, f))), `${f} differs between bin/thc.js and dist/src`);
  }
  const js = readFileSync(join(a, 'logreg.js'), 'utf8');
  assert.not.match(js, /^\s*import[\s(]/m);
  assert.not.match(js, /\bimport\(|\brequire\(/);
  assert.match(js, /^export async function createProgram\(options = \{\}\) \{$/m);
  // Every kernel function `thc compile --target js` prints is in the module, verbatim.
  const printed = thc(['compile', LOGREG, '--target', 'js']).stdout;
  const fns = printed.split(/\n(?=\/\/ thck_|function thck_)/).filter(t => t.startsWith('function thck_'));
  assert.ok(fns.length >= 2, printed.slice(0, 200));
  for (const f of printed.match(/^function thck_\w+\([^)]*\) \{$/gm)!) assert.ok(js.includes(f), f);
});

test('the embedded runtime and host are tsc\'s text of thcJsRuntime and thcJsHost, cut from dist as scripts/bundle.mjs cuts them', () => {
  const js = readFileSync(join(compileTo(LOGREG, 'out-text'), 'logreg.js'), 'utf8');
  for (const [fn, file, f] of [['thcJsRuntime', 'runtime.js', thcJsRuntime], ['thcJsHost', 'host.js', thcJsHost]] as const) {
    const text = readFileSync(repoPath('dist', 'src', 'backend', 'js', file), 'utf8');
    const cut = text.slice(text.indexOf(`function ${fn}(`), text.lastIndexOf('}') + 1);
    assert.is(cut, f.toString());
    assert.ok(js.includes(`const ${fn} = ${cut};`), fn);
  }
});

test('a plain Node process imports only the module, trains logreg (f64) 100 steps, and matches numpy (rtol 1e-9)', () => {
  const out = compileTo(LOGREG, 'out-train');
  const driver = spawnSync(process.execPath, [repoPath('tests', 'fixtures', 'js-module', 'train-logreg.mjs'), join(out, 'logreg.js'), '100'], {
    cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20,
  });
  assert.is(driver.status, 0, driver.stderr);
  const ref = spawnSync('python3', [repoPath('tests', 'fixtures', 'host-module', 'logreg_ref.py'), '100'], { input: driver.stdout, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.is(ref.status, 0, ref.stderr);
  const got = JSON.parse(driver.stdout) as { cost: number[]; accuracy: number[]; w: number[]; b: number[]; shapes: Record<string, number[]>; types: Record<string, string> };
  const want = JSON.parse(ref.stdout) as { cost: number; accuracy: number; w: number[]; b: number };
  assert.equal(got.shapes, { x: [400, 784], w: [784], b: [], cost: [] });
  assert.equal(got.types, { x: 'Float64Array', cost: 'Float64Array', dtype: 'f64' });
  // Both in f64 from the same start; only the summation orders differ (numpy's BLAS against the
  // kernels' sequential loops): measured worst relative error 3.3e-13 (w), absolute 8e-17.
  const close = (g: number, w: number, what: string): void =>
    assert.ok(Math.abs(g - w) <= 1e-15 + 1e-9 * Math.abs(w), `${what}: ${g} vs numpy ${w}`);
  close(got.cost[0]!, want.cost, 'cost');
  close(got.accuracy[0]!, want.accuracy, 'accuracy');
  close(got.b[0]!, want.b, 'b');
  assert.is(got.w.length, 784);
  got.w.forEach((v, i) => close(v, want.w[i]!, `w[${i}]`));
  assert.ok(want.cost < 0.35, String(want.cost));
});

test('the .d.ts type-checks a TypeScript consumer (tsc --strict) and rejects a wrong name, argument type, output, state name and a device argument', () => {
  const out = compileTo(LOGREG, 'out-types');
  const cases = ['consumer', 'wrong-name', 'wrong-type', 'wrong-output', 'wrong-state', 'wrong-device'];
  for (const c of cases) copyFileSync(repoPath('tests', 'fixtures', 'js-consumer', `${c}.ts.txt`), join(out, `${c}.ts`));
  // No @webgpu/types: the JS module's declarations need nothing but the standard library.
  const r = spawnSync(process.execPath, [repoPath('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--target', 'ES2022',
    '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node', ...cases.map(c => `${c}.ts`)], { cwd: out, encoding: 'utf8' });
  const text = r.stdout + r.stderr;
  assert.not.match(text, /^consumer\.ts/m, text);
  assert.not.match(text, /^logreg\.d\.ts/m, text);
  for (const c of cases.slice(1)) {
    const want = /^\/\/ (TS\d+)/.exec(readFileSync(join(out, `${c}.ts`), 'utf8'))![1]!;
    assert.match(text, new RegExp(`^${c}\\.ts\\(\\d+,\\d+\\): error ${want}:`, 'm'), text);
  }
});

const SMALL = `
shared total: f64 = 0
shared flags: bool[3] = [true, false, true]
fn add(x: f32[n], y: f32[n]) = x + y
fn mm(a: f64[m, k], b: f64[k, n]) = a @ b
fn stats(a: i32[2, 3], t: i32 = 3) {
  let s = sum(a) * t
  let positive = a > 0
  total <- total + cast(s, f64)
  return (s, positive)
}
fn flip() {
  flags <- not flags
  return flags
}
fn call(x: f64) = x * 2
`;

test('in-process: the WGSL host module\'s API on typed arrays (defaults, scalars, arrays, {data, shape}, bool, call, state) with hand-computed results; errors name the argument', async () => {
  const file = join(dir, 'small.th');
  writeFileSync(file, SMALL);
  const out = compileTo(file, 'out-small');
  type Out = { data: ArrayLike<number> & { constructor: { name: string } }; shape: number[]; dtype: string };
  type Fn = (a?: object) => Promise<Record<string, Out>>;
  const mod = await import(pathToFileURL(join(out, 'small.js')).href) as { createProgram: (o?: object) => Promise<Record<string, Fn> & {
    call(e: string, a?: object): Promise<Record<string, Out>>; getState(n?: string): Promise<Out & Record<string, Out>>; setState(n: string, v: unknown): void; destroy(): void;
  }>; default: unknown };
  assert.is(mod.default, mod.createProgram);
  const p = await mod.createProgram();
  const r = await p['add']!({ x: [1, 2, 3], y: new Float32Array([10, 20, 0.1]) });
  // 3 + 0.1 rounded to f32 (the y element is already f32 0.1).
  assert.equal(Array.from(r['out0']!.data), [11, 22, Math.fround(3 + Math.fround(0.1))]);
  assert.equal(r['out0']!.shape, [3]);
  assert.is(r['out0']!.dtype, 'f32');
  assert.is(r['out0']!.data.constructor.name, 'Float32Array');
  // [[1, 2, 3], [4, 5, 6]] @ [[1, 0], [0, 1], [1, 1]] = [[4, 5], [10, 11]].
  const m = await p['mm']!({ a: { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, b: { data: new Float64Array([1, 0, 0, 1, 1, 1]), shape: [3, 2] } });
  assert.equal(Array.from(m['out0']!.data), [4, 5, 10, 11]);
  assert.equal(m['out0']!.shape, [2, 2]);
  // t defaults to 3: sum([1, -2, 3, 0, 5, -6]) * 3 = 3; a > 0 as a Uint8Array; total accumulates.
  const s = await p['stats']!({ a: { data: [1, -2, 3, 0, 5, -6], shape: [2, 3] } });
  assert.equal(Array.from(s['s']!.data), [3]);
  assert.is(s['positive']!.data.constructor.name, 'Uint8Array');
  assert.equal(Array.from(s['positive']!.data), [1, 0, 1, 0, 1, 0]);
  await p.call('stats', { a: { data: new Int32Array([1, 1, 1, 1, 1, 1]), shape: [2, 3] }, t: 2 });
  assert.equal(Array.from((await p.getState('total')).data), [15]);
  // flip: an update and an output of the old value; `call` as an entry name is reached through call().
  assert.equal(Array.from((await p['flip']!())['flags']!.data), [1, 0, 1]);
  assert.equal(Array.from((await p.getState('flags')).data), [0, 1, 0]);
  assert.equal(Array.from((await p.call('call', { x: 4 }))['out0']!.data), [8]);
  // getState returns copies; setState checks the shape.
  const all = await p.getState();
  assert.equal(Object.keys(all), ['total', 'flags']);
  (all['total']!.data as unknown as Float64Array)[0] = 99;
  assert.equal(Array.from((await p.getState('total')).data), [15]);
  p.setState('total', { data: [0.5], shape: [] });
  assert.equal(Array.from((await p.getState('total')).data), [0.5]);
  const throws = (f: () => unknown, pattern: RegExp): void => {
    try { f(); } catch (e) { assert.match((e as Error).message, pattern); return; }
    assert.unreachable(`expected an Error matching ${pattern}`);
  };
  throws(() => p.setState('flags', [1, 0]), /`flags` has 3 elements \(shape \[3\]\), but the value has 2/);
  throws(() => p.setState('nope', [1]), /no shared variable `nope` \(there are: total, flags\)/);
  const fails = async (call: Promise<unknown>, pattern: RegExp): Promise<void> => {
    const e = await call.then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof Error, `expected an Error matching ${pattern}`);
    assert.match((e as Error).message, pattern);
  };
  await fails(p['add']!({ x: [1, 2, 3], y: [1, 2] }), /add: argument `y` has size 2 on axis 0, expected 3 \(`n`\)/);
  await fails(p['add']!({ x: [1, 2, 3] }), /add: missing argument `y`/);
  await fails(p['add']!({ x: [1], y: [1], z: [1] }), /add: no parameter `z`/);
  await fails(p['stats']!({ a: { data: [1, 2, 3], shape: [3] } }), /stats: argument `a` must have rank 2, got shape \[3\]/);
  await fails(p['stats']!({ a: { data: [1, 2], shape: [2, 3] } }), /stats: argument `a`: shape \[2, 3\] has 6 elements, but data has 2/);
  await fails(p['stats']!({ a: [1, 2, 3, 4, 5, 6] }), /stats: argument `a` has rank 2: pass \{ data, shape \}/);
  await fails(p.call('nope', {}), /no entry point `nope`/);
  p.destroy();
  // The state option replaces the embedded initial values.
  const q = await mod.createProgram({ state: { total: [2], flags: new Uint8Array([0, 0, 1]) } });
  assert.equal(Array.from((await q.getState('total')).data), [2]);
  assert.equal(Array.from((await q['flip']!())['flags']!.data), [0, 0, 1]);
  q.destroy();
});

test('refusals write nothing: f16 is TH0540; an unwritable DIR is TH0542', () => {
  const half = join(dir, 'half.th');
  writeFileSync(half, 'fn f(x: f16[3]) = x + 1\n');
  const r = thc(['compile', half, '--target', 'js', '-o', join(dir, 'out-half')]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /error\[TH0540\]: `f16` values cannot be compiled to JS yet/);
  assert.not.ok(existsSync(join(dir, 'out-half')));
  const blocker = join(dir, 'blocker');
  writeFileSync(blocker, '');
  const bad = thc(['compile', LOGREG, '--target', 'js', '-o', join(blocker, 'sub')]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /error\[TH0542\]: cannot write `.*blocker.sub`: /);
});

test.run();
