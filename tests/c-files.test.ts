/**
 * @file `thc compile --target c -o DIR` (src/backend/c/files.ts): the header and C file are the
 * same bytes every time and build cleanly (gcc, and clang where present, -std=c99 -pedantic -Wall
 * -Wextra -Werror; the header also as C++); the hand-written tests/c-programs/logreg_train.c trains
 * samples/logreg.th for 100 steps through the header and matches an independent numpy
 * implementation (tests/c-programs/logreg_numpy.py) to rtol 1e-9; the `.npy` main
 * (-DTHC_NPY_MAIN) against the interpreter (logreg's train and predict, a program with every
 * dtype, defaults and symbolic sizes) and its reader's checks (versions 1-3, either quotes, key
 * order, dtype, byte order, rank, Fortran order, size, magic); public names (two programs in one
 * executable, TH0536 for a clash, an odd file name, TH0537 for a folder that cannot be written); and once, the C programs here and the whole
 * C backend suite (THC_C_SANITIZE=1) under AddressSanitizer and UndefinedBehaviorSanitizer with no
 * report. Without a C compiler (or python3 with numpy, for the numpy test) the tests skip.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/ops/index.js';
import { createSink } from '../src/diag/sink.js';
import { runGraph } from '../src/runtime/interp.js';
import { applyUpdates, initialState } from '../src/runtime/state.js';
import { fromNumbers, type NDArray } from '../src/runtime/ndarray.js';
import { readNpy, writeNpy } from '../src/runtime/npy.js';
import { findCompiler } from '../src/backend/c/run.js';
import { compileKernelsOk, scheduleOf } from './helpers/schedule-oracle.js';
import { compareArrays, F32_TOL, F64_TOL } from './helpers/c-oracle.js';
import { repoPath } from './helpers/paths.js';
import { thc } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'thc-c-files-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const cc = findCompiler();
const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const clang = cc !== 'clang' && has('clang', ['--version']) ? 'clang' : null;
const gxx = has('g++', ['--version']) ? 'g++' : null;
const numpy = has('python3', ['-c', 'import numpy']);
const cTest = (name: string, body: () => Promise<void> | void): void => (cc ? test(name, body) : test.skip(name, body));
if (!cc) console.log('skip: no C compiler (cc, gcc or clang) on the PATH');
if (!numpy) console.log('skip: no python3 with numpy (the logreg reference)');

const STRICT = ['-std=c99', '-pedantic', '-O2', '-Wall', '-Wextra', '-Werror'];
const SANITIZE = ['-std=c99', '-O1', '-g', '-Wall', '-Wextra', '-Werror', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

/** `thc compile FILE --target c -o DIR`; the folder. */
function compileTo(file: string, dir: string): string {
  const r = thc(['compile', file, '--target', 'c', '-o', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  return dir;
}

/** Builds an executable with `compiler` and `flags`; the compiler's complaints fail the test. */
function build(compiler: string, flags: readonly string[], out: string, sources: readonly string[], include: string): string {
  try {
    execFileSync(compiler, [...flags, '-I', include, '-o', out, ...sources, '-lm'], { stdio: 'pipe' });
  } catch (e) {
    assert.unreachable(`${compiler} failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  }
  return out;
}

function exec(exe: string, args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const logregSrc = (): string => readFileSync(repoPath('samples', 'logreg.th'), 'utf8');
let logregDir: string | undefined;
/** samples/logreg.th compiled once into work/logreg. */
const logreg = (): string => (logregDir ??= compileTo('samples/logreg.th', join(work, 'logreg')));

/** The interpreter's initial state of logreg, as raw f64 files (STATEDIR/<name>.bin) and as NDArrays. */
let initial: { dir: string; state: Map<string, NDArray> } | undefined;
function logregInitial(): { dir: string; state: Map<string, NDArray> } {
  if (initial) return initial;
  const r = compileKernelsOk(logregSrc());
  const state = initialState(r.graphs!.shared, createSink())!;
  const dir = join(work, 'logreg-state');
  mkdirSync(dir, { recursive: true });
  for (const [name, a] of state) {
    writeFileSync(join(dir, `${name}.bin`), new Uint8Array(Float64Array.from(a.data).buffer));
    writeFileSync(join(dir, `${name}.npy`), writeNpy(a));
  }
  return (initial = { dir, state });
}

// ---------------------------------------------------------------- the files

cTest('-o DIR writes logreg.h and logreg.c, the same bytes every time, clean under -std=c99 -pedantic -Wall -Wextra -Werror (gcc, clang; the header also as C++)', () => {
  const a = logreg();
  const b = compileTo('samples/logreg.th', join(work, 'logreg-again'));
  for (const f of ['logreg.h', 'logreg.c']) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between two runs`);
  const h = readFileSync(join(a, 'logreg.h'), 'utf8');
  for (const decl of ['thc_logreg_state *thc_logreg_create(void);', 'void thc_logreg_free(thc_logreg_state *st);',
    'const char *thc_logreg_strerror(int code);', 'int thc_logreg_train(thc_logreg_state *st, const double *p_lr, const long *p_lr_shape, double **o0, long *o0_shape, double **o1, long *o1_shape);',
    'int thc_logreg_set_w(thc_logreg_state *st, const double *data, const long *shape);', 'THC_ENAME = 8']) {
    assert.ok(h.includes(decl), `logreg.h lacks ${decl}`);
  }
  for (const compiler of [cc!, ...(clang ? [clang] : [])]) {
    build(compiler, [...STRICT, '-c'], join(work, `lib-${compiler}.o`), [join(a, 'logreg.c')], a);
    build(compiler, [...STRICT, '-DTHC_NPY_MAIN'], join(work, `npy-${compiler}`), [join(a, 'logreg.c')], a);
  }
  if (gxx) execFileSync(gxx, ['-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-x', 'c++', join(a, 'logreg.h')]);
  // Only the API is exported: every other function and table of the file is static.
  const nm = spawnSync('nm', ['-g', '--defined-only', join(work, `lib-${cc}.o`)], { encoding: 'utf8' });
  if (nm.status === 0) {
    const exported = nm.stdout.split('\n').filter(Boolean).map(l => l.split(' ').pop()!);
    assert.equal(exported.filter(s => !s.startsWith('thc_logreg_')), []);
  }
});

// ---------------------------------------------------------------- the hand-written program

/** `cost K C` lines etc. as [key, value] pairs. */
const parseLines = (text: string): [string, number][] =>
  text.trim().split('\n').map(l => { const [k, i, v] = l.split(' '); return [`${k} ${i}`, Number(v)]; });

(cc && numpy ? test : test.skip)('tests/c-programs/logreg_train.c trains logreg for 100 steps through the header, matching numpy to rtol 1e-9 (gcc, clang)', () => {
  const dir = logreg();
  const { dir: stateDir } = logregInitial();
  const want = parseLines(execFileSync('python3', [repoPath('tests', 'c-programs', 'logreg_numpy.py'), stateDir, '100'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  assert.is(want.length, 200 + 784 + 1);
  for (const compiler of [cc!, ...(clang ? [clang] : [])]) {
    const exe = build(compiler, STRICT, join(work, `logreg_train-${compiler}`), [repoPath('tests', 'c-programs', 'logreg_train.c'), join(dir, 'logreg.c')], dir);
    const r = exec(exe, [stateDir, '100']);
    assert.is(r.code, 0, r.stderr);
    const got = parseLines(r.stdout);
    assert.equal(got.map(x => x[0]), want.map(x => x[0]));
    got.forEach(([key, g], i) => {
      const w = want[i]![1];
      if (!(Math.abs(g - w) <= 1e-9 * Math.abs(w))) assert.unreachable(`${compiler}: ${key} is ${g} in C, ${w} in numpy`);
    });
  }
});

// ---------------------------------------------------------------- the .npy main

/** Runs the .npy main; the outputs and state it wrote, read back. */
function npyRun(exe: string, args: readonly string[], out: string): { code: number; stderr: string; read: (name: string) => NDArray } {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const r = exec(exe, [args[0]!, out, ...args.slice(1)]);
  return { code: r.code, stderr: r.stderr, read: name => readNpy(new Uint8Array(readFileSync(join(out, `${name}.npy`)))) };
}

cTest('the .npy main runs logreg\'s train (--steps 3) and predict like the interpreter, outputs and state', () => {
  const dir = logreg();
  const exe = build(cc!, [...STRICT, '-DTHC_NPY_MAIN'], join(work, 'logreg-npy'), [join(dir, 'logreg.c')], dir);
  const { dir: stateDir, state } = logregInitial();
  const r = compileKernelsOk(logregSrc());
  const stateArgs = [...state.keys()].map(n => `${n}=${join(stateDir, `${n}.npy`)}`);
  // train with its default lr = 0.1 (no file given), three calls.
  const run = npyRun(exe, ['train', '--steps', '3', ...stateArgs], join(work, 'out-train'));
  assert.is(run.code, 0, run.stderr);
  const want = new Map(state);
  const { g } = scheduleOf(r, 'train');
  let outs: ReadonlyMap<string, NDArray> = new Map();
  for (let k = 0; k < 3; k++) {
    const res = runGraph(g, { params: new Map([['lr', fromNumbers('f64', [], [0.1])]]), shared: want, dims: new Map() });
    outs = res.outputs;
    applyUpdates(want, res.updates);
  }
  g.outputs.forEach((o, k) => compareArrays(run.read(`out${k}`), outs.get(o.name)!, F64_TOL, `train out${k}`));
  for (const [name, v] of want) compareArrays(run.read(`state.${name}`), v, { rtol: 1e-12, atol: 1e-14 }, `state ${name}`);
  // predict from the trained state written by the first run, lr given as a file this time is not needed.
  const trained = [...want.keys()].map(n => `${n}=${join(work, 'out-train', `state.${n}.npy`)}`);
  const pred = npyRun(exe, ['predict', ...trained], join(work, 'out-predict'));
  assert.is(pred.code, 0, pred.stderr);
  const p = runGraph(scheduleOf(r, 'predict').g, { params: new Map(), shared: want, dims: new Map() });
  compareArrays(pred.read('out0'), [...p.outputs.values()][0]!, F64_TOL, 'predict');
});

const MIXED = `shared total: f32[3] = [0, 0, 0]
shared calls: i32 = 0
fn step(x: f32[n, 3], k: i32[n], m: bool[n], u: u32[n], s: f64 = 2.5) {
  total <- total + sum(x, axis=0)
  calls <- calls + 1
  return (x * cast(s, f32), cast(k, u32) * u, m and (k > 0), sum(k), cast(s, f64) * 2, total)
}`;

cTest('the .npy main with f32, i32, u32 and bool inputs, a default, a symbolic size, and its state, like the interpreter', () => {
  const file = join(work, 'mixed.th');
  writeFileSync(file, MIXED);
  const dir = compileTo(file, join(work, 'mixed'));
  const exe = build(cc!, [...STRICT, '-DTHC_NPY_MAIN'], join(work, 'mixed-npy'), [join(dir, 'mixed.c')], dir);
  const params = new Map<string, NDArray>([
    ['x', fromNumbers('f32', [4, 3], [1.5, -2, 0.25, 3, 1e-3, -7, 0, 2, 2, 1e10, -1e-10, 5])],
    ['k', fromNumbers('i32', [4], [3, -1, 2147483647, 0])],
    ['m', fromNumbers('bool', [4], [1, 1, 0, 1])],
    ['u', fromNumbers('u32', [4], [7, 4294967295, 2, 9])],
  ]);
  const args: string[] = [];
  for (const [name, a] of params) {
    writeFileSync(join(work, `mixed-${name}.npy`), writeNpy(a));
    args.push(`${name}=${join(work, `mixed-${name}.npy`)}`);
  }
  const r = compileKernelsOk(MIXED);
  const { g } = scheduleOf(r, 'step');
  const shared = initialState(r.graphs!.shared, createSink())!;
  for (const [name, a] of shared) { writeFileSync(join(work, `mixed-s-${name}.npy`), writeNpy(a)); args.push(`${name}=${join(work, `mixed-s-${name}.npy`)}`); }
  const run = npyRun(exe, ['step', '--steps', '2', ...args], join(work, 'out-mixed'));
  assert.is(run.code, 0, run.stderr);
  let outs: ReadonlyMap<string, NDArray> = new Map();
  const call = new Map(params);
  call.set('s', fromNumbers('f64', [], [2.5]));
  for (let i = 0; i < 2; i++) {
    const res = runGraph(g, { params: call, shared, dims: new Map([['n', 4]]) });
    outs = res.outputs;
    applyUpdates(shared, res.updates);
  }
  g.outputs.forEach((o, k) => { const w = outs.get(o.name)!; compareArrays(run.read(`out${k}`), w, w.dtype === 'f32' ? F32_TOL : F64_TOL, `out${k}`); });
  for (const [name, v] of shared) compareArrays(run.read(`state.${name}`), v, v.dtype === 'f32' ? F32_TOL : F64_TOL, `state ${name}`);
});

/** A .npy file by hand: version, header text (padded to 16 bytes with a newline), data bytes. */
function npyBytes(version: 1 | 2 | 3, header: string, data: Uint8Array): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  let h = header;
  while ((pre + h.length + 1) % 16 !== 0) h += ' ';
  h += '\n';
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, h.length, true); else view.setUint32(8, h.length, true);
  out.set(new TextEncoder().encode(h), pre);
  out.set(data, pre + h.length);
  return out;
}

cTest('the .npy reader: versions 1-3, either quotes, any key order, Fortran order where it is C order; refuses dtype, byte order, rank, layout, size, magic, names and shapes with one clear line', () => {
  const dir = compileTo('samples/multi_output.th', join(work, 'multi'));
  const exe = build(cc!, [...STRICT, '-DTHC_NPY_MAIN'], join(work, 'multi-npy'), [join(dir, 'multi_output.c')], dir);
  const f64 = (xs: number[]): Uint8Array => new Uint8Array(Float64Array.from(xs).buffer);
  const put = (name: string, bytes: Uint8Array): string => { const p = join(work, name); writeFileSync(p, bytes); return p; };
  const a = put('a.npy', npyBytes(2, `{"shape": (2, 2), "fortran_order": False, "descr": "<f8"}`, f64([1, 2, 3, 4])));
  const b = put('b.npy', npyBytes(3, `{'descr':'=f8','fortran_order':False,'shape':(2,2,),}`, f64([0.5, 1, 5, -4])));
  const ok = npyRun(exe, ['diffs', `a=${a}`, `b=${b}`], join(work, 'out-multi'));
  assert.is(ok.code, 0, ok.stderr);
  assert.equal([...ok.read('out0').data], [0.5, 1, -2, 8]);
  assert.equal([...ok.read('out2').shape], [2, 2]);
  // A 1-D Fortran-order array is laid out as in C order: accepted (through the 1-D program below).
  const bad: [string, Uint8Array, RegExp][] = [
    ['dtype', npyBytes(1, `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }`, new Uint8Array(16)), /dtype '<f4', expected '<f8'/],
    ['big-endian', npyBytes(1, `{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }`, f64([1, 2, 3, 4])), /big-endian/],
    ['rank', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }`, f64([1, 2, 3, 4])), /1 axes, expected 2/],
    ['fortran', npyBytes(1, `{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }`, f64([1, 2, 3, 4])), /Fortran-order/],
    ['short', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }`, f64([1, 2, 3])), /24 bytes of data, expected 32/],
    ['long', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }`, f64([1, 2, 3, 4, 5])), /40 bytes of data, expected 32/],
    ['magic', new TextEncoder().encode('not an array at all'), /not a .npy file/],
    ['version', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }`, f64([1, 2, 3, 4])).map((x, i) => (i === 6 ? 9 : x)), /unsupported .npy format version 9/],
    ['structured', npyBytes(1, `{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2, 2), }`, f64([1, 2, 3, 4])), /structured dtypes/],
    ['key', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}`, f64([1, 2, 3, 4])), /a key other than/],
    ['header', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (2, -2), }`, f64([])), /non-negative integers/],
  ];
  for (const [what, bytes, message] of bad) {
    const p = put(`bad-${what}.npy`, bytes);
    const r = npyRun(exe, ['diffs', `a=${p}`, `b=${b}`], join(work, 'out-bad'));
    assert.is(r.code, 64, `${what}: ${r.stderr}`);
    assert.match(r.stderr, message, what);
    assert.ok(r.stderr.startsWith(`${p}: `), `${what}: names the file: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, `${what}: one line`);
  }
  const usage: [string[], RegExp][] = [
    [['diffs', `a=${a}`], /missing input b \(give b=FILE.npy\)/],
    [['diffs', `a=${a}`, `b=${b}`, `zz=${a}`], /zz is neither a parameter of this entry point nor a shared variable/],
    [['nope'], /no entry point nope \(there are: diffs\)/],
    [['diffs', `a=${join(work, 'missing.npy')}`, `b=${b}`], /missing.npy: cannot read: No such file/],
    [['diffs', 'stray'], /stray: expected NAME=FILE.npy or --steps N/],
  ];
  for (const [args, message] of usage) {
    const r = npyRun(exe, args, join(work, 'out-bad'));
    assert.is(r.code, 64, r.stderr);
    assert.match(r.stderr, message);
  }
  // Mismatched sizes between the inputs: the entry point's THC_ESHAPE, as the exit status.
  const small = put('small.npy', npyBytes(1, `{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }`, f64([1, 2])));
  const r = npyRun(exe, ['diffs', `a=${a}`, `b=${small}`], join(work, 'out-bad'));
  assert.is(r.code, 1);
  assert.match(r.stderr, /diffs: an array does not have the declared shape/);
  // A shared variable of the wrong shape, and a 1-D array saved in Fortran order (the same layout).
  const acc = compileTo('samples/accumulator.th', join(work, 'acc'));
  const accExe = build(cc!, [...STRICT, '-DTHC_NPY_MAIN'], join(work, 'acc-npy'), [join(acc, 'accumulator.c')], acc);
  const i32 = (xs: number[]): Uint8Array => new Uint8Array(Int32Array.from(xs).buffer);
  const inc = put('inc.npy', npyBytes(1, `{'descr': '<i4', 'fortran_order': True, 'shape': (), }`, i32([5])));
  const st = put('st.npy', npyBytes(1, `{'descr': '<i4', 'fortran_order': False, 'shape': (), }`, i32([3])));
  const good = npyRun(accExe, ['accumulator', '--steps', '2', `inc=${inc}`, `state=${st}`], join(work, 'out-acc'));
  assert.is(good.code, 0, good.stderr);
  assert.equal([...good.read('out0').data], [8]);
  assert.equal([...good.read('state.state').data], [13]);
  const wrong = put('st2.npy', npyBytes(1, `{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }`, i32([3])));
  const w = npyRun(accExe, ['accumulator', `inc=${inc}`, `state=${wrong}`], join(work, 'out-acc'));
  assert.is(w.code, 64);
  assert.match(w.stderr, /1 axes, expected 0/);
  const unset = npyRun(accExe, ['accumulator', `inc=${inc}`], join(work, 'out-acc'));
  assert.is(unset.code, 2);
  assert.match(unset.stderr, /a shared variable the entry point reads is not set/);
});

// ---------------------------------------------------------------- OpenMP

const BIG = `fn f(x: f64[n, m], y: f64[m, k]) {
  let e = exp(x - max(x, axis=1, keepdims=true))
  return (e / sum(e, axis=1, keepdims=true), x @ y, sum(x * x, axis=0), argmax(x, axis=1), logsumexp(x, axis=1), x * 2 + 1)
}`;

cTest('OpenMP: large kernels run their outer loop in parallel (-fopenmp), with the same bytes as the serial build for 1, 2 and 3 threads, and the interpreter\'s numbers', () => {
  if (!probeFlag('-fopenmp')) { console.log('skip: the C compiler cannot build with -fopenmp'); return; }
  const file = join(work, 'big.th');
  writeFileSync(file, BIG);
  const dir = compileTo(file, join(work, 'big'));
  const text = readFileSync(join(dir, 'big.c'), 'utf8');
  assert.ok((text.match(/#pragma omp parallel for schedule\(static\) if\(/g) ?? []).length >= 5, 'parallel loops');
  const serial = build(cc!, [...STRICT, '-DTHC_NPY_MAIN'], join(work, 'big-serial'), [join(dir, 'big.c')], dir);
  const omp = build(cc!, [...STRICT, '-fopenmp', '-DTHC_NPY_MAIN'], join(work, 'big-omp'), [join(dir, 'big.c')], dir);
  let seed = 12345;
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 * 6 - 3; };
  const x = fromNumbers('f64', [300, 200], Array.from({ length: 60000 }, next));
  const y = fromNumbers('f64', [200, 40], Array.from({ length: 8000 }, next));
  writeFileSync(join(work, 'big-x.npy'), writeNpy(x));
  writeFileSync(join(work, 'big-y.npy'), writeNpy(y));
  const args = ['f', `x=${join(work, 'big-x.npy')}`, `y=${join(work, 'big-y.npy')}`];
  const outputs = (exe: string, threads: string): Buffer[] => {
    const out = join(work, `out-big-${threads}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const r = spawnSync(exe, [args[0]!, out, ...args.slice(1)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: threads } });
    assert.is(r.status, 0, r.stderr);
    return [0, 1, 2, 3, 4, 5].map(k => readFileSync(join(out, `out${k}.npy`)));
  };
  const want = outputs(serial, '1');
  for (const threads of ['1', '2', '3']) {
    outputs(omp, threads).forEach((b, k) => assert.ok(b.equals(want[k]!), `output ${k} with ${threads} threads differs from the serial build`));
  }
  const r = compileKernelsOk(BIG);
  const res = runGraph(scheduleOf(r, 'f').g, { params: new Map([['x', x], ['y', y]]), shared: new Map(), dims: new Map([['n', 300], ['m', 200], ['k', 40]]) });
  [...res.outputs.values()].forEach((w, k) => compareArrays(readNpy(new Uint8Array(want[k]!)), w, F64_TOL, `output ${k}`));
});

