/**
 * @file Bad run-time inputs to `thc`: each case is one distinct kind of mistake (a value, a file,
 * an option, a state file) and must give exit status 1 (a diagnostic) or 2 (a usage error), a
 * message naming the argument or file, nothing on stdout, and never a JS stack trace.
 * Fixtures (.npy/.npz/.json) are written by python3 + numpy into tests/.tmp at test time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, python, removeTempDirs, tempDir, thc } from './helpers/cli.js';

const dir = tempDir('bad');
const at = (name: string): string => join(dir, name);
const write = (name: string, text: string): string => { writeFileSync(at(name), text); return at(name); };

const P = write('p.th', 'fn f(x: f64[n, 3], y: f64[n]) = sum(x, axis=1) + y\n');
const INTS = write('ints.th', 'fn g(i: i32, u: u32, a: f32) = cast(i, f64) + cast(u, f64) + cast(a, f64)\n');
const TWO = write('two.th', 'fn train(x: f64) = x + 1\nfn predict(x: f64) = x * 2\n');
const STATE = write('state.th', 'shared w: f64[3] = 0\nshared c: i32 = 0\nfn step(x: f64[3]) {\n  w <- w + x\n  c <- c + 1\n  return w\n}\n');
const LOADINIT = write('loadinit.th', 'shared m: f64[2] = load("no_such_init.npy")\nfn h(x: f64) = x + sum(m)\n');
mkdirSync(at('a_directory.th'));

python(`
np.save('f64.npy', np.zeros(())); np.save('i64.npy', np.zeros((2, 3), dtype=np.int64))
np.save('fortran.npy', np.asfortranarray(np.arange(6.).reshape(2, 3)))
np.save('big.npy', np.zeros((2, 3), dtype='>f8'))
full = open('fortran.npy', 'rb').read()
np.save('ok.npy', np.zeros((2, 3)))
ok = open('ok.npy', 'rb').read()
open('trunc.npy', 'wb').write(ok[:-7])
open('corrupt.npy', 'wb').write(b'\\x93NUMPY garbage that is not a header')
open('ragged.json', 'w').write('[[1, 2, 3], [4, 5]]')
open('notjson.json', 'w').write('{not json')
open('x.csv', 'w').write('1,2,3')
np.savez('st_missing.npz', w=np.zeros(3))
np.savez('st_extra.npz', w=np.zeros(3), c=np.int32(0), velocity=np.zeros(3))
np.savez('st_dtype.npz', w=np.zeros(3), c=np.float64(0))
np.savez('st_shape.npz', w=np.zeros((784,)), c=np.int32(0))
open('st_corrupt.npz', 'wb').write(b'PK\\x03\\x04 this is not a zip')
`, dir);

interface Case {
  readonly what: string;
  readonly args: readonly string[];
  readonly code: 1 | 2;
  /** Every string must appear in stderr (the argument, the file, the wrong value...). */
  readonly names: readonly string[];
}

const xy = ['x=[[1, 2, 3]]', 'y=[1]'];
const run = (file: string, ...rest: string[]) => ['run', '--device', 'interp', file, ...rest];

