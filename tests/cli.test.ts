/**
 * @file End-to-end tests of the `thc` executable (node bin/thc.js in a child process): exit
 * statuses 0/1/2/3, stdout/stderr separation, text and JSON output, `-` for stdin, --help,
 * --steps with --save-state/--load-state (read back with numpy), atomic saves, --diagnostics json.
 * Expected values come from numpy (python3), never from thc's own output.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, python, removeTempDirs, tempDir, thc } from './helpers/cli.js';

const dir = tempDir('cli');
const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

const STATE_PROG = write('train.th', `
shared w: f64[3] = 0
shared count: i32 = 0
fn train(x: f64[3], lr: f64 = 0.5) {
  w <- w + lr * x
  count <- count + 1
  return (w, count)
}
`);
const TWO_FNS = write('two.th', `
fn train(x: f64) = x + 1
fn predict(x: f64) = x * 2
`);
const LOG_PROG = write('log.th', 'fn f(x: f64[n]) = log(x)\n');
const TYPE_ERROR = write('bad.th', 'fn f(x: f32[n, 784], y: f32[10]) = x + y\n');
const RUNTIME_ERROR = write('rt.th', 'fn f(a: f64[_], b: f64[_]) = a + b\n');

/** numpy's repr of an expression, e.g. npRepr('np.array([1.0])'). */
const npRepr = (expr: string): string => python(`print(repr(${expr}))`).replace(/\n$/, '');

const clean = (r: { stderr: string }) => assert.not.ok(hasStackTrace(r.stderr), `stack trace in stderr:\n${r.stderr}`);

test('run prints one output as its numpy repr alone (LANGUAGE.md first program)', () => {
  const r = thc(['run', '--device', 'interp', 'samples/logistic.th', 'x=[[0, 1], [-1, -2]]']);
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  assert.is(r.stdout, `${npRepr('1 / (1 + np.exp(-np.array([[0., 1], [-1, -2]])))')}\n`);
  assert.is(r.stdout, 'array([[0.5       , 0.73105858],\n       [0.26894142, 0.11920292]])\n');
});

test('several outputs print `name = repr`, continuation lines indented under the repr', () => {
  const r = thc(['run', '--device', 'interp', 'samples/multi_output.th', 'a=[[1, 1], [1, 1]]', 'b=[[0, 1], [2, 3]]']);
  assert.is(r.code, 0, r.stderr);
  const expected = python(`
a = np.array([[1., 1], [1, 1]]); b = np.array([[0., 1], [2, 3]])
for name, v in [('diff', a - b), ('abs_diff', abs(a - b)), ('diff_squared', (a - b) ** 2)]:
    print(name + ' = ' + repr(v).replace('\\n', '\\n' + ' ' * (len(name) + 3)))`);
  assert.fixture(r.stdout, expected);
});

