/**
 * @file Which engine `thc run` uses (src/cli/device-choice.ts), end to end through the CLI:
 * `--device auto` runs an f32 program on the GPU when there is an adapter (lavapipe here; CI sets
 * THC_REQUIRE_GPU=1) and an f64 one as generated C; with no Vulkan driver
 * (`VK_ICD_FILENAMES=/nonexistent.json`) auto falls back to the CPU without a word (not even
 * Dawn's, which is never loaded); `--device cpu` without a C compiler (CC naming none, or a PATH
 * without one) prints one `note:` line and runs on the JS target (the interpreter's exact output,
 * logreg's training and saved state included), and a program both the C backend and the JS target
 * refuse (f16) runs on the interpreter after a note giving both reasons; a run-time error on the C
 * path and on the JS target is the interpreter's diagnostic; the seed example of LANGUAGE.md and samples/logreg.th give the interpreter's numbers
 * on `--device cpu` (1e-12 relative, f64); two concurrent `--device cpu` runs on a cold cache both
 * succeed and leave one executable. The interpreter's output is the oracle throughout.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCompiler } from '../src/backend/c/run.js';
import { readNpz } from '../src/runtime/npz.js';
import { python, thc, type ThcResult } from './helpers/cli.js';
import { withGpu } from './helpers/gpu.js';
import { repoPath } from './helpers/paths.js';

const gpuTest = await withGpu(test);
const cc = findCompiler();
const cTest = (name: string, body: () => Promise<void> | void): void => (cc ? test(name, body) : test.skip(name, body));
if (!cc) console.log('skip: no C compiler (cc, gcc or clang) on the PATH');

// Every C build of this suite goes to a fresh cache folder, removed at the end.
const dir = mkdtempSync(join(tmpdir(), 'thc-device-'));
const cache = join(dir, 'cache');
const env = { THC_CACHE_DIR: cache };
test.after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const LOGISTIC32 = write('logistic32.th', 'fn logistic(x: f32[n, m]) = 1 / (1 + exp(-x))\n');
const LOGISTIC64 = repoPath('samples', 'logistic.th');
const X = 'x=[[0, 1], [-1, -2]]';
const NO_DRIVER = { VK_ICD_FILENAMES: '/nonexistent.json' };

const numbers = (text: string): number[] => (text.match(/-?\d+\.\d*(e-?\d+)?/g) ?? []).map(Number);

/** Every number of `got` within `rel` (relative, plus a tiny absolute floor) of `want`'s. */
function closeNumbers(got: string, want: string, rel: number): void {
  const a = numbers(got), b = numbers(want);
  assert.is(a.length, b.length, `${got} vs ${want}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= rel * Math.abs(b[i]!) + 1e-300, `${v} vs ${b[i]} (${got} vs ${want})`));
}

const ok = (r: ThcResult, what: string): ThcResult => {
  assert.is(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}`);
  return r;
};