// ---------------------------------------------------------------- names

cTest('public names: two programs link into one executable; an odd file name is mangled; a clash is TH0536; an unwritable folder TH0537', () => {
  const logregDir = logreg();
  const file = join(work, 'we-ird.th');
  writeFileSync(file, 'shared a_b: f64 = 1\nfn get_x(v_1: f64) {\n  a_b <- a_b + v_1\n  return a_b * 2\n}\n');
  const odd = compileTo(file, join(work, 'odd'));
  const h = readFileSync(join(odd, 'we-ird.h'), 'utf8');
  assert.ok(h.includes('int thc_we_x2d_ird_get_x5f_x(thc_we_x2d_ird_state *st, const double *p_v_x5f_1, const long *p_v_x5f_1_shape, double **o0, long *o0_shape);'), h);
  const main = join(work, 'two.c');
  writeFileSync(main, `#include <stdio.h>
#include <stdlib.h>
#include "logreg.h"
#include "we-ird.h"
int main(void) {
  thc_logreg_state *a = thc_logreg_create();
  thc_we_x2d_ird_state *b = thc_we_x2d_ird_create();
  const double one = 1.5, zero = 0;
  double *out = NULL;
  int rc = thc_we_x2d_ird_get_x5f_x(b, &one, NULL, &out, NULL);
  printf("%d %s\\n", rc, thc_we_x2d_ird_strerror(rc));
  rc = thc_we_x2d_ird_set(b, "a_b", &zero, NULL);
  rc = rc ? rc : thc_we_x2d_ird_get_x5f_x(b, &one, NULL, &out, NULL);
  printf("%d %g %g %d\\n", rc, out ? out[0] : -1.0, *(const double *)thc_we_x2d_ird_get(b, "a_b", NULL), thc_we_x2d_ird_set(b, "nope", &one, NULL));
  printf("%d %s\\n", thc_logreg_predict(a, NULL, NULL), thc_logreg_var(4) == NULL ? thc_logreg_var(1)->name : "?");
  free(out);
  thc_logreg_free(a);
  thc_we_x2d_ird_free(b);
  return 0;
}
`);
  copyFileSync(join(odd, 'we-ird.h'), join(logregDir, 'we-ird.h'));
  const exe = build(cc!, STRICT, join(work, 'two'), [main, join(logregDir, 'logreg.c'), join(odd, 'we-ird.c')], logregDir);
  const r = exec(exe, []);
  assert.is(r.code, 0, r.stderr);
  // Unset state first (THC_ESTATE = 2), then 0 * 2 before the update, the update 1.5, THC_ENAME = 8; logreg's predict without state.
  assert.is(r.stdout, '2 a shared variable the entry point reads is not set\n0 0 1.5 8\n2 D_coin\n');
  const clash = join(work, 'clash.th');
  writeFileSync(clash, 'fn create(x: f64) = x\n');
  const c = thc(['compile', clash, '--target', 'c', '-o', join(work, 'clash')]);
  assert.is(c.code, 1);
  assert.match(c.stderr, /error\[TH0536\]: the C name `thc_clash_create` of entry point `create` is already the API's create/);
  const blocked = thc(['compile', 'samples/add.th', '--target', 'c', '-o', join(work, 'logreg', 'logreg.h', 'sub')]);
  assert.is(blocked.code, 1);
  assert.match(blocked.stderr, /error\[TH0537\]: cannot write `[^`]*logreg\.h\/sub`: ENOTDIR/);
});

// ---------------------------------------------------------------- sanitizers

cTest('under AddressSanitizer and UndefinedBehaviorSanitizer: the hand-written program, the .npy main (and its refusals), and the whole C backend suite, with no report', () => {
  if (!probeSanitizer()) {
    console.log('skip: the C compiler cannot build with -fsanitize=address,undefined');
    return;
  }
  const dir = logreg();
  const { dir: stateDir, state } = logregInitial();
  const train = build(cc!, SANITIZE, join(work, 'logreg_train-san'), [repoPath('tests', 'c-programs', 'logreg_train.c'), join(dir, 'logreg.c')], dir);
  const r = exec(train, [stateDir, '5']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /Sanitizer|runtime error/);
  const npy = build(cc!, [...SANITIZE, '-DTHC_NPY_MAIN'], join(work, 'logreg-npy-san'), [join(dir, 'logreg.c')], dir);
  const stateArgs = [...state.keys()].map(n => `${n}=${join(stateDir, `${n}.npy`)}`);
  const ok = npyRun(npy, ['train', '--steps', '2', ...stateArgs], join(work, 'out-san'));
  assert.is(ok.code, 0, ok.stderr);
  const bad = npyRun(npy, ['train', `w=${join(stateDir, 'D_x.npy')}`, `lr=${join(stateDir, 'b.npy')}`], join(work, 'out-san'));
  assert.is(bad.code, 64);
  assert.not.match(bad.stderr, /Sanitizer|runtime error/);
  const unset = npyRun(npy, ['predict'], join(work, 'out-san'));
  assert.is(unset.code, 2);
  assert.not.match(unset.stderr, /Sanitizer|runtime error/);
  // The C backend suite builds every program it runs with the sanitizers (run.ts, THC_C_SANITIZE).
  const suite = spawnSync(process.execPath, [repoPath('dist', 'tests', 'c-backend.test.js')], {
    encoding: 'utf8', env: { ...process.env, THC_C_SANITIZE: '1', FORCE_COLOR: '0' }, maxBuffer: 64 << 20,
  });
  const out = `${suite.stdout}${suite.stderr}`;
  assert.is(suite.status, 0, out.slice(-4000));
  assert.not.match(out, /Sanitizer|runtime error/);
  assert.match(out, /Total:\s+(\d+)/);
});

/** Whether a trivial program builds and runs with this flag. */
function probeFlag(flag: string): boolean {
  const src = join(work, 'probe.c');
  writeFileSync(src, 'int main(void) { return 0; }\n');
  return has(cc!, [flag, '-o', join(work, 'probe'), src]) && has(join(work, 'probe'), []);
}
const probeSanitizer = (): boolean => probeFlag('-fsanitize=address,undefined');

test.run();
