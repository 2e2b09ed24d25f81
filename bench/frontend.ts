/**
 * @file Front-end benchmarks: parse + check throughput on a generated 5,000-line program, and the
 * wall time of `thc check samples/logistic.th` next to bare `node -e 0` measured in the same run.
 * Produces rows for bench/run.ts to print.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compileSource, PACKAGE_ROOT } from '../src/pipeline.js';
import { thLexer } from '../src/syntax/tokens.js';

export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Comparison against a peer or target, as text. */
  readonly vs: string;
  readonly ok: boolean | null;
}

/** A valid, type-correct program of about `lines` lines: many small entry points and generic helpers. */
export function generateProgram(lines: number): string {
  const out: string[] = ['use nn', 'let eps = 1e-8', 'shared w: f32[16] = normal(0, 1, seed=1)', 'shared b: f32 = 0', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(
      `# block ${i}`,
      `fn helper${i}(x, k = 2) = exp(-x * k) + log1p(abs(x))`,
      `fn layer${i}(x: f32[n, 16], y: f32[n]) {`,
      `  let z = x @ w + b`,
      `  let p = sigmoid(z) * ${(i % 7) + 1}.5`,
      `  let q = helper${i}(p, k=3) - maximum(z, 0)`,
      `  let r = sum(x * x, axis=1) / cast(n, f32) + eps`,
      `  let s = where(p > 0.5, q, -q)[0:n]`,
      `  w <- w - 0.1 * mean(x, axis=0)`,
      `  return (s + r, relu(z) - y)`,
      `}`,
      '',
    );
    i++;
  }
  return out.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runOnce(args: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  const t1 = process.hrtime.bigint();
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(t1 - t0) / 1e6;
}

/** Median wall times of two commands, run alternately so that load changes hit both alike. */
function timePair(a: readonly string[], b: readonly string[], runs: number): [number, number] {
  const ta: number[] = [], tb: number[] = [];
  runOnce(a); runOnce(b); // warm the file cache
  for (let i = 0; i < runs; i++) { ta.push(runOnce(a)); tb.push(runOnce(b)); }
  return [median(ta), median(tb)];
}

export function frontendBench(): BenchRow[] {
  const src = generateProgram(5000);
  const lines = src.split('\n').length;
  // Reported too: the generated lines are dense (~12 tokens each; the samples and stdlib have ~7).
  const tokens = thLexer.tokenize(src).tokens.length;
  const compileOnce = () => {
    const t0 = process.hrtime.bigint();
    const r = compileSource({ source: src, path: join(PACKAGE_ROOT, 'bench', 'generated.th'), displayName: 'generated.th' }, { stopAfter: 'graph' });
    const t1 = process.hrtime.bigint();
    const errors = r.diagnostics.filter(d => d.severity === 'error');
    if (errors.length) throw new Error(`generated program has errors: ${errors.slice(0, 3).map(d => `${d.code} ${d.message} at ${d.primary?.span.line}`).join('; ')}`);
    return Number(t1 - t0) / 1e6;
  };
  // Warm-up: the JIT needs about ten compiles to reach its top tier (the first ones run 2-4x
  // slower); then the median of 15 runs (the machine is shared, so single runs swing by 2x).
  for (let i = 0; i < 10; i++) compileOnce();
  const ms = median(Array.from({ length: 15 }, compileOnce));
  const lps = lines / (ms / 1000);

  const [bare, check] = timePair(['-e', '0'], [join(PACKAGE_ROOT, 'bin', 'thc.js'), 'check', 'samples/logistic.th'], 21);
  return [
    { name: `parse + check, generated ${lines}-line program`, value: Math.round(lps), unit: 'lines/s', vs: `${ms.toFixed(1)} ms, ${Math.round(tokens / 1000)}k tokens (${Math.round(tokens / ms)}k tokens/s); target >= 50,000 lines/s`, ok: lps >= 50000 },
    { name: 'node -e 0 (bare Node start-up)', value: Number(bare.toFixed(1)), unit: 'ms', vs: 'peer', ok: null },
    { name: 'thc check samples/logistic.th', value: Number(check.toFixed(1)), unit: 'ms', vs: `${(check / bare).toFixed(2)}x node start-up; target <= 2.5x`, ok: check / bare <= 2.5 },
  ];
}
