/**
 * @file Command-line argument helpers shared by the commands: `NAME=VALUE` / `NAME=@file` parsing,
 * `--steps`, `--tolerance`/`--eps` parsing, and choosing the entry point (`--fn`, or the only one). Malformed arguments
 * are usage errors (exit 2); a missing or ambiguous entry point is a diagnostic (exit 1).
 */
import type { ArgBinding } from '../runtime/bind.js';
import type { DiagnosticSink } from '../diag/sink.js';
import type { Graph, ProgramGraphs } from '../graph/graph.js';
import { nearbyNames } from '../diag/suggest.js';

/** A mistake in how thc was invoked (not in the program or its inputs): one line, exit status 2. */
export class UsageError extends Error {}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `NAME=VALUE` (JSON text) or `NAME=@path`; throws UsageError when malformed. */
export function parseBinding(raw: string): ArgBinding {
  const eq = raw.indexOf('=');
  if (eq < 0) throw new UsageError(`argument '${raw}' is not of the form NAME=VALUE`);
  const name = raw.slice(0, eq);
  const rhs = raw.slice(eq + 1);
  if (name === '') throw new UsageError(`argument '${raw}' has an empty name (expected NAME=VALUE)`);
  if (!NAME_RE.test(name)) throw new UsageError(`argument '${raw}': '${name}' is not a parameter name (expected NAME=VALUE)`);
  if (rhs.trim() === '') throw new UsageError(`argument '${raw}' has an empty value (expected ${name}=VALUE)`);
  if (rhs.startsWith('@')) {
    const path = rhs.slice(1);
    if (path === '') throw new UsageError(`argument '${raw}' has an empty file name after '@'`);
    return { name, value: { kind: 'file', path }, raw };
  }
  return { name, value: { kind: 'json', text: rhs }, raw };
}

/** `--steps N`: a positive integer written in decimal. */
export function parseSteps(text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`--steps must be a positive integer, not '${text}'`);
  const n = Number(text);
  if (n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`--steps must be a positive integer, not '${text}'`);
  return n;
}

/** `--tolerance T`, `--eps E`: a positive finite number (`1e-6`, `0.001`). */
export function parsePositive(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, not '${text}'`);
  return n;
}

/**
 * The entry point to run or print: `--fn NAME`, or the only one. Reports TH0651 (none), TH0652
 * (several and no --fn), TH0653 (unknown --fn, with a suggestion) and returns undefined.
 */
/** TH0653: `--fn NAME` names no entry point of the file (with the nearest name as help). */
export function reportUnknownEntry(sink: DiagnosticSink, file: string, name: string, names: readonly string[]): void {
  const near = nearbyNames(name, names);
  const help = near.length > 0 ? [{ message: `an entry point with a similar name exists: \`${near[0]}\`` }] : [];
  sink.error('TH0653', { file, name, names: names.length ? names.join(', ') : '(none)' }, null, { help });
}

export function selectEntry(graphs: ProgramGraphs, fn: string | undefined, file: string, sink: DiagnosticSink): Graph | undefined {
  const names = graphs.entries.map(g => g.name);
  if (fn !== undefined) {
    const g = graphs.entries.find(e => e.name === fn);
    if (g) return g;
    reportUnknownEntry(sink, file, fn, names);
    return undefined;
  }
  if (graphs.entries.length === 1) return graphs.entries[0];
  if (graphs.entries.length === 0) sink.error('TH0651', { file }, null);
  else sink.error('TH0652', { file, count: names.length, names: names.join(', '), first: names[0]! }, null);
  return undefined;
}

/**
 * The device a deprecated `--backend B` stands for (c: `cpu`, interp: `interp`), checked against
 * an explicit `--device`: a contradiction is a usage error.
 */
export function deviceWithBackend<D extends string>(device: D, backend: 'interp' | 'c' | undefined): D | 'cpu' | 'interp' {
  if (backend === undefined) return device;
  const meant = backend === 'c' ? 'cpu' : 'interp';
  if (device !== 'auto' && device !== meant) {
    throw new UsageError(`'--backend ${backend}' (deprecated) means '--device ${meant}' and cannot be combined with '--device ${device}'`);
  }
  return meant;
}
