/**
 * @file Runs generated C: `runWithC(result, call, steps)` prints the program (module.ts), compiles
 * it once with the system compiler (`$CC`, else the first of cc, gcc, clang that runs) at
 * `-std=c99 -O3 -ffp-contract=off` and the vector math flags (`-fno-trapping-math -DTHC_VECTOR_MATH
 * -march=native`; with `-fopenmp` under THC_C_OPENMP=1) with the harness (`-DTHC_MAIN`), caches the executable by a hash of compiler, flags
 * and text in a per-user cache folder (`$THC_CACHE_DIR`, else `$XDG_CACHE_HOME/thc/c`, else
 * `~/.cache/thc/c`), and runs it as a child process on raw files in a fresh temporary folder. A
 * build writes to a unique temporary name and renames it into place, so concurrent builds of the
 * same program never see a half-written binary (the last rename wins; both are identical).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CompileResult } from '../../pipeline.js';
import type { DiagnosticSink } from '../../diag/sink.js';
import { allocData, viewData, type NDArray } from '../../runtime/ndarray.js';
import { cProgram } from './module.js';
import { cWidth } from './types.js';
import { C_ERRORS } from './prelude.js';

const run = promisify(execFile);

/**
 * Flags of every build: warnings are errors, so generated code that warns fails the tests too.
 * `-ffp-contract=off`: no fused multiply-adds, whose single rounding would make the numbers
 * differ from the interpreter's (gcc leaves contraction off under -std=c99 anyway; clang does not).
 * -O3: it vectorizes the blocked matmul's inner loop (512^3 f64: 168 ms against 304 ms at -O2);
 * -march=native gained nothing measurable on logreg, but does on vector math (C_VECTOR_FLAGS).
 */
export const C_FLAGS = ['-std=c99', '-O3', '-ffp-contract=off', '-Wall', '-Wextra', '-Werror'] as const;

/**
 * With THC_C_OPENMP=1 the cached executables are built with `-fopenmp` (the kernels' `parallel
 * for`, kernel.ts), where the compiler takes it (probed once per process). Off by default: on a
 * host with more runnable threads than cores the threads wait on each other at every kernel, and
 * logreg's step was 10-20 times slower here (docs/c.md).
 */
export const C_OPENMP_FLAG = '-fopenmp';

/**
 * Vector math, on unless THC_C_VECTOR_MATH=0: thc's exp/log/log1p (vmath.ts, `-DTHC_VECTOR_MATH`),
 * `-fno-trapping-math` so that gcc if-converts their selects (it changes no result: it only lets
 * the compiler evaluate both sides), and `-march=native` where the compiler takes it: the cached
 * executable runs on this machine only (its CPU model is part of the cache key), and AVX2/AVX-512
 * run 4-8 doubles per instruction where the x86-64 baseline runs 2.
 */
export const C_VECTOR_FLAGS = ['-fno-trapping-math', '-DTHC_VECTOR_MATH'] as const;
export const C_NATIVE_FLAG = '-march=native';

const probed = new Map<string, boolean>();

