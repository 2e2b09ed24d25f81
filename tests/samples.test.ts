/**
 * @file Every sample in samples/ run through the real CLI (`node bin/thc.js run ... --format json`)
 * and compared with values computed independently (numpy in a python3 child process, or by hand).
 * A sample without an entry in CASES fails the suite, and so does an entry without a sample.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, mkdtempSync, rmSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync, execFileSync } from 'node:child_process';
import { repoPath, ROOT } from './helpers/paths.js';

interface Out { dtype: string; shape: number[]; data: unknown }
interface Case { args: string[]; outputs: Record<string, Out> }

/** numpy's answer for an expression over named JSON inputs, as `{dtype, shape, data}`. */
function numpy(expr: string, inputs: Record<string, [unknown, string]>): Out {
  const code = [
    'import json, sys, numpy as np',
    'inp = json.loads(sys.argv[1])',
    ...Object.keys(inputs).map(k => `${k} = np.array(inp[${JSON.stringify(k)}][0], dtype=inp[${JSON.stringify(k)}][1])`),
    `r = np.asarray(${expr})`,
    "names = {'float64': 'f64', 'float32': 'f32', 'int32': 'i32', 'bool': 'bool'}",
    "print(json.dumps({'dtype': names[str(r.dtype)], 'shape': list(r.shape), 'data': r.tolist()}))",
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', code, JSON.stringify(inputs)], { encoding: 'utf8' })) as Out;
}

/** A numpy reference of tests/fixtures/training/ (made by make_reference.py there). */
const training = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(repoPath('tests', 'fixtures', 'training', name), 'utf8')) as Record<string, unknown>;
const f64 = (data: unknown): Out => ({ dtype: 'f64', shape: [], data });


const x2 = [[0, 1], [-1, -2]];
const a = [[1, 1], [1, 1]], b = [[0, 1], [2, 3]];

/** One or more runs per sample. Hand-computed values say so. */
const CASES: Record<string, () => Case[]> = {
  'logistic.th': () => [{
    args: [`x=${JSON.stringify(x2)}`],
    outputs: { out0: numpy('1 / (1 + np.exp(-x))', { x: [x2, 'float64'] }) },
  }],
  'add.th': () => [{
    args: ['x=[[1, 2], [3, 4]]', 'y=[[10, 20], [30, 40]]'],
    outputs: { out0: { dtype: 'f64', shape: [2, 2], data: [[11, 22], [33, 44]] } }, // by hand
  }],
  'simplify.th': () => [{
    args: ['x=[1, 2, 3]'],
    outputs: { out0: { dtype: 'f32', shape: [3], data: [0, 0, 0] } }, // x^2 - x^2, by hand
  }],
  'multi_output.th': () => {
    const inputs: Record<string, [unknown, string]> = { a: [a, 'float64'], b: [b, 'float64'] };
    return [{
      args: [`a=${JSON.stringify(a)}`, `b=${JSON.stringify(b)}`],
      outputs: {
        diff: numpy('a - b', inputs),
        abs_diff: numpy('np.abs(a - b)', inputs),
        diff_squared: numpy('(a - b) ** 2', inputs),
      },
    }];
  },
  'defaults.th': () => [
    // Theano tutorial: f(33) = (33 + 1) * 2 = 68, f(33, 2) = 70, f(33, 0, 1) = 33, f(33, w=1, y=0) = 33.
    { args: ['x=33'], outputs: { out0: { dtype: 'f64', shape: [], data: 68 } } },
    { args: ['x=33', 'y=2'], outputs: { out0: { dtype: 'f64', shape: [], data: 70 } } },
    { args: ['x=33', 'y=0', 'w=1'], outputs: { out0: { dtype: 'f64', shape: [], data: 33 } } },
    { args: ['x=33', 'w=4'], outputs: { out0: { dtype: 'f64', shape: [], data: 136 } } },
  ],
  'accumulator.th': () => [
    // The output is the state from before the call: 0, then 1, 2 after --steps 3 with inc=1 (by hand).
    { args: ['inc=1'], outputs: { state: { dtype: 'i32', shape: [], data: 0 } } },
    { args: ['inc=1', '--steps', '3'], outputs: { state: { dtype: 'i32', shape: [], data: 2 } } },
    { args: ['inc=10', '--steps', '4'], outputs: { state: { dtype: 'i32', shape: [], data: 30 } } },
  ],
  'logreg.th': () => {
    const r = training('logreg.json'); // the first call: outputs before any update
    return [{ args: ['--fn', 'train'], outputs: { cost: f64(r['cost_first']), accuracy: f64(r['accuracy_first']) } }];
  },
  'mlp.th': () => [{ args: ['--fn', 'train'], outputs: { loss: f64((training('mlp.json')['losses'] as number[])[0]) } }],
};