const CASES: Case[] = [
  { what: 'wrong rank', args: run(P, 'x=[1, 2, 3]', 'y=[1]'), code: 1, names: ['`x`', 'f64[n, 3]'] },
  { what: 'wrong constant dimension', args: run(P, 'x=[[1, 2]]', 'y=[1]'), code: 1, names: ['`x`', 'axis 1 must be 3, not 2'] },
  { what: 'mismatched symbolic dimensions', args: run(P, 'x=[[1, 2, 3]]', 'y=[1, 2]'), code: 1, names: ['dimension `n` is 1 from `x` but 2 from `y`'] },
  { what: 'wrong dtype in .npy (f64 for f32)', args: run(INTS, 'i=1', 'u=1', `a=@${at('f64.npy')}`), code: 1, names: ['`a`', 'f64.npy', 'f32'] },
  { what: 'unsupported dtype in .npy (int64)', args: run(P, `x=@${at('i64.npy')}`, 'y=[1, 2]'), code: 1, names: ['`x`', 'i64.npy'] },
  { what: 'ragged JSON', args: run(P, 'x=[[1, 2, 3], [4]]', 'y=[1, 2]'), code: 1, names: ['`x`'] },
  { what: 'malformed JSON', args: run(P, 'x=[[1, 2, 3]', 'y=[1]'), code: 1, names: ['`x`'] },
  { what: 'JSON object', args: run(P, 'x={"a": 1}', 'y=[1]'), code: 1, names: ['`x`', 'object'] },
  { what: 'JSON string', args: run(P, 'x="hello"', 'y=[1]'), code: 1, names: ['`x`', 'hello'] },
  { what: 'JSON null', args: run(P, 'x=null', 'y=[1]'), code: 1, names: ['`x`', 'null'] },
  { what: 'bare NaN (not JSON) for an i32', args: run(INTS, 'i=NaN', 'u=1', 'a=1'), code: 1, names: ['`i`'] },
  { what: '"NaN" for an i32', args: run(INTS, 'i="NaN"', 'u=1', 'a=1'), code: 1, names: ['`i`'] },
  { what: 'fractional value for an i32', args: run(INTS, 'i=1.5', 'u=1', 'a=1'), code: 1, names: ['`i`', '1.5'] },
  { what: 'out-of-range i32', args: run(INTS, 'i=3000000000', 'u=1', 'a=1'), code: 1, names: ['`i`'] },
  { what: 'negative u32', args: run(INTS, 'i=1', 'u=-1', 'a=1'), code: 1, names: ['`u`'] },
  { what: 'out-of-range u32', args: run(INTS, 'i=1', 'u=4294967296', 'a=1'), code: 1, names: ['`u`'] },
  { what: 'boolean for an f32', args: run(INTS, 'i=1', 'u=1', 'a=true'), code: 1, names: ['`a`', 'booleans'] },
  { what: 'missing argument', args: run(P, 'x=[[1, 2, 3]]'), code: 1, names: ['missing argument `y`'] },
  { what: 'unknown argument, with a suggestion', args: run(P, ...xy, 'yy=1'), code: 1, names: ['`yy`', 'similar name exists: `y`'] },
  { what: 'duplicate argument', args: run(P, ...xy, 'y=[2]'), code: 1, names: ['`y`', 'more than once'] },
  { what: 'NAME without =', args: run(P, 'x'), code: 2, names: ["'x'", 'NAME=VALUE'] },
  { what: 'empty name', args: run(P, '=3'), code: 2, names: ["'=3'", 'empty name'] },
  { what: 'empty value', args: run(P, 'x='), code: 2, names: ["'x='", 'empty value'] },
  { what: 'empty file name after @', args: run(P, 'x=@'), code: 2, names: ["'x=@'"] },
  { what: 'unknown --fn, with a suggestion', args: run(TWO, '--fn', 'trian', 'x=1'), code: 1, names: ['`trian`', 'similar name exists: `train`'] },
  { what: 'ambiguous missing --fn', args: run(TWO, 'x=1'), code: 1, names: ['train, predict', '--fn'] },
  { what: 'missing @file', args: run(P, `x=@${at('nope.npy')}`, 'y=[1]'), code: 1, names: ['`x`', 'nope.npy', 'no such file'] },
  { what: '@file is a directory', args: run(P, `x=@${at('a_directory.th')}`, 'y=[1]'), code: 1, names: ['`x`', 'a_directory.th'] },
  { what: 'corrupt .npy', args: run(P, `x=@${at('corrupt.npy')}`, 'y=[1]'), code: 1, names: ['`x`', 'corrupt.npy'] },
  { what: 'truncated .npy', args: run(P, `x=@${at('trunc.npy')}`, 'y=[1, 2]'), code: 1, names: ['`x`', 'trunc.npy'] },
  { what: 'Fortran-order .npy', args: run(P, `x=@${at('fortran.npy')}`, 'y=[1, 2]'), code: 1, names: ['`x`', 'fortran.npy'] },
  { what: 'big-endian .npy', args: run(P, `x=@${at('big.npy')}`, 'y=[1, 2]'), code: 1, names: ['`x`', 'big.npy'] },
  { what: '.json file with ragged content', args: run(P, `x=@${at('ragged.json')}`, 'y=[1, 2]'), code: 1, names: ['`x`', 'ragged.json'] },
  { what: '.json file that is not JSON', args: run(P, `x=@${at('notjson.json')}`, 'y=[1]'), code: 1, names: ['`x`', 'notjson.json'] },
  { what: 'unsupported @file extension', args: run(P, `x=@${at('x.csv')}`, 'y=[1]'), code: 1, names: ['`x`', 'x.csv', '.csv'] },
  { what: '--steps 0', args: run(P, ...xy, '--steps', '0'), code: 2, names: ['--steps', "'0'"] },
  { what: '--steps -1', args: run(P, ...xy, '--steps', '-1'), code: 2, names: ['--steps'] },
  { what: '--steps abc', args: run(P, ...xy, '--steps', 'abc'), code: 2, names: ['--steps', "'abc'"] },
  { what: '--steps 2.5', args: run(P, ...xy, '--steps', '2.5'), code: 2, names: ['--steps', "'2.5'"] },
  { what: 'missing --load-state file', args: run(STATE, 'x=[1, 2, 3]', '--load-state', at('nope.npz')), code: 1, names: ['nope.npz', 'no such file'] },
  { what: 'corrupt --load-state file', args: run(STATE, 'x=[1, 2, 3]', '--load-state', at('st_corrupt.npz')), code: 1, names: ['st_corrupt.npz'] },
  { what: 'state file with a missing entry', args: run(STATE, 'x=[1, 2, 3]', '--load-state', at('st_missing.npz')), code: 1, names: ['st_missing.npz', '`c`'] },
  { what: 'state file with an extra entry', args: run(STATE, 'x=[1, 2, 3]', '--load-state', at('st_extra.npz')), code: 1, names: ['st_extra.npz', '`velocity`'] },
  { what: 'state file entry with a wrong dtype', args: run(STATE, 'x=[1, 2, 3]', '--load-state', at('st_dtype.npz')), code: 1, names: ['st_dtype.npz', '`c`', 'f64', 'i32'] },
  { what: 'state file of another program (wrong shape)', args: run(STATE, 'x=[1, 2, 3]', '--load-state', at('st_shape.npz')), code: 1, names: ['st_shape.npz', '`w`', 'f64[784]', 'f64[3]'] },
  { what: '--save-state into a missing folder', args: run(STATE, 'x=[1, 2, 3]', '--save-state', at('no/such/dir/s.npz')), code: 1, names: ['s.npz'] },
  { what: 'shared load() of a missing file', args: run(LOADINIT, 'x=1'), code: 1, names: ['`m`', 'no_such_init.npy'] },
  { what: 'unknown --device', args: run(P, ...xy, '--device', 'tpu'), code: 2, names: ["'tpu'", '--device'] },
  { what: 'unknown --format', args: run(P, ...xy, '--format', 'yaml'), code: 2, names: ["'yaml'", '--format'] },
  { what: 'unknown --diagnostics format', args: ['--diagnostics', 'xml', ...run(P, ...xy)], code: 2, names: ["'xml'"] },
  { what: 'unknown option', args: run(P, ...xy, '--frobnicate'), code: 2, names: ['--frobnicate'] },
  { what: 'unknown command', args: ['execute', P], code: 2, names: ["'execute'"] },
  { what: 'nonexistent FILE', args: run(at('missing.th'), 'x=1'), code: 1, names: ['missing.th', 'no such file'] },
  { what: 'a directory as FILE', args: run(at('a_directory.th'), 'x=1'), code: 1, names: ['a_directory.th', 'directory'] },
  { what: 'a binary file as FILE', args: ['check', at('ok.npy')], code: 1, names: ['ok.npy'] },
  { what: 'a program that does not type-check', args: run(write('bad.th', 'fn f(x: f32[n, 784], y: f32[10]) = x + y\n'), 'x=1', 'y=1'), code: 1, names: ['bad.th'] },
];