/** Whether `cc` builds and runs a small program with these flags (once per process and flag set). */
function probe(cc: string, flags: readonly string[], src: string): boolean {
  const key = JSON.stringify([cc, flags]);
  const known = probed.get(key);
  if (known !== undefined) return known;
  const dir = mkdtempSync(join(tmpdir(), 'thc-c-probe-'));
  let ok = false;
  try {
    const file = join(dir, 'p.c');
    writeFileSync(file, src);
    execFileSync(cc, [...C_FLAGS, ...flags, '-o', join(dir, 'p'), file], { stdio: 'ignore' });
    execFileSync(join(dir, 'p'), { stdio: 'ignore' });
    ok = true;
  } catch {
    ok = false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  probed.set(key, ok);
  return ok;
}

const openmpWorks = (cc: string): boolean =>
  probe(cc, [C_OPENMP_FLAG], '#include <omp.h>\nint main(void) { return omp_get_max_threads() > 0 ? 0 : 1; }\n');
const nativeWorks = (cc: string): boolean => probe(cc, [C_NATIVE_FLAG], 'int main(void) { return 0; }\n');

/**
 * With THC_C_SANITIZE=1 every build adds these (tests/c-files.test.ts runs the C backend suite once
 * so): a report aborts the harness, which fails the test that ran it.
 */
export const C_SANITIZE_FLAGS = ['-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'] as const;

/**
 * The flags of a cached build now: C_FLAGS, the vector math flags (unless THC_C_VECTOR_MATH=0),
 * plus -fopenmp under THC_C_OPENMP=1; at -O1 with C_SANITIZE_FLAGS under THC_C_SANITIZE=1 (the
 * instrumented builds are what takes that suite's time).
 */
export function buildFlags(cc: string): readonly string[] {
  const vec = process.env['THC_C_VECTOR_MATH'] === '0' ? [] : [...C_VECTOR_FLAGS, ...(nativeWorks(cc) ? [C_NATIVE_FLAG] : [])];
  const omp = process.env['THC_C_OPENMP'] === '1' && openmpWorks(cc) ? [C_OPENMP_FLAG] : [];
  return process.env['THC_C_SANITIZE'] === '1'
    ? [...C_FLAGS.map(f => (f === '-O3' ? '-O1' : f)), ...vec, ...omp, ...C_SANITIZE_FLAGS]
    : [...C_FLAGS, ...vec, ...omp];
}

/** No usable C compiler: TH0532. */
export class NoCompilerError extends Error {
  constructor(readonly tried: readonly string[]) { super(`no C compiler (tried ${tried.join(', ')})`); }
}

/**
 * The generated program failed to build or run. `status` is the harness's exit status; `error`
 * names a THC_E* code (a shape mismatch or a run-time error the interpreter also reports, e.g. a
 * negative integer exponent) when the status is one, else the failure is thc's bug (TH0533).
 */
export class CRunError extends Error {
  constructor(readonly what: string, readonly detail: string, readonly status?: number, readonly error?: keyof typeof C_ERRORS) {
    super(`${what}${error ? ` (${error})` : ''}: ${detail}`);
  }
}

const errorName = (status: number | undefined): keyof typeof C_ERRORS | undefined =>
  (Object.keys(C_ERRORS) as (keyof typeof C_ERRORS)[]).find(k => k !== 'ok' && C_ERRORS[k] === status);

let found: string | null | undefined;

/** The system C compiler's command, or null when none runs. */
export function findCompiler(): string | null {
  if (found !== undefined) return found;
  const candidates = process.env['CC'] ? [process.env['CC']] : ['cc', 'gcc', 'clang'];
  found = null;
  for (const c of candidates) {
    try { execFileSync(c, ['--version'], { stdio: 'ignore' }); found = c; break; } catch { /* next */ }
  }
  return found;
}

export function cacheDir(): string {
  return process.env['THC_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'thc', 'c');
}

/** The cached executable for this C text, built first if missing. */
export async function buildC(text: string, dir = cacheDir()): Promise<string> {
  const cc = findCompiler();
  if (!cc) throw new NoCompilerError(process.env['CC'] ? [process.env['CC']] : ['cc', 'gcc', 'clang']);
  // The key holds what was asked for (the environment switches), not the probed flags: a cache hit
  // then costs no compiler run (the probes take 50-100 ms each). A -march=native executable may
  // not run on another CPU sharing this cache folder, hence the CPU model with vector math.
  const asked = ['THC_C_VECTOR_MATH', 'THC_C_OPENMP', 'THC_C_SANITIZE'].map(v => process.env[v] ?? '');
  const cpu = asked[0] !== '0' ? cpus()[0]?.model ?? '' : '';
  const hash = createHash('sha256').update(JSON.stringify([cc, C_FLAGS, asked, cpu, text])).digest('hex').slice(0, 32);
  const exe = join(dir, `thc-${hash}`);
  if (existsSync(exe)) return exe;
  const flags = buildFlags(cc);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${hash}-${process.pid}-${randomBytes(6).toString('hex')}`);
  writeFileSync(`${tmp}.c`, text);
  try {
    await run(cc, [...flags, '-DTHC_MAIN', '-o', tmp, `${tmp}.c`, '-lm'], { maxBuffer: 16 << 20 });
    renameSync(tmp, exe);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CRunError('the C compiler rejected the generated code', String((e as { stderr?: string }).stderr ?? e));
  } finally {
    rmSync(`${tmp}.c`, { force: true });
  }
  return exe;
}

export interface CCall {
  readonly entry: string;
  readonly params: ReadonlyMap<string, NDArray>;
  /** Shared variables before the first call (those missing stay unset: THC_ESTATE if read). */
  readonly state: ReadonlyMap<string, NDArray>;
}

export interface CResult {
  readonly outputs: Map<string, NDArray>;
  readonly state: Map<string, NDArray>;
  /** Mean wall time of one call inside the executable, in nanoseconds. */
  readonly stepNs: number;
}

const shapeArg = (shape: readonly number[]): string => (shape.length ? shape.join(',') : '-');

function bytesOf(a: NDArray): Uint8Array {
  const out = new Uint8Array(a.data.length * cWidth(a.dtype));
  viewData(a.dtype, out.buffer).set(a.data);
  return out;
}

function readArray(path: string, dtype: NDArray['dtype']): NDArray {
  const text = readFileSync(`${path}.shape`, 'utf8').trim();
  const shape = text === '' ? [] : text.split(',').map(Number);
  const raw = readFileSync(`${path}.bin`);
  const n = shape.reduce((p, d) => p * d, 1);
  const bytes = new Uint8Array(n * cWidth(dtype));
  bytes.set(raw.subarray(0, bytes.length));
  const data = allocData(dtype, n);
  data.set(viewData(dtype, bytes.buffer));
  return { dtype, shape, data };
}

/**
 * Compiles the program to C (reporting TH0530/TH0531 to `sink`: undefined then), builds or reuses
 * its executable and runs `call.entry` `steps` times with the state carried over.
 */
export async function runWithC(result: CompileResult, call: CCall, steps: number, sink: DiagnosticSink): Promise<CResult | undefined> {
  const text = cProgram(result, sink);
  if (text === undefined) return undefined;
  const exe = await buildC(text);
  const program = result.graphs!;
  const g = program.entries.find(e => e.name === call.entry);
  if (!g) throw new Error(`no entry point ${call.entry}`);
  const work = mkdtempSync(join(tmpdir(), 'thc-c-'));
  try {
    const args = [call.entry, String(steps), work];
    g.params.forEach((p, i) => {
      const a = call.params.get(p.name);
      if (!a) throw new Error(`no value for parameter ${p.name}`);
      writeFileSync(join(work, `in${i}.bin`), bytesOf(a));
      args.push('in', p.name, join(work, `in${i}.bin`), shapeArg(a.shape));
    });
    program.shared.forEach((v, i) => {
      const a = call.state.get(v.name);
      if (!a) return;
      writeFileSync(join(work, `s${i}.bin`), bytesOf(a));
      args.push('state', v.name, join(work, `s${i}.bin`), shapeArg(a.shape));
    });
    let stdout: string;
    try {
      ({ stdout } = await run(exe, args, { maxBuffer: 16 << 20 }));
    } catch (e) {
      const err = e as { code?: number; stderr?: string };
      throw new CRunError(`${call.entry} exited with status ${err.code}`, err.stderr ?? String(e), err.code, errorName(err.code));
    }
    const schedule = result.schedules!.get(call.entry)!;
    const outputs = new Map(schedule.outputs.map((o, k) => [o.name, readArray(join(work, `out${k}`), o.value.type.dtype)] as const));
    const state = new Map(program.shared.flatMap((v, k) =>
      (existsSync(join(work, `state${k}.bin`)) ? [[v.name, readArray(join(work, `state${k}`), v.type.dtype)] as const] : [])));
    const ns = /thc-step-ns (\d+)/.exec(stdout);
    return { outputs, state, stepNs: ns ? Number(ns[1]) : NaN };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