function thc(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [repoPath('bin', 'thc.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function closeTo(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
    expected.forEach((e, i) => closeTo((actual as unknown[])[i], e, `${where}[${i}]`));
  } else if (typeof expected === 'number' && typeof actual === 'number') {
    assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${where}: ${actual} vs ${expected}`);
  } else {
    assert.equal(actual, expected, where);
  }
}

const samples = readdirSync(repoPath('samples')).filter(f => f.endsWith('.th')).sort();

test('every sample has an entry in the table, and every entry a sample', () => {
  assert.equal(samples, Object.keys(CASES).sort());
});

for (const file of samples) {
  test(`sample ${file}`, () => {
    const cases = CASES[file];
    assert.ok(cases, `samples/${file} has no entry in tests/samples.test.ts CASES: add its expected outputs`);
    for (const c of cases!()) {
      const r = thc(['run', '--device', 'interp', `samples/${file}`, ...c.args, '--format', 'json']);
      assert.is(r.status, 0, `thc run samples/${file} ${c.args.join(' ')}: ${r.stderr}`);
      const got = JSON.parse(r.stdout) as { outputs: Record<string, Out> };
      assert.equal(Object.keys(got.outputs), Object.keys(c.outputs), `${file}: output names`);
      for (const [name, want] of Object.entries(c.outputs)) {
        const o = got.outputs[name]!;
        assert.is(o.dtype, want.dtype, `${file} ${name} dtype`);
        assert.equal(o.shape, want.shape, `${file} ${name} shape`);
        closeTo(o.data, want.data, `${file} ${name}`);
      }
    }
  });
}

test('logistic.th prints exactly what LANGUAGE.md shows (on the interpreter, and with the default device: the README command)', () => {
  const i = thc(['run', '--device', 'interp', 'samples/logistic.th', 'x=[[0, 1], [-1, -2]]']);
  assert.is(i.status, 0, i.stderr);
  assert.fixture(i.stdout, 'array([[0.5       , 0.73105858],\n       [0.26894142, 0.11920292]])\n');
  const r = thc(['run', 'samples/logistic.th', 'x=[[0, 1], [-1, -2]]']);
  assert.is(r.status, 0, r.stderr);
  assert.fixture(r.stdout, 'array([[0.5       , 0.73105858],\n       [0.26894142, 0.11920292]])\n');
});

test('accumulator.th state survives --save-state / --load-state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thc-acc-'));
  try {
    const npz = join(dir, 'state.npz');
    const first = thc(['run', '--device', 'interp', 'samples/accumulator.th', 'inc=300', '--steps', '2', '--save-state', npz, '--format', 'json']);
    assert.is(first.status, 0, first.stderr);
    // numpy reads what we wrote: 2 calls of +300 leave 600 in an int32 scalar named `state`.
    const saved = execFileSync('python3', ['-c', 'import sys, numpy as np; z = np.load(sys.argv[1]); print(z["state"].dtype, z["state"].shape, int(z["state"]))', npz], { encoding: 'utf8' });
    assert.is(saved.trim(), 'int32 () 600');
    const second = thc(['run', '--device', 'interp', 'samples/accumulator.th', 'inc=1', '--load-state', npz, '--format', 'json']);
    assert.is(second.status, 0, second.stderr);
    assert.equal(JSON.parse(second.stdout).outputs.state, { dtype: 'i32', shape: [], data: 600 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Splits a documented command line the way a POSIX shell would (plain words and '...' quoting). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /(?:'([^']*)'|([^\s']+))+/g;
  for (const m of line.matchAll(re)) words.push(m[0].replace(/'([^']*)'/g, '$1'));
  return words;
}

/** `$ thc run|graph samples/...` lines in fenced blocks, with the output lines that follow them. */
function documentedRuns(markdown: string): { cmd: string; expected: string }[] {
  const out: { cmd: string; expected: string }[] = [];
  const ls = markdown.split('\n');
  for (let i = 0; i < ls.length; i++) {
    const m = /^\$ thc ((?:run|graph) samples\/.*)$/.exec(ls[i]!);
    if (!m) continue;
    const expected: string[] = [];
    for (let j = i + 1; j < ls.length && !ls[j]!.startsWith('$ ') && !ls[j]!.startsWith('```'); j++) expected.push(ls[j]!);
    out.push({ cmd: m[1]!, expected: expected.join('\n') });
  }
  return out;
}

test('the commands shown in README.md, samples/README.md and docs/cli.md print what they show', () => {
  // Run in a scratch folder (commands may write state files) that sees the samples.
  const dir = mkdtempSync(join(tmpdir(), 'thc-doc-'));
  try {
    symlinkSync(repoPath('samples'), join(dir, 'samples'));
    let checked = 0;
    for (const doc of ['README.md', 'samples/README.md', 'docs/cli.md']) {
      for (const { cmd, expected } of documentedRuns(readFileSync(repoPath(doc), 'utf8'))) {
        if (expected.includes('...')) continue; // abbreviated in the text
        const r = thc(shellWords(cmd), dir);
        assert.is(r.status, 0, `${doc}: thc ${cmd}: ${r.stderr}`);
        assert.fixture(r.stdout, `${expected}\n`, `${doc}: thc ${cmd}`);
        checked++;
      }
    }
    assert.ok(checked >= 12, `only ${checked} documented commands found`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
