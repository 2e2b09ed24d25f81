/**
 * @file Runs the real `thc` executable (node bin/thc.js) in a child process, for CLI tests.
 * Returns the exit status and both streams; colours are off and the test hooks are unset unless
 * a test passes them in `env`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from './paths.js';

export interface ThcResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ThcOptions {
  readonly stdin?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

const BIN = repoPath('bin', 'thc.js');

export function thc(args: readonly string[], opts: ThcOptions = {}): ThcResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env['THC_TEST_INTERNAL_ERROR'];
  delete env['THC_TEST_SAVE_FAIL'];
  delete env['THC_DEBUG'];
  Object.assign(env, opts.env);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? repoPath(),
    input: opts.stdin ?? '',
    encoding: 'utf8',
    env,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const made: string[] = [];

/** A fresh temporary folder under tests/.tmp/ (ignored by git), for fixtures made at test time. */
export function tempDir(prefix: string): string {
  const base = repoPath('tests', '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes the folders tempDir made (call from a suite's `after` hook). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Runs python3 with numpy; returns stdout. Throws when python fails (the fixture could not be made). */
export function python(code: string, cwd?: string): string {
  const r = spawnSync('python3', ['-c', `import numpy as np\n${code}`], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}

/** No JS stack trace or raw exception text may reach the user. */
export function hasStackTrace(stderr: string): boolean {
  return /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m.test(stderr) || /\b(Type|Range|Reference|Syntax)?Error:/.test(stderr);
}