gpuTest('auto runs an f32 program on the GPU (said by --verbose), with the interpreter\'s numbers within f32 tolerance', () => {
  const r = ok(thc(['run', LOGISTIC32, X, '--verbose'], { env }), 'auto f32');
  assert.match(r.stderr, /^note: --device auto: running `logistic` on the GPU \(/m);
  closeNumbers(r.stdout, ok(thc(['run', LOGISTIC32, X, '--device', 'interp']), 'interp').stdout, 1e-6);
});

cTest('auto runs an f64 program as generated C (said by --verbose; the executable lands in the cache), silently without --verbose', () => {
  const own = join(dir, 'cache-f64');
  const quiet = ok(thc(['run', LOGISTIC64, X], { env: { THC_CACHE_DIR: own } }), 'auto f64');
  assert.is(quiet.stderr, '');
  assert.is(quiet.stdout, 'array([[0.5       , 0.73105858],\n       [0.26894142, 0.11920292]])\n');
  assert.is(readdirSync(own).filter(f => f.startsWith('thc-')).length, 1);
  const r = ok(thc(['run', LOGISTIC64, X, '--verbose'], { env }), 'auto f64 verbose');
  assert.match(r.stderr, /^note: --device auto: running `logistic` on the CPU as generated C \(built with \S+\); why: .*logistic\.th:3:\d+: `f64` values cannot run on the GPU \[TH0520\]\n$/);
});

cTest('no Vulkan driver (VK_ICD_FILENAMES=/nonexistent.json): auto runs the f32 program on the CPU, nothing on stderr', () => {
  const r = ok(thc(['run', LOGISTIC32, X], { env: { ...env, ...NO_DRIVER } }), 'auto, no driver');
  assert.is(r.stderr, '');
  assert.is(r.stdout, ok(thc(['run', LOGISTIC32, X, '--device', 'cpu'], { env }), 'cpu').stdout);
  const v = thc(['run', LOGISTIC32, X, '--verbose'], { env: { ...env, ...NO_DRIVER } });
  assert.match(v.stderr, /^note: --device auto: running `logistic` on the CPU as generated C \(built with \S+\); why: no Vulkan driver, so no GPU adapter\n$/);
});

test('no C compiler (CC names none): --device cpu prints one note and runs on the JS target (the interpreter\'s output)', () => {
  const interp = ok(thc(['run', LOGISTIC64, X, '--device', 'interp']), 'interp');
  const r = ok(thc(['run', LOGISTIC64, X, '--device', 'cpu'], { env: { ...env, CC: 'thc-no-such-compiler' } }), 'cpu, CC=none');
  assert.is(r.stderr, 'note: no C compiler found (tried thc-no-such-compiler); running on the JS target\n');
  assert.is(r.stdout, interp.stdout);
  // The same note with --diagnostics json, as one JSON object.
  const j = ok(thc(['--diagnostics', 'json', 'run', LOGISTIC64, X, '--device', 'cpu'], { env: { ...env, CC: 'thc-no-such-compiler' } }), 'json');
  assert.equal(JSON.parse(j.stderr), { severity: 'note', message: 'no C compiler found (tried thc-no-such-compiler); running on the JS target' });
  // --verbose names the engine.
  const v = ok(thc(['run', LOGISTIC64, X, '--device', 'cpu', '--verbose'], { env: { ...env, CC: 'thc-no-such-compiler' } }), 'verbose');
  assert.match(v.stderr, /^note: --device cpu: running `logistic` on the CPU as the JS target \(in this process\); why: no C compiler$/m);
  // auto on an f64 program: the same single note.
  const a = ok(thc(['run', LOGISTIC64, X], { env: { ...env, CC: 'thc-no-such-compiler' } }), 'auto, CC=none');
  assert.is(a.stderr, r.stderr);
  assert.is(a.stdout, interp.stdout);
});

test('no C compiler on the PATH: --device cpu tries cc, gcc and clang, notes it, and runs on the JS target', () => {
  const r = ok(thc(['run', LOGISTIC64, X, '--device', 'cpu'], { env: { ...env, PATH: join(dir, 'empty-path'), CC: '' } }), 'cpu, empty PATH');
  assert.is(r.stderr, 'note: no C compiler found (tried cc, gcc, clang); running on the JS target\n');
  assert.is(r.stdout, thc(['run', LOGISTIC64, X, '--device', 'interp']).stdout);
});

test('no C compiler: samples/logreg.th trains 5 steps on the JS target with the interpreter\'s exact outputs and saved state', () => {
  const noCc = { ...env, CC: 'thc-no-such-compiler' };
  const a = join(dir, 'logreg-js.npz'), b = join(dir, 'logreg-interp.npz');
  const js = ok(thc(['run', 'samples/logreg.th', '--fn', 'train', '--steps', '5', '--format', 'json', '--device', 'cpu', '--save-state', a], { env: noCc }), 'js');
  const interp = ok(thc(['run', 'samples/logreg.th', '--fn', 'train', '--steps', '5', '--format', 'json', '--device', 'interp', '--save-state', b]), 'interp');
  assert.is(js.stderr, 'note: no C compiler found (tried thc-no-such-compiler); running on the JS target\n');
  assert.is(js.stdout, interp.stdout);
  const x = readNpz(readFileSync(a)), y = readNpz(readFileSync(b));
  assert.equal([...x.keys()].sort(), [...y.keys()].sort());
  for (const [name, v] of y) assert.ok(Buffer.from(x.get(name)!.data.buffer).equals(Buffer.from(v.data.buffer)), `state ${name}`);
});

test('no C compiler: a run-time error on the JS target is reported as the interpreter reports it (at the operation), exit 1; an f16 program runs on the interpreter with both reasons', () => {
  const noCc = { ...env, CC: 'thc-no-such-compiler' };
  const file = write('negpow-js.th', 'fn p(a: i32[n], b: i32[n]) = a ^ b\n');
  const args = ['run', file, 'a=[2, 2]', 'b=[3, -1]'];
  const interp = thc([...args, '--device', 'interp']);
  assert.is(interp.code, 1);
  assert.match(interp.stderr, /negpow-js\.th:1:/);
  const r = thc([...args, '--device', 'cpu'], { env: noCc });
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.is(r.stderr, `note: no C compiler found (tried thc-no-such-compiler); running on the JS target\n${interp.stderr}`);
  const half = write('half-js.th', 'fn half(x: f16[3]) = x * x + 1\n');
  const h = ok(thc(['run', half, 'x=[1, 2, 3]', '--device', 'cpu'], { env: noCc }), 'f16');
  assert.match(h.stderr, /^note: no C compiler found \(tried thc-no-such-compiler\), and the JS target cannot run this program \(.*half-js\.th:1:\d+: .*\[TH0540\]\); running on the reference interpreter\n$/);
  assert.is(h.stdout, ok(thc(['run', half, 'x=[1, 2, 3]', '--device', 'interp']), 'interp').stdout);
});

cTest('a program the C backend and the JS target refuse (an f16 parameter): --device cpu notes both reasons (file:line:col, TH0530, TH0540) and runs the interpreter; auto says nothing', () => {
  const file = write('half.th', 'fn half(x: f16[3]) = x * x + 1\n');
  const interp = ok(thc(['run', file, 'x=[1, 2, 3]', '--device', 'interp']), 'interp');
  const r = ok(thc(['run', file, 'x=[1, 2, 3]', '--device', 'cpu'], { env }), 'cpu');
  assert.match(r.stderr, /^note: the C backend cannot run this program \(.*half\.th:1:\d+: .*\[TH0530\]\), nor can the JS target \(.*half\.th:1:\d+: .*\[TH0540\]\); running on the reference interpreter\n$/);
  assert.is(r.stdout, interp.stdout);
  const a = ok(thc(['run', file, 'x=[1, 2, 3]'], { env }), 'auto');
  assert.is(a.stderr, '');
  assert.is(a.stdout, interp.stdout);
});

cTest('a run-time error on the C path (THC_E* stop) is reported as the interpreter reports it (at the operation), exit 1', () => {
  const file = write('negpow.th', 'fn p(a: i32[n], b: i32[n]) = a ^ b\n');
  const args = ['run', file, 'a=[2, 2]', 'b=[3, -1]'];
  const interp = thc([...args, '--device', 'interp']);
  assert.is(interp.code, 1);
  assert.match(interp.stderr, /^error\[TH06\d\d\]/);
  assert.match(interp.stderr, /negpow\.th:1:/);
  for (const device of ['cpu', 'auto']) {
    const r = thc([...args, '--device', device], { env: { ...env, ...NO_DRIVER } });
    assert.is(r.code, 1, device);
    assert.is(r.stdout, '');
    assert.is(r.stderr, interp.stderr, device);
  }
});

test('`_` dimensions that meet: a call whose sizes differ there runs on the interpreter (a note with --device cpu, silence with auto); equal sizes run compiled', () => {
  const file = write('bcast.th', 'fn f(a: f64[_], b: f64[_]) = a + b\n');
  const bad = ['run', file, 'a=[1, 2]', 'b=[1, 2, 3]'];
  const interp = thc([...bad, '--device', 'interp']);
  assert.is(interp.code, 1);
  assert.match(interp.stderr, /error\[TH0690\]: cannot broadcast shapes \[2\] and \[3\] at run time/);
  assert.is(thc([...bad], { env }).stderr, interp.stderr);
  const r = thc([...bad, '--device', 'cpu'], { env });
  assert.is(r.code, 1);
  const note = (a: number, b: number): string => `note: ${file}:1:30: sizes ${a} and ${b} meet here in this call, where the compiled kernels assume equal sizes (only the interpreter broadcasts \`_\` dimensions at run time); running on the reference interpreter\n`;
  assert.is(r.stderr, `${note(2, 3)}${interp.stderr}`);
  // Equal sizes: compiled, silently (--verbose names the engine).
  const good = ok(thc(['run', file, 'a=[1, 2]', 'b=[10, 20]', '--device', 'cpu', '--verbose'], { env }), 'cpu, good shapes');
  assert.is(good.stdout, 'array([11., 22.])\n');
  assert.match(good.stderr, /running `f` on the CPU as generated C/);
  // A size-1 `_` axis stretched, as numpy does: the compiled kernels cannot, the interpreter does.
  const one = write('stretch.th', 'fn g(a: f64[n], b: f64[_]) = a + b\n');
  const s1 = ok(thc(['run', one, 'a=[1, 2]', 'b=[5]', '--device', 'cpu'], { env }), 'cpu, size-1 stretch');
  assert.is(s1.stdout, 'array([6., 7.])\n');
  assert.is(s1.stderr, note(1, 2).replace(file, one));
});

test('--check and --nan-guard with auto run on the interpreter as before; --device interp runs it explicitly', () => {
  const r = ok(thc(['run', 'samples/accumulator.th', 'inc=1', '--steps', '3', '--check'], { env }), 'auto --check');
  assert.match(r.stderr, /^check passed: /);
  const v = ok(thc(['run', LOGISTIC64, X, '--device', 'interp', '--verbose'], { env }), 'interp verbose');
  assert.is(v.stderr, 'note: --device interp: running `logistic` on the reference interpreter\n');
});

/** LANGUAGE.md "Example: Theano's logistic regression", verbatim. */
function seedExample(): string {
  const md = readFileSync('/work/shared/LANGUAGE.md', 'utf8');
  const at = md.indexOf("## Example: Theano's logistic regression");
  const m = /```\n([\s\S]*?)```/.exec(md.slice(at));
  return m![1]!;
}

const SEED_FALLBACK = `use nn
shared w: f64[784] = normal(0, 1, seed=1)
shared b: f64 = 0

fn train(x: f64[n, 784], y: f64[n], lr: f64 = 0.1) {
  let p1 = sigmoid(x @ w + b)
  let xent = -y * log(p1) - (1 - y) * log(1 - p1)
  let cost = mean(xent) + 0.01 * sum(w ^ 2)
  let (gw, gb) = grad(cost, (w, b))
  w <- w - lr * gw
  b <- b - lr * gb
  let prediction = p1 > 0.5
  return (prediction, cost)
}

fn predict(x: f64[n, 784]) = sigmoid(x @ w + b) > 0.5
`;

/** Saved states agree within `rel` relative, element by element. */
function sameState(a: string, b: string, rel: number): void {
  const x = readNpz(readFileSync(a)), y = readNpz(readFileSync(b));
  assert.equal([...x.keys()], [...y.keys()]);
  for (const [k, v] of y) {
    const u = x.get(k)!;
    assert.equal(u.shape, v.shape, k);
    for (let i = 0; i < v.data.length; i++) {
      const p = Number(u.data[i]), q = Number(v.data[i]);
      assert.ok(Math.abs(p - q) <= rel * Math.abs(q) + 1e-300, `${k}[${i}]: ${p} vs ${q}`);
    }
  }
}

cTest('the seed example (LANGUAGE.md, f64): --device cpu trains and predicts with the interpreter\'s numbers (1e-12 relative)', () => {
  let src: string;
  try { src = seedExample(); } catch { src = SEED_FALLBACK; }
  const file = write('seed.th', src);
  python(`rng = np.random.default_rng(5)
np.save('x.npy', rng.normal(size=(6, 784)))
np.save('y.npy', (rng.random(6) > 0.5).astype(np.float64))`, dir);
  const train = ['run', file, '--fn', 'train', `x=@${join(dir, 'x.npy')}`, `y=@${join(dir, 'y.npy')}`, '--steps', '4', '--format', 'json'];
  const c = ok(thc([...train, '--device', 'cpu', '--verbose', '--save-state', join(dir, 'seed-c.npz')], { env }), 'cpu');
  const i = ok(thc([...train, '--device', 'interp', '--save-state', join(dir, 'seed-i.npz')]), 'interp');
  // The entries compile to C: the note names it (the `normal` initialiser runs in thc).
  assert.match(c.stderr, /running `train` on the CPU as generated C/);
  const co = JSON.parse(c.stdout).outputs, io = JSON.parse(i.stdout).outputs;
  assert.equal(co.prediction, io.prediction);
  assert.ok(Math.abs(co.cost.data - io.cost.data) <= 1e-12 * Math.abs(io.cost.data), `${co.cost.data} vs ${io.cost.data}`);
  sameState(join(dir, 'seed-c.npz'), join(dir, 'seed-i.npz'), 1e-12);
  const predict = (device: string, state: string): string => ok(thc(['run', file, '--fn', 'predict', `x=@${join(dir, 'x.npy')}`, '--device', device, '--load-state', join(dir, state)], { env }), `predict ${device}`).stdout;
  assert.is(predict('cpu', 'seed-c.npz'), predict('interp', 'seed-i.npz'));
});

cTest('samples/logreg.th: --device cpu --steps 5 gives the interpreter\'s outputs and state (1e-12 relative)', () => {
  const train = ['run', 'samples/logreg.th', '--fn', 'train', '--steps', '5', '--format', 'json'];
  const c = ok(thc([...train, '--device', 'cpu', '--save-state', join(dir, 'lr-c.npz')], { env }), 'cpu');
  const i = ok(thc([...train, '--device', 'interp', '--save-state', join(dir, 'lr-i.npz')]), 'interp');
  assert.is(c.stderr, '');
  closeNumbers(c.stdout, i.stdout, 1e-12);
  sameState(join(dir, 'lr-c.npz'), join(dir, 'lr-i.npz'), 1e-12);
});

/** Runs thc without waiting, so two can start together. */
function thcAsync(args: readonly string[], extra: Record<string, string>): Promise<ThcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [repoPath('bin', 'thc.js'), ...args], {
      cwd: repoPath(), env: { ...process.env, NO_COLOR: '1', ...extra }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', d => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

cTest('two concurrent `thc run --device cpu` on a cold cache both succeed and leave one executable', async () => {
  const cold = join(dir, 'cold');
  const args = ['run', 'samples/logreg.th', '--fn', 'train', '--steps', '2', '--device', 'cpu'];
  const [a, b] = await Promise.all([thcAsync(args, { THC_CACHE_DIR: cold }), thcAsync(args, { THC_CACHE_DIR: cold })]);
  ok(a, 'first'); ok(b, 'second');
  assert.is(a.stderr, '');
  assert.is(b.stderr, '');
  assert.is(a.stdout, b.stdout);
  assert.is(a.stdout, thc([...args.slice(0, -2), '--device', 'interp']).stdout);
  const files = readdirSync(cold);
  assert.is(files.length, 1, files.join(', '));
  assert.match(files[0]!, /^thc-[0-9a-f]+$/);
});

/**
 * `thc run ARGS` with stderr on a pseudo-terminal (python3's pty) and stdout on a pipe: what each
 * received. Python does the terminal part because Node has no pty of its own.
 */
function thcOnTty(args: readonly string[], extra: Record<string, string> = {}): { code: number; stdout: string; tty: string } {
  const script = `import json, os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(json.loads(sys.argv[1]), stdout=subprocess.PIPE, stderr=slave, env=json.loads(sys.argv[2]))
os.close(slave)
out = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
stdout = p.stdout.read()
code = p.wait()
print(json.dumps({'code': code, 'stdout': stdout.decode(), 'tty': out.decode()}))`;
  const envJson = JSON.stringify({ ...process.env, NO_COLOR: '1', TERM: 'xterm', ...extra });
  const r = spawnSync('python3', ['-c', script, JSON.stringify([process.execPath, repoPath('bin', 'thc.js'), ...args]), envJson], { cwd: repoPath(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { code: number; stdout: string; tty: string };
}

test('--steps on a terminal: a progress bar redrawn with \\r and erased at the end; stdout untouched; TERM=dumb and --no-progress turn it off', () => {
  // Enough interpreter steps to pass the 100 ms before the first draw on a busy machine.
  const args = ['run', 'samples/accumulator.th', 'inc=1', '--steps', '30000', '--device', 'interp'];
  const r = thcOnTty(args);
  assert.is(r.code, 0, r.tty);
  assert.is(r.stdout, 'array(29999, dtype=int32)\n');
  assert.match(r.tty, /^\rinterp step \d+\/30000 \[[#.]+\] \d+\.\ds, [\d.]+ steps\/s, [\dhms.]+ left/);
  assert.match(r.tty, /\r +\r$/, 'erased at the end');
  assert.is(thcOnTty([...args, '--no-progress']).tty, '');
  assert.is(thcOnTty(args, { TERM: 'dumb' }).tty, '');
});

test('--steps on a pipe: no progress bar, stderr stays empty', () => {
  const r = ok(thc(['run', 'samples/accumulator.th', 'inc=1', '--steps', '50', '--device', 'interp']), 'steps');
  assert.is(r.stderr, '');
});

test.run();