test('--format json prints exactly one object with dtype, shape and data, in output order', () => {
  const r = thc(['run', '--device', 'interp', 'samples/multi_output.th', 'a=[[1, 1], [1, 1]]', 'b=[[0, 1], [2, 3]]', '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.endsWith('}\n'));
  assert.is(r.stdout.trim().split('\n').length, 1);
  const v = JSON.parse(r.stdout) as { outputs: Record<string, { dtype: string; shape: number[]; data: unknown }> };
  assert.equal(Object.keys(v), ['outputs']);
  assert.equal(Object.keys(v.outputs), ['diff', 'abs_diff', 'diff_squared']);
  const want = JSON.parse(python(`import json
a = np.array([[1., 1], [1, 1]]); b = np.array([[0., 1], [2, 3]])
print(json.dumps({'diff': (a - b).tolist(), 'abs_diff': abs(a - b).tolist(), 'diff_squared': ((a - b) ** 2).tolist()}))`));
  for (const [name, data] of Object.entries(want)) {
    assert.equal(Object.keys(v.outputs[name]!), ['dtype', 'shape', 'data']);
    assert.is(v.outputs[name]!.dtype, 'f64');
    assert.equal(v.outputs[name]!.shape, [2, 2]);
    assert.equal(v.outputs[name]!.data, data);
  }
  assert.ok(r.stdout.startsWith('{"outputs": {"diff": {"dtype": "f64", "shape": [2, 2], "data": [['), r.stdout);
});

test('--format json writes NaN and infinities as strings', () => {
  const r = thc(['run', '--device', 'interp', LOG_PROG, 'x=[0, -1, 1]', '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { outputs: { out0: { dtype: 'f64', shape: [3], data: ['-Infinity', 'NaN', 0] } } });
});

test('defaults fill parameters that are not given (Theano tutorial values)', () => {
  assert.is(thc(['run', '--device', 'interp', 'samples/defaults.th', 'x=33']).stdout, `${npRepr('np.array((33. + 1) * 2)')}\n`);
  const r = thc(['run', '--device', 'interp', 'samples/defaults.th', 'x=33', 'y=2', 'w=4']);
  assert.is(r.stdout, 'array(140.)\n', r.stderr);
});

test('--steps carries shared state; the outputs of the last call print (Theano accumulator)', () => {
  const r = thc(['run', '--device', 'interp', 'samples/accumulator.th', 'inc=1', '--steps', '3']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${npRepr('np.array(2, dtype=np.int32)')}\n`);
});

test('--steps / --save-state / --load-state round trip, read back with numpy', () => {
  const first = join(dir, 'first.npz');
  const r1 = thc(['run', '--device', 'interp', STATE_PROG, 'x=[1, 2, 3]', '--steps', '3', '--save-state', first, '--format', 'json']);
  assert.is(r1.code, 0, r1.stderr);
  // the last (third) call returns the state from before it: two updates of 0.5 * x
  assert.equal(JSON.parse(r1.stdout).outputs, { w: { dtype: 'f64', shape: [3], data: [1, 2, 3] }, count: { dtype: 'i32', shape: [], data: 2 } });
  const saved = python(`d = np.load(${JSON.stringify(first)})
print(sorted(d.files), d['w'].dtype, d['w'].tolist(), d['count'].dtype, d['count'].shape, int(d['count']))`).trim();
  assert.is(saved, "['count', 'w'] float64 [1.5, 3.0, 4.5] int32 () 3");

  const second = join(dir, 'second.npz');
  const r2 = thc(['run', '--device', 'interp', STATE_PROG, 'x=[1, 2, 3]', 'lr=1', '--load-state', first, '--save-state', second]);
  assert.is(r2.code, 0, r2.stderr);
  assert.is(r2.stdout, `w = ${npRepr('np.array([1.5, 3.0, 4.5])')}\ncount = ${npRepr('np.array(3, dtype=np.int32)')}\n`);
  const again = python(`d = np.load(${JSON.stringify(second)}); print(d['w'].tolist(), int(d['count']))`).trim();
  assert.is(again, '[2.5, 5.0, 7.5] 4');
  // a state file written by numpy itself loads too
  const np = join(dir, 'numpy.npz');
  python(`np.savez(${JSON.stringify(np)}, w=np.array([10., 20., 30.]), count=np.int32(7))`);
  const r3 = thc(['run', '--device', 'interp', STATE_PROG, 'x=[0, 0, 0]', '--load-state', np, '--format', 'json']);
  assert.equal(JSON.parse(r3.stdout).outputs.count.data, 7);
  assert.equal(JSON.parse(r3.stdout).outputs.w.data, [10, 20, 30]);
});

test('--save-state is atomic: a failed save keeps the old file and leaves no temporary file', () => {
  const sub = tempDir('atomic');
  const path = join(sub, 'state.npz');
  const r0 = thc(['run', '--device', 'interp', STATE_PROG, 'x=[1, 1, 1]', '--save-state', path]);
  assert.is(r0.code, 0, r0.stderr);
  const before = readFileSync(path);
  assert.equal(readdirSync(sub), ['state.npz']);
  const r = thc(['run', '--device', 'interp', STATE_PROG, 'x=[5, 5, 5]', '--save-state', path], { env: { THC_TEST_SAVE_FAIL: '1' } });
  assert.is(r.code, 1);
  assert.match(r.stderr, /cannot write state file `.*state\.npz`/);
  clean(r);
  assert.ok(readFileSync(path).equals(before), 'old state file unchanged');
  assert.equal(readdirSync(sub), ['state.npz']);
  // the successful save replaced the file through a rename: still exactly one file
  const r2 = thc(['run', '--device', 'interp', STATE_PROG, 'x=[5, 5, 5]', '--save-state', path]);
  assert.is(r2.code, 0, r2.stderr);
  assert.equal(readdirSync(sub), ['state.npz']);
  assert.not.ok(readFileSync(path).equals(before));
});

test('FILE `-` reads the program from standard input', () => {
  const src = 'fn f(x: f64[n]) = x * 2\n';
  const r = thc(['run', '--device', 'interp', '-', 'x=[1, 2.5]'], { stdin: src });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${npRepr('np.array([1, 2.5]) * 2')}\n`);
  const c = thc(['check', '-'], { stdin: 'fn f(x: f64) = x +\n' });
  assert.is(c.code, 1);
  assert.match(c.stderr, /<stdin>/);
  clean(c);
});

test('check: success is silent, errors go to stderr only with exit status 1', () => {
  const ok = thc(['check', 'samples/logistic.th']);
  assert.equal([ok.code, ok.stdout, ok.stderr], [0, '', '']);
  const bad = thc(['check', TYPE_ERROR]);
  assert.is(bad.code, 1);
  assert.is(bad.stdout, '');
  assert.match(bad.stderr, /error\[TH03\d\d\]/);
  assert.match(bad.stderr, /bad\.th:1:/);
  clean(bad);
});

test('--diagnostics json prints one JSON object per line on stderr', () => {
  const r = thc(['--diagnostics', 'json', 'check', TYPE_ERROR]);
  assert.is(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  for (const l of lines) {
    const d = JSON.parse(l) as { code: string; severity: string; message: string };
    assert.match(d.code, /^TH\d{4}$/);
    assert.is(d.severity, 'error');
  }
  // the global option is also accepted after the command
  const r2 = thc(['run', '--device', 'interp', 'samples/add.th', 'x=[[1]]', '--diagnostics', 'json']);
  assert.is(r2.code, 1);
  assert.match(JSON.parse(r2.stderr.trim().split('\n')[0]!).message, /`y`/);
});

test('colours: off under NO_COLOR and when piped, on with --color', () => {
  const plain = thc(['check', TYPE_ERROR]);
  assert.not.match(plain.stderr, /\x1b\[/);
  const forced = thc(['--color', 'check', TYPE_ERROR], { env: { FORCE_COLOR: '1' } });
  assert.match(forced.stderr, /\x1b\[/);
  const off = thc(['--no-color', 'check', TYPE_ERROR], { env: { FORCE_COLOR: '1' } });
  assert.not.match(off.stderr, /\x1b\[/);
});

test('a failure inside the interpreter points at the user line, exit status 1', () => {
  // The default device on purpose: `_` dimensions keep the entry on the interpreter, which checks
  // their broadcast (device-choice.ts; tests/run-device.test.ts compares with --device interp).
  const r = thc(['run', RUNTIME_ERROR, 'a=[1, 2]', 'b=[1, 2, 3]']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /error\[TH0690\]: cannot broadcast shapes \[2\] and \[3\] at run time/);
  assert.match(r.stderr, /rt\.th:1:/);
  clean(r);
});

test('--fn chooses among several entry points', () => {
  assert.is(thc(['run', '--device', 'interp', TWO_FNS, '--fn', 'predict', 'x=4']).stdout, 'array(8.)\n');
  assert.is(thc(['run', '--device', 'interp', TWO_FNS, 'x=4', '--fn', 'train']).stdout, 'array(5.)\n');
});

test('compile: --target wgsl prints the WGSL (no GPU needed); --target c prints C; --target js prints the kernels; c/js -o DIR arrive later (TH0501); wgsl -o DIR checks like --device gpu; --device gpu on an f64 program says why not', () => {
  const w = thc(['compile', 'samples/add.th', '--target', 'wgsl']);
  // add.th is f64: the WGSL backend rejects it at the declaration (TH0520), printing nothing.
  assert.is(w.code, 1, w.stderr);
  assert.is(w.stdout, '');
  assert.match(w.stderr, /error\[TH0520\]: `f64` values cannot run on the GPU/);
  const c = thc(['compile', 'samples/add.th', '--target', 'c']);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout, /^\/\* Generated by thc from add\.th/);
  assert.match(c.stdout, /int thc_entry_add\(thc_state \*st, const double \*p_x, const long \*p_x_shape/);
  const js = thc(['compile', 'samples/add.th', '--target', 'js']);
  assert.is(js.code, 0, js.stderr);
  assert.match(js.stdout, /^\/\/ Generated by thc from add\.th/);
  assert.match(js.stdout, /function thck_add_k0_add\(in0, in1, out, d_m, d_n\) {/);
  // `--target c -o DIR` writes files now: tests/c-files.test.ts.
  for (const [target, extra, shown] of [['js', ['-o', 'out'], 'js -o DIR']] as const) {
    const r = thc(['compile', 'samples/add.th', '--target', target, ...extra]);
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stdout, '');
    assert.match(r.stderr, new RegExp(`error\\[TH0501\\]: the \`${shown}\` target is not available`));
  }
  // The host module (tests/wgsl-host.test.ts): add.th is f64, so TH0520 as without -o, and no folder.
  const wo = thc(['compile', 'samples/add.th', '--target', 'wgsl', '-o', 'tests/.tmp/never-written']);
  assert.is(wo.code, 1, wo.stderr);
  assert.is(wo.stdout, '');
  assert.match(wo.stderr, /error\[TH0520\]: `f64` values cannot run on the GPU/);
  const g = thc(['run', 'samples/add.th', 'x=[[1]]', 'y=[[2]]', '--device', 'gpu']);
  assert.is(g.code, 1);
  // TH0520 (f64) with a GPU adapter, TH0503 without one: tests/gpu-cli.test.ts tells the two apart.
  assert.match(g.stderr, /error\[TH05(03|20)\]/);
  assert.match(g.stderr, /--device cpu/);
  assert.is(thc(['run', '--device', 'interp', 'samples/add.th', 'x=[[1]]', 'y=[[2]]', '--device', 'cpu']).stdout, 'array([[3.]])\n');
});

test('graph prints the entry point graph and the AST', () => {
  const r = thc(['graph', 'samples/logistic.th']);
  assert.is(r.code, 0, r.stderr);
  // The default stage is optimized: the naive 1 / (1 + exp(-x)) became a sigmoid.
  assert.match(r.stdout, /sigmoid/);
  assert.not.match(r.stdout, /exp/);
  const ast = thc(['graph', 'samples/logistic.th', '--stage', 'ast']);
  assert.is(ast.code, 0, ast.stderr);
  assert.match(ast.stdout, /logistic/);
  // LANGUAGE.md: `--stage optimized` (the default) prints the graph after every rewrite.
  const opt = thc(['graph', 'samples/logistic.th', '--stage', 'optimized']);
  assert.is(opt.code, 0, opt.stderr);
  assert.is(opt.stdout, r.stdout);
  // `--stage graph` is the graph as written, before any rewrite.
  const built = thc(['graph', 'samples/logistic.th', '--stage', 'graph']);
  assert.match(built.stdout, /exp/);
  assert.not.match(built.stdout, /sigmoid/);
  const bad = thc(['graph', 'samples/logistic.th', '--stage', 'nonsense']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /nonsense/);
});

test('--help for every command, with examples, on stdout with exit status 0', () => {
  for (const cmd of [[], ['check'], ['graph'], ['run'], ['compile']]) {
    const r = thc([...cmd, '--help']);
    assert.is(r.code, 0);
    assert.is(r.stderr, '');
    assert.match(r.stdout, new RegExp(`Usage: thc${cmd.length ? ` ${cmd[0]}` : ''}`));
    if (cmd.length) assert.match(r.stdout, /Examples:\n {2}\$ thc /);
  }
  assert.match(thc(['help', 'run']).stdout, /NAME=VALUE/);
});

test('usage errors: exit status 2 with one line on stderr', () => {
  const cases: string[][] = [[], ['frobnicate'], ['run'], ['check', 'a.th', 'b.th'], ['run', 'x.th', '--steps'], ['compile', 'samples/add.th']];
  for (const args of cases) {
    const r = thc(args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stdout, '', args.join(' '));
    clean(r);
    if (args.length) assert.is(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}:\n${r.stderr}`);
  }
});

test('an internal error is TH9001 with exit status 3 and no stack trace', () => {
  const r = thc(['check', 'samples/logistic.th'], { env: { THC_TEST_INTERNAL_ERROR: '1' } });
  assert.is(r.code, 3);
  assert.match(r.stderr, /error\[TH9001\]: internal compiler error: THC_TEST_INTERNAL_ERROR is set/);
  assert.is(r.stdout, '');
  clean(r);
});

test('results only on stdout, diagnostics only on stderr', () => {
  const r = thc(['run', '--device', 'interp', 'samples/add.th', 'x=[[1, 2]]', 'y=[[10, 20]]']);
  assert.equal([r.code, r.stderr], [0, '']);
  assert.is(r.stdout, `${npRepr('np.array([[1., 2]]) + np.array([[10., 20]])')}\n`);
  const e = thc(['run', '--device', 'interp', 'samples/add.th', 'x=[[1, 2]]']);
  assert.equal([e.code, e.stdout], [1, '']);
  assert.match(e.stderr, /missing argument `y`/);
});

test.after(removeTempDirs);

test.run();
