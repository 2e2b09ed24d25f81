/**
 * @file bin/thc.js runs the one-file bundle dist/thc.cjs (with a V8 code cache) when it is current:
 * the bundle must behave exactly like the modules under dist/src it was made from, including the
 * parts that find files relative to the package (stdlib, package.json, samples).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { thc } from './helpers/cli.js';
import { repoPath } from './helpers/paths.js';

/** The same command through the unbundled modules. */
function unbundled(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const script = `import { main } from ${JSON.stringify(repoPath('dist', 'src', 'cli', 'main.js'))}; process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('npm run build leaves a current bundle and its code cache', () => {
  const bundle = repoPath('dist', 'thc.cjs');
  assert.ok(existsSync(bundle), 'dist/thc.cjs is missing: run npm run build');
  assert.ok(statSync(bundle).mtimeMs >= statSync(repoPath('dist', 'src', 'cli', 'main.js')).mtimeMs, 'the bundle is older than dist/src');
  assert.ok(existsSync(`${bundle}.cache`), 'the code cache was not written');
});

const COMMANDS: readonly (readonly string[])[] = [
  ['run', 'samples/logistic.th', 'x=[[0,1],[-1,-2]]'],
  ['check', 'samples/logistic.th'],
  ['graph', 'samples/logistic.th'],
  ['check', 'tests/fixtures/does-not-exist.th'],
  ['--version'],
];

for (const args of COMMANDS) {
  test(`bundled and unbundled CLI agree: thc ${args.join(' ')}`, () => {
    const a = thc(args), b = unbundled(args);
    assert.is(a.code, b.code);
    assert.is(a.stdout, b.stdout);
    assert.is(a.stderr, b.stderr);
  });
}

test.run();