test(`at least 30 distinct kinds of bad input (${CASES.length})`, () => {
  assert.ok(CASES.length >= 30);
  assert.is(new Set(CASES.map(c => c.what)).size, CASES.length);
});

for (const c of CASES) {
  test(c.what, () => {
    const r = thc(c.args);
    const show = `thc ${c.args.join(' ')}\n--- exit ${r.code}, stderr:\n${r.stderr}`;
    assert.is(r.code, c.code, show);
    assert.is(r.stdout, '', show);
    assert.ok(r.stderr.length > 0, show);
    for (const n of c.names) assert.ok(r.stderr.includes(n), `expected ${JSON.stringify(n)} in stderr\n${show}`);
    assert.not.ok(hasStackTrace(r.stderr), `stack trace\n${show}`);
    if (c.code === 2) assert.is(r.stderr.trim().split('\n').length, 1, `usage errors are one line\n${show}`);
  });
}

test('every diagnostic kind also works with --diagnostics json (one parseable object per line)', () => {
  for (const c of CASES.filter(x => x.code === 1)) {
    const r = thc(['--diagnostics', 'json', ...c.args]);
    assert.is(r.code, 1, c.what);
    for (const line of r.stderr.trim().split('\n')) {
      const d = JSON.parse(line) as { code: string };
      assert.match(d.code, /^TH\d{4}$/, c.what);
    }
  }
});

test('each kind of failure has its own code (checked through --diagnostics json)', () => {
  const noEntry = write('noentry.th', 'fn g(x) = x + 1\n');
  const anon = write('anon.th', 'fn f(a: f64[_, _], b: f64[_, _]) = a @ b\nfn r(a: f64[_]) = reshape(a, [2, 3])\n');
  python(`
import zipfile, io
buf = io.BytesIO(); np.save(buf, np.zeros(3))
with zipfile.ZipFile('dup.npz', 'w') as z:
    z.writestr('w.npy', buf.getvalue())
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        z.writestr('w.npy', buf.getvalue())
`, dir);
  const expect: [string, readonly string[]][] = [
    ['TH0650', ['check', at('no_such_program.th')]],
    ['TH0651', ['run', '--device', 'interp', noEntry]],
    ['TH0652', ['run', '--device', 'interp', TWO, 'x=1']],
    ['TH0653', ['run', '--device', 'interp', TWO, '--fn', 'trian', 'x=1']],
    ['TH0659', run(P, `x=@${at('missing.npy')}`, 'y=[1]')],
    ['TH0660', run(P, `x=@${at('x.csv')}`, 'y=[1]')],
    ['TH0667', run(P, `x=@${at('notjson.json')}`, 'y=[1]')],
    ['TH0696', ['run', '--device', 'interp', anon, '--fn', 'f', 'a=[[1, 2, 3]]', 'b=[[1, 2]]']],
    ['TH0697', ['run', '--device', 'interp', anon, '--fn', 'r', 'a=[1, 2, 3, 4]']],
  ];
  // A broken state file is TH0672, carrying the file-level reason (here TH0623's duplicate entry).
  const dup = thc(['--diagnostics', 'json', 'run', '--device', 'interp', STATE, 'x=[1, 2, 3]', '--load-state', at('dup.npz')]);
  assert.match(dup.stderr, /"code":"TH0672".*holds `w\.npy` more than once/);
  for (const [code, args] of expect) {
    const r = thc(['--diagnostics', 'json', ...args]);
    const codes = r.stderr.trim().split('\n').filter(l => l.startsWith('{')).map(l => (JSON.parse(l) as { code: string }).code);
    assert.ok(codes.includes(code), `${code} expected from thc ${args.join(' ')}; got ${codes.join(', ')} (exit ${r.code})\n${r.stderr}`);
    assert.is(r.code, 1, `${code}: exit status`);
    assert.not.ok(hasStackTrace(r.stderr), `${code}: stack trace`);
  }
});

test.after(removeTempDirs);

test.run();
